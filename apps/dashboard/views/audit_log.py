"""The organization's audit log for its admins (/settings/audit/): reveals, decisions, exports, API reads
of named data, notes, pipeline changes and the rest, filterable by kind, person and date, and exportable
as CSV (the export is itself logged). Reads go through apps.accounts.selectors.audit_events."""

from __future__ import annotations

import csv
import json
from datetime import datetime, time, timedelta

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from apps.accounts.audit import AUDIT_KINDS, AUDIT_LOG_EXPORTED, audit_record
from apps.accounts.selectors import audit_actors, audit_events

from ..audit_display import audit_rows
from .access import org_admin_required

PAGE_SIZE = 50

KIND_LABELS = {
    "reveal": _("Reveals"),
    "decision": _("Decisions"),
    "export": _("Exports"),
    "api_read": _("API reads of candidate data"),
    "view": _("Views of candidate data"),
    "note": _("Notes"),
    "pipeline": _("Pipeline changes"),
    "match_run": _("Match runs"),
    "data_rights": _("Erasures and data changes"),
    "api_key": _("API keys"),
    "sharing": _("Profiles shared with the organization"),
}
ACTION_LABELS = {
    "match_run.started": _("Match run started"),
    "candidate.viewed": _("Candidate viewed"),
    "candidate.revealed": _("Identity revealed"),
    "decision.recorded": _("Decision recorded"),
    "shortlist.exported": _("Shortlist exported"),
    "fairness_report.viewed": _("Fairness report viewed"),
    "fairness_report.exported": _("Fairness report exported"),
    "candidate.data_exported": _("Candidate data exported"),
    "candidate.erased": _("Candidate erased"),
    "candidate.demographics_updated": _("Demographics updated"),
    "api_key.created": _("API key created"),
    "api_key.revoked": _("API key revoked"),
    "pipeline.changed": _("Pipeline changed"),
    "note.added": _("Note added"),
    "audit_log.exported": _("Audit log exported"),
    "candidate.api_read": _("Candidates read through the API"),
    "profile.invited": _("Invitation to share a profile sent"),
    "profile.invitation_revoked": _("Invitation to share a profile revoked"),
    "profile.shared": _("Profile shared by its owner"),
    "profile.share_revoked": _("Profile share ended"),
    "account.signed_up": _("Job seeker account created from an invitation"),
}
CSV_FIELDS = ["time", "actor", "action", "object_type", "object_id", "details"]


class AuditFilterForm(forms.Form):
    """The audit log's filters (GET). Dates are whole days in the site's time zone, both ends included."""

    kind = forms.ChoiceField(label=_("Kind"), required=False)
    actor = forms.ChoiceField(label=_("Who"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, actors: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds"))] + [(k, KIND_LABELS[k]) for k in AUDIT_KINDS]
        self.fields["actor"].choices = [("", _("Everyone"))] + [(a, a) for a in actors]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def selector_kwargs(self) -> dict:
        """audit_events' filters; none when the form is invalid (its errors are shown, the full log kept)."""
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        tz = timezone.get_current_timezone()
        return {
            "kind": d.get("kind") or "",
            "actor": d.get("actor") or "",
            "since": datetime.combine(d["since"], time.min, tzinfo=tz) if d.get("since") else None,
            "until": datetime.combine(d["until"] + timedelta(days=1), time.min, tzinfo=tz) if d.get("until") else None,
        }


def _details_text(details: dict) -> str:
    return json.dumps(details or {}, ensure_ascii=False, sort_keys=True, default=str)


def _csv_cell(value) -> str:
    """Neutralise spreadsheet formulas (CSV injection): usernames and details are user-supplied."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@org_admin_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    org = request.organization
    form = AuditFilterForm(request.GET or None, actors=audit_actors(organization=org))
    filters = form.selector_kwargs()
    events = audit_events(organization=org, **filters)
    if request.GET.get("format") == "csv":
        return _csv(request, events, form)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dashboard/settings_audit.html",
        {
            "form": form,
            "page": page,
            "rows": audit_rows(organization=org, events=page, labels=ACTION_LABELS),
            "filter_query": query.urlencode(),
        },
    )


def _csv(request: HttpRequest, events, form: AuditFilterForm) -> HttpResponse:
    audit_record(
        organization=request.organization,
        actor=request.user,
        action=AUDIT_LOG_EXPORTED,
        details={"filters": {k: v for k, v in request.GET.dict().items() if k in form.fields}},
    )
    stamp = timezone.now().strftime("%Y%m%d")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{request.organization.slug}-{stamp}.csv"'
    writer = csv.writer(response)
    writer.writerow(CSV_FIELDS)
    for e in events.iterator(2000):
        writer.writerow(
            [
                _csv_cell(v)
                for v in (
                    e.created_at.isoformat(),
                    e.actor,
                    e.action,
                    e.object_type,
                    e.object_id,
                    _details_text(e.details),
                )
            ]
        )
    return response
