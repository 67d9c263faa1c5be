"""CV import over the API: a CV file in, its draft out (docs/resume.md). Nothing is stored: a client
confirms what it keeps and sends it back as the candidate's skills and experience (the interchange
format). Routes are appended to apps.candidates.api.urls.

- ``POST /api/v1/candidates/{id}/resume/`` (multipart ``file``): the draft for a candidate of the
  caller's organization, 200; problem+json 400 when the file cannot be read as a CV (``errors`` says
  why), 413 over the size limit, 404 for a candidate of another organization.
- ``POST /api/v1/candidates/resumes/`` (multipart, ``file`` repeated up to 20 times): the drafts of
  several files, one result per file in order, each with its own ``errors`` (as ``parse_resume``).
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.api.errors import Problem
from apps.api.mixins import ApiViewMixin
from apps.api.permissions import HasOrganization
from apps.api.schema import problems
from apps.candidates.models import Candidate
from apps.candidates.services import resume_parse
from apps.skills import warmup
from apps.skills.api.views import ModelLoading

MAX_FILES = 20
SOURCES = ["skills", "experience", "summary", "education", "certifications"]
FORMATS = ["pdf", "docx", "txt", "json-resume", "ler-rs"]


class DraftSkillSerializer(serializers.Serializer):
    phrase = serializers.CharField(help_text="the words of the CV")
    uri = serializers.CharField(allow_null=True, help_text="the taxonomy concept, or null when none is sure")
    label = serializers.CharField(allow_null=True)
    source = serializers.ChoiceField(choices=SOURCES, help_text="the section it was found in")
    span = serializers.ListField(
        child=serializers.IntegerField(), allow_null=True, help_text="[start, end] in the text; null for JSON"
    )
    confidence = serializers.FloatField()


class DraftRoleSkillSerializer(DraftSkillSerializer):
    source = None


class DraftRoleSerializer(serializers.Serializer):
    title = serializers.CharField()
    organization = serializers.CharField(allow_blank=True)
    start = serializers.CharField(allow_null=True, help_text="YYYY-MM or YYYY")
    end = serializers.CharField(allow_null=True, help_text="YYYY-MM or YYYY; null while ongoing")
    skills = DraftRoleSkillSerializer(many=True)


class DraftEducationSerializer(serializers.Serializer):
    title = serializers.CharField(allow_blank=True)
    institution = serializers.CharField(allow_blank=True)
    start = serializers.CharField(allow_null=True)
    end = serializers.CharField(allow_null=True)


class DraftCredentialSerializer(serializers.Serializer):
    title = serializers.CharField()
    issuer = serializers.CharField(allow_null=True)
    issued = serializers.CharField(allow_null=True)
    url = serializers.CharField(allow_null=True)


class ResumeDraftSerializer(serializers.Serializer):
    file = serializers.CharField()
    format = serializers.ChoiceField(choices=FORMATS, allow_null=True)
    name = serializers.CharField(allow_null=True)
    email = serializers.CharField(allow_null=True)
    phone = serializers.CharField(allow_null=True)
    skills = DraftSkillSerializer(many=True)
    experience = DraftRoleSerializer(many=True)
    education = DraftEducationSerializer(many=True)
    credentials = DraftCredentialSerializer(many=True)
    errors = serializers.ListField(child=serializers.CharField())


class ResumeBatchSerializer(serializers.Serializer):
    results = ResumeDraftSerializer(many=True)


def _limit() -> int:
    return int(getattr(settings, "CREDENTIALS_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))


def _read(upload) -> dict:
    limit = _limit()
    name = upload.name or "cv"
    if upload.size > limit:
        raise Problem(f"{name} is {upload.size} bytes; the limit is {limit}.", status_code=413, field="file")
    return resume_parse(data=upload.read(limit + 1), filename=name, max_bytes=limit).as_dict()


_FILE_BODY = {
    "multipart/form-data": {
        "type": "object",
        "properties": {"file": {"type": "string", "format": "binary"}},
        "required": ["file"],
    }
}


class CandidateResumeView(ApiViewMixin, APIView):
    permission_classes = [HasOrganization]
    parser_classes = [MultiPartParser]
    api_tag = "candidates"

    @extend_schema(
        summary="Read a CV into a draft profile for a candidate",
        description=__doc__,
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="the candidate's id")],
        request=_FILE_BODY,
        responses={200: ResumeDraftSerializer, **problems(400, 404, 413, 503)},
    )
    def post(self, request, pk: int):
        get_object_or_404(Candidate.objects.filter(organization=request.organization), pk=pk)
        upload = request.FILES.get("file")
        if upload is None:
            raise Problem("Send the CV as the multipart field 'file'.", field="file")
        if not warmup.model_ready():
            raise ModelLoading()
        draft = _read(upload)
        if draft["format"] is None:
            raise Problem("The file cannot be read as a CV.", field="file", errors={"file": draft["errors"]})
        return Response(draft)


class ResumeBatchView(ApiViewMixin, APIView):
    permission_classes = [HasOrganization]
    parser_classes = [MultiPartParser]
    api_tag = "candidates"

    @extend_schema(
        summary="Read several CVs into draft profiles",
        description=__doc__,
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "array", "items": {"type": "string", "format": "binary"}}},
                "required": ["file"],
            }
        },
        responses={200: ResumeBatchSerializer, **problems(400, 413, 503)},
    )
    def post(self, request):
        uploads = request.FILES.getlist("file")
        if not uploads:
            raise Problem("Send the CVs as the multipart field 'file' (repeated).", field="file")
        if len(uploads) > MAX_FILES:
            raise Problem(f"At most {MAX_FILES} files per request.", field="file")
        if not warmup.model_ready():
            raise ModelLoading()
        return Response({"results": [_read(u) for u in uploads]})


resume_urlpatterns = [
    path("candidates/<int:pk>/resume/", CandidateResumeView.as_view(), name="candidate-resume"),
    path("candidates/resumes/", ResumeBatchView.as_view(), name="candidate-resumes"),
]
