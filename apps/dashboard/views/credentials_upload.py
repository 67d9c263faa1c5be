"""Seeker page: upload a credential file (or paste JSON / a JWT), see each verification check, import it."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.candidates.models import Candidate
from apps.credentials.importers import credential_import
from apps.credentials.management.commands.verify_credential import options_from_settings
from apps.credentials.verify import verify_bytes

from .access import seeker_required


@seeker_required
@require_http_methods(["GET", "POST"])
def seeker_upload(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: verify the file/pasted text, import it into the seeker's own profile unless it failed."""
    profile = Candidate.objects.filter(user=request.user, organization=request.organization).order_by("id").first()
    context: dict = {"profile": profile, "limit_mb": _limit() // (1024 * 1024)}
    if request.method == "POST":
        upload = request.FILES.get("file")
        text = (request.POST.get("text") or "").strip()
        if upload is not None and upload.size > _limit():
            context["error"] = _("The file is larger than the upload limit.")
        elif upload is None and not text:
            context["error"] = _("Choose a credential file or paste a credential.")
        else:
            data = upload.read(_limit() + 1) if upload is not None else text.encode("utf-8")
            result = verify_bytes(
                data,
                options=options_from_settings(max_bytes=_limit()),
                recipient_emails=(profile.email,) if profile and profile.email else (),
            )
            context["result"] = result
            if profile is not None and result.status != "failed":
                context["imported"] = credential_import(candidate=profile, result=result)
    status = 400 if context.get("error") else 200
    return render(request, "dashboard/seeker_upload.html", context, status=status)


def _limit() -> int:
    return int(getattr(settings, "CREDENTIALS_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))
