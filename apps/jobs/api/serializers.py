"""Job serializers. Writes are validated by the interchange parser (``parse_job``), which is the one
definition of a valid job (docs/architecture.md); the request serializers here mainly document the shape."""

from __future__ import annotations

import uuid
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.api.errors import Problem, interchange_problem
from apps.api.schema import choice_field
from apps.candidates.interchange import InterchangeError, JobDoc, SkillReq, parse_job
from apps.jobs.models import Job, JobStatus, RequiredSkill

# Column widths of apps.jobs.models; checked here so PostgreSQL never sees an over-long value.
MAX_EXTERNAL_ID = 100
MAX_TITLE = 300
MAX_SKILL_NAME = 500
MAX_SKILLS = 200
MAX_EQF = 8


class RequiredSkillSerializer(serializers.ModelSerializer):
    """One required skill in the interchange shape."""

    uri = serializers.SerializerMethodField(help_text="the taxonomy concept, when the given URI is in the taxonomy")
    required = serializers.BooleanField(source="must_have", help_text="must-have skill")

    class Meta:
        model = RequiredSkill
        fields = ["name", "uri", "weight", "required", "min_level"]

    def get_uri(self, obj: RequiredSkill) -> str | None:
        return obj.skill.uri if obj.skill_id else None


class JobSerializer(serializers.ModelSerializer):
    external_id = serializers.CharField(help_text='the interchange "id" (your own identifier)')
    status = choice_field(JobStatus, component="JobStatus", read_only=True)
    skills = RequiredSkillSerializer(source="required_skills", many=True)
    url = serializers.SerializerMethodField()
    match_runs_url = serializers.SerializerMethodField()
    shortlist_url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "external_id",
            "title",
            "description",
            "status",
            "skills",
            "created_at",
            "updated_at",
            "url",
            "match_runs_url",
            "shortlist_url",
        ]

    def _abs(self, name: str, pk: int) -> str:
        path = reverse(name, args=[pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_url(self, obj: Job) -> str:
        return self._abs("api:job-detail", obj.pk)

    def get_match_runs_url(self, obj: Job) -> str:
        return self._abs("api:job-match-runs", obj.pk)

    def get_shortlist_url(self, obj: Job) -> str:
        return self._abs("api:job-shortlist", obj.pk)


class SkillReqInputSerializer(serializers.Serializer):
    """A required skill as sent by clients (a bare string is accepted as ``{"name": ...}``)."""

    name = serializers.CharField(max_length=MAX_SKILL_NAME)
    uri = serializers.CharField(required=False, allow_null=True, help_text="an ESCO concept URI, optional")
    weight = serializers.FloatField(required=False, default=1.0, min_value=0, help_text="positive, default 1")
    required = serializers.BooleanField(required=False, default=False, help_text="must-have, default false")
    min_level = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=MAX_EQF, help_text="minimum EQF level"
    )


@extend_schema_field(SkillReqInputSerializer(many=True))
class InterchangeSkillsField(serializers.ListField):
    """Required skills in the interchange format, validated by ``parse_job``."""

    def to_internal_value(self, data: Any) -> list[SkillReq]:
        try:
            skills = parse_job({"skills": data}).skills
        except InterchangeError as e:
            raise interchange_problem(e) from None
        check_skills(skills)
        return skills


class JobCreateSerializer(serializers.Serializer):
    """A job in the interchange format (docs/architecture.md); unknown keys are ignored."""

    id = serializers.CharField(
        required=False,
        max_length=MAX_EXTERNAL_ID,
        help_text="your identifier for the job (unique in your organization); generated if absent",
    )
    title = serializers.CharField(required=False, max_length=MAX_TITLE, help_text="defaults to the id")
    description = serializers.CharField(required=False, allow_blank=True)
    skills = InterchangeSkillsField(help_text="at least one required skill")


class JobPatchSerializer(serializers.Serializer):
    """Fields a PATCH may change; ``skills``, when given, replaces all required skills."""

    title = serializers.CharField(required=False, max_length=MAX_TITLE)
    description = serializers.CharField(required=False, allow_blank=True)
    status = choice_field(JobStatus, component="JobStatus", required=False)
    skills = InterchangeSkillsField(required=False)

    def validate(self, attrs: dict) -> dict:
        if "id" in self.initial_data and self.initial_data["id"] != self.context.get("external_id"):
            raise serializers.ValidationError({"id": ["The external id of a job cannot be changed."]})
        return attrs


def check_skills(skills: list[SkillReq]) -> None:
    """Limits the interchange parser leaves open but the database (or common sense) needs."""
    if len(skills) > MAX_SKILLS:
        raise Problem(f"A job may require at most {MAX_SKILLS} skills.", errors={"skills": ["too many"]})
    for i, s in enumerate(skills):
        if len(s.name) > MAX_SKILL_NAME:
            raise _field_problem(f"skills[{i}].name", f"must be at most {MAX_SKILL_NAME} characters")
        if s.min_level is not None and s.min_level > MAX_EQF:
            raise _field_problem(f"skills[{i}].min_level", f"EQF levels go from 1 to {MAX_EQF}")


def _field_problem(field: str, message: str) -> Problem:
    return Problem(f"{field}: {message}", errors={field: [message]}, field=field)


def job_doc_from_request(data: Any) -> JobDoc:
    """Validate a POSTed job with the interchange parser; a missing id gets a generated one."""
    if isinstance(data, dict) and data.get("id") in (None, ""):
        data = {**data, "id": f"job-{uuid.uuid4().hex[:12]}"}
    try:
        doc = parse_job(data)
    except InterchangeError as e:
        raise interchange_problem(e) from None
    if len(doc.id) > MAX_EXTERNAL_ID:
        raise _field_problem("id", f"must be at most {MAX_EXTERNAL_ID} characters")
    if len(doc.title) > MAX_TITLE:
        raise _field_problem("title", f"must be at most {MAX_TITLE} characters")
    check_skills(doc.skills)
    return doc
