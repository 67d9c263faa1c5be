"""Base pieces for API views: tenant scoping and the shared OpenAPI inspector."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework.parsers import JSONParser

from .schema import ProblemAutoSchema


class OrganizationScopedMixin:
    """Filters ``base_queryset`` to ``request.organization`` (set by ``HasOrganization``), so another
    tenant's ids are simply not found (404, never 403)."""

    schema = ProblemAutoSchema()
    # JSON only: form encodings cannot carry the nested interchange format.
    parser_classes = [JSONParser]
    organization_field = "organization"

    def base_queryset(self) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        qs = self.base_queryset()
        if getattr(self, "swagger_fake_view", False):  # schema generation has no organization
            return qs.none()
        return qs.filter(**{self.organization_field: self.request.organization})
