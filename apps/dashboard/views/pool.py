"""Recruiter pages: talent-pool search across the organization's candidates, without a job, and saved
searches that show who is new since the last visit. Degree-blind like the shortlist: candidates appear
under a stable pseudonym (apps.matching.pool_services.pool_label), never with a name or a degree."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.candidates.models import Candidate
from apps.matching.engine import RequiredSpec
from apps.matching.models import SavedSearch
from apps.matching.pool_search import PoolHit, PoolQuery
from apps.matching.pool_services import (
    PoolSearchError,
    SkillModelLoading,
    pool_label,
    pool_search_run,
    saved_search_create,
    saved_search_delete,
    saved_search_visit,
)

from ..pool_forms import PoolSearchForm, SaveSearchForm
from ..templatetags.tsumiki import coverage_chips
from .access import recruiter_required

PAGE_SIZE = 50


@dataclass
class PoolRow:
    """One result row as dashboard/pool_search.html prints it."""

    label: str
    rank: int
    score: float
    chips: list
    matches: list
    is_new: bool


def _rows(hits: list[PoolHit], names: list[str], mode: str, new_ids: set[int]) -> list[PoolRow]:
    required = [RequiredSpec(name=n, phrase_id=0, must_have=mode == "all") for n in names]
    rows = []
    for h in hits:
        r = h.result
        explanation = {
            "matches": r.matches,
            "must_have_missing": r.must_have_missing,
            "coverage": dict(zip(names, r.coverage, strict=True)),
        }
        rows.append(
            PoolRow(
                label=pool_label(h.candidate_id),
                rank=h.rank,
                score=r.score,
                chips=coverage_chips(explanation, required),
                matches=r.matches,
                is_new=h.candidate_id in new_ids,
            )
        )
    return rows


def _query_string(query: PoolQuery) -> str:
    q = QueryDict(mutable=True)
    q.setlist("skill", list(query.skills))
    q["mode"] = query.mode
    if query.verified_only:
        q["verified_only"] = "on"
    if query.min_level:
        q["min_level"] = str(query.min_level)
    if query.within_years:
        q["within_years"] = str(query.within_years)
    return q.urlencode()


def _render(request: HttpRequest, *, form: PoolSearchForm, query: PoolQuery | None, saved: SavedSearch | None = None):
    org = request.organization
    ctx: dict = {
        "form": form,
        "skills": form.skills or [""],
        "saved_searches": SavedSearch.objects.filter(owner=request.user, organization=org),
        "saved": saved,
        "pool_empty": not Candidate.objects.filter(organization=org, consent_given=True).exists(),
        "save_form": SaveSearchForm(),
    }
    if query is not None:
        try:
            result = pool_search_run(organization_id=org.pk, query=query)
        except SkillModelLoading:
            ctx["loading"] = True
        except PoolSearchError as e:
            ctx["search_error"] = str(e)
        else:
            new_ids: set[int] = set()
            if saved is not None:
                first_page = request.GET.get("page") in (None, "", "1")
                new_ids, ctx["since"] = saved_search_visit(
                    search=saved, result_ids=[h.candidate_id for h in result.hits], record=first_page
                )
                ctx["new_count"] = len(new_ids)
            # the newcomers first on a saved search's page: that is what a return visit is for
            hits = sorted(result.hits, key=lambda h: (h.candidate_id not in new_ids, h.rank))
            page = Paginator(hits, PAGE_SIZE).get_page(request.GET.get("page"))
            ctx.update(
                {
                    "result": result,
                    "page": page,
                    "rows": _rows(list(page.object_list), list(result.query.skills), query.mode, new_ids),
                    "query_string": _query_string(result.query),
                    "query": result.query,
                }
            )
    return render(request, "dashboard/pool_search.html", ctx)


@recruiter_required
@require_GET
def pool_search(request: HttpRequest) -> HttpResponse:
    searched = "skill" in request.GET
    form = PoolSearchForm(request.GET if searched else None, initial={"mode": "all"})
    query = form.query() if searched and form.is_valid() else None
    return _render(request, form=form, query=query)


@recruiter_required
@require_GET
def pool_skill_input(request: HttpRequest) -> HttpResponse:
    """One more empty skill input (htmx "Add a skill"); a random index keeps ids unique on the page."""
    import secrets

    index = f"n{secrets.token_hex(3)}"
    return render(request, "dashboard/_pool_skill_input.html", {"value": "", "index": index, "autofocus": True})


@recruiter_required
@require_POST
def pool_search_save(request: HttpRequest) -> HttpResponse:
    form = PoolSearchForm(request.POST)
    save = SaveSearchForm(request.POST)
    if not (form.is_valid() and save.is_valid()):
        for errors in [*form.errors.values(), *save.errors.values()]:
            for e in errors:
                messages.error(request, e)
        return redirect("dashboard:pool_search")
    query = form.query()
    try:
        result = pool_search_run(organization_id=request.organization.pk, query=query)
        search = saved_search_create(
            organization=request.organization,
            owner=request.user,
            name=save.cleaned_data["name"],
            query=result.query,
            seen_ids=[h.candidate_id for h in result.hits],
        )
    except PoolSearchError as e:
        messages.error(request, _("The search was not saved: %(reason)s") % {"reason": e})
        return redirect(f"{_url('dashboard:pool_search')}?{_query_string(query)}")
    messages.success(
        request,
        _("Search saved. Open it from “Saved searches” to see who is new since your last visit."),
    )
    return redirect("dashboard:saved_search", search_id=search.id)


def _url(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


@recruiter_required
@require_GET
def saved_search(request: HttpRequest, search_id: int) -> HttpResponse:
    search = get_object_or_404(SavedSearch, id=search_id, owner=request.user, organization=request.organization)
    query = PoolQuery.from_dict(search.query)
    data = QueryDict(_query_string(query))
    form = PoolSearchForm(data)
    form.is_valid()
    return _render(request, form=form, query=query, saved=search)


@recruiter_required
@require_POST
def saved_search_remove(request: HttpRequest, search_id: int) -> HttpResponse:
    search = get_object_or_404(SavedSearch, id=search_id, owner=request.user, organization=request.organization)
    saved_search_delete(search=search)
    messages.success(request, _("Saved search deleted."))
    return redirect("dashboard:pool_search")
