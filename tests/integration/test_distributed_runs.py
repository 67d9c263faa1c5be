"""Runs cut into chunks and scored by real worker processes: same ranking with 1 or 2 workers, and a
worker killed with SIGKILL mid-run loses nothing."""

from __future__ import annotations

import time

import pytest

from apps.matching.models import ChunkStatus, MatchRun, RunStatus
from apps.matching.selectors import ranks_of, run_order
from apps.matching.services import match_run_start, match_runs_sweep
from tests.factories import OrganizationFactory, make_job

from .conftest import bulk_pool

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _ranking(run: MatchRun) -> list[tuple[int, float, bool, int]]:
    ranks = ranks_of(run=run, candidate_ids=None)
    rows = run.scores.order_by(*run_order(run)).values_list("candidate_id", "score", "must_have_met")
    return [(c, s, m, ranks[c]) for c, s, m in rows]


def _wait(run_id: int, timeout: float = 300, sweep_every: float | None = None) -> MatchRun:
    deadline = time.monotonic() + timeout
    last_sweep = time.monotonic()
    while time.monotonic() < deadline:
        run = MatchRun.objects.get(id=run_id)
        if run.status in (RunStatus.SUCCEEDED, RunStatus.FAILED):
            return run
        if sweep_every and time.monotonic() - last_sweep > sweep_every:
            match_runs_sweep(stale_after=sweep_every)
            last_sweep = time.monotonic()
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} did not finish in {timeout}s: {MatchRun.objects.get(id=run_id).status}")


def test_one_and_two_workers_give_identical_rankings(celery_workers):
    org = OrganizationFactory(slug="dist")
    job = make_job(org, [{"name": "SQL", "required": True}, "data analysis", {"name": "statistics", "weight": 2}])
    bulk_pool(org, 3000)
    workers = celery_workers(1, TSUMIKI_CHUNK_SIZE=400)
    one = _wait(match_run_start(job=job).id)
    assert one.status == RunStatus.SUCCEEDED, one.error
    assert one.chunks_total == 8 and one.pool_size == 3000
    celery_workers(1, TSUMIKI_CHUNK_SIZE=400)  # now two
    two = _wait(match_run_start(job=job).id)
    assert two.status == RunStatus.SUCCEEDED, two.error
    ranking = _ranking(two)
    assert ranking == _ranking(one)
    assert [r[3] for r in ranking] == list(range(1, 3001))
    # both workers took part in the second run (each chunk attempt is recorded)
    assert sum(1 for w in workers if "match_chunk_score" in w.log.read_text()) == 2


def test_worker_killed_mid_run_then_run_completes_identically(celery_workers):
    org = OrganizationFactory(slug="faults")
    job = make_job(org, [{"name": "SQL", "required": True}, "data analysis", "Python programming", "teamwork"])
    bulk_pool(org, 20_000, seed=7)
    celery_workers(1, TSUMIKI_CHUNK_SIZE=1000)
    calm = _wait(match_run_start(job=job).id)
    assert calm.status == RunStatus.SUCCEEDED, calm.error
    victims = celery_workers(1, TSUMIKI_CHUNK_SIZE=1000)  # a second worker, the one we kill
    run = match_run_start(job=job)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and MatchRun.objects.get(id=run.id).chunks_done < 3:
        time.sleep(0.05)
    victims[-1].kill()
    done = _wait(run.id, sweep_every=3.0)
    assert done.status == RunStatus.SUCCEEDED, done.error
    assert done.chunks.filter(status=ChunkStatus.DONE).count() == done.chunks_total == 20
    assert _ranking(done) == _ranking(calm)
