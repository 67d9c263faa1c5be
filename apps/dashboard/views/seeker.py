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
    """Jobs that fit me best: the open jobs ranked by my score in each job's latest finished run (read, never
    computed here), with what is missing; jobs not scored for me yet come last."""
    profile = _profile(request)
    fits = sel.seeker_job_fits(organization=request.organization, candidate=profile)
    return render(request, "dashboard/seeker_jobs.html", {"fits": fits, "profile": profile})


def _profile(request: HttpRequest) -> Candidate | None:
    return Candidate.objects.filter(user=request.user, organization=request.organization).order_by("id").first()


@seeker_required
@require_GET
def seeker_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """The one dashboard page that scores on request (it may load the embedding model once)."""
    job = get_object_or_404(sel.open_jobs(organization=request.organization), id=job_id)
    profile = _profile(request)
    fit = sel.job_fit(job=job, candidate=profile) if profile is not None else None
    return render(
        request,
        "dashboard/seeker_job.html",
        {
            "job": job,
            "profile": profile,
            "fit": fit,
            "required": list(job.required_skills.all()),
            **(_pathway_context(job=job, profile=profile) if fit is not None else {}),
        },
    )


def _pathway_context(*, job, profile: Candidate) -> dict:
    """The cheapest catalog pathway closing this job's gap, what the qualifications it stacks
    towards come to, and the other open jobs one or two offerings away (apps.pathways.services)."""
    from apps.pathways.services import (
        held_offering_ids,
        jobs_within_reach,
        pathway_for_candidate,
        qualification_progress,
    )

    report = pathway_for_candidate(job=job, candidate=profile)
    if report is None:
        return {}
    stacking = qualification_progress(
        offering_ids=[s.offering.key for s in report.pathway.steps], held=held_offering_ids(candidate=profile)
    )
    reach = [r for r in jobs_within_reach(candidate=profile) if r.job.pk != job.pk][:5]
    return {"gap": report, "stacking": stacking, "reach": reach}
