"""Job seeker pages: my credentials, the organization's open jobs, and for one job which required
skills my credentials cover (and with which credential) and which are missing."""
from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from apps.candidates.models import Candidate

from .. import selectors as sel
from .access import seeker_required


@seeker_required
@require_GET
def seeker_home(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/seeker_home.html", {"profiles": sel.seeker_profiles(user=request.user)})


@seeker_required
@require_GET
def seeker_jobs(request: HttpRequest) -> HttpResponse:
    jobs = sel.open_jobs(organization=request.organization)
    return render(request, "dashboard/seeker_jobs.html", {"jobs": jobs})


@seeker_required
@require_GET
def seeker_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """The one dashboard page that scores on request (it may load the embedding model once)."""
    job = get_object_or_404(sel.open_jobs(organization=request.organization), id=job_id)
    profile = (
        Candidate.objects.filter(user=request.user, organization=request.organization).order_by("id").first()
    )
    fit = sel.job_fit(job=job, candidate=profile) if profile is not None else None
    return render(request, "dashboard/seeker_job.html", {
        "job": job, "profile": profile, "fit": fit, "required": list(job.required_skills.all()),
    })
