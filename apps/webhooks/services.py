"""Writes for webhooks: endpoints, events and deliveries. Keyword-only functions named
``<entity>_<action>``; views, receivers and tasks stay thin and call these."""

from __future__ import annotations

import json
import logging
import secrets
import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.accounts.models import Organization
from apps.api.fetcher import FetchError, FetchRefused, fetch, policy_from_settings, url_check_for_storage

from .models import DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEvent
from .signing import SIGNATURE_HEADER, sign

log = logging.getLogger(__name__)


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


# --- webhooks: endpoints ---------------------------------------------------------------------
SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix that makes leaked secrets recognizable, not a secret)


def webhook_endpoint_create(
    *, organization: Organization, url: str, events: list[str], description: str = "", is_active: bool = True
) -> WebhookEndpoint:
    """A new subscription with a fresh signing secret (returned on the object; show it once).
    Raises WebhookTargetRefused for a URL the product may not call."""
    webhook_target_check(url=url)
    return WebhookEndpoint.objects.create(
        organization=organization,
        url=url,
        events=sorted(set(events)),
        description=description,
        is_active=is_active,
        secret=SECRET_PREFIX + secrets.token_urlsafe(32),
    )


def webhook_endpoint_update(
    *,
    endpoint: WebhookEndpoint,
    url: str | None = None,
    events: list[str] | None = None,
    description: str | None = None,
    is_active: bool | None = None,
) -> WebhookEndpoint:
    if url is not None:
        webhook_target_check(url=url)
    given: dict[str, object] = {"url": url, "description": description, "is_active": is_active}
    changes = {k: v for k, v in given.items() if v is not None}
    if events is not None:
        changes["events"] = sorted(set(events))
    for name, value in changes.items():
        setattr(endpoint, name, value)
    endpoint.save()
    return endpoint


