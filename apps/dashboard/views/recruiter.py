"""Recruiter pages: jobs, match runs with live progress, the degree-blind shortlist, candidate detail,
decisions and CSV export. Every lookup goes through apps.dashboard.selectors, scoped to the
recruiter's organization (another organization's ids are a 404)."""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from urllib.parse import quote

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.audit import (
    CANDIDATE_REVEALED,
    CANDIDATE_VIEWED,
    SHORTLIST_EXPORTED,
    audit_record,
)
from apps.credentials.models import Credential
from apps.matching import shortlist_cache
from apps.matching.coverage import COVERED, MISSING, PARTIAL, explanation_statuses, names_with
from apps.matching.engine import MatchParams
from apps.matching.models import RunStatus
from apps.matching.pipeline_services import stages_ensure
from apps.matching.selectors import (
    job_latest_finished_run,
    latest_run,
    pool_issuers_and_reveals,
    ranks_attach,
    ranks_of,
    run_scores_count,
)
from apps.matching.services import (
    MatchError,
    candidate_blind_code,
    candidate_reveal,
    match_run_request,
)

from .. import selectors as sel
from ..forms import ShortlistFilterForm
from ..templatetags.evidence import credit_formula
from ..templatetags.pipeline import decision_stage
from ..templatetags.tsumiki import coverage_chips
from .access import recruiter_required
from .invitations import invitations_panel
from .pipeline import panel_context

log = logging.getLogger(__name__)
PAGE_SIZE = 50


def _safe_next(request: HttpRequest, fallback: str) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return fallback


def _candidate_url(job, candidate) -> str:
    return reverse("dashboard:candidate", kwargs={"job_id": job.id, "candidate_id": candidate.id})


def _org(request: HttpRequest, job):
    """The organization audit events are filed under: the recruiter's, else the job's."""
    return getattr(request, "organization", None) or job.organization


def _blind_label(job_id: int, candidate_id: int, code: str = "") -> str:
    """A candidate's label while blind: "Candidate K7QX-2MPA", the same for this job in every run, after
    every rescore and in the CSV (apps.matching.blind), never the rank. ``code``: the stored one."""
    code = code or candidate_blind_code(job_id=job_id, candidate_id=candidate_id)
    return _("Candidate %(code)s") % {"code": code}


@recruiter_required
@require_GET
def jobs_list(request: HttpRequest) -> HttpResponse:
    # a search longer than any title cannot match; cut it rather than send it to the database
    search = " ".join(request.GET.get("q", "").split())[:300]
    jobs = sel.jobs_with_latest_run(organization=request.organization, search=search)
    total = len(jobs) if not search else sel.org_jobs(organization=request.organization).count()
    return render(request, "dashboard/jobs_list.html", {"jobs": jobs, "search": search, "total": total})


@recruiter_required
@require_GET
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = sel.job_get(organization=request.organization, job_id=job_id)
    return job_detail_page(request, job)


def job_detail_page(request: HttpRequest, job, *, invite_form=None, status: int = 200) -> HttpResponse:
    """The job's page; ``invite_form`` is a refused invitation form to show with its errors."""
    return render(
        request,
        "dashboard/job_detail.html",
        {
            "job": job,
            "required": list(job.required_skills.all()),
            "runs": sel.job_recent_runs(job=job),
            "finished_run": latest_run(job=job, finished=True),
            **invitations_panel(request=request, job=job, form=invite_form),
        },
        status=status,
    )


@recruiter_required
@require_POST
def run_start(request: HttpRequest, job_id: int) -> HttpResponse:
    job = sel.job_get(organization=request.organization, job_id=job_id)
    try:
        started = match_run_request(job=job, actor=request.user)
    except MatchError as e:
        messages.error(request, str(e))
        return redirect("dashboard:job", job_id=job.id)
    except Exception:  # nothing was saved (e.g. the database went away): say so instead of a 500
        log.exception("match run for job %s could not be started", job.id)
        messages.error(request, _("The match could not be started. Please try again."))
        return redirect("dashboard:job", job_id=job.id)
    run, available = started.run, started.sent
    if not available:
        messages.warning(
            request,
            _(
                "The task queue is unavailable right now. Your match run is saved as queued and "
                "will start automatically when the queue is back."
            ),
        )
    return redirect("dashboard:run", job_id=job.id, run_id=run.id)


def _run_context(job, run) -> dict:
    return {
        "job": job,
        "run": run,
        "finished": sel.run_is_finished(run),
        "percent": round(100 * max(0.0, min(1.0, run.progress or 0.0))),
    }


