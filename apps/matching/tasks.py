"""Thin Celery tasks: take ids, call a service."""
from celery import shared_task

from .services import match_run_execute


@shared_task(acks_late=True)
def run_match(run_id: int) -> str:
    run = match_run_execute(run_id=run_id)
    return run.status if run else "skipped"
