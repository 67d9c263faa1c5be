"""Adverse-impact report of a job over the API: JSON at ``/api/v1/jobs/{job_id}/adverse-impact/`` and
CSV at ``/api/v1/jobs/{job_id}/adverse-impact.csv``. Figures only: no candidate appears in either.
Routes: apps.fairness.api.urls."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from apps.accounts.audit import FAIRNESS_REPORT_EXPORTED, FAIRNESS_REPORT_VIEWED, audit_record
from apps.api.mixins import ApiViewMixin
from apps.api.schema import problems
from apps.fairness.services import JobFairness, fairness_csv, job_fairness
from apps.jobs.models import Job
from apps.matching.models import MatchRun


class GroupStatsSerializer(serializers.Serializer):
    group = serializers.CharField(help_text="the group, or groups joined by ' × ' for an intersection")
    count = serializers.IntegerField()
    share = serializers.FloatField(help_text="share of the scored pool")
    scored_above = serializers.IntegerField(help_text="members scoring above the pool's median")
    scoring_rate = serializers.FloatField()
    scoring_impact_ratio = serializers.FloatField(allow_null=True, help_text="vs the highest scoring rate")
    selected = serializers.IntegerField(help_text="members whose latest decision is shortlist or contact")
    selection_rate = serializers.FloatField()
    selection_impact_ratio = serializers.FloatField(allow_null=True, help_text="null until someone is selected")
    small = serializers.BooleanField(help_text="under 2% of the pool: reported, not compared")
    flags = serializers.ListField(child=serializers.CharField(), help_text="'scoring'/'selection' below 0.8")
    flagged = serializers.BooleanField()


class DimensionSerializer(serializers.Serializer):
    dimension = serializers.CharField(help_text="gender, age_band, ethnicity, or an intersection")
    groups = GroupStatsSerializer(many=True)
    small_groups = GroupStatsSerializer(many=True)
    no_data = serializers.IntegerField(help_text="pool members without consented data for this dimension")
    flagged = serializers.BooleanField()


class AdverseImpactSerializer(serializers.Serializer):
    job = serializers.IntegerField()
    run = serializers.IntegerField()
    since = serializers.DateTimeField(allow_null=True)
    until = serializers.DateTimeField(allow_null=True)
    pool_size = serializers.IntegerField()
    median_score = serializers.FloatField(allow_null=True)
    selected_total = serializers.IntegerField()
    with_data = serializers.IntegerField(help_text="pool members with any consented self-reported data")
    small_group_share = serializers.FloatField()
    flag_below = serializers.FloatField()
    flagged = serializers.BooleanField()
    dimensions = DimensionSerializer(many=True)


class PeriodSerializer(serializers.Serializer):
    since = serializers.DateTimeField(required=False, help_text="decisions (and runs) from this time")
    until = serializers.DateTimeField(required=False, help_text="decisions (and runs) before this time")


_JOB_ID = OpenApiParameter("job_id", int, OpenApiParameter.PATH, description="the job's id")


class _AdverseImpactBase(ApiViewMixin, generics.GenericAPIView):
    api_tag = "fairness"
    pagination_class = None

    def get_queryset(self):  # schema generation only; lookups go through _fairness()
        return MatchRun.objects.none()

    def _fairness(self, request, job_id: int) -> JobFairness:
        job = get_object_or_404(Job.objects.filter(organization=request.organization), pk=job_id)
        period = PeriodSerializer(data={k: v for k, v in request.query_params.items() if v.strip()})
        period.is_valid(raise_exception=True)
        fairness = job_fairness(job=job, **period.validated_data)
        if fairness.report is None:
            raise NotFound("This job has no finished match run (in this period) to report on.")
        return fairness


@extend_schema(parameters=[_JOB_ID, PeriodSerializer])
class AdverseImpactView(_AdverseImpactBase):
    serializer_class = AdverseImpactSerializer

    @extend_schema(
        summary="Adverse-impact report of a job",
        description="Scoring rate (share above the pool median) and selection rate per consented, self-reported "
        "group and intersection, impact ratios against the highest group, groups under 2% reported separately, "
        "the count with no data, and flags below 0.8. Aggregates only.",
        responses={200: AdverseImpactSerializer, **problems(400)},
    )
    def get(self, request, job_id: int):
        f = self._fairness(request, job_id)
        audit_record(
            organization=request.organization,
            actor=request.user,
            action=FAIRNESS_REPORT_VIEWED,
            obj=f.job,
            details={"run_id": f.run.pk, "format": "json"},
        )
        return Response(
            {
                "job": f.job.pk,
                "run": f.run.pk,
                "since": f.since,
                "until": f.until,
                **f.report.as_dict(),
            }
        )


@extend_schema(parameters=[_JOB_ID, PeriodSerializer])
class AdverseImpactCsvView(_AdverseImpactBase):
    serializer_class = AdverseImpactSerializer

    @extend_schema(
        summary="Adverse-impact report of a job (CSV)",
        description="The same figures as the JSON report, one row per group.",
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="text/csv"), **problems(400)},
    )
    def get(self, request, job_id: int):
        f = self._fairness(request, job_id)
        audit_record(
            organization=request.organization,
            actor=request.user,
            action=FAIRNESS_REPORT_EXPORTED,
            obj=f.job,
            details={"run_id": f.run.pk, "format": "csv"},
        )
        response = HttpResponse(fairness_csv(fairness=f), content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y%m%d")
        response["Content-Disposition"] = f'attachment; filename="adverse-impact-job{f.job.pk}-{stamp}.csv"'
        return response


fairness_urlpatterns = [
    path("jobs/<int:job_id>/adverse-impact/", AdverseImpactView.as_view(), name="job-adverse-impact"),
    path("jobs/<int:job_id>/adverse-impact.csv", AdverseImpactCsvView.as_view(), name="job-adverse-impact-csv"),
]