@recruiter_required
@require_GET
def run_detail(request: HttpRequest, job_id: int, run_id: int) -> HttpResponse:
    job = sel.job_get(organization=request.organization, job_id=job_id)
    run = sel.run_get(job=job, run_id=run_id)
    return render(request, "dashboard/run.html", _run_context(job, run))


@recruiter_required
@require_GET
def run_progress(request: HttpRequest, job_id: int, run_id: int) -> HttpResponse:
    """The progress partial that the run page polls every second. Once the run has succeeded an htmx
    request is sent on to the shortlist; the partial without ``hx-trigger`` stops the polling."""
    job = sel.job_get(organization=request.organization, job_id=job_id)
    run = sel.run_get(job=job, run_id=run_id)
    response = render(request, "dashboard/_run_progress.html", _run_context(job, run))
    if request.htmx and run.status == RunStatus.SUCCEEDED:
        response["HX-Redirect"] = reverse("dashboard:shortlist", kwargs={"job_id": job.id})
    return response


def _filter_form(request: HttpRequest, required: list) -> ShortlistFilterForm:
    return ShortlistFilterForm(
        request.GET or None,
        skill_names=[r.name for r in required],
        issuers=sel.pool_issuers(organization=request.organization),
    )


@dataclass(frozen=True, slots=True)
class ShortlistRow:
    """One row of the shortlist page as its context lists it (the HTML is rendered by _shortlist_rows)."""

    candidate_id: int
    rank: int
    score: float
    must_have_met: bool
    verified_share: float
    decision: str | None  # the latest decision's value
    revealed: bool = False  # by this recruiter
    label: str = ""


@dataclass(frozen=True, slots=True)
class _Body:
    """The shortlist below its heading (dashboard/_shortlist_body.html: filters, legend, table, pagination)
    for one request path, blind: what the shortlist cache keeps. ``before``/``after`` surround the rows;
    each row is rendered as for a recruiter who revealed no one, with CSRF_SLOT where its token goes."""

    before: str
    after: str
    rows: tuple[tuple, ...]  # ShortlistRow's fields up to ``decision``, then the blind label
    rows_html: tuple[str, ...]
    count: int
    number: int


# Placeholders in cached HTML. Text from the database is escaped when rendered, so "<" never comes from
# data: these appear only where a template or this module put them.
CSRF_SLOT = "<!--tsumiki:csrf-->"
ROWS_SLOT = "<!--tsumiki:rows-->"


class _Reads:
    """What the shortlist page reads, each at most once and only when it is needed: a cached page needs
    neither the required skills nor the filter form."""

    def __init__(self, request: HttpRequest, job) -> None:
        self.request, self.job = request, job

    @cached_property
    def required(self) -> list:
        return list(self.job.required_skills.all())

    @cached_property
    def _issuers_and_revealed(self) -> tuple[list, set[int]]:
        return pool_issuers_and_reveals(
            organization_id=self.request.organization.pk, job_id=self.job.pk, user_id=self.request.user.pk
        )

    @property
    def issuers(self) -> list:
        return self._issuers_and_revealed[0]

    @property
    def revealed(self) -> set[int]:
        """Candidates this recruiter revealed for the job (a handful: each is a deliberate, logged act)."""
        return self._issuers_and_revealed[1]

    @cached_property
    def form(self) -> ShortlistFilterForm:
        return ShortlistFilterForm(
            self.request.GET or None, skill_names=[r.name for r in self.required], issuers=self.issuers
        )


def _shortlist_rows(
    job,
    required: list,
    scores: list,
    *,
    run_id: int,
    here: str,
    decisions: dict,
    revealed: set,
    degrees: dict,
    csrf_token: str,
) -> list[str]:
    """Each score's row (dashboard/_shortlist_row.html), with names and degrees only where revealed."""
    template = get_template("dashboard/_shortlist_row.html")
    # translated once per table, not once per row
    labels = {
        "t_must_missing": _("Must-have missing"),
        "t_score": _("Score"),
        "t_details": _("Details"),
        "t_reveal": _("Reveal"),
    }
    next_q = "next=" + quote(here, safe="/")  # as the template's |urlencode
    out = []
    for s in scores:
        is_revealed = s.candidate_id in revealed
        row = {
            "score": s,
            "candidate": s.candidate,
            "revealed": is_revealed,
            "label": (s.candidate.name or s.candidate.external_id)
            if is_revealed
            else _blind_label(job.id, s.candidate_id, s.blind_code),
            "degrees": degrees.get(s.candidate_id, []),
            "decision": decisions.get(s.candidate_id),
            "chips": coverage_chips(s.explanation, required),
            # built here, once per row, not by {% url %} tags (three per row)
            # the panel explains the row in the run it was ranked in, not a newer one
            # the run shown (a rescore run's unchanged rows are stored under its full run)
            "detail_url": f"{_candidate_url(job, s.candidate)}?run={run_id}&{next_q}",
            "reveal_url": reverse("dashboard:reveal", kwargs={"job_id": job.id, "candidate_id": s.candidate_id}),
            "reveal_next": f"{here}#c{s.candidate_id}",
        }
        out.append(template.render({"row": row, "csrf_token": csrf_token, **labels}))
    return out


