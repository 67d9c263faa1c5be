"""Gap analysis, pathways and jobs within reach over the API.

- ``GET /api/v1/jobs/{job_id}/candidates/{candidate_id}/gap/``: per required skill covered (by which
  evidence), partial or missing, and the offerings that would cover it;
- ``GET /api/v1/jobs/{job_id}/candidates/{candidate_id}/pathway/``: the cheapest set of catalog offerings
  (learning hours) closing the gap, alternatives within ``tolerance``, the what-if score, and the
  qualifications those offerings stack towards;
- ``GET /api/v1/candidates/{candidate_id}/jobs-within-reach/``: open jobs one or two offerings away.

Computed on request from the current catalog (nothing stored). Routes: apps.pathways.api.urls.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from apps.api.mixins import ApiViewMixin
from apps.api.schema import problems
from apps.candidates.models import Candidate
from apps.jobs.models import Job, JobStatus
from apps.matching.models import MatchRun
from apps.pathways.gaps import GapReport
from apps.pathways.services import (
    held_offering_ids,
    jobs_within_reach,
    pathway_for_candidate,
    qualification_progress,
)

_JOB_ID = OpenApiParameter("job_id", int, OpenApiParameter.PATH, description="the job's id")
_CANDIDATE_ID = OpenApiParameter("candidate_id", int, OpenApiParameter.PATH, description="the candidate's id")


class SkillGapSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="the job's required skill")
    weight = serializers.FloatField()
    must_have = serializers.BooleanField()
    min_level = serializers.IntegerField(allow_null=True, help_text="minimum EQF level")
    coverage = serializers.FloatField(help_text="the candidate's credit now, 0-1")
    status = serializers.ChoiceField(
        ["covered", "partial", "missing"], help_text="covered: credit ≥ the must-have threshold (0.5)"
    )
    match = serializers.JSONField(allow_null=True, help_text="the evidence that gave the coverage")
    offerings = serializers.ListField(
        child=serializers.CharField(), help_text="catalog offering ids that would cover it (when not covered)"
    )


class GapSerializer(serializers.Serializer):
    skills = SkillGapSerializer(many=True)
    covered = serializers.ListField(child=serializers.CharField())
    partial = serializers.ListField(child=serializers.CharField(), help_text="some credit, below the threshold")
    missing = serializers.ListField(child=serializers.CharField(), help_text="not covered (partial included)")
    uncoverable = serializers.ListField(child=serializers.CharField(), help_text="missing, and no offering covers it")
    score_now = serializers.FloatField()
    must_have_met_now = serializers.BooleanField()


class StepSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="the offering's catalog id")
    title = serializers.CharField()
    provider = serializers.CharField()
    hours = serializers.IntegerField()
    eqf_level = serializers.IntegerField(allow_null=True)
    level = serializers.JSONField(allow_null=True)
    url = serializers.CharField()
    covers = serializers.ListField(child=serializers.CharField(), help_text="required skills it closes")


class PathwaySerializer(serializers.Serializer):
    offerings = StepSerializer(many=True)
    total_hours = serializers.IntegerField()
    score_after = serializers.FloatField(help_text="the score once these offerings are held, verified")
    must_have_met_after = serializers.BooleanField()


class StackingSerializer(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    awarding_body = serializers.CharField()
    level = serializers.JSONField(allow_null=True)
    unit = serializers.CharField(help_text="hours, credits or ects")
    required = serializers.FloatField()
    earned = serializers.FloatField(help_text="from offerings already held")
    planned = serializers.FloatField(help_text="from the pathway")
    remaining = serializers.FloatField()
    complete_after = serializers.BooleanField()
    held = serializers.ListField(child=serializers.CharField())
    in_pathway = serializers.ListField(child=serializers.CharField())
    mandatory_outstanding = serializers.ListField(child=serializers.CharField())


class PathwayReportSerializer(GapSerializer):
    pathway = PathwaySerializer()
    alternatives = PathwaySerializer(many=True, help_text="other pathways within the tolerance, cheapest first")
    method = serializers.CharField(help_text="exact, milp, greedy (bound says how close), none")
    bound = serializers.FloatField(help_text="total_hours ≤ bound × the optimum (1.0 when exact)")
    stacking = StackingSerializer(many=True)


class PathwayQuerySerializer(serializers.Serializer):
    tolerance = serializers.FloatField(
        required=False,
        default=0.10,
        min_value=0.0,
        max_value=1.0,
        help_text="alternatives within this share of the optimum's hours",
    )
    alternatives = serializers.IntegerField(required=False, default=3, min_value=0, max_value=10)


class ReachSerializer(serializers.Serializer):
    job = serializers.JSONField(help_text="id, external_id, title")
    offerings_away = serializers.IntegerField()
    score_now = serializers.FloatField()
    score_after = serializers.FloatField()
    missing = serializers.ListField(child=serializers.CharField())
    pathway = PathwaySerializer()


class ReachQuerySerializer(serializers.Serializer):
    max_offerings = serializers.IntegerField(required=False, default=2, min_value=1, max_value=3)
    include_ready = serializers.BooleanField(
        required=False, default=False, help_text="also list jobs already fully covered"
    )


def _query(serializer_class, request) -> dict:
    query = serializer_class(data={k: v for k, v in request.query_params.items() if v.strip()})
    query.is_valid(raise_exception=True)
    return query.validated_data


class _Base(ApiViewMixin, generics.GenericAPIView):
    api_tag = "pathways"
    pagination_class = None

    def get_queryset(self):  # schema generation only; lookups go through _job/_candidate
        return MatchRun.objects.none()

    def _job(self, job_id: int) -> Job:
        return get_object_or_404(Job.objects.filter(organization=self.request.organization), pk=job_id)

    def _candidate(self, candidate_id: int) -> Candidate:
        return get_object_or_404(Candidate.objects.filter(organization=self.request.organization), pk=candidate_id)

    def _report(self, job_id: int, candidate_id: int, **kw) -> tuple[Candidate, GapReport]:
        job, candidate = self._job(job_id), self._candidate(candidate_id)
        report = pathway_for_candidate(job=job, candidate=candidate, **kw)
        if report is None:
            raise NotFound(
                "No gap analysis: the candidate has not consented to matching, or the job lists no required skills."
            )
        return candidate, report


def _gap_dict(report: GapReport) -> dict:
    d = report.as_dict()
    return {k: d[k] for k in GapSerializer().fields}


@extend_schema(parameters=[_JOB_ID, _CANDIDATE_ID])
class GapView(_Base):
    serializer_class = GapSerializer

    @extend_schema(
        summary="A candidate's skill gap for a job",
        description="Per required skill: covered (credit ≥ 0.5, with the evidence), partial or missing, "
        "and which catalog offerings would cover it.",
        responses=GapSerializer,
    )
    def get(self, request, job_id: int, candidate_id: int):
        _, report = self._report(job_id, candidate_id, alternatives=0)
        return Response(_gap_dict(report))


@extend_schema(parameters=[_JOB_ID, _CANDIDATE_ID, PathwayQuerySerializer])
class PathwayView(_Base):
    serializer_class = PathwayReportSerializer

    @extend_schema(
        summary="The cheapest pathway closing a candidate's gap",
        description="The set of catalog offerings with the fewest learning hours that covers every "
        "coverable missing skill (respecting minimum levels), alternatives within the tolerance, the "
        "what-if score, and the qualifications the offerings stack towards.",
        responses={200: PathwayReportSerializer, **problems(400)},
    )
    def get(self, request, job_id: int, candidate_id: int):
        q = _query(PathwayQuerySerializer, request)
        candidate, report = self._report(job_id, candidate_id, tolerance=q["tolerance"], alternatives=q["alternatives"])
        stacking = qualification_progress(
            offering_ids=[s.offering.key for s in report.pathway.steps], held=held_offering_ids(candidate=candidate)
        )
        return Response({**report.as_dict(), "stacking": [p.as_dict() for p in stacking]})


@extend_schema(parameters=[_CANDIDATE_ID, ReachQuerySerializer])
class JobsWithinReachView(_Base):
    serializer_class = ReachSerializer

    @extend_schema(
        summary="Jobs within reach of a candidate",
        description="Open jobs whose every missing skill the candidate can close with at most "
        "`max_offerings` catalog offerings, fewest offerings then fewest hours first.",
        responses={200: ReachSerializer(many=True), **problems(400)},
    )
    def get(self, request, candidate_id: int):
        q = _query(ReachQuerySerializer, request)
        candidate = self._candidate(candidate_id)
        reach = jobs_within_reach(
            candidate=candidate, jobs=Job.objects.filter(organization=request.organization, status=JobStatus.OPEN), **q
        )
        return Response([r.as_dict() for r in reach])


pathway_urlpatterns = [
    path("jobs/<int:job_id>/candidates/<int:candidate_id>/gap/", GapView.as_view(), name="job-candidate-gap"),
    path(
        "jobs/<int:job_id>/candidates/<int:candidate_id>/pathway/", PathwayView.as_view(), name="job-candidate-pathway"
    ),
    path(
        "candidates/<int:candidate_id>/jobs-within-reach/",
        JobsWithinReachView.as_view(),
        name="candidate-jobs-within-reach",
    ),
]
