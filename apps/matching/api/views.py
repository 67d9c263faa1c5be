"""Match runs, shortlists and explanations over the API.

Starting a run returns 202 at once; the run executes in a Celery worker (in-process when no broker
is configured) and clients poll ``/api/v1/match-runs/{id}/``.
"""

from __future__ import annotations

import logging
import math

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from apps.accounts.audit import CANDIDATE_VIEWED, audit_record
from apps.api.broker import BrokerUnavailable
from apps.api.conditional import conditional_get, etag_for
from apps.api.errors import Problem
from apps.api.mixins import ApiViewMixin, OrganizationScopedMixin
from apps.api.pagination import StrictPageSize
from apps.api.parsers import JSONParser
from apps.api.schema import problems
from apps.candidates.models import Candidate
from apps.jobs.models import Job
from apps.matching import shortlist_cache
from apps.matching.models import MatchRun, MatchScore, RunStatus
from apps.matching.selectors import (
    RankKey,
    after_key,
    job_latest_finished_run,
    latest_run,
    rank_key,
    ranks_attach,
    run_order,
    run_rows,
    run_scores,
    run_scores_count,
)
from apps.matching.services import MatchError, match_run_request

from .serializers import (
    ExplanationSerializer,
    MatchRunSerializer,
    MatchRunStartedSerializer,
    RunQuerySerializer,
    ShortlistItemSerializer,
    ShortlistQuerySerializer,
)

log = logging.getLogger(__name__)

_JOB_ID = OpenApiParameter("job_id", int, OpenApiParameter.PATH, description="the job's id")
_CANDIDATE_ID = OpenApiParameter("candidate_id", int, OpenApiParameter.PATH, description="the candidate's id")


def _job(request, job_id: int) -> Job:
    """The job if it belongs to the caller's organization; 404 otherwise (never 403)."""
    return get_object_or_404(Job.objects.filter(organization=request.organization), pk=job_id)


def _finished_run(job: Job) -> MatchRun:
    run = latest_run(job=job, finished=True)
    if run is None:
        raise NotFound(
            f"This job has no finished match run yet; start one with POST /api/v1/jobs/{job.pk}/match-runs/."
        )
    return run


def _run_or_latest(request, job: Job, run_id: int | None, latest: MatchRun | None = None) -> MatchRun:
    """The run ``?run=`` pins (``run_id``), else the job's latest finished run. A run is a snapshot: a
    client walking a shortlist, or reading the explanations of its rows, pins the run it started on
    and sees the same ranks while newer runs finish. An id that is not a run of the caller's
    organization is a 404 (never saying whose it is); another job's run, or one that has not
    finished, is a 400 naming the ``run`` parameter."""
    if run_id is None:
        return latest if latest is not None else _finished_run(job)
    if latest is not None and latest.pk == run_id:
        return latest
    run = MatchRun.objects.filter(pk=run_id, job__organization=request.organization).first()
    if run is None:
        raise NotFound(f"There is no match run {run_id} in your organization.")
    if run.job_id != job.pk:
        message = f"Match run {run_id} belongs to another job ({run.job_id}), not job {job.pk}."
        raise Problem(message, errors={"run": [message]})
    if run.status != RunStatus.SUCCEEDED:
        message = f"Match run {run_id} has not finished (status: {run.status}); pin a finished run."
        raise Problem(message, errors={"run": [message]})
    run.job = job
    return run


class _JobScopedView(ApiViewMixin, generics.GenericAPIView):
    parser_classes = [JSONParser]
    api_tag = "matching"

    def get_queryset(self):  # only used by schema generation; real lookups go through _job()
        return MatchRun.objects.none()


@extend_schema(parameters=[_JOB_ID])
class JobMatchRunsView(_JobScopedView):
    """A job's match runs: list them, or start a new one."""

    serializer_class = MatchRunSerializer

    @extend_schema(summary="List a job's match runs", responses=MatchRunSerializer(many=True))
    def get(self, request, job_id: int):
        job = _job(request, job_id)
        page = self.paginate_queryset(job.match_runs.order_by("-created_at", "-id"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Start a match run",
        description="Scores the job against your whole candidate pool in the background. Returns 202 with a "
        "`Location` header; poll it until `status` is `succeeded` or `failed`.",
        request=None,
        responses={
            202: OpenApiResponse(MatchRunStartedSerializer, description="queued"),
            **problems(400, 503),
        },
    )
    def post(self, request, job_id: int):
        job = _job(request, job_id)
        try:
            started = match_run_request(job=job, actor=request.user)
        except MatchError as e:
            raise Problem(str(e), errors={"skills": [str(e)]}) from None
        run, available = started.run, started.sent
        if started.dispatch_failed and run.status == RunStatus.QUEUED:
            raise Problem(
                "The match run could not be queued; try again shortly.",
                status_code=status.HTTP_503_SERVICE_UNAVAILABLE,
            )
        data = MatchRunStartedSerializer(run, context={"request": request}).data
        if not available:  # the run row is committed (the atomic block above closed): it stays queued
            raise BrokerUnavailable(run_id=run.pk, run_url=data["url"])
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})


