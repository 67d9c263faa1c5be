"""Thin Celery tasks for accounts: take ids (or nothing), call a service."""

from __future__ import annotations

from apps.core.tasks import task

from . import audit


@task("accounts.audit_purge", was=["accounts.purge_audit"])
def audit_purge() -> int:
    """Daily (beat): delete audit events past the retention period. Returns how many were deleted."""
    return audit.audit_purge().deleted
