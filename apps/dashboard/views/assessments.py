"""Employer assessments from the candidate panel: a recruiter records a scorecard line (a structured
interview, a work sample or an exam result for one of the job's skills). It counts for this job only and
the candidate is rescored through apps.matching.services. Routes are appended to apps.dashboard.urls."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.matching.services import AssessmentError, assessment_record_once

from .. import selectors as sel
from ..assessment_forms import AssessmentForm
from .access import recruiter_required


@recruiter_required
@require_POST
def assessment_add(request: HttpRequest, job_id: int, candidate_id: int) -> HttpResponse:
    """Record the scorecard line, then show the candidate's panel again (its score now includes the
    line). The panel's own ``next`` (where its other forms return to) is carried through."""
    job = sel.job_get(organization=request.organization, job_id=job_id)
    candidate = sel.candidate_get(organization=request.organization, candidate_id=candidate_id)
    form = AssessmentForm(request.POST, skill_names=[r.name for r in job.required_skills.all()])
    if form.is_valid():
        try:
            _row, created = assessment_record_once(candidate=candidate, job=job, actor=request.user, **form.line())
        except AssessmentError as e:
            messages.error(request, str(e))
        else:
            if created:
                messages.success(request, _("Assessment recorded; the candidate's score for this job includes it."))
            else:
                messages.info(request, _("This assessment was already recorded."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for e in errors:
                messages.error(request, f"{label}: {e}" if label else e)
    url = reverse("dashboard:candidate", kwargs={"job_id": job.id, "candidate_id": candidate.id})
    nxt = request.POST.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        url = f"{url}?{urlencode({'next': nxt})}"
    return redirect(url)


assessment_urlpatterns = [
    path(
        "jobs/<int:job_id>/candidates/<int:candidate_id>/assessments/",
        assessment_add,
        name="assessment_add",
    ),
]
