"""/healthz (liveness, no database) and /readyz (database and broker, 503 naming what failed)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from ..redis_probe import needs_redis

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_ok_in_eager_mode_checks_database_only(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["failed"] == []
    assert body["checks"]["database"]["ok"] is True
    assert "broker" not in body["checks"]  # no broker configured: tasks run in-process


def test_readyz_503_names_the_database_when_it_fails(client, monkeypatch):
    from config import health

    monkeypatch.setattr(health, "_check_database", lambda: "OperationalError")
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failed"] == ["database"]
    assert body["checks"]["database"]["ok"] is False
    assert body["checks"]["database"]["error"] == "OperationalError"


def test_readyz_503_names_the_broker_when_redis_is_down(client, broker_down):
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["broker"]
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ms"] < 2000  # short timeout: probes must not hang


@needs_redis
def test_readyz_ok_with_a_live_broker(client):
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:6379/15", CELERY_TASK_ALWAYS_EAGER=False):
        response = client.get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json()["checks"]["broker"]["ok"] is True


def test_probes_are_get_only(client):
    assert client.post("/healthz").status_code == 405