def _order_context(reads: _Reads, run, *, count: int, filters: dict, issuer_id: int | None) -> dict:
    """What the order bar says (dashboard/_shortlist_order.html): how many candidates the filters leave
    of the run's pool, why the rows are in this order, and a link per other order (filters kept)."""
    form, request = reads.form, reads.request
    ordering = form.ordering()
    query = request.GET.copy()
    query.pop("page", None)
    query["run"] = str(run.id)  # another order of the same snapshot
    links = []
    for value, label in form.fields["sort"].choices:
        query["sort"] = value
        links.append(
            {"value": value, "label": label, "url": f"{request.path}?{query.urlencode()}", "current": value == ordering}
        )
    params = MatchParams.from_stored(run.parameters or {})
    # how many filters are set (for the count's wording and the phone's folded "Filters" summary);
    # must_have_met=False ("some must-have missing") is a filter, verified_only=False is not
    active = sum(
        (
            filters.get("min_score") is not None,
            filters.get("must_have_met") is not None,
            bool(filters.get("verified_only")),
            filters.get("has_skill") is not None,
            issuer_id is not None,
        )
    )
    return {
        "ordering": ordering,
        "must_first": params.must_have_first and any(r.must_have for r in reads.required),
        "count": count,
        "total": run.pool_size,
        "filtered": active > 0,
        "active_filters": active,
        "sort_links": links,
        "run": run,
    }


def _shortlist_body_build(reads: _Reads, run, *, here: str, filter_query: str) -> tuple[_Body, list]:
    """Query and render, blind, the part of the shortlist page below its heading for the request's filters,
    sort and page. Returns it with the page's scores (their candidates joined)."""
    job, form = reads.job, reads.form
    filters = form.selector_kwargs()
    issuer_id = form.issuer_id()
    scores_qs = sel.shortlist_scores(run=run, filters=filters, issuer_id=issuer_id, ordering=form.ordering())
    paginator = Paginator(scores_qs, PAGE_SIZE)
    # a cached_property; the run's stored pool size stands in for COUNT(*) when nothing is filtered
    paginator.count = (
        scores_qs.count() if issuer_id is not None else run_scores_count(run=run, scores=scores_qs, filters=filters)
    )
    page = paginator.get_page(reads.request.GET.get("page"))
    scores = list(ranks_attach(run=run, scores=list(page.object_list)))
    decisions = sel.latest_decisions(job=job, candidate_ids=[s.candidate_id for s in scores])
    rows_html = _shortlist_rows(
        job,
        reads.required,
        scores,
        run_id=run.id,
        here=here,
        decisions=decisions,
        revealed=set(),
        degrees={},
        csrf_token=mark_safe(CSRF_SLOT),  # noqa: S308 - a constant
    )
    html = render_to_string(
        "dashboard/_shortlist_body.html",
        {
            "job": job,
            "form": form,
            "page": page,
            "filter_query": filter_query,
            **_order_context(reads, run, count=paginator.count, filters=filters, issuer_id=issuer_id),
            "rows_slot": mark_safe(ROWS_SLOT) if scores else "",  # noqa: S308 - a constant
            # the bulk actions (a stage renamed or added bumps the organization's cached pages)
            "stages": stages_ensure(organization=job.organization),
            "here": here,
            "csrf_token": mark_safe(CSRF_SLOT),  # noqa: S308 - a constant; for any form the body may hold
        },
    )
    before, _slot, after = html.partition(ROWS_SLOT)
    rows = tuple(
        (
            s.candidate_id,
            s.rank,
            s.score,
            s.must_have_met,
            s.verified_share,
            d.decision if (d := decisions.get(s.candidate_id)) else None,
            _blind_label(job.id, s.candidate_id, s.blind_code),
        )
        for s in scores
    )
    body = _Body(
        before=before, after=after, rows=rows, rows_html=tuple(rows_html), count=paginator.count, number=page.number
    )
    return body, scores


