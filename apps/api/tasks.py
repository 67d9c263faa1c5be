"""Thin Celery tasks for the API: webhook deliveries (retried with exponential backoff) and bulk
candidate imports. They take ids and call apps.api.services."""

from __future__ import annotations

from celery import shared_task

from .services import candidate_import_execute, imports_sweep, webhook_delivery_attempt


@shared_task(bind=True, acks_late=True, max_retries=None)
def deliver_webhook(self, delivery_id: int) -> str:
    """One attempt; on failure Celery re-queues it after the backoff the service computed (the
    service counts attempts and stops at TSUMIKI_WEBHOOK_MAX_ATTEMPTS, hence max_retries=None).
    In eager mode (no broker, no worker to wait for a countdown; Retry would propagate) the attempts
    run at once, one after the other."""
    delay = webhook_delivery_attempt(delivery_id=delivery_id)
    if self.request.is_eager:
        while delay is not None:
            delay = webhook_delivery_attempt(delivery_id=delivery_id)
    elif delay is not None:
        raise self.retry(countdown=delay)
    return "done"


@shared_task(acks_late=True)
def run_candidate_import(import_id: int) -> str:
    job = candidate_import_execute(import_id=import_id)
    return job.status if job else "skipped"


@shared_task(name="api.sweep_imports")
def sweep_imports() -> int:
    """Periodic (beat, and every worker itself: config.celery_app): re-send imports no worker is doing."""
    return imports_sweep()
