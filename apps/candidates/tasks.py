"""Thin Celery tasks for background candidate imports: take ids (or nothing), call
apps.candidates.services."""

from __future__ import annotations

from celery import shared_task

from .services import candidate_import_execute, imports_sweep


# The names they had in apps.api: imports queued before the move still run, and beat keeps its entry.
@shared_task(name="apps.api.tasks.run_candidate_import", acks_late=True)
def run_candidate_import(import_id: int) -> str:
    job = candidate_import_execute(import_id=import_id)
    return job.status if job else "skipped"


@shared_task(name="api.sweep_imports")
def sweep_imports() -> int:
    """Periodic (beat, and every worker itself: config.celery_app): re-send imports no worker is doing."""
    return imports_sweep()
