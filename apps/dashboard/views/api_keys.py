"""Recruiter settings: the organization's API keys (keys are "created in the dashboard or by the command").

The list shows a key's name, prefix, scopes and dates, never its hash. A new key's raw secret is shown once,
on the response to the POST that created it: it is not put in the session, a message or a redirect URL, and
that response is not cached. Creating and revoking a key are audit-logged (without the secret).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.audit import API_KEY_CREATED, API_KEY_REVOKED, audit_record
from apps.accounts.models import ApiKey
from apps.accounts.services import API_KEY_PREFIX, api_key_create, api_key_revoke

from .access import recruiter_required

SCOPE_LABELS = {"read": gettext_lazy("Read"), "write": gettext_lazy("Write")}


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What uses this key, e.g. “ATS sync”."),
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("Scopes"),
        choices=list(SCOPE_LABELS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one scope.")},
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the key a name."))
        return name


def _keys(organization) -> list[ApiKey]:
    """The organization's keys, newest first, without the hash (it never leaves the database)."""
    return list(
        ApiKey.objects.filter(organization=organization)
        .only("id", "name", "prefix", "scopes", "created_at", "last_used_at", "revoked_at")
        .order_by("-created_at", "-id")
    )


def _render(request: HttpRequest, form: ApiKeyForm, *, status: int = 200, new_key=None, raw_key: str = ""):
    context = {
        "form": form,
        "keys": _keys(request.organization),
        "key_prefix": API_KEY_PREFIX,
        "scope_labels": SCOPE_LABELS,
        "new_key": new_key,
        "raw_key": raw_key,
    }
    return render(request, "dashboard/api_keys.html", context, status=status)


@never_cache
@recruiter_required
@require_http_methods(["GET", "POST"])
def api_keys(request: HttpRequest) -> HttpResponse:
    """GET: the keys and the create form. POST: create a key and show its secret, this once."""
    if request.method != "POST":
        return _render(request, ApiKeyForm())
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        return _render(request, form, status=400)
    key, raw = api_key_create(
        organization=request.organization, scopes=form.cleaned_data["scopes"], name=form.cleaned_data["name"]
    )
    audit_record(
        organization=request.organization,
        actor=request.user,
        action=API_KEY_CREATED,
        obj=key,
        details={"prefix": key.prefix, "name": key.name, "scopes": key.scopes},
    )
    return _render(request, ApiKeyForm(), new_key=key, raw_key=raw)


@recruiter_required
@require_POST
def api_key_revoke_view(request: HttpRequest, key_id: int) -> HttpResponse:
    """Revoke one of the organization's keys (another organization's id is a 404)."""
    key = get_object_or_404(
        ApiKey.objects.only("id", "name", "prefix", "revoked_at", "organization_id"),
        organization=request.organization,
        pk=key_id,
    )
    if key.revoked_at is not None:
        messages.info(request, _("That key was already revoked."))
    else:
        api_key_revoke(key=key)
        audit_record(
            organization=request.organization,
            actor=request.user,
            action=API_KEY_REVOKED,
            obj=key,
            details={"prefix": key.prefix, "name": key.name},
        )
        messages.success(
            request,
            _("Key “%(name)s” revoked. Requests made with it are now refused.") % {"name": key.name or key.prefix},
        )
    return redirect("dashboard:api_keys")
