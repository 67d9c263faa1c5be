"""Match-run, shortlist and explanation serializers. Shortlists are degree-blind: a candidate is
identified by its database id and your external id, never by name."""

from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from apps.api.schema import choice_field
from apps.matching.coverage import PARTIAL, coverage_status, explanation_statuses, names_with
from apps.matching.models import MatchRun, MatchScore, RunKind, RunStatus


def _absolute(context: dict, name: str, *args) -> str:
    path = reverse(name, args=args)
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


class MatchRunStartedSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="poll this for status and progress")
    status = choice_field(RunStatus, component="RunStatus", read_only=True)

    class Meta:
        model = MatchRun
        fields = ["id", "url", "status", "progress"]

    def get_url(self, obj: MatchRun) -> str:
        return _absolute(self.context, "api:match-run-detail", obj.pk)


class MatchRunSerializer(MatchRunStartedSerializer):
    job = serializers.IntegerField(source="job_id", help_text="the job's id")
    parameters = serializers.JSONField(help_text="every number that shaped the scores (model, thresholds, as-of date)")
    shortlist_url = serializers.SerializerMethodField()
    kind = choice_field(RunKind, component="RunKind", read_only=True)
    based_on = serializers.IntegerField(
        source="based_on_id",
        allow_null=True,
        read_only=True,
        help_text="kind rescore: the finished run this one copied with new evidence (finished runs never change)",
    )

    class Meta:
        model = MatchRun
        fields = [
            "id",
            "url",
            "job",
            "status",
            "progress",
            "pool_size",
            "parameters",
            "model_name",
            "model_version",
            "error",
            "created_at",
            "started_at",
            "finished_at",
            "kind",
            "based_on",
            "shortlist_url",
        ]

    def get_shortlist_url(self, obj: MatchRun) -> str:
        return _absolute(self.context, "api:job-shortlist", obj.job_id)


class FactorsSerializer(serializers.Serializer):
    """Why a credit is what it is (docs/model-card.md, "The evidence model"): credit = match × strength ×
    volume × level × quality × freshness × assessment_score, plus corroboration from other evidence for
    the same skill. Every factor is in [0, 1]; one below 1 reduced the credit."""

    match = serializers.FloatField(help_text="calibrated similarity, with taxonomy concepts applied")
    strength = serializers.FloatField(help_text="the source's strength (verified, unverified, experience, ...)")
    volume = serializers.FloatField(help_text="learning hours / ECTS, or the length of an experience")
    level = serializers.FloatField(help_text="the evidence's level against the skill's minimum level")
    quality = serializers.FloatField(help_text="assessment type, quality assurance, endorsements")
    freshness = serializers.FloatField(help_text="age (experience: since it ended); 0 when expired or revoked")
    assessment_score = serializers.FloatField(help_text="an employer assessment's score; 1 for other evidence")
    corroboration = serializers.FloatField(help_text="what other evidence for the same skill added")


class EvidenceMatchSerializer(serializers.Serializer):
    """How one required skill was covered: the evidence used, where it came from, its credit and why."""

    required = serializers.CharField(help_text="the job's required skill")
    matched = serializers.CharField(help_text="the candidate's evidence phrase")
    source = serializers.CharField(help_text="credential title, or self-declared / experience")
    source_kind = serializers.CharField(
        required=False, help_text="verified, unverified, assessment, experience, degree or self"
    )
    credential_id = serializers.IntegerField(required=False, allow_null=True)
    issuer = serializers.CharField(required=False, allow_blank=True)
    issued = serializers.DateField(required=False, allow_null=True)
    similarity = serializers.FloatField()
    credit = serializers.FloatField(help_text="0..1: the product of the factors, plus corroboration")
    status = serializers.SerializerMethodField(
        help_text="covered (credit ≥ 0.5, apps.matching.coverage.COVERED_AT) or partial (some credit, below it)"
    )
    must_have = serializers.BooleanField(required=False)
    factors = FactorsSerializer(required=False, help_text="absent only in runs scored before factors existed")

    def get_status(self, obj: dict) -> str:
        return coverage_status(obj.get("credit"))


class _ScoreSerializer(serializers.ModelSerializer):
    candidate = serializers.IntegerField(source="candidate_id", help_text="the candidate's id")
    external_id = serializers.CharField(source="candidate.external_id", help_text="your id for the candidate")
    # counted from the run's order when the row is read (apps.matching.selectors.ranks_attach), not stored
    rank = serializers.IntegerField(read_only=True, help_text="position in the run, 1 = best")
    matches = EvidenceMatchSerializer(many=True, source="explanation.matches", default=list)
    missing = serializers.ListField(child=serializers.CharField(), source="explanation.missing", default=list)
    must_have_missing = serializers.ListField(
        child=serializers.CharField(), source="explanation.must_have_missing", default=list
    )
    partial = serializers.SerializerMethodField(
        help_text="required skills with some evidence but credit below the covered threshold (0.5)"
    )

    def get_partial(self, obj: MatchScore) -> list[str]:
        return names_with(explanation_statuses(obj.explanation), PARTIAL)


class ShortlistItemSerializer(_ScoreSerializer):
    explanation_url = serializers.SerializerMethodField()

    class Meta:
        model = MatchScore
        fields = [
            "candidate",
            "external_id",
            "rank",
            "score",
            "must_have_met",
            "verified_share",
            "matches",
            "partial",
            "missing",
            "must_have_missing",
            "explanation_url",
        ]

    def get_explanation_url(self, obj: MatchScore) -> str:
        # pinned to the run this score is from, so the explanation is the same snapshot as the row
        url = _absolute(self.context, "api:job-candidate-explanation", self.context["job_id"], obj.candidate_id)
        # the run read, which a rescore run's unchanged rows are not stored under (selectors.run_rows)
        return f"{url}?run={self.context.get('run_id', obj.run_id)}"


class ExplanationSerializer(_ScoreSerializer):
    run = MatchRunStartedSerializer(
        help_text="the run this score comes from (the job's latest finished run, or the one `?run=` pins)"
    )
    pool_size = serializers.IntegerField(source="run.pool_size")

    class Meta:
        model = MatchScore
        fields = [
            "run",
            "candidate",
            "external_id",
            "rank",
            "pool_size",
            "score",
            "must_have_met",
            "verified_share",
            "matches",
            "partial",
            "missing",
            "must_have_missing",
        ]


class RunQuerySerializer(serializers.Serializer):
    """``?run=``: pin one of the job's finished runs (a snapshot) instead of the latest."""

    run = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text="one of this job's finished runs (its id); absent: the latest finished run. A run of "
        "another job is a 400, an id that is not a run of your organization a 404.",
    )


class ShortlistQuerySerializer(RunQuerySerializer):
    """Filters of the shortlist (validated; a bad value is a 400, not an empty list) and the run pinned."""

    min_score = serializers.FloatField(required=False, min_value=0, max_value=100)
    must_have_met = serializers.BooleanField(
        required=False, allow_null=True, help_text="true: only candidates meeting every must-have"
    )
    verified_only = serializers.BooleanField(
        required=False, default=False, help_text="only scores fully backed by verified credentials"
    )
    has_skill = serializers.CharField(
        required=False, max_length=500, help_text="only candidates covering this required skill (its name)"
    )