class ShortlistPagination(StrictPageSize, CursorPagination):
    """Cursor pages of scores, best first (the run's rank), plus ``count`` and the run they come from.

    Cursors rather than page numbers: an HR system walking a long shortlist never skips or repeats a
    candidate, and deep pages cost the same as the first. A cursor holds the key of the row it follows
    (must-haves met, score, candidate id: apps.matching.selectors.rank_key), and a page is the rows after
    it in the run's order index (no OFFSET); each row's rank is counted from that index for the page."""

    ordering = "rank"  # what the schema says; pages follow apps.matching.selectors.run_order

    def _key(self, cursor) -> RankKey | None:
        if cursor is None:
            return None
        try:
            met, score, cand = (cursor.position or "").split(":")
            key = (met == "1", float(score), int(cand))
        except ValueError:
            raise NotFound(self.invalid_cursor_message) from None
        if met not in ("0", "1") or not math.isfinite(key[1]):
            raise NotFound(self.invalid_cursor_message)
        return key

    @staticmethod
    def _position(score: MatchScore) -> str:
        met, value, cand = rank_key(score)
        return f"{int(met)}:{value!r}:{cand}"

    def paginate_queryset(self, queryset, request, view=None):
        # The view may know the count already (ShortlistView: the run's pool_size when unfiltered).
        known = getattr(view, "score_count", None)
        self.count = queryset.count() if known is None else known
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        run = view.score_run
        cursor = self.decode_cursor(request)
        key = self._key(cursor)
        reverse = bool(cursor and cursor.reverse)
        qs = queryset if key is None else queryset.filter(after_key(run, key, before=reverse))
        rows = list(qs.order_by(*run_order(run, reverse=reverse))[: self.page_size + 1])
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if reverse:
            rows.reverse()
        self.has_next = more if not reverse else True
        self.has_previous = key is not None if not reverse else more
        self.page = rows
        return list(ranks_attach(run=run, scores=rows))

    def get_next_link(self):
        if not self.has_next or not self.page:
            return None
        return self.encode_cursor(Cursor(offset=0, reverse=False, position=self._position(self.page[-1])))

    def get_previous_link(self):
        if not self.has_previous or not self.page:
            return None
        return self.encode_cursor(Cursor(offset=0, reverse=True, position=self._position(self.page[0])))

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data = {"count": self.count, **response.data}
        return response

    def get_paginated_response_schema(self, schema: dict) -> dict:
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"] = {
            "count": {"type": "integer", "example": 123, "description": "scores matching the filters"},
            **paginated["properties"],
            "run": {"$ref": "#/components/schemas/MatchRunStarted"},
        }
        paginated["required"] = ["count", "results", "run"]
        return paginated


