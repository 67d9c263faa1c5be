"""Thin Celery tasks for accounts: take ids (or nothing), call a service."""

from __future__ import annotations

from celery import shared_task

from .audit import audit_purge


@shared_task(name="accounts.purge_audit")
def purge_audit() -> int:
    """Daily (beat): delete audit events past the retention period. Returns how many were deleted."""
    return audit_purge().deleted
