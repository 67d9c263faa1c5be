"""The audit log's one writer: ``audit_record``. Call sites name what happened with the constants
below, so reports and tests can filter by action.

Hiring systems are high-risk under the EU AI Act (logging, human oversight) and NYC Local Law 144
expects bias audits; the log answers "who ran which match with which model, parameters and taxonomy
version; who viewed, revealed, decided, exported". Details hold ids and parameters, never a
candidate's name or contact data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from .models import AuditEvent, Organization

# Retention below six months is refused: deployers of high-risk AI systems must keep logs at least that
# long (EU AI Act art. 26(6)).
MIN_RETENTION_DAYS = 183

# Actions (AuditEvent.action).
MATCH_RUN_STARTED = "match_run.started"
CANDIDATE_VIEWED = "candidate.viewed"
CANDIDATE_REVEALED = "candidate.revealed"
DECISION_RECORDED = "decision.recorded"
ASSESSMENT_RECORDED = "assessment.recorded"
SHORTLIST_EXPORTED = "shortlist.exported"
FAIRNESS_REPORT_VIEWED = "fairness_report.viewed"
FAIRNESS_REPORT_EXPORTED = "fairness_report.exported"
CANDIDATE_DATA_EXPORTED = "candidate.data_exported"
CANDIDATE_ERASED = "candidate.erased"
DEMOGRAPHICS_UPDATED = "candidate.demographics_updated"
API_KEY_CREATED = "api_key.created"
API_KEY_REVOKED = "api_key.revoked"
PIPELINE_CHANGED = "pipeline.changed"
NOTE_ADDED = "note.added"
AUDIT_LOG_EXPORTED = "audit_log.exported"
CANDIDATES_API_READ = "candidate.api_read"
# A seeker's profile shared across organizations (apps.wallet): details hold ids, never the address invited.
PROFILE_INVITED = "profile.invited"
PROFILE_INVITATION_REVOKED = "profile.invitation_revoked"
PROFILE_SHARED = "profile.shared"
PROFILE_SHARE_REVOKED = "profile.share_revoked"
# A job seeker account created from an invitation link (apps.wallet.signup), in the log of the seeker's
# own organization: ids only, never the address.
SEEKER_SIGNED_UP = "account.signed_up"

# The audit-log page's kinds (apps.accounts.selectors.audit_events): what an admin filters by.
AUDIT_KINDS: dict[str, tuple[str, ...]] = {
    "reveal": (CANDIDATE_REVEALED,),
    "decision": (DECISION_RECORDED,),
    "export": (SHORTLIST_EXPORTED, FAIRNESS_REPORT_EXPORTED, CANDIDATE_DATA_EXPORTED, AUDIT_LOG_EXPORTED),
    # reads of named candidate data by another system (an API key), or by a person through the API
    "api_read": (CANDIDATES_API_READ,),
    "view": (CANDIDATE_VIEWED, FAIRNESS_REPORT_VIEWED),
    "note": (NOTE_ADDED,),
    "pipeline": (PIPELINE_CHANGED,),
    "match_run": (MATCH_RUN_STARTED,),
    "data_rights": (CANDIDATE_ERASED, DEMOGRAPHICS_UPDATED),
    "api_key": (API_KEY_CREATED, API_KEY_REVOKED),
    "sharing": (PROFILE_INVITED, PROFILE_INVITATION_REVOKED, PROFILE_SHARED, PROFILE_SHARE_REVOKED),
}


def actor_label(actor: Any) -> tuple[str, Any]:
    """(label, user or None) for whoever acts: a User, an API-key principal (apps.api.authentication),
    an anonymous user, a plain string, or None for the system (tasks, commands)."""
    if actor is None:
        return "system", None
    if isinstance(actor, str):
        return actor[:150], None
    key = getattr(actor, "key", None)
    if key is not None and getattr(key, "prefix", None):
        return f"api-key:{key.prefix}", None
    if getattr(actor, "is_authenticated", False) and getattr(actor, "pk", None):
        return actor.get_username()[:150], actor
    return "anonymous", None


def audit_record(
    *,
    organization: Organization,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    details: dict | None = None,
) -> AuditEvent:
    """Append one event. ``obj`` is stored as its type (``app_label.model``) and primary key only, so
    deleting (or erasing) the object later leaves the event intact and free of its data."""
    label, user = actor_label(actor)
    return AuditEvent.objects.create(
        organization=organization,
        actor=label,
        actor_user=user,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        details=details or {},
    )


class RetentionTooShort(ValueError):
    pass


@dataclass(frozen=True)
class PurgeResult:
    deleted: int  # events deleted, or that would be with dry_run
    cutoff: datetime
    days: int
    dry_run: bool


def audit_purge(*, days: int | None = None, dry_run: bool = False) -> PurgeResult:
    """Delete audit events older than ``days`` (default TSUMIKI_AUDIT_RETENTION_DAYS). Run daily (Celery
    beat: accounts.audit_purge, or the purge_audit command). Raises RetentionTooShort below
    MIN_RETENTION_DAYS."""
    days = settings.TSUMIKI_AUDIT_RETENTION_DAYS if days is None else days
    if days < MIN_RETENTION_DAYS:
        raise RetentionTooShort(f"Retention of {days} days is below the minimum of {MIN_RETENTION_DAYS} (six months).")
    cutoff = timezone.now() - timedelta(days=days)
    if dry_run:
        n = AuditEvent.objects.filter(created_at__lt=cutoff).count()
    else:
        n = AuditEvent.objects.purge_older_than(cutoff)
    return PurgeResult(deleted=n, cutoff=cutoff, days=days, dry_run=dry_run)
