"""Thin Celery tasks: take ids, call a service."""

from __future__ import annotations

import contextlib
import threading

from celery import shared_task

from . import services

_local = threading.local()


@contextlib.contextmanager
def inline():
    """Within this block, tasks sent by the matching services run in this process, immediately
    (services.match_run_execute uses it whatever the broker settings)."""
    prev = getattr(_local, "inline", False)
    _local.inline = True
    try:
        yield
    finally:
        _local.inline = prev


def is_inline() -> bool:
    return getattr(_local, "inline", False)


class _Task:
    """Wraps a shared task so ``.delay`` runs inline inside :func:`inline`."""

    def __init__(self, task):
        self.task = task

    def delay(self, *args):
        if getattr(_local, "inline", False):
            return self.task.run(*args)
        return self.task.delay(*args)


@shared_task(name="matching.plan_match_run", acks_late=True)
def _plan_match_run(run_id: int) -> str:
    run = services.match_run_plan(run_id=run_id)
    return run.status if run else "skipped"


@shared_task(name="matching.score_chunk", acks_late=True, bind=True)
def _score_chunk(self, chunk_id: int) -> bool:
    return services.match_chunk_execute(chunk_id=chunk_id, worker=self.request.hostname or "")


@shared_task(name="matching.rescore_candidate", acks_late=True)
def _rescore_candidate(candidate_id: int) -> int:
    from apps.candidates.models import Candidate

    candidate = Candidate.objects.filter(id=candidate_id).first()
    return len(services.candidate_rescore(candidate=candidate)) if candidate else 0


@shared_task(name="matching.sweep_runs")
def sweep_runs() -> int:
    """Periodic (beat): re-send work lost with a worker."""
    return services.runs_sweep()


plan_match_run = _Task(_plan_match_run)
score_chunk = _Task(_score_chunk)
rescore_candidate = _Task(_rescore_candidate)
# kept for callers of the single-task era (apps.api receivers listen for this task name)
run_match = plan_match_run
