"""Thin Celery tasks: take ids, call a service. Named ``<entity>_<verb>`` like the services they call;
the names they had before (``was``) stay registered, so that tasks a broker queued under them before a
deploy still run (apps.core.tasks, tests/ops/test_task_names.py)."""

from __future__ import annotations

import contextlib
import threading

from apps.core.tasks import task

from . import services

_local = threading.local()


@contextlib.contextmanager
def inline():
    """Within this block, tasks sent by the matching services run in this process, immediately
    (services.match_run_perform uses it whatever the broker settings)."""
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


@task("matching.match_run_plan", was=["matching.plan_match_run"], acks_late=True)
def _match_run_plan(run_id: int) -> str:
    run = services.match_run_plan(run_id=run_id)
    return run.status if run else "skipped"


@task("matching.match_chunk_score", was=["matching.score_chunk"], acks_late=True, bind=True)
def _match_chunk_score(self, chunk_id: int) -> bool:
    return services.match_chunk_score(chunk_id=chunk_id, worker=self.request.hostname or "")


@task("matching.candidate_rescore", was=["matching.rescore_candidate"], acks_late=True)
def _candidate_rescore(candidate_id: int) -> int:
    from apps.candidates.models import Candidate

    candidate = Candidate.objects.filter(id=candidate_id).first()
    return len(services.candidate_rescore(candidate=candidate)) if candidate else 0


@task("matching.match_runs_sweep", was=["matching.sweep_runs"])
def match_runs_sweep() -> int:
    """Periodic (beat): re-send work lost with a worker."""
    return services.match_runs_sweep()


match_run_plan = _Task(_match_run_plan)
match_chunk_score = _Task(_match_chunk_score)
candidate_rescore = _Task(_candidate_rescore)
