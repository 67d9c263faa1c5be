"""The Celery application.

Without ``CELERY_BROKER_URL`` the settings turn on eager mode, so the embedded default runs every
task in-process; with a broker, ``celery -A config worker`` runs them.
"""

import logging
import os
import random
import threading

from celery import Celery
from celery.signals import worker_process_init, worker_ready, worker_shutdown

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("tsumiki")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
log = logging.getLogger(__name__)


@worker_process_init.connect
def _warm_start(**kwargs) -> None:
    """Each worker process loads the skill model in the background as it starts (apps.skills.warmup), so
    the first import that embeds new phrases does not wait for it."""
    from apps.skills.warmup import warmup_after_fork

    warmup_after_fork()


def _sweep_once() -> None:
    """One pass of both sweepers (each claims what it re-sends, so every worker may run them)."""
    from django.db import close_old_connections

    from apps.candidates.services import candidate_imports_sweep
    from apps.matching.services import match_runs_sweep

    close_old_connections()
    try:
        match_runs_sweep()
        candidate_imports_sweep()
    finally:
        close_old_connections()


def _sweep_forever(interval: float, stop: threading.Event) -> None:
    # started with a random offset, so that workers started together do not all sweep in the same second
    if stop.wait(random.uniform(0, interval)):
        return
    while True:
        try:
            _sweep_once()
        except Exception:  # noqa: BLE001 - a failed pass (database away) must not end the sweeping
            log.warning("worker sweep failed", exc_info=True)
        if stop.wait(interval):
            return


_sweeper_stop = threading.Event()


@worker_ready.connect
def _start_sweeper(sender=None, **kwargs) -> None:
    """Every worker re-sends lost work itself, every TSUMIKI_WORKER_SWEEP_SECONDS (default 10; 0: off): a
    match run or an import whose worker was killed finishes on the workers that remain, with or without
    celery beat (apps.matching.services.match_runs_sweep, apps.candidates.services.candidate_imports_sweep).
    A thread of the worker's main process, so it sweeps even while a solo pool is busy with a long task."""
    from django.conf import settings

    interval = float(getattr(settings, "TSUMIKI_WORKER_SWEEP_SECONDS", 10))
    if interval <= 0 or getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return
    _sweeper_stop.clear()
    threading.Thread(target=_sweep_forever, args=(interval, _sweeper_stop), name="tsumiki-sweeper", daemon=True).start()


@worker_shutdown.connect
def _stop_sweeper(**kwargs) -> None:
    _sweeper_stop.set()
