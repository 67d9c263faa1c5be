"""Candidates over the API: list, create (one or many), retrieve, delete, and JSON-lines import."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.accounts.audit import CANDIDATES_API_READ, audit_record
from apps.api.authentication import ApiKeyPrincipal
from apps.api.errors import Problem, input_problem
from apps.api.mixins import OrganizationScopedMixin
from apps.api.parsers import JsonLinesParser, JsonlParser, JSONParser, PlainTextParser
from apps.api.schema import problems
from apps.candidates.models import Candidate, CandidateImport
from apps.candidates.rights import candidate_erase
from apps.candidates.services import (
    candidate_import_create,
    candidates_blind_for_person,
    candidates_create,
    candidates_import_jsonl,
)
from apps.core.interchange import InterchangeError
from apps.credentials.models import Credential

from .serializers import (
    CandidateImportSerializer,
    CandidateInputSerializer,
    CandidateSerializer,
    ImportResultSerializer,
    candidate_docs_from_request,
)

_CANDIDATE_CREATE = PolymorphicProxySerializer(
    component_name="CandidateCreate",
    serializers=[CandidateInputSerializer, CandidateInputSerializer(many=True)],
    resource_type_field_name=None,
    many=False,
)
_CANDIDATE_CREATED = PolymorphicProxySerializer(
    component_name="CandidateCreated",
    serializers=[CandidateSerializer, CandidateSerializer(many=True)],
    resource_type_field_name=None,
    many=False,
)
_JSONL_EXAMPLE = (
    '{"id": "c-1", "credentials": [{"title": "SQL for analysts", "verified": true, "skills": ["SQL"]}]}\n'
    '{"id": "c-2", "skills": ["data analysis"]}\n'
)


_BLIND = (
    " Read with a person's session (a recruiter signed in to the dashboard) rather than an API key, the "
    "answer follows the dashboard's degree-blind rules: `name` is empty and degrees are left out unless "
    "that person revealed the candidate in the dashboard, and every candidate shown is recorded in the "
    "audit log (`candidate.viewed`)."
)

_KEY_READS = (
    " Read with an API key, every answer is recorded in the audit log (`candidate.api_read`, one event per "
    "request with the ids of the candidates it returned)."
)


@extend_schema_view(
    list=extend_schema(
        summary="List candidates",
        description="Your organization's candidates with credentials." + _BLIND + _KEY_READS,
    ),
    retrieve=extend_schema(summary="Get a candidate", description=(_BLIND + _KEY_READS).strip()),
    destroy=extend_schema(
        summary="Delete a candidate",
        description="Erases the candidate (GDPR art. 17): their credentials, scores, decisions and reveal "
        "logs are deleted; the audit log keeps only that an erasure happened, by whom, and the internal id.",
    ),
)
class CandidateViewSet(
    OrganizationScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CandidateSerializer
    filterset_fields = ["external_id"]
    lookup_value_regex = r"\d+"

    def base_queryset(self):
        # A fixed number of queries per page whatever its size (see tests/api/test_candidates.py).
        return Candidate.objects.order_by("external_id", "id").prefetch_related(
            Prefetch("credentials", queryset=Credential.objects.select_related("issuer").prefetch_related("skills")),
            "declared_skills",
        )

    def perform_destroy(self, instance):
        candidate_erase(candidate=instance, actor=self.request.user)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self._read(request, page))

    def retrieve(self, request, *args, **kwargs):
        return Response(self._read(request, [self.get_object()])[0])

    def _read(self, request, candidates: list[Candidate]) -> list[dict]:
        """Serialized candidates; for a person's session, blind where not revealed, and logged
        (apps.candidates.services.candidates_blind_for_person)."""
        data = self.get_serializer(candidates, many=True).data
        if isinstance(request.user, ApiKeyPrincipal):
            # another system read named candidate data: one event per request, with the ids it got
            audit_record(
                organization=request.organization,
                actor=request.user,
                action=CANDIDATES_API_READ,
                details={"candidate_ids": [c.pk for c in candidates], "path": request.path},
            )
            return data
        return candidates_blind_for_person(
            organization=request.organization, user=request.user, candidates=candidates, data=data
        )

    @extend_schema(
        summary="Create or replace candidates",
        description="One candidate object, or a list of up to 1000, in the interchange format. A candidate "
        "whose id already exists in your organization is replaced. All or nothing.",
        request=_CANDIDATE_CREATE,
        responses={201: _CANDIDATE_CREATED, **problems(400)},
    )
    def create(self, request, *args, **kwargs):
        docs, many = candidate_docs_from_request(request.data)
        created = candidates_create(organization=request.organization, docs=docs)
        by_id = self.get_queryset().in_bulk([c.pk for c in created])
        data = self.get_serializer([by_id[c.pk] for c in created], many=True).data
        return Response(data if many else data[0], status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Bulk import (JSON lines)",
        description="One interchange candidate per line (`application/x-ndjson` or `text/plain`). "
        "Every line is "
        "validated before anything is stored; a malformed line gives a 400 naming it.",
        request={
            "application/x-ndjson": OpenApiTypes.STR,
            "text/plain": OpenApiTypes.STR,
        },
        examples=[OpenApiExample("two candidates", value=_JSONL_EXAMPLE, request_only=True)],
        responses={201: ImportResultSerializer, **problems(400)},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[JsonLinesParser, JsonlParser, PlainTextParser, JSONParser],
    )
    def import_jsonl(self, request, *args, **kwargs):
        text = request.data
        if not text:  # an empty body reaches us as {} (DRF skips parsing)
            raise Problem("The body holds no candidates.")
        if not isinstance(text, str):
            raise Problem("Send the candidates as JSON lines with Content-Type application/x-ndjson.")
        # split on "\n" only: str.splitlines would also break on U+2028 inside a JSON string.
        lines = text.split("\n")
        numbers = [n for n, raw in enumerate(lines, start=1) if raw.strip()]
        if not numbers:
            raise Problem("The body holds no candidates.")
        try:
            result = candidates_import_jsonl(organization=request.organization, lines=lines)
        except InterchangeError as e:
            raise input_problem(e) from None
        body = {
            "created": result.created,
            "candidates": [{"id": c.pk, "external_id": c.external_id} for c in result.candidates],
        }
        return Response(ImportResultSerializer(body).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="List background imports", description="Newest first."),
    retrieve=extend_schema(
        summary="Get a background import",
        description="Status and progress; `errors` names the bad lines when the import failed.",
    ),
)
class CandidateImportViewSet(
    OrganizationScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Bulk imports (JSON lines) processed by a Celery task; the body is checked line by line there."""

    serializer_class = CandidateImportSerializer
    api_tag = "candidates"
    max_body_setting = "TSUMIKI_IMPORT_MAX_BYTES"  # stored and processed by a worker (apps.api.parsers)
    filterset_fields = ["status"]
    lookup_value_regex = r"\d+"
    parser_classes = [JsonLinesParser, JsonlParser, PlainTextParser]

    def base_queryset(self):
        return CandidateImport.objects.order_by("-created_at", "-id")

    @extend_schema(
        summary="Start a background import (JSON lines)",
        description="One interchange candidate per line (`application/x-ndjson`, `application/jsonl` or "
        "`text/plain`), any size up to the server's limit. Answers 202 with a `Location` to poll. Every "
        "line is validated before anything is stored; if one is bad the import fails and `errors` names "
        "the lines. A candidate whose id exists is replaced.",
        request={
            "application/x-ndjson": OpenApiTypes.STR,
            "application/jsonl": OpenApiTypes.STR,
            "text/plain": OpenApiTypes.STR,
        },
        examples=[OpenApiExample("two candidates", value=_JSONL_EXAMPLE, request_only=True)],
        responses={
            202: OpenApiResponse(CandidateImportSerializer, description="queued"),
            **problems(400, 413),
        },
    )
    def create(self, request, *args, **kwargs):
        text = request.data
        if not isinstance(text, str) or not text.strip():
            raise Problem("The body holds no candidates; send JSON lines (application/x-ndjson).")
        limit = settings.TSUMIKI_IMPORT_MAX_BYTES
        if len(text.encode("utf-8", "surrogatepass")) > limit:
            raise Problem(f"The body is larger than {limit} bytes; split it.", status_code=413)
        job = candidate_import_create(organization=request.organization, text=text)
        data = self.get_serializer(job).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})
