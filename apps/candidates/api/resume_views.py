"""CV import over the API: a CV file in, its draft out (docs/resume.md). Nothing is stored: a client
confirms what it keeps and sends it back as the candidate's skills and experience (the interchange
format). Routes are appended to apps.candidates.api.urls.

- ``POST /api/v1/candidates/{id}/resume/`` (multipart ``file``): the draft for a candidate of the
  caller's organization, 200; problem+json 400 when the file cannot be read as a CV (``errors`` says
  why), 413 over the size limit, 404 for a candidate of another organization.
- ``POST /api/v1/candidates/resumes/`` (multipart, ``file`` repeated up to 20 times): the drafts of
  several files, one result per file in order, each with its own ``errors`` (as ``parse_resume``).
- ``POST /api/v1/candidates/{id}/resume/jobs/`` (multipart ``file``): the same reading in the background,
  202 with a ``Location``; ``GET /api/v1/candidates/resume-jobs/{job}/`` answers its status and, once
  done, the draft. A job is private to the key (or person) that sent it and expires
  (TSUMIKI_RESUME_JOB_TTL_SECONDS); it stores the file until read, never anything on the candidate.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import ApiKey
from apps.api.errors import Problem
from apps.api.mixins import ApiViewMixin
from apps.api.permissions import HasOrganization
from apps.api.schema import problems
from apps.candidates.models import Candidate, ResumeParseJob, ResumeParseStatus
from apps.candidates.resume import Draft
from apps.candidates.selectors import resume_parse_job_get
from apps.candidates.services import RESUME_JOB_LOST, resume_parse, resume_parse_job_create, resume_parse_job_lost
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


class ResumeJobSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    url = serializers.CharField(help_text="poll this until status is done or failed")
    status = serializers.ChoiceField(
        choices=ResumeParseStatus.values, help_text="queued, running, then done (draft) or failed (errors)"
    )
    candidate = serializers.IntegerField(help_text="the candidate the CV was sent for")
    file = serializers.CharField()
    draft = ResumeDraftSerializer(allow_null=True, help_text="once done: what the synchronous endpoint answers")
    errors = serializers.ListField(
        child=serializers.CharField(), help_text="why it failed, or limits that cut the reading short"
    )
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(help_text="the job and its draft are deleted then")


def _limit() -> int:
    return int(getattr(settings, "CREDENTIALS_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))


def _within_limit(upload) -> bytes:
    """The file's bytes; a 413 problem over the upload limit, before anything reads it."""
    limit = _limit()
    if upload.size > limit:
        name = upload.name or "cv"
        raise Problem(f"{name} is {upload.size} bytes; the limit is {limit}.", status_code=413, field="file")
    return upload.read(limit + 1)


def _read(upload) -> dict:
    return resume_parse(data=_within_limit(upload), filename=upload.name or "cv", max_bytes=_limit()).as_dict()


def _the_file(request):
    """The request's one ``file`` part, while the skill model is loaded (a 400 or 503 problem else)."""
    upload = request.FILES.get("file")
    if upload is None:
        raise Problem("Send the CV as the multipart field 'file'.", field="file")
    if not warmup.model_ready():
        raise ModelLoading()
    return upload


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
        draft = _read(_the_file(request))
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


def _owner(request) -> dict:
    """Whose job it is: the API key that sent the request, else the signed-in person."""
    return {"api_key": request.auth} if isinstance(request.auth, ApiKey) else {"user": request.user}


def _job_data(request, job: ResumeParseJob) -> dict:
    lost = resume_parse_job_lost(job)
    done = job.status == ResumeParseStatus.DONE and job.draft is not None
    return {
        "id": str(job.pk),
        "url": request.build_absolute_uri(reverse("api:candidate-resume-job", args=[job.pk])),
        "status": ResumeParseStatus.FAILED if lost else job.status,
        "candidate": job.candidate_id,
        "file": job.filename,
        "draft": Draft.from_json(job.draft).as_dict() if done else None,
        "errors": [RESUME_JOB_LOST] if lost else list(job.errors),
        "created_at": job.created_at.isoformat(),
        "expires_at": job.expires_at.isoformat(),
    }


class CandidateResumeJobsView(ApiViewMixin, APIView):
    permission_classes = [HasOrganization]
    parser_classes = [MultiPartParser]
    api_tag = "candidates"

    @extend_schema(
        summary="Read a CV in the background for a candidate",
        description="The same reading as `POST /candidates/{id}/resume/`, without waiting for it: answers "
        "202 with the job and a `Location` to poll (`GET /candidates/resume-jobs/{job}/`) until `status` "
        "is `done` (the draft) or `failed` (`errors`). The job is visible only to the key that sent it "
        "and is deleted when it expires (`expires_at`).",
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="the candidate's id")],
        request=_FILE_BODY,
        responses={202: OpenApiResponse(ResumeJobSerializer, description="queued"), **problems(400, 404, 413, 503)},
    )
    def post(self, request, pk: int):
        candidate = get_object_or_404(Candidate.objects.filter(organization=request.organization), pk=pk)
        upload = _the_file(request)
        job = resume_parse_job_create(
            organization=request.organization,
            candidate=candidate,
            data=_within_limit(upload),
            filename=upload.name or "cv",
            **_owner(request),
        )
        data = _job_data(request, job)
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})


class ResumeJobView(ApiViewMixin, APIView):
    permission_classes = [HasOrganization]
    api_tag = "candidates"

    @extend_schema(
        summary="A background CV reading: its status, and the draft once done",
        description=__doc__,
        parameters=[OpenApiParameter("job_id", str, OpenApiParameter.PATH, description="the job's id (a UUID)")],
        responses={200: ResumeJobSerializer, **problems(404)},
    )
    def get(self, request, job_id: str):
        job = resume_parse_job_get(job_id=job_id, organization=request.organization, **_owner(request))
        if job is None:
            raise Problem("No such CV job (or it expired).", status_code=404)
        return Response(_job_data(request, job))


resume_urlpatterns = [
    path("candidates/<int:pk>/resume/", CandidateResumeView.as_view(), name="candidate-resume"),
    path("candidates/resumes/", ResumeBatchView.as_view(), name="candidate-resumes"),
    path("candidates/<int:pk>/resume/jobs/", CandidateResumeJobsView.as_view(), name="candidate-resume-jobs"),
    path("candidates/resume-jobs/<str:job_id>/", ResumeJobView.as_view(), name="candidate-resume-job"),
]
