"""Seeker page: upload a credential file (or paste JSON / a JWT), see each verification check, import it.

A file that cannot be read is explained in plain, translated words (apps.dashboard.templatetags.plain_words),
never with the parser's text. An upload that would replace a credential already on the profile (the same
credential id) is not imported at once: the page shows what would change (e.g. verified → expired) and
replaces only when the seeker confirms; the confirmation carries the file back (base64) and checks it again.
"""

from __future__ import annotations

import base64
import binascii

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from apps.candidates.models import Candidate
from apps.credentials.byurl import CredentialFetchError, credential_fetch
from apps.credentials.importers import credential_import, credential_replacements
from apps.credentials.management.commands.verify_credential import options_from_settings
from apps.credentials.verify import verify_bytes
from apps.skills import warmup

from .access import seeker_required


def _posted_bytes(request: HttpRequest, context: dict) -> bytes | None:
    """The credential the form sent (a file, pasted text, or the payload of a replace confirmation); None
    with ``context["error"]`` set when there is nothing usable."""
    upload = request.FILES.get("file")
    text = (request.POST.get("text") or "").strip()
    payload = request.POST.get("payload") or ""
    url = (request.POST.get("url") or "").strip()
    if payload:
        try:
            data = base64.b64decode(payload.encode("ascii"), validate=True)
        except (binascii.Error, ValueError, UnicodeEncodeError):
            context["error"] = _("The confirmation could not be read. Upload the file again.")
            return None
        if len(data) > _limit():
            context["error"] = _("The file is larger than the upload limit.")
            return None
        source = (request.POST.get("source_url") or "").strip()
        if source.startswith(("https://", "http://")):
            context["source_url"] = source[:1000]
        return data
    if upload is not None and upload.size > _limit():
        context["error"] = _("The file is larger than the upload limit.")
        return None
    if upload is None and not text and url:
        return _fetched_bytes(url, context)
    if upload is None and not text:
        context["error"] = _("Choose a credential file, paste a credential or its address.")
        return None
    return upload.read(_limit() + 1) if upload is not None else text.encode("utf-8")


def _fetched_bytes(url: str, context: dict) -> bytes | None:
    """The credential at ``url`` (apps.credentials.byurl), remembered as its source; None with
    ``context["error"]`` in words when the address gives none."""
    try:
        fetched = credential_fetch(url, max_bytes=_limit())
    except CredentialFetchError as exc:
        context["error"] = {
            "disabled": _(
                "Fetching credentials by their address is switched off on this server. "
                "Download the badge and upload the file."
            ),
            "refused": _("That address cannot be fetched: use the https:// address of the badge, on a public server."),
            "too_large": _("The file is larger than the upload limit."),
            "status": _("The address did not give a credential (the server answered with an error)."),
            "html": _("The address is a web page, not a credential. Use the badge's JSON or verification address."),
        }.get(exc.reason, _("The address could not be reached. Try again later, or upload the file."))
        context["url"] = url
        return None
    context["source_url"] = fetched.url
    return fetched.data


@seeker_required
@require_http_methods(["GET", "POST"])
def seeker_upload(request: HttpRequest) -> HttpResponse:
    """GET: the form. POST: verify the file/pasted text, import it into the seeker's own profile unless it
    failed, asking first when it would replace a credential the profile already holds."""
    profile = Candidate.objects.filter(user=request.user, organization=request.organization).order_by("id").first()
    context: dict = {"profile": profile, "limit_mb": _limit() // (1024 * 1024)}
    if request.method == "POST":
        data = _posted_bytes(request, context)
        if data is not None:
            result = verify_bytes(
                data,
                options=options_from_settings(max_bytes=_limit()),
                recipient_emails=(profile.email,) if profile and profile.email else (),
            )
            context["result"] = result
            context["unreadable"] = next((c for c in result.checks if c.name == "input" and c.ok is False), None)
            if profile is not None and result.status != "failed":
                replacements = credential_replacements(candidate=profile, result=result)
                if replacements and request.POST.get("confirm_replace") != "yes":
                    context["replacements"] = replacements
                    context["payload"] = base64.b64encode(data).decode("ascii")
                elif not warmup.model_ready():
                    # importing embeds the credential's skills: never load the model on this request
                    context["model_loading"] = warmup.state().seconds()
                    context["payload"] = base64.b64encode(data).decode("ascii")
                    context["confirmed"] = request.POST.get("confirm_replace") == "yes"
                else:
                    context["imported"] = credential_import(
                        candidate=profile, result=result, source_url=context.get("source_url", "")
                    )
                    context["replaced"] = len(replacements)
    status = 400 if context.get("error") or context.get("unreadable") else 200
    return render(request, "dashboard/seeker_upload.html", context, status=status)


def _limit() -> int:
    return int(getattr(settings, "CREDENTIALS_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))
