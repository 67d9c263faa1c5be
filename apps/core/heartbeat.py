"""A sign of life written while long work runs: a daemon thread calls ``beat()`` every ``every`` seconds
until the block ends. A row's heartbeat that stops moving means its worker is gone (killed, its machine
lost), so a sweeper may hand the work to another worker well before any time limit (apps.matching.services
.match_runs_sweep, apps.candidates.services.candidate_imports_sweep).

The thread uses its own database connection, closed when it stops; an error in ``beat()`` is logged and the
beating goes on (a missed beat costs at most a needless re-send of idempotent work).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db import connection

log = logging.getLogger(__name__)


def heartbeat_seconds() -> float:
    """How often running work writes its heartbeat (TSUMIKI_HEARTBEAT_SECONDS, default 5)."""
    return float(getattr(settings, "TSUMIKI_HEARTBEAT_SECONDS", 5.0))


@contextlib.contextmanager
def beating(beat: Callable[[], object], *, every: float | None = None) -> Iterator[None]:
    """Run ``beat()`` every ``every`` seconds in a daemon thread while the block runs. With eager
    (in-process) tasks there is no worker to lose and no sweeper to read the beat, and SQLite would make
    the thread's write wait for the work's own transaction: nothing is started then."""
    interval = heartbeat_seconds() if every is None else every
    if interval <= 0 or getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False) or connection.vendor == "sqlite":
        yield
        return
    stop = threading.Event()

    def loop() -> None:
        try:
            while not stop.wait(interval):
                try:
                    beat()
                except Exception:  # noqa: BLE001 - a lost beat must not end the work it reports on
                    log.warning("heartbeat failed", exc_info=True)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=loop, name="tsumiki-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=interval + 30)
