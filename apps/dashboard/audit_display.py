"""How an audit event reads on the audit-log page: the object it names in words (a candidate by the
blind code the job shows, a job by its title, with a link) and its details as labelled values instead
of raw JSON. The CSV export keeps the stored form."""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import AuditEvent, Organization
from apps.jobs.models import Job
from apps.matching.services import candidate_blind_code

DETAIL_LABELS = {
    "job_id": gettext_lazy("Job"),
    "stage": gettext_lazy("Stage"),
    "stage_id": gettext_lazy("Stage no."),
    "decision": gettext_lazy("Decision"),
    "decision_id": gettext_lazy("Decision no."),
    "with_reason": gettext_lazy("With a reason"),
    "note_id": gettext_lazy("Note no."),
    "revealed": gettext_lazy("Identity shown"),
    "run_id": gettext_lazy("Run"),
    "count": gettext_lazy("Count"),
    "filters": gettext_lazy("Filters"),
    "format": gettext_lazy("Format"),
    "scopes": gettext_lazy("Scopes"),
    "mode": gettext_lazy("Mode"),
}


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    label: str
    object_text: str
    object_url: str | None
    details: list[tuple[str, str]]


def _value(value) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def _job_id(event: AuditEvent) -> int | None:
    raw = (event.details or {}).get("job_id")
    if event.object_type == "jobs.job":
        raw = event.object_id
    try:
        return int(raw) if raw is not None else None
    except (TypeError, ValueError):
        return None


def audit_rows(*, organization: Organization, events, labels: dict) -> list[AuditRow]:
    """Display rows for one page of ``organization``'s events (one query for the jobs they name; a job of
    another organization, or one deleted since, is shown by its number only)."""
    events = list(events)
    ids = {j for e in events if (j := _job_id(e)) is not None}
    titles = dict(Job.objects.filter(organization=organization, id__in=ids).values_list("id", "title")) if ids else {}
    rows = []
    for e in events:
        job_id = _job_id(e)
        text, url = (f"{e.object_type}:{e.object_id}" if e.object_type else ""), None
        if e.object_type == "candidates.candidate" and str(e.object_id).isdigit():
            if job_id in titles:
                code = candidate_blind_code(job_id=job_id, candidate_id=int(e.object_id))
                text = _("Candidate %(code)s") % {"code": code}
                url = reverse("dashboard:candidate", args=[job_id, int(e.object_id)])
            else:
                text = _("Candidate no. %(id)s") % {"id": e.object_id}
        elif e.object_type == "jobs.job" and job_id in titles:
            text, url = titles[job_id], reverse("dashboard:job", args=[job_id])
        details = []
        for key, value in sorted((e.details or {}).items()):
            label = str(DETAIL_LABELS.get(key, key.replace("_", " ")))
            if key == "job_id" and job_id in titles:
                details.append((label, titles[job_id]))
            else:
                details.append((label, _value(value)))
        rows.append(AuditRow(e, str(labels.get(e.action, e.action)), text, url, details))
    return rows
