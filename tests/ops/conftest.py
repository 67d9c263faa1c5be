"""Fixtures for the operations tests: a broker URL nobody listens on, and run helpers."""

from __future__ import annotations

import socket

import pytest
from django.test import override_settings

from tests.dashboard.conftest import (  # noqa: F401 - shared dashboard fixtures (job, pool, finished_run, ...)
    finished_run,
    job,
    make_user,
    other_recruiter,
    pool,
    rclient,
    recruiter,
    run_match_now,
    sclient,
    seeker,
)


def closed_port() -> int:
    """A local TCP port with nothing listening (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def broker_down():
    """Settings as in the services mode, with the broker URL pointing at a closed local port. The
    Celery app's own config is switched too, so anything that publishes would really try Redis."""
    from config.celery_app import app

    url = f"redis://127.0.0.1:{closed_port()}/0"
    saved = {k: app.conf.get(k) for k in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=url, task_always_eager=False)
    try:
        with override_settings(CELERY_BROKER_URL=url, CELERY_TASK_ALWAYS_EAGER=False):
            yield url
    finally:
        app.conf.update(**saved)


@pytest.fixture
def api_client_for():
    """``api_client_for(org, scopes=("read", "write"))``: an APIClient sending a fresh key of ``org``."""
    from rest_framework.test import APIClient

    from apps.accounts.services import api_key_create

    def make(org, scopes=("read", "write")) -> APIClient:
        _, raw = api_key_create(organization=org, scopes=list(scopes))
        c = APIClient()
        c.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return c

    return make
