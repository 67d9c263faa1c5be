"""Recruiter pages for the hiring pipeline: moving a candidate to a stage from the candidate panel or
page, bulk moves from the shortlist, notes, and the organization admins' pipeline settings. The writes
(and their audit events) are apps.matching.pipeline_services; these views only parse forms and answer."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.matching.models import PipelineStage
from apps.matching.pipeline_services import (
    PipelineError,
    note_add,
    stage_add,
    stage_for_decision,
    stage_label,
    stage_move,
    stage_move_bulk,
    stage_remove,
    stage_rename,
    stage_reorder,
    stages_ensure,
)

from .. import selectors as sel
from ..forms import BulkStageForm, DecisionForm, StageAddForm
from .access import org_admin_required, recruiter_required


def _safe_next(request: HttpRequest, fallback: str) -> str:
    from .recruiter import _safe_next as safe_next

    return safe_next(request, fallback)


def _candidate_url(job, candidate) -> str:
    return reverse("dashboard:candidate", kwargs={"job_id": job.id, "candidate_id": candidate.id})


def panel_context(request: HttpRequest, job, candidate) -> dict:
    """What the candidate panel's pipeline and notes sections read."""
    return {
        "decisions": list(sel.decision_history(job=job, candidate=candidate)[:10]),
        "stages": stages_ensure(organization=request.organization),
        "notes": list(sel.candidate_notes(job=job, candidate=candidate)[:20]),
    }


def _form_errors(request: HttpRequest, form) -> None:
    for errors in form.errors.values():
        for e in errors:
            messages.error(request, e)


@recruiter_required
@require_POST
def candidate_decide(request: HttpRequest, job_id: int, candidate_id: int) -> HttpResponse:
    """Move the candidate to a stage (or record a decision by its value), then back to where the
    recruiter was."""
    job = sel.job_get(organization=request.organization, job_id=job_id)
    candidate = sel.candidate_get(organization=request.organization, candidate_id=candidate_id)
    form = DecisionForm(request.POST, stages=stages_ensure(organization=request.organization))
    if form.is_valid():
        try:
            stage = form.chosen_stage() or stage_for_decision(
                organization=request.organization, decision=form.cleaned_data["decision"]
            )
            stage_move(
                job=job,
                candidate=candidate,
                stage=stage,
                user=request.user,
                reason=form.cleaned_data["reason"],
                organization=request.organization,
            )
        except PipelineError as e:
            messages.error(request, str(e))
        else:
            messages.success(request, _("Decision recorded: %(decision)s.") % {"decision": stage_label(stage.name)})
    else:
        _form_errors(request, form)
    return redirect(_safe_next(request, _candidate_url(job, candidate)))


@recruiter_required
@require_POST
def shortlist_bulk(request: HttpRequest, job_id: int) -> HttpResponse:
    """Move the ticked shortlist rows to one stage (export goes to the CSV view by GET, see
    dashboard/_bulk_actions.html)."""
    job = sel.job_get(organization=request.organization, job_id=job_id)
    back = _safe_next(request, reverse("dashboard:shortlist", kwargs={"job_id": job.id}))
    form = BulkStageForm(request.POST, stages=stages_ensure(organization=request.organization))
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(back)
    stage = form.chosen_stage()
    try:
        moved = stage_move_bulk(
            job=job,
            candidate_ids=form.candidate_ids,
            stage=stage,
            user=request.user,
            reason=form.cleaned_data["reason"],
            organization=request.organization,
        )
    except PipelineError as e:
        messages.error(request, str(e))
    else:
        messages.success(
            request,
            _("Moved %(n)s candidates to %(stage)s.") % {"n": len(moved), "stage": stage_label(stage.name)},
        )
    return redirect(back)


@recruiter_required
@require_POST
def candidate_note_add(request: HttpRequest, job_id: int, candidate_id: int) -> HttpResponse:
    job = sel.job_get(organization=request.organization, job_id=job_id)
    candidate = sel.candidate_get(organization=request.organization, candidate_id=candidate_id)
    try:
        note_add(
            job=job,
            candidate=candidate,
            user=request.user,
            text=request.POST.get("text", ""),
            organization=request.organization,
        )
    except PipelineError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("Note saved."))
    return redirect(_safe_next(request, _candidate_url(job, candidate)))


# ---- settings: the pipeline --------------------------------------------------------------------------

MEANING_LABELS = dict(StageAddForm.MEANING_CHOICES)


def _settings_page(request: HttpRequest, form: StageAddForm, *, status: int = 200) -> HttpResponse:
    stages = stages_ensure(organization=request.organization)
    return render(
        request,
        "dashboard/settings_pipeline.html",
        {"stages": stages, "form": form, "meaning_labels": MEANING_LABELS},
        status=status,
    )


@org_admin_required
def pipeline_settings(request: HttpRequest) -> HttpResponse:
    """GET: the organization's stages with rename, up/down and remove. POST: add a stage."""
    if request.method != "POST":
        return _settings_page(request, StageAddForm())
    form = StageAddForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, form, status=400)
    try:
        stage = stage_add(
            organization=request.organization,
            name=form.cleaned_data["name"],
            decision=form.cleaned_data["decision"],
            user=request.user,
        )
    except PipelineError as e:
        form.add_error("name", str(e))
        return _settings_page(request, form, status=400)
    messages.success(request, _("Stage “%(name)s” added.") % {"name": stage.name})
    return redirect("dashboard:pipeline_settings")


def _stage(request: HttpRequest, stage_id: int) -> PipelineStage:
    stages = PipelineStage.objects.select_related("organization")
    return get_object_or_404(stages, pk=stage_id, organization=request.organization)


@org_admin_required
@require_POST
def pipeline_stage_change(request: HttpRequest, stage_id: int) -> HttpResponse:
    """One stage's rename (``name``), move (``move=up|down``) or removal (``remove``)."""
    stage = _stage(request, stage_id)
    try:
        if "remove" in request.POST:
            name = stage_label(stage.name)
            stage_remove(stage=stage, user=request.user)
            messages.success(request, _("Stage “%(name)s” removed.") % {"name": name})
        elif request.POST.get("move") in ("up", "down"):
            stage_reorder(stage=stage, offset=-1 if request.POST["move"] == "up" else 1, user=request.user)
        else:
            name = " ".join(request.POST.get("name", "").split())
            # the field shows a default stage's name translated; sent back unchanged it is no rename
            if name != stage_label(stage.name):
                stage_rename(stage=stage, name=name, user=request.user)
                messages.success(request, _("Stage renamed to “%(name)s”.") % {"name": stage.name})
    except PipelineError as e:
        messages.error(request, str(e))
    return redirect("dashboard:pipeline_settings")
