"""Base pieces for API views: idempotent POSTs, ETags, tenant scoping and the OpenAPI inspector."""

from __future__ import annotations

from django.db.models import QuerySet

from .conditional import ConditionalMixin
from .idempotency import IdempotencyMixin
from .parsers import JSONParser
from .schema import ProblemAutoSchema


class ApiViewMixin(IdempotencyMixin, ConditionalMixin):
    """What every API view does: ``Idempotency-Key`` on POST (apps.api.idempotency) and ETags /
    conditional requests (apps.api.conditional). Put it before the DRF view class in the bases."""

    schema = ProblemAutoSchema()
    # The setting that holds the largest body this view accepts (apps.api.parsers.body_limit);
    # None: TSUMIKI_API_MAX_BODY_BYTES.
    max_body_setting: str | None = None


class OrganizationScopedMixin(ApiViewMixin):
    """Filters ``base_queryset`` to ``request.organization`` (set by ``HasOrganization``), so another
    tenant's ids are simply not found (404, never 403)."""

    # JSON only: form encodings cannot carry the nested interchange format.
    parser_classes = [JSONParser]
    organization_field = "organization"

    def base_queryset(self) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        qs = self.base_queryset()
        if getattr(self, "swagger_fake_view", False):  # schema generation has no organization
            return qs.none()
        # set by apps.api.permissions (the key's or the signed-in member's organization)
        return qs.filter(**{self.organization_field: self.request.organization})  # type: ignore[attr-defined]
