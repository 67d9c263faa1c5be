"""The skill taxonomy over the API: label search (plain SQL, no model), normalization and extraction
(both load the embedding model on first use, so they live only behind explicit POSTs)."""

from __future__ import annotations

import json

from django.db.models import Exists, OuterRef, Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response

from apps.api.errors import Problem
from apps.api.mixins import ApiViewMixin
from apps.api.parsers import JSONParser
from apps.api.schema import problems
from apps.skills import warmup
from apps.skills.models import OrganizationSkill, Skill, SkillLabel
from apps.skills.org_skills import OrgSkillError, org_skill_create, org_skills_import_rsd, own_uri
from apps.skills.rsd import RsdError
from apps.skills.services import normalize, skills_extract

from .serializers import (
    ESCO_ATTRIBUTION,
    ExtractRequestSerializer,
    ExtractResponseSerializer,
    NormalizeRequestSerializer,
    NormalizeResponseSerializer,
    OwnSkillInputSerializer,
    OwnSkillSerializer,
    RsdImportResultSerializer,
    SkillSerializer,
)


class ModelLoading(Problem):
    """503 problem+json while this process is still loading the skill model in the background
    (apps.skills.warmup): the request is answered at once instead of waiting tens of seconds."""

    def __init__(self) -> None:
        st = warmup.state()
        if st.status == warmup.FAILED:
            detail = "The skill model could not be loaded on this server; an administrator must look at its log."
        else:
            detail = f"The skill model is still loading ({st.seconds():.0f} s so far); retry in a few seconds."
        super().__init__(detail, status_code=503, warm_start=warmup.readiness())
        self.wait = warmup.retry_after_seconds()


def _require_model() -> None:
    if not warmup.model_ready():
        raise ModelLoading()


class SkillSearchView(ApiViewMixin, generics.ListAPIView):
    """Taxonomy concepts whose preferred or alternative labels contain ``q`` (any imported language)."""

    serializer_class = SkillSerializer
    filter_backends: list = []

    def get_queryset(self):
        qs = Skill.objects.order_by("preferred_label", "id")
        q = self.request.query_params.get("q", "").strip() if hasattr(self.request, "query_params") else ""
        if q:
            # EXISTS instead of a join: no duplicate rows, so no DISTINCT over a text column.
            label_hit = SkillLabel.objects.filter(skill=OuterRef("pk"), text__icontains=q)
            qs = qs.filter(Q(preferred_label__icontains=q) | Exists(label_hit))
        return qs

    @extend_schema(
        summary="Search skills",
        description=f"Search the imported taxonomy by label. {ESCO_ATTRIBUTION}",
        parameters=[OpenApiParameter("q", str, description="text contained in a label (case-insensitive)")],
    )
    def get(self, request, *args, **kwargs):
        response = self.list(request, *args, **kwargs)
        response.data["attribution"] = ESCO_ATTRIBUTION
        return response


class NormalizeView(ApiViewMixin, generics.GenericAPIView):
    """Free-text phrases to taxonomy concepts, best first (same engine as ``normalize_skills``)."""

    serializer_class = NormalizeRequestSerializer
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Normalize skill phrases",
        description="Maps each phrase to its closest taxonomy concepts and your organization's own skills "
        f"(`source`: `esco` or `organization`). {ESCO_ATTRIBUTION}",
        request=NormalizeRequestSerializer,
        responses={200: NormalizeResponseSerializer, **problems(400, 503)},
    )
    def post(self, request, *args, **kwargs):
        body = NormalizeRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _require_model()
        phrases = body.validated_data["phrases"]
        matches = normalize(texts=phrases, top_k=body.validated_data["top"], organization=request.organization)
        results = [
            {
                "input": text,
                "matches": [
                    {
                        "uri": m.uri,
                        "label": m.label,
                        "score": m.score,
                        "source": m.source,
                        "esco_uri": m.concept_uri if m.source == "organization" else m.uri,
                    }
                    for m in found
                ],
            }
            for text, found in zip(phrases, matches, strict=True)
        ]
        return Response(NormalizeResponseSerializer({"results": results, "attribution": ESCO_ATTRIBUTION}).data)


