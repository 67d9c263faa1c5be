"""Jobs over the API: list, create, retrieve, PATCH, delete. Writes go through apps.jobs.services."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from apps.api.errors import Conflict
from apps.api.mixins import OrganizationScopedMixin
from apps.api.schema import problems
from apps.jobs.models import Job
from apps.jobs.services import job_create, job_set_skills, job_update

from .serializers import JobCreateSerializer, JobPatchSerializer, JobSerializer, job_doc_from_request


@extend_schema_view(
    list=extend_schema(
        summary="List jobs", description="Your organization's jobs, filterable by status and external_id."
    ),
    retrieve=extend_schema(summary="Get a job"),
    destroy=extend_schema(summary="Delete a job", description="Deletes the job with its match runs and scores."),
)
class JobViewSet(
    OrganizationScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = JobSerializer
    filterset_fields = ["status", "external_id"]
    lookup_value_regex = r"\d+"

    def base_queryset(self):
        return Job.objects.prefetch_related("required_skills__skill").order_by("title", "id")

    @extend_schema(
        summary="Create a job",
        description='A job in the interchange format: `{"id", "title", "description", '
        '"skills": [{"name", "uri", '
        '"weight", "required", "min_level"}]}`. Unknown keys are ignored.',
        request=JobCreateSerializer,
        responses={201: JobSerializer, **problems(400, 409)},
    )
    def create(self, request, *args, **kwargs):
        doc = job_doc_from_request(request.data)
        if Job.objects.filter(organization=request.organization, external_id=doc.id).exists():
            raise Conflict(f"A job with id {doc.id!r} already exists.", errors={"id": ["already exists"]})
        try:
            job = job_create(organization=request.organization, doc=doc, created_by=_user(request))
        except IntegrityError:  # a concurrent create with the same id won the race
            raise Conflict(f"A job with id {doc.id!r} already exists.", errors={"id": ["already exists"]}) from None
        job = self.get_queryset().get(pk=job.pk)
        return Response(self.get_serializer(job).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Update a job",
        description="Change title, description or status; `skills`, when present, replaces every required skill.",
        request=JobPatchSerializer,
        responses={200: JobSerializer, **problems(400)},
    )
    def partial_update(self, request, *args, **kwargs):
        job = self.get_object()
        patch = JobPatchSerializer(data=request.data, context={"external_id": job.external_id})
        patch.is_valid(raise_exception=True)
        data = patch.validated_data
        with transaction.atomic():
            if "skills" in data:
                job_set_skills(job=job, skills=data["skills"])
            job_update(
                job=job,
                title=data.get("title"),
                description=data.get("description"),
                status=data.get("status"),
            )
        return Response(self.get_serializer(self.get_queryset().get(pk=job.pk)).data)


def _user(request):
    """The logged-in person, or None for an API key (keys are not users)."""
    user = request.user
    return user if getattr(user, "pk", None) else None
