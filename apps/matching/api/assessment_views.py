"""Employer assessments (scorecards) over the API: ``/api/v1/candidates/{id}/assessments/``.

A scorecard line is evidence of one skill at the engine's "assessment" strength scaled by its score
(docs/model-card.md); recording one rescores the candidate (apps.matching.services.assessment_record).
"""

from __future__ import annotations

import math

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from apps.api.errors import Problem
from apps.api.fields import StrictCharField, StrictChoiceField, StrictIntegerField
from apps.api.mixins import ApiViewMixin
from apps.api.parsers import JSONParser
from apps.api.schema import problems
from apps.candidates.models import Candidate
from apps.jobs.models import Job
from apps.matching.models import Assessment, AssessmentMethod
from apps.matching.selectors import candidate_assessments
from apps.matching.services import (
    ASSESSMENT_SCALES,
    AssessmentError,
    assessment_record_once,
    assessment_score_from_scale,
)

_CANDIDATE_ID = OpenApiParameter("candidate_id", int, OpenApiParameter.PATH, description="the candidate's id")
_JOB_FILTER = OpenApiParameter(
    "job",
    int,
    OpenApiParameter.QUERY,
    required=False,
    description="only the lines that count for this job (those recorded for it and those for every job)",
)


class StrictNumberField(serializers.FloatField):
    """A JSON number (not a string, not a boolean); the parser already refuses NaN and infinities."""

    default_error_messages = {"not_a_number": "Must be a number."}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float) or not math.isfinite(data):
            self.fail("not_a_number")
        return float(data)


class AssessmentSerializer(serializers.ModelSerializer):
    """One scorecard line as stored: ``score`` is 0..1 whatever scale it was given on."""

    method = StrictChoiceField(choices=AssessmentMethod.choices)
    date = serializers.DateField(source="assessed_on", allow_null=True)
    job = serializers.IntegerField(source="job_id", allow_null=True, help_text="null: counts for every job")
    candidate = serializers.IntegerField(source="candidate_id")
    recorded_by = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "candidate",
            "job",
            "skill",
            "method",
            "score",
            "assessor",
            "date",
            "origin",
            "recorded_by",
            "created_at",
        ]
        read_only_fields = fields

    def get_recorded_by(self, obj) -> str | None:
        return obj.recorded_by.get_username() if obj.recorded_by_id else None


class AssessmentInputSerializer(serializers.Serializer):
    """A scorecard line to record. ``score`` is read on ``scale``: ``0-1`` (the default) or a ``1-5``
    rating, which maps 1 to 0 and 5 to 1."""

    skill = StrictCharField(max_length=500, help_text="the skill assessed, e.g. one of the job's required skills")
    method = StrictChoiceField(choices=AssessmentMethod.choices)
    score = StrictNumberField(help_text="the result on `scale`")
    scale = StrictChoiceField(choices=[(s, s) for s in ASSESSMENT_SCALES], default="0-1", required=False)
    assessor = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    date = serializers.DateField(required=False, allow_null=True, default=None, help_text="YYYY-MM-DD")
    job = StrictIntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        help_text="the job whose score it enters; null or absent: every job of your organization",
    )

    def validate_date(self, value):
        # a JSON body carries dates as text; DRF's DateField would also take a number's str()
        if value is not None and not isinstance(self.initial_data.get("date"), str):
            raise serializers.ValidationError("Must be a date as text, YYYY-MM-DD.")
        return value

    def validate(self, data):
        try:
            data["unit_score"] = assessment_score_from_scale(data["score"], data.get("scale") or "0-1")
        except AssessmentError as e:
            raise serializers.ValidationError({"score": [str(e)]}) from None
        return data


class CandidateAssessmentsView(ApiViewMixin, generics.GenericAPIView):
    """A candidate's employer assessments: list them, or record one."""

    parser_classes = [JSONParser]
    serializer_class = AssessmentSerializer
    api_tag = "matching"

    def get_queryset(self):  # only used by schema generation; real lookups go through _candidate()
        return Assessment.objects.none()

    def _candidate(self, candidate_id: int) -> Candidate:
        """The candidate if they belong to the caller's organization; 404 otherwise (never 403)."""
        return get_object_or_404(Candidate.objects.filter(organization=self.request.organization), pk=candidate_id)

    def _job(self, job_id: int | None) -> Job | None:
        if job_id is None:
            return None
        job = Job.objects.filter(organization=self.request.organization, pk=job_id).first()
        if job is None:
            raise Problem("No job with that id in your organization.", errors={"job": ["not found"]})
        return job

    @extend_schema(
        summary="List a candidate's employer assessments",
        parameters=[_CANDIDATE_ID, _JOB_FILTER],
        responses=AssessmentSerializer(many=True),
    )
    def get(self, request, candidate_id: int):
        candidate = self._candidate(candidate_id)
        raw = request.query_params.get("job")
        job = None
        if raw not in (None, ""):
            if not raw.isdigit() or len(raw) > 18:
                raise Problem("job must be a job's id (a positive whole number).", errors={"job": ["invalid"]})
            job = self._job(int(raw))
        page = self.paginate_queryset(candidate_assessments(candidate=candidate, job=job))
        return self.get_paginated_response(AssessmentSerializer(page, many=True).data)

    @extend_schema(
        summary="Record an employer assessment",
        description="Records how the candidate did on one skill in a structured interview, a work sample or "
        "an exam. The line is evidence of that skill for `job` (or every job when `job` is null), at the "
        "employer-assessment strength scaled by the score, and the candidate is rescored in the latest "
        "finished run of each open job. Sending a line equal to one already recorded (same skill, method, "
        "score, assessor, date and job) records nothing and answers 200 with the stored line; an "
        "`Idempotency-Key` makes any retry safe.",
        parameters=[_CANDIDATE_ID],
        request=AssessmentInputSerializer,
        responses={
            201: OpenApiResponse(AssessmentSerializer, description="recorded"),
            200: OpenApiResponse(AssessmentSerializer, description="already recorded: nothing changed"),
            **problems(400),
        },
    )
    def post(self, request, candidate_id: int):
        candidate = self._candidate(candidate_id)
        inp = AssessmentInputSerializer(data=request.data)
        inp.is_valid(raise_exception=True)
        d = inp.validated_data
        job = self._job(d["job"])
        try:
            row, created = assessment_record_once(
                candidate=candidate,
                skill=d["skill"],
                method=d["method"],
                score=d["unit_score"],
                assessor=d["assessor"],
                assessed_on=d["date"],
                job=job,
                actor=request.user,
            )
        except AssessmentError as e:
            field = "skill" if "skill" in str(e) else "score" if "score" in str(e) else "method"
            raise Problem(str(e), errors={field: [str(e)]}) from None
        row = Assessment.objects.select_related("recorded_by").get(pk=row.pk)
        return Response(
            AssessmentSerializer(row).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )
