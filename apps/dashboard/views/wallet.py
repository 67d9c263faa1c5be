"""A seeker applies to another organization's job with their own profile, and sees and revokes what
they share (apps.wallet)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.models import Role
from apps.wallet.models import ProfileShare, ShareMode, ShareVia
from apps.wallet.services import ShareError, home_profile, job_from_apply_token, profile_share, share_revoke, shares_of

from .access import forbidden, seeker_required


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, token: str) -> HttpResponse:
    """The page an apply link opens: the job, what would be shared, the choice of snapshot or live copy,
    and consent. Anyone signed in as a job seeker may apply, whatever organization they belong to."""
    job = job_from_apply_token(token)
    if job is None:
        return render(
            request,
            "dashboard/error.html",
            {
                "title": _("This apply link does not work"),
                "message": _("The link is broken or the job is closed."),
                "status": 404,
            },
            status=404,
        )
    membership = request.user.membership
    if membership is None or membership.role != Role.SEEKER:
        return forbidden(request, _("Only job seekers can apply. Sign in with your job seeker account."))
    profile = home_profile(user=request.user)
    existing = ProfileShare.objects.filter(
        user=request.user, organization=job.organization, revoked_at__isnull=True
    ).first()
    error = ""
    if request.method == "POST":
        if request.POST.get("consent") != "yes":
            error = _("Tick the box to consent before you apply.")
        else:
            try:
                profile_share(user=request.user, job=job, mode=request.POST.get("mode", ""), via=ShareVia.APPLY)
            except ShareError as e:
                error = str(e)
            else:
                messages.success(
                    request,
                    _("You applied to %(job)s. %(org)s can now see your profile.")
                    % {"job": job.title, "org": job.organization.name},
                )
                return redirect("dashboard:seeker_sharing")
    return render(
        request,
        "dashboard/apply.html",
        {
            "job": job,
            "profile": profile,
            "existing": existing,
            "error": error,
            "modes": ShareMode,
            "chosen": request.POST.get("mode", existing.mode if existing else ShareMode.SNAPSHOT),
        },
        status=400 if error else 200,
    )


@seeker_required
@require_GET
def sharing(request: HttpRequest) -> HttpResponse:
    """Every organization the seeker shares their profile with, how, since when; revoke from here."""
    return render(request, "dashboard/seeker_sharing.html", {"shares": shares_of(user=request.user)})


@seeker_required
@require_POST
def sharing_revoke(request: HttpRequest, share_id: int) -> HttpResponse:
    share = get_object_or_404(ProfileShare, pk=share_id, user=request.user)
    share_revoke(share=share, actor=request.user)
    messages.success(
        request, _("%(org)s no longer sees your profile; its copy has been erased.") % {"org": share.organization.name}
    )
    return redirect("dashboard:seeker_sharing")
