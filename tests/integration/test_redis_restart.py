"""Redis restarted in the middle of a run (it keeps nothing on disk here, so queued tasks are lost):
the workers reconnect, the sweeper re-sends the lost chunks, and the run completes with the scores of an
undisturbed run. Runs last (tests/integration/conftest.py orders it): it restarts the shared Redis."""

from __future__ import annotations

import shutil
import subprocess
import time

import pytest

from apps.matching.models import MatchRun, RunStatus
from apps.matching.services import match_run_start
from tests.factories import OrganizationFactory, make_job

from .conftest import bulk_pool
from .test_distributed_runs import _ranking, _wait

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    "/var/lib/redis",
    "--logfile",
    "/var/log/redis/ci.log",
]


def _redis_up() -> bool:
    return subprocess.run(["redis-cli", "-p", "6379", "ping"], capture_output=True, text=True).stdout.strip() == "PONG"


def _restart_redis() -> None:
    subprocess.run(["redis-cli", "-p", "6379", "shutdown", "nosave"], capture_output=True)
    deadline = time.monotonic() + 10
    while _redis_up() and time.monotonic() < deadline:
        time.sleep(0.1)
    subprocess.run(REDIS_START, check=True, capture_output=True)
    deadline = time.monotonic() + 20
    while not _redis_up():
        if time.monotonic() > deadline:
            raise RuntimeError("Redis did not come back")
        time.sleep(0.1)


@pytest.mark.skipif(not shutil.which("redis-server"), reason="needs a local redis-server to restart")
@pytest.mark.restarts_redis
def test_run_survives_a_redis_restart(celery_workers):
    org = OrganizationFactory(slug="redis-restart")
    job = make_job(org, [{"name": "SQL", "required": True}, "data analysis", "teamwork"])
    bulk_pool(org, 8000, seed=3)
    celery_workers(1, TSUMIKI_CHUNK_SIZE=400)
    calm = _wait(match_run_start(job=job).id)
    assert calm.status == RunStatus.SUCCEEDED, calm.error
    run = match_run_start(job=job)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and MatchRun.objects.get(id=run.id).chunks_done < 2:
        time.sleep(0.05)
    try:
        _restart_redis()
    finally:
        if not _redis_up():
            subprocess.run(REDIS_START, capture_output=True)
    done = _wait(run.id, timeout=300, sweep_every=3.0)
    assert done.status == RunStatus.SUCCEEDED, done.error
    assert _ranking(done) == _ranking(calm)