def _shortlist_body(reads: _Reads, run, *, filter_query: str) -> dict:
    """The shortlist below its heading for the request, and the context that describes it.

    The blind part comes from the shortlist cache (apps.matching.shortlist_cache) when it can, keyed by the
    run, the job's and organization's versions, the job's last change, the language, the issuers offered
    by the filter and the full path (filters, sort, page). Filtering by issuer is never cached: who holds
    which issuer's credential changes with imports that nothing signals. Per recruiter, on every request:
    the rows this recruiter revealed are rendered again with names and degrees, and the CSRF token is
    filled in."""
    request, job = reads.request, reads.job
    here = request.get_full_path()
    slot, body = None, None
    if not request.GET.get("issuer"):
        parts = (
            get_language(),
            here,
            PAGE_SIZE,
            job.updated_at.timestamp() if job.updated_at else "",
            *((i.id, i.name) for i in reads.issuers),
        )
        slot, body = shortlist_cache.lookup("page", job=job, run=run, parts=parts)
    scores = None
    if body is None:
        body, scores = _shortlist_body_build(reads, run, here=here, filter_query=filter_query)
        shortlist_cache.store(slot, body)
    ids = [r[0] for r in body.rows]
    # this recruiter's reveals for the job, read with the issuers (not an IN over the page)
    revealed = reads.revealed.intersection(ids)
    token = get_token(request)
    rows_html = list(body.rows_html)
    names: dict[int, str] = {}
    if revealed:
        if scores is None:
            scores = list(run.rows().select_related("candidate").filter(candidate_id__in=revealed))
            ranks_attach(run=run, scores=scores)
        shown = [s for s in scores if s.candidate_id in revealed]
        live = _shortlist_rows(
            job,
            reads.required,
            shown,
            run_id=run.id,
            here=here,
            decisions=sel.latest_decisions(job=job, candidate_ids=revealed),
            revealed=revealed,
            degrees=sel.degrees_by_candidate(candidate_ids=revealed),
            csrf_token=token,
        )
        by_id = {s.candidate_id: h for s, h in zip(shown, live, strict=True)}
        rows_html = [by_id.get(cid, h) for cid, h in zip(ids, rows_html, strict=True)]
        names = {s.candidate_id: s.candidate.name or s.candidate.external_id for s in shown}
    rows = [ShortlistRow(*r[:6], revealed=r[0] in names, label=names.get(r[0]) or r[6]) for r in body.rows]
    paginator = Paginator((), PAGE_SIZE)
    paginator.count = body.count
    html = (body.before + "".join(rows_html) + body.after).replace(CSRF_SLOT, token)
    return {
        "body": mark_safe(html),  # noqa: S308 - rendered by our templates, data escaped there
        "rows": rows,
        "page": Page(rows, body.number, paginator),
        "csrf_token": token,  # the page's other forms carry the same token as the rows
    }


@recruiter_required
@require_GET
def shortlist(request: HttpRequest, job_id: int) -> HttpResponse:
    """A run's shortlist: the latest finished run, or the one ``?run=`` pins. Every link on the page
    (filters, orders, pages, details, export) carries the run shown, so its ranks never move while a
    recruiter works through it; a newer ranking (a rescore after new evidence, a new match) is
    announced with a link instead (dashboard/_newer_ranking.html)."""
    job, latest = job_latest_finished_run(organization_id=request.organization.pk, job_id=job_id)
    if job is None:
        job = sel.job_get(organization=request.organization, job_id=job_id)  # the 404
    run, replaced = _pinned_run(request, job, latest)
    reads = _Reads(request, job)
    query = request.GET.copy()
    query.pop("page", None)
    if run is not None:
        query["run"] = str(run.id)
    ctx = {
        "job": job,
        "run": run,
        "latest": latest,
        "replaced": replaced,
        "rows": [],
        "page": None,
        "filter_query": query.urlencode(),
        # read only if something looks at them: a cached page needs neither
        "required": SimpleLazyObject(lambda: reads.required),
        "form": SimpleLazyObject(lambda: reads.form),
    }
    if run is not None:
        if latest is not None and latest.id != run.id:
            newer = query.copy()
            newer["run"] = str(latest.id)
            ctx["newer_url"] = f"{request.path}?{newer.urlencode()}"
        ctx.update(_shortlist_body(reads, run, filter_query=ctx["filter_query"]))
    return render(request, "dashboard/shortlist.html", ctx)


