"""Writes for the API-wide records: idempotency keys, webhooks (endpoints, events, deliveries) and
background candidate imports. Keyword-only functions named ``<entity>_<action>``; views and tasks
stay thin and call these."""

from __future__ import annotations

import json
import logging
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from apps.accounts.models import Organization
from apps.core.heartbeat import beating
from apps.core.inputs import InputError, loads
from apps.core.interchange import CandidateDoc, InterchangeError, parse_candidate

from .fetcher import FetchError, FetchRefused, fetch, policy_from_settings, url_check_for_storage
from .models import (
    CandidateImport,
    DeliveryStatus,
    IdempotencyKey,
    ImportStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from .signing import SIGNATURE_HEADER, sign

log = logging.getLogger(__name__)


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


# --- idempotency -----------------------------------------------------------------------------
class IdempotencyMismatch(Exception):
    """The key was used before for a different request (another body, path or method)."""


class IdempotencyInProgress(Exception):
    """The first request with this key has not finished yet."""


@dataclass
class IdempotencyOutcome:
    """Either ``claimed`` (run the request, then ``idempotency_complete`` or ``idempotency_release``)
    or ``replay`` (answer with the stored response, do nothing else)."""

    claimed: IdempotencyKey | None = None
    replay: IdempotencyKey | None = None


def idempotency_begin(
    *, organization: Organization, key: str, method: str, path: str, fingerprint: str
) -> IdempotencyOutcome:
    """Claim ``key`` for this request, or find the finished request to replay.

    The claim is a row insert guarded by the (organization, key) unique constraint, so of two
    concurrent requests with one key exactly one runs; the other gets ``IdempotencyInProgress``."""
    now = timezone.now()
    ttl = timedelta(seconds=_setting("TSUMIKI_IDEMPOTENCY_TTL", 24 * 3600))
    lock = timedelta(seconds=_setting("TSUMIKI_IDEMPOTENCY_LOCK_SECONDS", 300))
    IdempotencyKey.objects.filter(organization=organization, key=key, created_at__lt=now - ttl).delete()
    try:
        with transaction.atomic():
            record = IdempotencyKey.objects.create(
                organization=organization, key=key, method=method, path=path[:2000], fingerprint=fingerprint
            )
        return IdempotencyOutcome(claimed=record)
    except IntegrityError:
        pass
    record = IdempotencyKey.objects.filter(organization=organization, key=key).first()
    if record is None:  # expired and deleted between our two statements: start over
        return idempotency_begin(organization=organization, key=key, method=method, path=path, fingerprint=fingerprint)
    if record.fingerprint != fingerprint:
        raise IdempotencyMismatch(f"{record.method} {record.path}")
    if record.response_status is not None:
        return IdempotencyOutcome(replay=record)
    # A claim whose request died without releasing it (process killed) is taken over after `lock`.
    taken = IdempotencyKey.objects.filter(pk=record.pk, response_status=None, created_at__lt=now - lock).update(
        created_at=now
    )
    if taken:
        record.refresh_from_db()
        return IdempotencyOutcome(claimed=record)
    raise IdempotencyInProgress()


def idempotency_complete(*, record: IdempotencyKey, status: int, body: bytes, headers: dict[str, str]) -> None:
    """Store the response of the claimed request; later requests with the key replay it."""
    IdempotencyKey.objects.filter(pk=record.pk).update(
        response_status=status, response_body=body, response_headers=headers, completed_at=timezone.now()
    )


def idempotency_release(*, record: IdempotencyKey) -> None:
    """Forget a claim whose request failed on our side (5xx), so that a retry runs again."""
    IdempotencyKey.objects.filter(pk=record.pk, response_status=None).delete()


def idempotency_purge(*, older_than: timedelta | None = None) -> int:
    """Delete keys past their time to live; returns how many (for a periodic task or cron)."""
    age = older_than or timedelta(seconds=_setting("TSUMIKI_IDEMPOTENCY_TTL", 24 * 3600))
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=timezone.now() - age).delete()
    return deleted


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
    changes = {"url": url, "description": description, "is_active": is_active}
    changes = {k: v for k, v in changes.items() if v is not None}
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
    event id gets no second one (apps.api.receivers emits match_run.completed from two places)."""
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
    from .tasks import deliver_webhook

    # robust: a broker outage must not undo the business transaction; the delivery stays pending
    # in the log and can be replayed.
    transaction.on_commit(lambda: deliver_webhook.delay(delivery_id), robust=True)


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


# --- background candidate import -------------------------------------------------------------
MAX_IMPORT_ERRORS = 50


def candidate_import_create(*, organization: Organization, text: str) -> CandidateImport:
    """Store a JSON-lines body and queue its import (runs after commit)."""
    total = sum(1 for line in text.split("\n") if line.strip())
    job = CandidateImport.objects.create(organization=organization, source=text, total=total)
    from .tasks import run_candidate_import

    transaction.on_commit(lambda: run_candidate_import.delay(job.pk), robust=True)
    return job


def _validate_lines(lines: Iterable[str]) -> tuple[list[CandidateDoc], list[dict]]:
    """Every candidate of the body, or the errors of the first bad lines (line, field, message)."""
    docs: list[CandidateDoc] = []
    errors: list[dict] = []
    seen: set[str] = set()
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            doc = parse_candidate(loads(raw, line=n), line=n)
            if doc.id in seen:
                raise InterchangeError(f"duplicate candidate id {doc.id!r}", line=n, field="id")
        except InputError as e:
            errors.append({"line": n, "field": e.field, "message": e.message})
        else:
            seen.add(doc.id)
            docs.append(doc)
        if len(errors) >= MAX_IMPORT_ERRORS:
            break
    return docs, errors


def candidate_import_execute(*, import_id: int) -> CandidateImport | None:
    """Run a queued import: validate every line (nothing is stored if one is bad), then store the
    candidates in chunks, recording progress. Claimed with a conditional UPDATE; None if taken. Its
    heartbeat moves while it runs (apps.core.heartbeat), so imports_sweep tells a slow import from a lost one."""
    claimed = CandidateImport.objects.filter(pk=import_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now()
    )
    if not claimed:
        return None
    running = CandidateImport.objects.filter(pk=import_id, status=ImportStatus.RUNNING)
    with beating(lambda: running.update(heartbeat_at=timezone.now())):
        _import_run(import_id)
    return CandidateImport.objects.get(pk=import_id)


def _import_run(import_id: int) -> None:
    from apps.candidates.services import candidates_create

    job = CandidateImport.objects.select_related("organization").get(pk=import_id)
    chunk = int(_setting("TSUMIKI_IMPORT_CHUNK_SIZE", 500))
    try:
        docs, errors = _validate_lines(job.source.split("\n"))
        if errors:
            CandidateImport.objects.filter(pk=import_id).update(
                status=ImportStatus.FAILED, errors=errors, finished_at=timezone.now()
            )
        else:
            created = 0
            for start in range(0, len(docs), chunk):
                part = docs[start : start + chunk]
                created += len(candidates_create(organization=job.organization, docs=part))
                CandidateImport.objects.filter(pk=import_id).update(processed=start + len(part), created=created)
            CandidateImport.objects.filter(pk=import_id).update(
                status=ImportStatus.SUCCEEDED, source="", finished_at=timezone.now()
            )
    except Exception as e:
        log.exception("candidate import %s failed", import_id)
        CandidateImport.objects.filter(pk=import_id).update(
            status=ImportStatus.FAILED,
            errors=[{"line": None, "field": None, "message": f"internal error: {type(e).__name__}"}],
            finished_at=timezone.now(),
        )
        raise


# An import queued this recently was probably just sent by candidate_import_create: imports_sweep leaves it.
IMPORT_RESEND_SECONDS = 30


def imports_sweep(*, stale_after: float | None = None, lost_after: float | None = None) -> int:
    """Re-send background imports that no worker is doing: queued ones whose task was lost (sent while the
    broker was down: candidate_import_create's publish failed quietly), and running ones whose worker
    stopped writing its heartbeat for ``lost_after`` seconds (TSUMIKI_CHUNK_STALE_SECONDS; killed or lost
    with its machine). Safe to send twice: an import is claimed with a conditional UPDATE, and a re-run
    stores the same candidates again (each replaces the one with its id). Returns how many were sent.

    A queued import is re-sent once IMPORT_RESEND_SECONDS old while the broker answers, then at most once
    per ``stale_after`` (TSUMIKI_STALE_RUN_SECONDS) while it stays queued (e.g. behind a busy queue); its
    ``heartbeat_at`` records the last re-send. Workers run this every TSUMIKI_WORKER_SWEEP_SECONDS
    (config.celery_app), and beat too."""
    from .broker import broker_available
    from .tasks import run_candidate_import

    now = timezone.now()
    stale = now - timedelta(
        seconds=stale_after if stale_after is not None else _setting("TSUMIKI_STALE_RUN_SECONDS", 600)
    )
    lost = now - timedelta(
        seconds=lost_after if lost_after is not None else _setting("TSUMIKI_CHUNK_STALE_SECONDS", 30)
    )
    sent = 0
    # running, but the worker's heartbeat stopped: back to queued (claimed once), then sent like a queued one
    dead = CandidateImport.objects.filter(status=ImportStatus.RUNNING, heartbeat_at__lt=lost)
    for import_id in list(dead.values_list("pk", flat=True)):
        if dead.filter(pk=import_id).update(status=ImportStatus.QUEUED, heartbeat_at=None, processed=0, created=0):
            log.warning("candidate import %s lost its worker (no heartbeat): queued again", import_id)
    queued = CandidateImport.objects.filter(status=ImportStatus.QUEUED)
    fresh = Q(created_at__lt=now - timedelta(seconds=IMPORT_RESEND_SECONDS), heartbeat_at__isnull=True)
    due = Q(heartbeat_at__lt=stale)
    if queued.filter(fresh).exists() and broker_available():
        due |= fresh
    for import_id in list(queued.filter(due).order_by("created_at", "pk").values_list("pk", flat=True)):
        if queued.filter(due, pk=import_id).update(heartbeat_at=timezone.now()):
            run_candidate_import.delay(import_id)
            sent += 1
    return sent
