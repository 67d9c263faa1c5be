"""Thin Celery task for webhook deliveries (retried with exponential backoff): takes an id and calls
apps.webhooks.services. Its name before the move and rename stays registered (``was``): a delivery
waiting for its retry (up to hours) was queued under it."""

from __future__ import annotations

from apps.core.tasks import task

from .services import webhook_delivery_attempt


@task("webhooks.webhook_deliver", was=["apps.api.tasks.deliver_webhook"], bind=True, acks_late=True, max_retries=None)
def webhook_deliver(self, delivery_id: int) -> str:
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