@extend_schema_view(
    list=extend_schema(summary="List match runs", description="Your organization's runs, newest first."),
    retrieve=extend_schema(summary="Get a match run", description="Status, progress and the run's parameters."),
)
class MatchRunViewSet(
    OrganizationScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = MatchRunSerializer
    filterset_fields = ["job", "status"]
    api_tag = "matching"
    lookup_value_regex = r"\d+"

    def base_queryset(self):
        return MatchRun.objects.order_by("-created_at", "-id")


class _CachedShortlistPage(HttpResponse):
    """A serialized shortlist page from the shortlist cache (or just stored in it), with its ETag."""

    def __init__(self, body: bytes, *, etag: str, content_type: str) -> None:
        super().__init__(body, content_type=content_type)
        self.etag = etag


@extend_schema(parameters=[_JOB_ID])
class ShortlistView(_JobScopedView):
    serializer_class = ShortlistItemSerializer
    pagination_class = ShortlistPagination

    @extend_schema(
        summary="Shortlist of a job",
        description="The latest finished run's scores, best first, with per-skill explanations; `run` pins "
        "one of the job's finished runs instead (a snapshot: its ranks never change). Degree-blind: "
        "candidates are identified by id and external_id, never by name. 404 until a run finished.",
        parameters=[ShortlistQuerySerializer],
        responses={200: ShortlistItemSerializer(many=True), **problems(400, 404)},
    )
    def get(self, request, job_id: int):
        job, run = job_latest_finished_run(organization_id=request.organization.pk, job_id=job_id)
        if job is None:
            job = _job(request, job_id)  # the 404
        # A plain dict: on a QueryDict DRF reads a missing boolean as false (HTML checkbox rules).
        # Empty values (an unfilled form field) mean "no filter".
        params = {k: v for k, v in request.query_params.items() if v.strip()}
        query = ShortlistQuerySerializer(data=params)
        query.is_valid(raise_exception=True)
        filters = dict(query.validated_data)
        run = _run_or_latest(request, job, filters.pop("run", None), run)
        # The serialized page is cached (apps.matching.shortlist_cache) per run, versions and absolute URL
        # (host and scheme are in its links; the query holds filters, cursor and page size), as plain JSON.
        slot, cached = None, None
        if request.accepted_media_type == JSONRenderer.media_type and isinstance(
            request.accepted_renderer, JSONRenderer
        ):
            slot, cached = shortlist_cache.lookup("api", job=job, run=run, parts=(request.build_absolute_uri(),))
        if cached is None:
            response = self._page(request, job, run, filters)
            if slot is None:
                return response
            body = request.accepted_renderer.render(
                response.data, request.accepted_media_type, self.get_renderer_context()
            )
            cached = (bytes(body), etag_for(response.data))
            shortlist_cache.store(slot, cached)
        body, etag = cached
        return _CachedShortlistPage(body, etag=etag, content_type=request.accepted_media_type)

    def _page(self, request, job: Job, run: MatchRun, filters: dict) -> Response:
        scores = run_scores(run=run, **filters)
        self.score_count = run_scores_count(run=run, scores=scores, filters=filters)
        self.score_run = run
        page = self.paginate_queryset(scores)
        context = {"request": request, "job_id": job.pk, "run_id": run.pk}
        data = ShortlistItemSerializer(page, many=True, context=context).data
        response = self.get_paginated_response(data)
        response.data["run"] = MatchRunStartedSerializer(run, context={"request": request}).data
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(response, _CachedShortlistPage):
            # what apps.api.conditional.ConditionalMixin does for a Response, with the stored ETag
            return conditional_get(request, response, response.etag)
        return response


@extend_schema(parameters=[_JOB_ID, _CANDIDATE_ID])
class ExplanationView(_JobScopedView):
    serializer_class = ExplanationSerializer
    pagination_class = None

    @extend_schema(
        summary="A candidate's explained score",
        description="The candidate's score in the job's latest finished run (or the one `run` pins: a "
        "shortlist row's `explanation_url` pins its run): every required skill with the evidence that "
        "covered it (credential, issuer, similarity, credit) and what is missing.",
        parameters=[RunQuerySerializer],
        responses={200: ExplanationSerializer, **problems(400, 404)},
    )
    def get(self, request, job_id: int, candidate_id: int):
        job = _job(request, job_id)
        candidate = get_object_or_404(Candidate.objects.filter(organization=request.organization), pk=candidate_id)
        query = RunQuerySerializer(data={k: v for k, v in request.query_params.items() if v.strip()})
        query.is_valid(raise_exception=True)
        pinned = query.validated_data.get("run")
        run = _run_or_latest(request, job, pinned)
        score = run_rows(run).select_related("candidate").filter(candidate=candidate).first()
        if score is not None:
            score.run = run  # the run read (a rescore run's unchanged rows are stored under its full run)
            ranks_attach(run=run, scores=[score])
        if score is None:
            which = f"match run {run.pk}" if pinned else "the job's latest finished run"
            raise NotFound(f"This candidate was not part of {which} (added later, or without consent to matching).")
        audit_record(
            organization=request.organization,
            actor=request.user,
            action=CANDIDATE_VIEWED,
            obj=candidate,
            details={"job_id": job.pk, "run_id": run.pk},
        )
        return Response(ExplanationSerializer(score, context={"request": request}).data)
