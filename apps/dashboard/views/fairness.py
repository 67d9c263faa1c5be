"""Recruiter pages for accountability: a job's adverse-impact report (with CSV export) and the model
card (docs/model-card.md rendered). Routes are appended to apps.dashboard.urls."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from markdown_it import MarkdownIt

from apps.accounts.audit import FAIRNESS_REPORT_EXPORTED, FAIRNESS_REPORT_VIEWED, audit_record
from apps.fairness.services import fairness_csv, job_fairness

from .. import selectors as sel
from .access import recruiter_required

MODEL_CARD = Path(settings.BASE_DIR) / "docs" / "model-card.md"


@recruiter_required
@require_GET
def fairness_report(request: HttpRequest, job_id: int) -> HttpResponse:
    job = sel.job_get(organization=request.organization, job_id=job_id)
    f = job_fairness(job=job)
    if f.run is not None:
        audit_record(
            organization=request.organization,
            actor=request.user,
            action=FAIRNESS_REPORT_VIEWED,
            obj=job,
            details={"run_id": f.run.pk, "format": "html"},
        )
    return render(
        request,
        "dashboard/fairness.html",
        {
            "job": job,
            "run": f.run,
            "report": f.report,
            "dimensions": f.report.dimensions if f.report else [],
        },
    )


@recruiter_required
@require_GET
def fairness_report_csv(request: HttpRequest, job_id: int) -> HttpResponse:
    job = sel.job_get(organization=request.organization, job_id=job_id)
    f = job_fairness(job=job)
    if f.report is None:
        messages.error(request, _("There is no finished match run to report on yet."))
        return redirect("dashboard:fairness", job_id=job.id)
    audit_record(
        organization=request.organization,
        actor=request.user,
        action=FAIRNESS_REPORT_EXPORTED,
        obj=job,
        details={"run_id": f.run.pk, "format": "csv"},
    )
    response = HttpResponse(fairness_csv(fairness=f), content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="adverse-impact-job{job.id}-{stamp}.csv"'
    return response


def _model_card_path(language: str | None) -> Path:
    """The model card in the page's language: docs/model-card.<lang>.md when there is one (Japanese),
    else the English original."""
    code = (language or "en").split("-")[0]
    translated = MODEL_CARD.with_name(f"model-card.{code}.md")
    return translated if code != "en" and translated.is_file() else MODEL_CARD


@lru_cache(maxsize=4)
def _model_card_html(path: Path, mtime: float) -> SafeString:
    # Raw HTML in the markdown is escaped ("html": False): the page shows only what markdown makes.
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    return mark_safe(md.render(path.read_text(encoding="utf-8")))  # noqa: S308 - HTML-escaping renderer


@login_required
@require_GET
def model_card(request: HttpRequest) -> HttpResponse:
    """Any signed-in user (recruiters and job seekers alike) may read how scores are made."""
    card = _model_card_path(get_language())
    html = _model_card_html(card, card.stat().st_mtime)
    return render(request, "dashboard/model_card.html", {"card": html})


fairness_urlpatterns = [
    path("jobs/<int:job_id>/fairness/", fairness_report, name="fairness"),
    path("jobs/<int:job_id>/fairness.csv", fairness_report_csv, name="fairness_csv"),
    path("model-card/", model_card, name="model_card"),
]