def webhook_endpoint_rotate_secret(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    endpoint.secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    endpoint.save(update_fields=["secret", "updated_at"])
    return endpoint


# --- webhooks: events and deliveries ---------------------------------------------------------
def webhook_subscribed(*, organization_id: int, event: str) -> bool:
    """Whether an active endpoint of the organization is subscribed to ``event`` (what
    webhook_event_emit would queue a delivery for), for callers that announce many events at once."""
    return any(
        event in e.events
        for e in WebhookEndpoint.objects.filter(organization_id=organization_id, is_active=True).only("events")
    )


def webhook_event_emit(
    *, organization_id: int, event: str, data: dict, event_id: uuid.UUID | None = None
) -> list[WebhookDelivery]:
    """Queue one delivery of ``event`` per active endpoint of the organization subscribed to it;
    each is sent by a Celery task once the current transaction commits.

    ``event_id`` makes the emission idempotent: an endpoint that already has a delivery of that
    event id gets no second one (a signal sent again, e.g. a run's completion announced twice, queues
    nothing new)."""
    if event not in WebhookEvent.values:
        raise ValueError(f"unknown webhook event {event!r}")
    # JSON containment is not portable (SQLite), and an organization has a handful of endpoints.
    endpoints = [
        e for e in WebhookEndpoint.objects.filter(organization_id=organization_id, is_active=True) if event in e.events
    ]
    if not endpoints:
        return []
    event_id = event_id or uuid.uuid4()
    done = set(
        WebhookDelivery.objects.filter(event_id=event_id, replay_of=None, endpoint__in=endpoints).values_list(
            "endpoint_id", flat=True
        )
    )
    org = Organization.objects.only("slug").get(pk=organization_id)
    payload = {
        "id": str(event_id),
        "type": event,
        "created_at": timezone.now().isoformat().replace("+00:00", "Z"),
        "organization": org.slug,
        "data": data,
    }
    deliveries = [
        WebhookDelivery.objects.create(endpoint=e, event=event, event_id=event_id, payload=payload)
        for e in endpoints
        if e.pk not in done
    ]
    for d in deliveries:
        _send_on_commit(d.pk)
    return deliveries


def _send_on_commit(delivery_id: int) -> None:
    from .tasks import webhook_deliver

    # robust: a broker outage must not undo the business transaction; the delivery stays pending
    # in the log and can be replayed.
    transaction.on_commit(lambda: webhook_deliver.delay(delivery_id), robust=True)


def webhook_delivery_replay(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a logged delivery again, as a new delivery with the same event id and payload."""
    copy = WebhookDelivery.objects.create(
        endpoint=delivery.endpoint,
        event=delivery.event,
        event_id=delivery.event_id,
        payload=delivery.payload,
        replay_of=delivery,
    )
    _send_on_commit(copy.pk)
    return copy


def webhook_body(*, delivery: WebhookDelivery) -> bytes:
    """The exact bytes sent (and signed) for a delivery."""
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()


def webhook_retry_delay(*, attempts: int) -> float:
    """Exponential backoff after the ``attempts``-th failure: base, 2·base, 4·base... capped."""
    base = float(_setting("TSUMIKI_WEBHOOK_RETRY_BASE_SECONDS", 30))
    cap = float(_setting("TSUMIKI_WEBHOOK_RETRY_MAX_SECONDS", 6 * 3600))
    return min(cap, base * 2 ** max(0, attempts - 1))


class WebhookTargetRefused(ValueError):
    """A webhook URL the product may not call (scheme, non-public address): said at creation."""


def webhook_target_check(*, url: str) -> None:
    """Refuse a target URL before it is stored, by the fetcher's rules (apps.api.fetcher): https
    only unless plain http is allowed, and no host that is or resolves to a non-public address
    (resolved only while network use is on). The delivery checks again: DNS can change."""
    problem = url_check_for_storage(url)
    if problem is not None:
        raise WebhookTargetRefused(problem)


def webhook_delivery_attempt(*, delivery_id: int) -> float | None:
    """Make one attempt at a delivery and log it. Returns the delay before the next attempt when
    it failed and attempts remain (the task retries with it), else None."""
    max_attempts = int(_setting("TSUMIKI_WEBHOOK_MAX_ATTEMPTS", 6))
    # Claim the attempt with a conditional UPDATE so two workers never send the same attempt.
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING], attempts__lt=max_attempts
    ).update(attempts=F("attempts") + 1, last_attempt_at=now, next_attempt_at=None)
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    body = webhook_body(delivery=delivery)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Tsumiki-Webhooks/1.0",
        "Tsumiki-Event": delivery.event,
        "Tsumiki-Event-Id": str(delivery.event_id),
        "Tsumiki-Delivery": str(delivery.pk),
        "Tsumiki-Attempt": str(delivery.attempts),
        SIGNATURE_HEADER: sign(secret=endpoint.secret, body=body),
    }
    code: int | None = None
    excerpt = error = ""
    retryable = True
    policy = policy_from_settings(timeout=float(_setting("TSUMIKI_WEBHOOK_TIMEOUT", 5.0)), max_bytes=4096)
    try:
        if not endpoint.is_active:
            raise FetchRefused("the endpoint is disabled")
        # The fetcher checks the address and connects to exactly that address (no second DNS
        # lookup to rebind); a redirect is an answer, not followed.
        response = fetch(
            endpoint.url,
            policy=policy,
            method="POST",
            body=body,
            headers=headers,
            follow_redirects=False,
            truncate=True,
        )
        code = response.status
        excerpt = response.text(500)
        ok = response.ok
        if not ok:
            error = f"HTTP {code}"
    except FetchError as e:
        ok, retryable, error = False, e.retryable, str(e)
    if ok:
        WebhookDelivery.objects.filter(pk=delivery_id).update(
            status=DeliveryStatus.SUCCEEDED, response_code=code, response_excerpt=excerpt, error="", delivered_at=now
        )
        return None
    again = retryable and delivery.attempts < max_attempts
    delay = webhook_retry_delay(attempts=delivery.attempts) if again else None
    WebhookDelivery.objects.filter(pk=delivery_id).update(
        status=DeliveryStatus.RETRYING if again else DeliveryStatus.FAILED,
        response_code=code,
        response_excerpt=excerpt,
        error=error[:500],
        next_attempt_at=now + timedelta(seconds=delay) if delay is not None else None,
    )
    log.info("webhook delivery %s attempt %s failed: %s", delivery_id, delivery.attempts, error)
    return delay
