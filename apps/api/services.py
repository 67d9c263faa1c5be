"""Writes for the API-wide records: idempotency keys (apps.api.idempotency). Keyword-only functions
named ``<entity>_<action>``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.models import Organization

from .models import IdempotencyKey


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
            claimed = IdempotencyKey.objects.create(
                organization=organization, key=key, method=method, path=path[:2000], fingerprint=fingerprint
            )
        return IdempotencyOutcome(claimed=claimed)
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
