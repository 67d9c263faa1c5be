"""Candidate serializers. Writes are validated by the interchange parser (``parse_candidate``); the
input serializers here document the shape for the OpenAPI schema."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.api.errors import Problem, interchange_problem
from apps.candidates.interchange import CandidateDoc, CredentialDoc, InterchangeError, parse_candidate
from apps.candidates.models import Candidate, CandidateSkill
from apps.credentials.models import Credential

# Column widths and integer ranges of the candidate and credential models, checked up front so a
# long value is a clear 400 on every database (SQLite would store it, PostgreSQL would 500).
MAX_EXTERNAL_ID = 100
MAX_NAME = 200
MAX_ISSUER = 300
MAX_SMALLINT = 32767
MAX_INT = 2_147_483_647
MAX_CANDIDATES_PER_REQUEST = 1000


class LevelSerializer(serializers.Serializer):
    framework = serializers.CharField()
    value = serializers.IntegerField()
    eqf = serializers.IntegerField(allow_null=True, help_text="EQF-equivalent level, when the framework maps")


class CredentialSerializer(serializers.ModelSerializer):
    """A credential as stored; degrees are listed (``kind: degree``) but never count toward a score."""

    issuer = serializers.SerializerMethodField()
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
            "issued",
            "expires",
            "level",
            "hours",
            "verification_status",
            "skills",
        ]

    def get_issuer(self, obj: Credential) -> str:
        return obj.issuer.name if obj.issuer_id else ""

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


# --- request shapes (documentation) -----------------------------------------------------------
class LevelInputSerializer(serializers.Serializer):
    framework = serializers.CharField(required=False, default="EQF")
    value = serializers.IntegerField(min_value=0)


class CredentialInputSerializer(serializers.Serializer):
    title = serializers.CharField()
    kind = serializers.ChoiceField(
        required=False, choices=["microcredential", "badge", "certificate", "course", "license", "degree"]
    )
    issuer = serializers.CharField(required=False, allow_blank=True)
    issued = serializers.DateField(required=False, allow_null=True)
    expires = serializers.DateField(required=False, allow_null=True)
    verified = serializers.BooleanField(required=False, default=False)
    level = LevelInputSerializer(required=False, allow_null=True)
    hours = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    skills = serializers.ListField(child=serializers.CharField(), required=False)


class CandidateInputSerializer(serializers.Serializer):
    """One candidate in the interchange format (docs/architecture.md); unknown keys are ignored. A candidate
    whose id already exists is replaced."""

    id = serializers.CharField(max_length=MAX_EXTERNAL_ID)
    name = serializers.CharField(required=False, allow_blank=True, max_length=MAX_NAME)
    credentials = CredentialInputSerializer(many=True, required=False)
    skills = serializers.ListField(child=serializers.CharField(), required=False, help_text="self-declared")
    degrees = CredentialInputSerializer(many=True, required=False, help_text="kept for the record, never scored")


# --- validation -------------------------------------------------------------------------------
def _problem(field: str, message: str, *, line: int | None = None, prefix: str = "") -> Problem:
    field = f"{prefix}.{field}" if prefix else field
    where = f"line {line}: " if line is not None else ""
    return Problem(f"{where}{field}: {message}", errors={field: [message]}, field=field, line=line)


def check_candidate(doc: CandidateDoc, *, line: int | None = None, prefix: str = "") -> None:
    """Limits of the database columns that the interchange parser does not know about."""
    if len(doc.id) > MAX_EXTERNAL_ID:
        raise _problem("id", f"must be at most {MAX_EXTERNAL_ID} characters", line=line, prefix=prefix)
    if len(doc.name) > MAX_NAME:
        raise _problem("name", f"must be at most {MAX_NAME} characters", line=line, prefix=prefix)
    groups: Iterable[tuple[str, list[CredentialDoc]]] = (
        ("credentials", doc.credentials),
        ("degrees", doc.degrees),
    )
    for group, creds in groups:
        for i, c in enumerate(creds):
            if len(c.issuer) > MAX_ISSUER:
                raise _problem(
                    f"{group}[{i}].issuer",
                    f"must be at most {MAX_ISSUER} characters",
                    line=line,
                    prefix=prefix,
                )
            if c.level is not None and c.level.value > MAX_SMALLINT:
                raise _problem(f"{group}[{i}].level.value", "is out of range", line=line, prefix=prefix)
            if c.hours is not None and c.hours > MAX_INT:
                raise _problem(f"{group}[{i}].hours", "is out of range", line=line, prefix=prefix)


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
            raise interchange_problem(e, prefix=prefix) from None
        check_candidate(doc, prefix=prefix)
        if doc.id in seen:
            raise _problem("id", f"duplicate candidate id {doc.id!r}", prefix=prefix)
        seen.add(doc.id)
        docs.append(doc)
    return docs, many