def _pinned_run(request: HttpRequest, job, latest):
    """(the run to show, whether ``?run=`` named one that is gone). ``?run=`` is one of the job's finished
    runs; a run that is not (deleted, pruned, another job's, not a number) shows the latest instead."""
    raw = request.GET.get("run") or ""
    if not raw or latest is None or raw == str(latest.id):
        return latest, False
    run = sel.finished_run_get(job=job, run_id=raw)
    return (run, False) if run is not None else (latest, True)


@recruiter_required
@require_GET
def shortlist_newer(request: HttpRequest, job_id: int) -> HttpResponse:
    """Polled by the shortlist page (htmx): a notice with a link when the job has a finished run newer
    than ``?run=``, else the polling element again. One statement, as the page's own job read."""
    job, latest = job_latest_finished_run(organization_id=request.organization.pk, job_id=job_id)
    if job is None:
        job = sel.job_get(organization=request.organization, job_id=job_id)  # the 404
    shown = request.GET.get("run") or ""
    ctx = {"job": job, "run_id": shown, "latest": None}
    if latest is not None and shown and str(latest.id) != shown:
        ctx.update(
            latest=latest, newer_url=reverse("dashboard:shortlist", kwargs={"job_id": job.id}) + f"?run={latest.id}"
        )
    return render(request, "dashboard/_newer_ranking.html", ctx)


@recruiter_required
@require_GET
def shortlist_scarcity(request: HttpRequest, job_id: int) -> HttpResponse:
    """How scarce each required skill is in the latest finished run's pool. Loaded by the shortlist page
    after it has rendered (htmx), as a page of its own without JavaScript: it aggregates over every score
    of the run, which the shortlist page itself never does (it shows 50 rows and counts from pool_size)."""
    job = sel.job_get(organization=request.organization, job_id=job_id)
    run = latest_run(job=job, finished=True)
    required = list(job.required_skills.all())
    scarcity = sel.skill_scarcity(run=run, required=required) if run is not None else []
    template = "dashboard/_scarcity.html" if request.htmx else "dashboard/scarcity.html"
    return render(request, template, {"job": job, "run": run, "scarcity": scarcity})


