"""Candidate serializers. Writes are validated by the interchange parser (``parse_candidate``); the
input serializers here document the shape for the OpenAPI schema."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.api.errors import Problem, input_problem
from apps.api.schema import choice_field, interchange_serializer
from apps.candidates.models import Candidate, CandidateImport, CandidateSkill, ImportStatus
from apps.core.interchange import CANDIDATE, CREDENTIAL, LEVEL, CandidateDoc, InterchangeError, parse_candidate
from apps.credentials.models import Credential
from apps.credentials.trust import issuer_shown
from apps.credentials.verify.result import MEANING

MAX_CANDIDATES_PER_REQUEST = 1000


class LevelSerializer(serializers.Serializer):
    framework = serializers.CharField()
    value = serializers.IntegerField()
    eqf = serializers.IntegerField(allow_null=True, help_text="EQF-equivalent level, when the framework maps")


class CredentialSerializer(serializers.ModelSerializer):
    """A credential as stored; degrees are listed (``kind: degree``) but never count toward a score."""

    issuer = serializers.SerializerMethodField(help_text="the issuer's name as the credential gives it")
    issuer_id = serializers.SerializerMethodField(help_text="the issuer's id (URL, DID) as the credential gives it")
    issuer_confirmed = serializers.SerializerMethodField(
        help_text="true only when verification tied the issuer's id to the signing key and the name rides on that "
        "id (never for a did:key issuer: a key confirms no name)"
    )
    verification_meaning = serializers.SerializerMethodField(help_text="what verification_status proves, in words")
    issued = serializers.DateField(source="issued_on", allow_null=True)
    expires = serializers.DateField(source="expires_on", allow_null=True)
    level = serializers.SerializerMethodField()
    skills = serializers.SerializerMethodField()

    class Meta:
        model = Credential
        fields = [
            "id",
            "title",
            "kind",
            "issuer",
            "issuer_id",
            "issuer_confirmed",
            "issued",
            "expires",
            "level",
            "hours",
            "verification_status",
            "verification_meaning",
            "skills",
        ]

    def get_issuer(self, obj: Credential) -> str:
        return obj.issuer.name if obj.issuer_id else ""

    def get_issuer_id(self, obj: Credential) -> str:
        return obj.issuer.identifier if obj.issuer_id else ""

    def get_issuer_confirmed(self, obj: Credential) -> bool:
        if not obj.issuer_id:
            return False
        shown = issuer_shown(name=obj.issuer.name, identifier=obj.issuer.identifier, status=obj.verification_status)
        return shown.confirmed and shown.claimed_name is None

    def get_verification_meaning(self, obj: Credential) -> str:
        return MEANING.get(obj.verification_status, "")

    @extend_schema_field(LevelSerializer(allow_null=True))
    def get_level(self, obj: Credential) -> dict | None:
        if obj.level_value is None:
            return None
        return {"framework": obj.level_framework or "EQF", "value": obj.level_value, "eqf": obj.eqf_level}

    def get_skills(self, obj: Credential) -> list[str]:
        return [s.text for s in obj.skills.all()]


class DeclaredSkillSerializer(serializers.ModelSerializer):
    class Meta:
        model = CandidateSkill
        fields = ["text", "source", "context"]


class CandidateSerializer(serializers.ModelSerializer):
    external_id = serializers.CharField(help_text='the interchange "id" (your own identifier)')
    credentials = CredentialSerializer(many=True)
    skills = DeclaredSkillSerializer(source="declared_skills", many=True, help_text="self-declared and experience")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Candidate
        fields = [
            "id",
            "external_id",
            "name",
            "consent_given",
            "credentials",
            "skills",
            "created_at",
            "updated_at",
            "url",
        ]

    def get_url(self, obj: Candidate) -> str:
        path = reverse("api:candidate-detail", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class CandidateRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    external_id = serializers.CharField()


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="candidates stored (new or replaced by id)")
    candidates = CandidateRefSerializer(many=True)


# --- request shapes (documentation, from the declarations in apps.core.interchange) ----------------
LevelInputSerializer = interchange_serializer(LEVEL)
CredentialInputSerializer = interchange_serializer(CREDENTIAL)
CandidateInputSerializer = interchange_serializer(CANDIDATE)


# --- validation -------------------------------------------------------------------------------
def _problem(field: str, message: str, *, prefix: str = "") -> Problem:
    field = f"{prefix}.{field}" if prefix else field
    return Problem(f"{field}: {message}", errors={field: [message]}, field=field)


def candidate_docs_from_request(data: Any) -> tuple[list[CandidateDoc], bool]:
    """Validate one candidate object or a list of them; returns (docs, was_a_list)."""
    many = isinstance(data, list)
    items = data if many else [data]
    if many and not items:
        raise Problem("Send at least one candidate.", errors={"non_field_errors": ["empty list"]})
    if len(items) > MAX_CANDIDATES_PER_REQUEST:
        raise Problem(
            f"At most {MAX_CANDIDATES_PER_REQUEST} candidates per request; use "
            "/api/v1/candidates/import/ (JSON lines) for bulk loads."
        )
    docs, seen = [], set()
    for i, obj in enumerate(items):
        prefix = f"[{i}]" if many else ""
        try:
            doc = parse_candidate(obj)
        except InterchangeError as e:
            raise input_problem(e, prefix=prefix) from None
        if doc.id in seen:
            raise _problem("id", f"duplicate candidate id {doc.id!r}", prefix=prefix)
        seen.add(doc.id)
        docs.append(doc)
    return docs, many


class ImportErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(allow_null=True, help_text="1-based line of the bad record")
    field = serializers.CharField(allow_null=True, help_text="the offending field, when known")
    message = serializers.CharField()


class CandidateImportSerializer(serializers.ModelSerializer):
    status = choice_field(ImportStatus, component="ImportStatus", read_only=True)
    errors = ImportErrorSerializer(many=True, help_text="why the import failed (the first bad lines)")
    url = serializers.SerializerMethodField(help_text="poll this until status is succeeded or failed")

    class Meta:
        model = CandidateImport
        fields = [
            "id",
            "url",
            "status",
            "total",
            "processed",
            "created",
            "errors",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_url(self, obj: CandidateImport) -> str:
        path = reverse("api:candidate-import-detail", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path
