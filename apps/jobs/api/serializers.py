"""Job serializers. Writes are validated by the interchange parser (``parse_job``), which is the one
definition of a valid job (docs/architecture.md); the request serializers here mainly document the shape."""

from __future__ import annotations

import uuid
from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.api.errors import input_problem
from apps.api.schema import choice_field, interchange_field_schema, interchange_serializer
from apps.core.interchange import (
    JOB,
    MAX_DESCRIPTION,
    MAX_JOB_TITLE,
    InterchangeError,
    JobDoc,
    SkillReq,
    parse_job,
)
from apps.jobs.models import Job, JobStatus, RequiredSkill


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


@extend_schema_field(interchange_field_schema(JOB.field("skills")))
class InterchangeSkillsField(serializers.ListField):
    """Required skills in the interchange format, validated by ``parse_job``."""

    def to_internal_value(self, data: Any) -> list[SkillReq]:
        try:
            return parse_job({"skills": data}).skills
        except InterchangeError as e:
            raise input_problem(e) from None


JobCreateSerializer = interchange_serializer(
    JOB,
    name="JobCreateSerializer",
    overrides={"skills": InterchangeSkillsField(help_text="at least one required skill")},
)


class JobPatchSerializer(serializers.Serializer):
    """Fields a PATCH may change; ``skills``, when given, replaces all required skills."""

    title = serializers.CharField(required=False, max_length=MAX_JOB_TITLE)
    description = serializers.CharField(required=False, allow_blank=True, max_length=MAX_DESCRIPTION)
    status = choice_field(JobStatus, component="JobStatus", required=False)
    skills = InterchangeSkillsField(required=False)

    def validate(self, attrs: dict) -> dict:
        if "id" in self.initial_data and self.initial_data["id"] != self.context.get("external_id"):
            raise serializers.ValidationError({"id": ["The external id of a job cannot be changed."]})
        return attrs


def job_doc_from_request(data: Any) -> JobDoc:
    """Validate a POSTed job with the interchange parser; a missing id gets a generated one."""
    if isinstance(data, dict) and data.get("id") in (None, ""):
        data = {**data, "id": f"job-{uuid.uuid4().hex[:12]}"}
    try:
        return parse_job(data)
    except InterchangeError as e:
        raise input_problem(e) from None
