"""One pagination style for every list endpoint."""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination, PageNumberPagination


def strict_page_size(request, *, param: str, maximum: int) -> int | None:
    """``?page_size=`` as given, or None when absent or empty; a value that is not a whole number from 1
    to ``maximum`` is a 400 (DRF would silently use the default, which the schema does not say)."""
    raw = request.query_params.get(param, "").strip()
    if not raw:
        return None
    if not raw.isdecimal() or not 1 <= int(raw) <= maximum:  # isdigit() would let "²" through to int()
        raise ValidationError({param: [f"Must be a whole number from 1 to {maximum}."]})
    return int(raw)


class StrictPageSize(BasePagination):
    """The page size every paginated endpoint shares: 50 unless ``?page_size=`` asks for 1 to 500 (any
    other value is a 400, see :func:`strict_page_size`), and a schema that states those bounds. Put it
    before the DRF pagination class it refines."""

    # typed as DRF's pagination classes declare them, so the mixin may stand before either
    page_size: int | None = 50
    page_size_query_param: str | None = "page_size"
    max_page_size: int | None = 500

    def get_page_size(self, request):
        if self.page_size_query_param is None or self.max_page_size is None:
            return self.page_size  # a subclass without the parameter: the fixed size, as in DRF
        size = strict_page_size(request, param=self.page_size_query_param, maximum=self.max_page_size)
        return self.page_size if size is None else size

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        for p in params:
            if p["name"] == self.page_size_query_param:
                p["schema"].update({"minimum": 1, "maximum": self.max_page_size})
        return params


class StandardPagination(StrictPageSize, PageNumberPagination):
    """Numbered pages, the default of every list endpoint (the shortlist pages by cursor instead)."""

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        for p in params:
            if p["name"] == self.page_query_param:
                p["schema"]["minimum"] = 1
        return params