def _csv_cell(value) -> str:
    """Neutralise spreadsheet formulas (CSV injection): candidate data is user-supplied."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@recruiter_required
@require_GET
def shortlist_csv(request: HttpRequest, job_id: int) -> HttpResponse:
    """The filtered shortlist as CSV, degree-blind like the page: names and degrees only for candidates
    the recruiter revealed."""
    job = sel.job_get(organization=request.organization, job_id=job_id)
    run, _replaced = _pinned_run(request, job, latest_run(job=job, finished=True))
    if run is None:
        messages.error(request, _("There is no finished match run to export yet."))
        return redirect("dashboard:job", job_id=job.id)
    required = list(job.required_skills.all())
    form = _filter_form(request, required)
    revealed = sel.revealed_ids(job=job, user=request.user)
    degrees = sel.degrees_by_candidate(candidate_ids=revealed)
    # the shortlist's "Export selected as CSV": only the ticked rows (dashboard/_bulk_actions.html)
    selected = [int(v) for v in request.GET.getlist("candidate") if v.isascii() and v.isdigit() and len(v) < 19]
    decisions = sel.latest_decisions(
        job=job, candidate_ids=selected or run.rows().values_list("candidate_id", flat=True)
    )
    # the bulk form's other fields (and its CSRF token) come along on that GET; they are not filters
    bulk_fields = {"csrfmiddlewaretoken", "candidate", "action", "stage", "reason", "next"}
    details = {"run_id": run.id, "filters": {k: v for k, v in request.GET.dict().items() if k not in bulk_fields}}
    if selected:
        details["candidate_ids"] = selected
    audit_record(
        organization=_org(request, job),
        actor=request.user,
        action=SHORTLIST_EXPORTED,
        obj=job,
        details=details,
    )
    stamp = timezone.now().strftime("%Y%m%d")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="shortlist-job{job.id}-run{run.id}-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "rank",
            "candidate",
            "candidate_id",
            "score",
            "must_have_met",
            "verified_share",
            "covered",
            "partial",
            "missing",
            "must_have_missing",
            "decision",
            "stage",
            "degrees",
            "credit_factors",
        ]
    )
    scores = sel.shortlist_scores(
        run=run, filters=form.selector_kwargs(), issuer_id=form.issuer_id(), ordering=form.ordering()
    )
    if selected:
        scores = scores.filter(candidate_id__in=selected)
    names = [r.name for r in required]
    # ranks in the whole run (a filtered export keeps each row's rank), counted once for the export
    ranks = ranks_of(run=run, candidate_ids=selected or None)
    for s in scores.iterator(2000):
        exp = s.explanation or {}
        # the shortlist's words for each credit (apps.matching.coverage), not "has any evidence"
        statuses = explanation_statuses(exp, names)
        is_revealed = s.candidate_id in revealed
        decision = decisions.get(s.candidate_id)
        writer.writerow(
            [
                _csv_cell(v)
                for v in (
                    ranks.get(s.candidate_id),
                    (s.candidate.name or s.candidate.external_id)
                    if is_revealed
                    else _blind_label(job.id, s.candidate_id, s.blind_code),
                    s.candidate_id,
                    f"{s.score:.2f}",
                    "yes" if s.must_have_met else "no",
                    f"{s.verified_share:.2f}",
                    "; ".join(names_with(statuses, COVERED)),
                    "; ".join(names_with(statuses, PARTIAL)),
                    "; ".join(names_with(statuses, MISSING)),
                    "; ".join(exp.get("must_have_missing", [])),
                    decision.decision if decision else "",
                    decision_stage(decision),
                    "; ".join(d.title for d in degrees.get(s.candidate_id, [])) if is_revealed else "",
                    # why each credit is below its match (the explained rows of a run carry factors)
                    "; ".join(f for f in map(credit_formula, exp.get("matches", [])) if f),
                )
            ]
        )
    return response


@recruiter_required
@require_GET
def candidate_detail(request: HttpRequest, job_id: int, candidate_id: int) -> HttpResponse:
    """The explanation skill by skill and the candidate's credentials. An htmx request (the shortlist's
    side panel) gets the panel alone; a plain request gets a full page."""
    job = sel.job_get(organization=request.organization, job_id=job_id)
    candidate = sel.candidate_get(organization=request.organization, candidate_id=candidate_id)
    # the run of the shortlist the panel was opened from (its link carries it), else the latest
    run, _replaced = _pinned_run(request, job, latest_run(job=job, finished=True))
    score = sel.candidate_score(run=run, candidate=candidate)
    revealed = candidate.id in sel.revealed_ids(job=job, user=request.user, candidate_ids=[candidate.id])
    required = list(job.required_skills.all())
    chips = coverage_chips(score.explanation if score else {}, required)
    cred_ids = [c["match"]["credential_id"] for c in chips if c["match"] and c["match"].get("credential_id")]
    creds = Credential.objects.select_related("issuer").in_bulk(cred_ids) if cred_ids else {}
    for c in chips:
        c["credential"] = creds.get(c["match"].get("credential_id")) if c["match"] else None
    ctx = {
        "job": job,
        "candidate": candidate,
        "score": score,
        "run": run,
        "revealed": revealed,
        "label": (candidate.name or candidate.external_id)
        if revealed
        else _blind_label(job.id, candidate.id, score.blind_code if score else ""),
        "chips": chips,
        "credentials": sel.candidate_credentials(candidate=candidate, include_degrees=revealed),
        **panel_context(request, job, candidate),  # pipeline stage, decision history, notes
        "next": _safe_next(request, _candidate_url(job, candidate)),
    }
    audit_record(
        organization=_org(request, job),
        actor=request.user,
        action=CANDIDATE_VIEWED,
        obj=candidate,
        details={"job_id": job.id, "revealed": revealed},
    )
    template = "dashboard/_candidate_panel.html" if request.htmx else "dashboard/candidate.html"
    return render(request, template, ctx)


@recruiter_required
@require_POST
def candidate_reveal_view(request: HttpRequest, job_id: int, candidate_id: int) -> HttpResponse:
    job = sel.job_get(organization=request.organization, job_id=job_id)
    candidate = sel.candidate_get(organization=request.organization, candidate_id=candidate_id)
    with transaction.atomic():  # a reveal is never without its audit event
        candidate_reveal(job=job, candidate=candidate, user=request.user)
        audit_record(
            organization=_org(request, job),
            actor=request.user,
            action=CANDIDATE_REVEALED,
            obj=candidate,
            details={"job_id": job.id},
        )
    messages.info(request, _("Identity revealed. This reveal has been logged."))
    return redirect(_safe_next(request, _candidate_url(job, candidate)))
