"""Health probes for load balancers and orchestrators (docker/compose.yml healthchecks).

``/healthz``: liveness; the process answers HTTP. Touches nothing else, so a database outage never
makes an orchestrator restart every web container.
``/readyz``: readiness; the database answers a query, when CELERY_BROKER_URL is set the broker
accepts a connection within TSUMIKI_READY_BROKER_TIMEOUT seconds, and with TSUMIKI_WARM_START on this
process has loaded the skill model and taxonomy index in the background (apps.skills.warmup; ``model``
says ``loading`` with the seconds so far until then). 503 with what failed otherwise.
Both are plain Django views (no session, no auth, no CSRF) and exempt from the HTTPS redirect.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.api.broker import broker_available
from apps.skills import warmup

log = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _check_database() -> str | None:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as e:  # any driver error means "not ready"; report its class, not its text (DSNs)
        log.warning("readyz: database check failed: %r", e)
        return type(e).__name__
    return None


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, dict] = {}
    started = time.perf_counter()
    error = _check_database()
    checks["database"] = {"ok": error is None, **({"error": error} if error else {})}
    checks["database"]["ms"] = round(1000 * (time.perf_counter() - started), 1)
    if settings.CELERY_BROKER_URL and not settings.CELERY_TASK_ALWAYS_EAGER:
        started = time.perf_counter()
        ok = broker_available(timeout=settings.TSUMIKI_READY_BROKER_TIMEOUT)
        checks["broker"] = {"ok": ok, "ms": round(1000 * (time.perf_counter() - started), 1)}
        if not ok:
            checks["broker"]["error"] = "unreachable"
    if warmup.enabled():
        checks["model"] = warmup.readiness()
    failed = sorted(name for name, c in checks.items() if not c["ok"])
    body = {"status": "ok" if not failed else "unavailable", "failed": failed, "checks": checks}
    return JsonResponse(body, status=503 if failed else 200)
