"""The catalog of credential offerings over the API: ``GET /api/v1/catalog/offerings/`` (list, filters)
and ``GET /api/v1/catalog/offerings/{external_id}/``. The catalog is shared by every organization (a
register of what one can study), so it is readable by any authenticated caller; it is written by the
imports (CSV, CTDL, Open Badges 3.0), not over the API. Included from config.api_urls."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.routers import SimpleRouter

from apps.api.mixins import ApiViewMixin
from apps.credentials.levels import to_eqf
from apps.credentials.models import CatalogOffering, CatalogOfferingSkill, QualificationComponent


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class OfferingSkillSerializer(serializers.ModelSerializer):
    class Meta:
        model = CatalogOfferingSkill
        fields = ["text"]


class CatalogOfferingSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="external_id", help_text="the catalog's id (CSV column id)")
    eqf_level = serializers.SerializerMethodField(help_text="EQF-equivalent level, null when unknown")
    skills = serializers.SerializerMethodField(help_text="skills the offering teaches")
    qualifications = serializers.SerializerMethodField(help_text="ids of qualifications it stacks towards")

    class Meta:
        model = CatalogOffering
        fields = [
            "id",
            "title",
            "provider",
            "level_framework",
            "level_value",
            "eqf_level",
            "hours",
            "cost",
            "delivery_mode",
            "url",
            "review_date",
            "skills",
            "qualifications",
        ]

    def get_eqf_level(self, obj: CatalogOffering) -> int | None:
        return to_eqf(obj.level_framework, obj.level_value) if obj.level_framework else None

    def get_skills(self, obj: CatalogOffering) -> list[str]:
        return [s.text for s in obj.skills.all()]

    def get_qualifications(self, obj: CatalogOffering) -> list[str]:
        return [c.qualification.external_id for c in obj.qualification_components.all()]


class CatalogOfferingFilter(django_filters.FilterSet):
    provider = django_filters.CharFilter(lookup_expr="icontains")
    skill = django_filters.CharFilter(
        field_name="skills__text", lookup_expr="icontains", distinct=True, label="a taught skill contains this text"
    )
    # whole hours, as the schema says (hours are stored as integers); 0.5 is refused, not rounded
    max_hours = IntegerFilter(field_name="hours", lookup_expr="lte")
    level_framework = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = CatalogOffering
        fields = ["provider", "skill", "max_hours", "level_framework", "delivery_mode"]


@extend_schema_view(
    list=extend_schema(
        summary="List catalog offerings",
        description="Micro-credentials and courses one can take, with the skills each teaches.",
    ),
    retrieve=extend_schema(summary="Get a catalog offering"),
)
class CatalogOfferingViewSet(ApiViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CatalogOfferingSerializer
    filterset_class = CatalogOfferingFilter
    lookup_field = "external_id"
    lookup_value_regex = r"[^/]+"
    api_tag = "catalog"

    def get_queryset(self):
        # three queries per page whatever its size: offerings, their skills, their qualification links
        return CatalogOffering.objects.order_by("title", "external_id").prefetch_related(
            Prefetch("skills", queryset=CatalogOfferingSkill.objects.order_by("id")),
            Prefetch(
                "qualification_components", queryset=QualificationComponent.objects.select_related("qualification")
            ),
        )


router = SimpleRouter()
router.register("catalog/offerings", CatalogOfferingViewSet, basename="catalog-offering")
urlpatterns = router.urls
