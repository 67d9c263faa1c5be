"""GET /api/v1/pool-search/: the talent-pool search of the dashboard (apps.matching.pool_services) over the
API. A read (the ``read`` scope): nothing is stored. Degree-blind like the shortlist endpoint: candidates
come by id, external id and the pool pseudonym, never by name."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from apps.api.errors import Problem
from apps.api.mixins import ApiViewMixin
from apps.api.schema import problems
from apps.candidates.models import Candidate
from apps.skills import warmup

from ..pool_search import MAX_SKILLS, PoolQuery
from ..pool_services import PoolSearchError, SkillModelLoading, pool_label, pool_search_run
from .serializers import EvidenceMatchSerializer


class PoolSearchQuerySerializer(serializers.Serializer):
    skill = serializers.ListField(
        child=serializers.CharField(max_length=200),
        min_length=1,
        max_length=MAX_SKILLS,
        help_text="a skill to search for; repeat the parameter for several (?skill=SQL&skill=Python)",
    )
    mode = serializers.ChoiceField(["all", "any"], default="all", help_text="all of the skills, or any of them")
    verified_only = serializers.BooleanField(default=False, help_text="count only verified, unexpired credentials")
    min_level = serializers.IntegerField(
        min_value=1, max_value=8, required=False, help_text="count only evidence at this EQF level or above"
    )
    within_years = serializers.IntegerField(
        min_value=1, max_value=50, required=False, help_text="count only evidence issued within this many years"
    )
    limit = serializers.IntegerField(min_value=1, max_value=500, default=50, help_text="how many hits to return")


class PoolHitSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    candidate = serializers.IntegerField(help_text="the candidate's id")
    external_id = serializers.CharField()
    label = serializers.CharField(help_text="stable pseudonym, the same in every search")
    score = serializers.FloatField(help_text="0..100, every searched skill weighted equally")
    covered = serializers.ListField(child=serializers.CharField(), help_text="searched skills covered (credit ≥ 0.5)")
    missing = serializers.ListField(child=serializers.CharField(), help_text="searched skills with no evidence")
    matches = EvidenceMatchSerializer(many=True)


class PoolSearchResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="candidates that satisfy the search (all of them, not just this page)")
    pool_size = serializers.IntegerField(help_text="consenting candidates in the organization")
    query = serializers.DictField()
    results = PoolHitSerializer(many=True)


class PoolSearchView(ApiViewMixin, generics.GenericAPIView):
    """Candidates of the organization ranked for skills, without a job (see docs/api.md)."""

    serializer_class = PoolSearchResponseSerializer
    api_tag = "pool-search"

    @extend_schema(
        summary="Search the talent pool by skills",
        description="Ranks the organization's consenting candidates for the given skills as a shortlist would, "
        "without creating a job. Conditions (verified only, minimum EQF level, issued within N years) narrow the "
        "evidence that counts. Degree-blind. 503 with Retry-After while the skill model loads for a new phrase.",
        parameters=[PoolSearchQuerySerializer],
        responses={200: PoolSearchResponseSerializer, **problems(400, 503)},
    )
    def get(self, request, *args, **kwargs):
        data = {k: v for k, v in request.query_params.items() if k != "skill" and v.strip()}
        data["skill"] = [s for s in request.query_params.getlist("skill") if s.strip()]
        params = PoolSearchQuerySerializer(data=data)
        params.is_valid(raise_exception=True)
        p = params.validated_data
        query = PoolQuery(
            skills=tuple(p["skill"]),
            mode=p["mode"],
            verified_only=p["verified_only"],
            min_level=p.get("min_level"),
            within_years=p.get("within_years"),
        )
        try:
            result = pool_search_run(organization_id=request.organization.pk, query=query, explain_top=p["limit"])
        except SkillModelLoading as e:
            problem = Problem(str(e), status_code=503, warm_start=warmup.readiness())
            problem.wait = warmup.retry_after_seconds()
            raise problem from e
        except PoolSearchError as e:
            raise Problem(str(e), errors={"skill": [str(e)]}) from e
        hits = result.hits[: p["limit"]]
        external = dict(
            Candidate.objects.filter(id__in=[h.candidate_id for h in hits]).values_list("id", "external_id")
        )
        body = {
            "count": len(result.hits),
            "pool_size": result.pool_size,
            "query": result.query.as_dict(),
            "results": [
                {
                    "rank": h.rank,
                    "candidate": h.candidate_id,
                    "external_id": external.get(h.candidate_id, ""),
                    "label": pool_label(h.candidate_id),
                    "score": h.result.score,
                    "covered": h.covered,
                    "missing": h.result.missing,
                    "matches": h.result.matches,
                }
                for h in hits
            ],
        }
        return Response(PoolSearchResponseSerializer(body).data)
