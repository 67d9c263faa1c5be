"""Integration fixtures: real PostgreSQL, Redis and a `celery worker` subprocess.

`make test` runs this folder in a second pytest session with DATABASE_URL pointing at PostgreSQL and
CELERY_BROKER_URL at Redis. Without those services the tests skip locally but fail under CI=true.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_collection_modifyitems(config, items) -> None:
    """The Redis-restart test restarts the shared Redis that every other integration test uses, so it
    runs after them, whatever order the files are collected in."""
    items.sort(key=lambda item: item.get_closest_marker("restarts_redis") is not None)


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"integration services required under CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


def _check_services() -> None:
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        _unavailable("DATABASE_URL is not PostgreSQL")
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        _unavailable("CELERY_BROKER_URL is not Redis")
    import redis

    try:
        redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2).ping()
    except Exception as e:  # noqa: BLE001 - any connection failure means "not available"
        _unavailable(f"Redis not reachable: {e}")


@pytest.fixture(scope="session")
def services(django_db_setup):
    _check_services()


class Worker:
    """A `celery -A config worker` process bound to the test database."""

    def __init__(self, name: str, db_url: str, log: Path, extra_env: dict | None = None):
        env = dict(
            os.environ,
            DATABASE_URL=db_url,
            CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
            DJANGO_SETTINGS_MODULE="config.settings.test",
            PYTHONUNBUFFERED="1",
            **(extra_env or {}),
        )
        self.name = name
        self.log = log
        self._fh = log.open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-P",
                "solo",
                "-n",
                f"{name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._fh,
            stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        """kill -9: no goodbye, no ack, whatever the worker was doing is lost."""
        self.proc.kill()
        self.proc.wait(timeout=20)
        self._fh.close()

    def stop(self) -> None:
        if self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._fh.close()


def _test_db_url() -> str:
    from django.db import connection

    base = urlparse(os.environ["DATABASE_URL"])
    return urlunparse(base._replace(path="/" + connection.settings_dict["NAME"]))


def wait_for_workers(n: int, timeout: float = 90) -> None:
    from config.celery_app import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=1.0) or []
        if len(replies) >= n:
            return
        time.sleep(0.5)
    raise TimeoutError(f"{n} celery worker(s) did not answer a ping within {timeout}s")


@pytest.fixture
def celery_workers(services, tmp_path):
    """Start N workers on demand: ``workers = celery_workers(2)``; they are stopped after the test."""
    from config.celery_app import app

    app.control.purge()  # nothing left over from an earlier run reaches these workers
    started: list[Worker] = []

    def start(n: int = 1, **env) -> list[Worker]:
        for _ in range(n):
            k = len(started) + 1
            started.append(
                Worker(
                    f"w{k}-{os.getpid()}",
                    _test_db_url(),
                    tmp_path / f"worker{k}.log",
                    {key: str(v) for key, v in env.items()},
                )
            )
        wait_for_workers(sum(1 for w in started if w.proc.poll() is None))
        return started

    yield start
    for w in started:
        w.stop()


def bulk_pool(org, n: int, *, seed: int = 0) -> None:
    """``n`` candidates with 3–8 credential skills each drawn from a small phrase set, written with
    bulk inserts (the services would embed the same few phrases anyway)."""
    import random

    from apps.candidates.models import Candidate
    from apps.credentials.models import Credential, CredentialSkill, VerificationStatus
    from apps.skills.vocabulary import phrases_ensure

    rng = random.Random(seed)
    texts = [
        "SQL",
        "data analysis",
        "Python programming",
        "statistics",
        "report writing",
        "forklift operation",
        "customer service",
        "machine learning",
        "data visualisation",
        "spreadsheets",
        "project management",
        "SQL queries",
        "analyse data",
        "teamwork",
        "patient care",
    ]
    ids = phrases_ensure(texts=texts)
    from apps.skills.text import normalize_phrase

    pids = [ids[normalize_phrase(t)] for t in texts]
    cands = Candidate.objects.bulk_create(
        [Candidate(organization=org, external_id=f"b{i:06d}") for i in range(n)], batch_size=5000
    )
    creds = Credential.objects.bulk_create(
        [
            Credential(
                candidate=c,
                title=f"Badge {c.external_id}",
                issued_on=f"{rng.randint(2018, 2026)}-03-01",
                verification_status=rng.choice([VerificationStatus.VERIFIED, VerificationStatus.UNVERIFIED]),
            )
            for c in cands
        ],
        batch_size=5000,
    )
    rows = []
    for cr in creds:
        for j in rng.sample(range(len(texts)), rng.randint(3, 8)):
            rows.append(CredentialSkill(credential=cr, phrase_id=pids[j], text=texts[j]))
    CredentialSkill.objects.bulk_create(rows, batch_size=10000)
