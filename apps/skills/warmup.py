"""Warm start: load the encoder(s) and the taxonomy index in a background thread when a web or worker
process starts, so that no request waits for them.

Loading MiniLM (torch, sentence-transformers), the auxiliary encoder and the label index takes tens of
seconds on a busy machine; the first "Suggest skills from the description" used to pay for all of it.
Now a process that serves requests starts :func:`warmup_start` once (apps.skills.apps.SkillsConfig.ready
for ``runserver``, config.wsgi for gunicorn/uwsgi, gunicorn's ``post_fork`` in config/gunicorn_conf.py,
Celery's ``worker_process_init`` in config.celery_app). Request paths that need the model ask
:func:`model_ready` first and answer "not yet, retry in a moment" instead of loading it themselves
(apps.dashboard.views.editor, apps.skills.api.views); ``/readyz`` reports the state (config.health).

With ``TSUMIKI_WARM_START`` off (the test settings, management commands) nothing starts in the background
and :func:`model_ready` is always true: callers then load on first use, as before.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings

log = logging.getLogger(__name__)

IDLE, LOADING, READY, FAILED = "idle", "loading", "ready", "failed"


@dataclass
class WarmupState:
    """Where this process's warm-up stands (one per process; threads share it)."""

    status: str = IDLE
    started: float | None = None  # time.monotonic()
    finished: float | None = None
    error: str = ""
    step: str = ""

    def seconds(self) -> float:
        if self.started is None:
            return 0.0
        return (self.finished or time.monotonic()) - self.started


_state = WarmupState()
_lock = threading.Lock()


def enabled() -> bool:
    return bool(getattr(settings, "TSUMIKI_WARM_START", False))


def state() -> WarmupState:
    return _state


def _load() -> None:
    # Imported here: importing the services pulls in numpy and the ORM, not the model (that is the point).
    from django.db import close_old_connections

    from . import services
    from .selectors import taxonomy_index
    from .vocabulary import aux_spec, encoder

    try:
        _state.step = "encoder"
        enc = encoder()
        enc.encode(["warm start"])  # the first encode call is slow too (allocations, graph tracing)
        spec = aux_spec()
        if spec:
            _state.step = "auxiliary encoder"
            encoder(spec).encode(["warm start"])
        _state.step = "taxonomy index"
        index = taxonomy_index()
        if index.size:
            _state.step = "extraction"
            # one short extraction runs every code path the first real one would (n-gram encoding, fusion)
            services.skills_extract(text="Python programming and SQL for data analysis.", top_k=3)
        _state.status, _state.step = READY, ""
        log.info("warm start: encoder and taxonomy index ready in %.1f s", _state.seconds())
    except Exception as e:  # a broken model or database: report it, and let requests say so
        _state.status, _state.error = FAILED, f"{type(e).__name__}: {e}"[:500]
        log.exception("warm start failed")
    finally:
        _state.finished = time.monotonic()
        close_old_connections()


def warmup_start(*, force: bool = False) -> bool:
    """Start loading in a daemon thread unless it is running or done in this process. Never blocks.
    Returns whether a thread was started. ``force`` starts even with TSUMIKI_WARM_START off."""
    global _state
    if not (enabled() or force):
        return False
    with _lock:
        if _state.status in (LOADING, READY):
            return False
        _state = WarmupState(status=LOADING, started=time.monotonic())
    threading.Thread(target=_load, name="tsumiki-warm-start", daemon=True).start()
    return True


def warmup_after_fork() -> None:
    """In a process forked from one that had started (a preloading gunicorn master, a Celery prefork
    parent): the thread did not survive the fork, so start again here."""
    global _state
    with _lock:
        if _state.status == LOADING:
            _state = WarmupState()
    warmup_start()


def model_ready() -> bool:
    """Whether a request may use the encoder now without loading it. With warm start on and the load
    not started yet (a process nothing started it in), starting it is this call's side effect."""
    if not enabled():
        return True
    if _state.status == IDLE:
        warmup_start()
    return _state.status == READY


def retry_after_seconds() -> int:
    """A fair guess of how long until :func:`model_ready` turns true, for Retry-After."""
    return 3 if _state.status == LOADING else 5


def readiness() -> dict:
    """The state for /readyz: ``{"ok", "status", "seconds", "step"?, "error"?}``."""
    s = _state
    out: dict = {"ok": s.status == READY, "status": s.status, "seconds": round(s.seconds(), 1)}
    if s.step:
        out["step"] = s.step
    if s.error:
        out["error"] = s.error
    return out
