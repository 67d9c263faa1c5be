"""Is the Celery broker reachable right now? Asked before a match run is started, so that a request
never hangs on a dead Redis and the client hears "queued, will start later" instead of silence.

apps.matching.services.match_run_start sends its task with ``transaction.on_commit(..., robust=True)``,
which swallows a failed publish; this check is how the API view (apps.matching.api.views) and the
dashboard (apps.dashboard.views.recruiter) learn that the broker is down. /readyz (config.health)
uses it too.
"""

from __future__ import annotations

import logging

from django.conf import settings
from kombu.connection import Connection
from rest_framework import status

from apps.api.errors import Problem

log = logging.getLogger(__name__)

# Seconds a client should wait before asking again (Retry-After on the 503).
RETRY_AFTER_SECONDS = 30


def broker_available(*, timeout: float = 1.0, url: str | None = None) -> bool:
    """True when a connection to the broker opens within ``timeout`` seconds. Always True in eager
    mode (no broker configured): tasks then run in-process and cannot be lost to a broker outage."""
    url = settings.CELERY_BROKER_URL if url is None else url
    if not url or getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return True
    # A fresh connection, not the app's producer pool: the pool would keep a broken connection and
    # its retry policy would block for seconds.
    conn = Connection(
        url,
        connect_timeout=timeout,
        transport_options={"socket_connect_timeout": timeout, "socket_timeout": timeout, "max_retries": 0},
    )
    try:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, interval_max=0, timeout=timeout)
        return True
    except Exception as e:  # any transport error means "not available"; the caller decides what to say
        log.warning("broker %s unavailable: %s", conn.as_uri(), e)
        return False
    finally:
        conn.release()


class BrokerUnavailable(Problem):
    """503 problem+json for a run that was saved but could not be queued. ``wait`` makes DRF's
    exception handler send ``Retry-After``; apps.api.errors keeps that header. When the run was saved
    the answer is kept for its Idempotency-Key (apps.api.idempotency), so a retry names the same run."""

    def __init__(self, *, run_id: int | None = None, run_url: str | None = None):
        detail = (
            "The task queue is unavailable, so the match run could not be started now. "
            + (
                f"Run {run_id} is saved as queued and starts automatically when the queue is back; poll it. "
                if run_id is not None
                else ""
            )
            + f"Retry after {RETRY_AFTER_SECONDS} seconds if it does not."
        )
        super().__init__(detail, status_code=status.HTTP_503_SERVICE_UNAVAILABLE, run_id=run_id, run_url=run_url)
        self.wait = RETRY_AFTER_SECONDS
        self.keeps_idempotency = run_id is not None
