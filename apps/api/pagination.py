"""One pagination style for every list endpoint."""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


def strict_page_size(request, *, param: str, maximum: int) -> int | None:
    """``?page_size=`` as given, or None when absent or empty; a value that is not a whole number from 1
    to ``maximum`` is a 400 (DRF would silently use the default, which the schema does not say)."""
    raw = request.query_params.get(param, "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise ValidationError({param: [f"Must be a whole number from 1 to {maximum}."]})
    return int(raw)


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        size = strict_page_size(request, param=self.page_size_query_param, maximum=self.max_page_size)
        return self.page_size if size is None else size

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        for p in params:
            if p["name"] == self.page_size_query_param:
                p["schema"].update({"minimum": 1, "maximum": self.max_page_size})
            if p["name"] == self.page_query_param:
                p["schema"]["minimum"] = 1
        return params