class ExtractView(ApiViewMixin, generics.GenericAPIView):
    """Taxonomy skills mentioned in free text, with spans and confidence (same engine as the job
    editor's suggestions and the credential importer)."""

    serializer_class = ExtractRequestSerializer
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Extract skills from text",
        description=f"Ranks the taxonomy skills that a job description, a CV or a credential's criteria asks "
        f"for, mentioned or implied, with character spans, calibrated confidence and flags (suggested, implied, "
        f"optional, negated). {ESCO_ATTRIBUTION}",
        request=ExtractRequestSerializer,
        responses={200: ExtractResponseSerializer, **problems(400, 503)},
    )
    def post(self, request, *args, **kwargs):
        body = ExtractRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _require_model()
        data = body.validated_data
        found = skills_extract(text=data["text"], top_k=data["top"], suggested_only=data["suggested_only"])
        return Response(ExtractResponseSerializer({"skills": found, "attribution": ESCO_ATTRIBUTION}).data)


def _own(row) -> dict:
    return {
        "id": row.pk,
        "uri": own_uri(row),
        "name": row.name,
        "description": row.description,
        "esco_uri": row.concept.uri if row.concept_id else None,
        "keywords": list(row.keywords or []),
        "source": row.source,
    }


class OwnSkillsView(ApiViewMixin, generics.GenericAPIView):
    """Your organization's own skills: list them, or add one (docs/skills.md)."""

    serializer_class = OwnSkillSerializer
    parser_classes = [JSONParser]
    api_tag = "skills"

    def get_queryset(self):
        return OrganizationSkill.objects.none()  # schema only; reads go through request.organization

    @extend_schema(summary="List your organization's own skills", responses=OwnSkillSerializer(many=True))
    def get(self, request, *args, **kwargs):
        rows = OrganizationSkill.objects.filter(organization=request.organization).select_related(
            "concept", "organization"
        )
        page = self.paginate_queryset(rows.order_by("name", "id"))
        return self.get_paginated_response([_own(r) for r in page])

    @extend_schema(
        summary="Add an own skill",
        request=OwnSkillInputSerializer,
        responses={201: OwnSkillSerializer, **problems(400)},
    )
    def post(self, request, *args, **kwargs):
        body = OwnSkillInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        d = body.validated_data
        try:
            row = org_skill_create(
                organization=request.organization,
                name=d["name"],
                description=d["description"],
                esco_uri=d.get("esco_uri") or None,
            )
        except OrgSkillError as e:
            raise Problem(str(e), errors={"name" if "name" in str(e) else "esco_uri": [str(e)]}) from None
        return Response(_own(row), status=201)


class OwnSkillsImportView(ApiViewMixin, generics.GenericAPIView):
    """Import Rich Skill Descriptors (Open Skills Network RSD JSON) as own skills, all or nothing."""

    serializer_class = RsdImportResultSerializer
    parser_classes = [JSONParser]
    api_tag = "skills"

    def get_queryset(self):
        return OrganizationSkill.objects.none()

    @extend_schema(
        summary="Import Rich Skill Descriptors",
        description="The body is an RSD export: one RichSkillDescriptor, a list of them, or a RichSkillCollection "
        "with its skills' details. Checked whole before anything is stored; a skill already imported (same RSD "
        "id) or with the same name is updated. A 400 problem names what is wrong (`errors.file`).",
        request={"application/json": dict},
        responses={201: RsdImportResultSerializer, **problems(400)},
    )
    def post(self, request, *args, **kwargs):
        try:
            report = org_skills_import_rsd(organization=request.organization, data=json.dumps(request.data))
        except RsdError as e:
            raise Problem(e.message, errors={"file": [e.message]}, code=e.code) from None
        body = {
            "created": report.created,
            "updated": report.updated,
            "mapped": report.mapped,
            "skills": [_own(r) for r in report.skills],
        }
        return Response(body, status=201)
