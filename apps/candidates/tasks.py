"""Thin Celery tasks for background candidate imports and CV parse jobs: take ids (or nothing), call
apps.candidates.services. Their names before the move and rename stay registered (``was``), for
imports a broker queued under them."""

from __future__ import annotations

from apps.core.tasks import task

from . import services


@task("candidates.candidate_import_run", was=["apps.api.tasks.run_candidate_import"], acks_late=True)
def candidate_import_run(import_id: int) -> str:
    job = services.candidate_import_run(import_id=import_id)
    return job.status if job else "skipped"


@task("candidates.candidate_imports_sweep", was=["api.sweep_imports"])
def candidate_imports_sweep() -> int:
    """Periodic (beat, and every worker itself: config.celery_app): re-send imports no worker is doing."""
    return services.candidate_imports_sweep()


@task("candidates.resume_parse_job_run", acks_late=True)
def resume_parse_job_run(job_id: str) -> str:
    """Read an uploaded CV into its draft (the dashboard's upload does not wait for it)."""
    job = services.resume_parse_job_run(job_id=job_id)
    return job.status if job else "skipped"


@task("candidates.resume_parse_jobs_purge")
def resume_parse_jobs_purge() -> int:
    """Periodic (beat): delete the CV drafts nobody confirmed before they expired."""
    return services.resume_parse_jobs_purge()
