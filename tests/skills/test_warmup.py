"""Warm start: the model loads in a background thread (never on a request), /readyz reports it, and the
requests that need the model answer at once while it loads."""

from __future__ import annotations

import threading
import time

import pytest
from django.urls import reverse

from apps.skills import warmup
from apps.skills.apps import _serving_runserver

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_state(monkeypatch):
    monkeypatch.setattr(warmup, "_state", warmup.WarmupState())
    yield
    monkeypatch.setattr(warmup, "_state", warmup.WarmupState())


@pytest.mark.parametrize(
    "argv, run_main, expected",
    [
        (["manage.py", "runserver"], "true", True),
        (["manage.py", "runserver"], None, False),  # the autoreloader's parent does not serve
        (["manage.py", "runserver", "--noreload"], None, True),
        (["manage.py", "migrate"], "true", False),
        (["manage.py", "makemigrations"], None, False),
        (["manage.py", "test"], None, False),
        (["pytest"], None, False),
    ],
)
def test_only_a_serving_runserver_starts_it(monkeypatch, argv, run_main, expected):
    if run_main:
        monkeypatch.setenv("RUN_MAIN", run_main)
    else:
        monkeypatch.delenv("RUN_MAIN", raising=False)
    assert _serving_runserver(argv) is expected


def test_off_means_ready_and_nothing_starts(fresh_state, settings):
    settings.TSUMIKI_WARM_START = False
    assert warmup.warmup_start() is False
    assert warmup.model_ready() is True
    assert warmup.state().status == warmup.IDLE


def test_start_returns_at_once_and_loads_in_the_background(fresh_state, settings, monkeypatch):
    settings.TSUMIKI_WARM_START = True
    release = threading.Event()

    def slow_load():
        release.wait(5)
        warmup._state.status = warmup.READY
        warmup._state.finished = time.monotonic()

    monkeypatch.setattr(warmup, "_load", slow_load)
    started = time.perf_counter()
    assert warmup.warmup_start() is True
    assert time.perf_counter() - started < 0.5  # never blocks startup
    assert warmup.warmup_start() is False  # once per process
    assert warmup.model_ready() is False
    assert warmup.readiness()["status"] == "loading"
    release.set()
    for _ in range(100):
        if warmup.model_ready():
            break
        time.sleep(0.02)
    assert warmup.model_ready() is True


def _loading(settings):
    settings.TSUMIKI_WARM_START = True
    warmup._state.status = warmup.LOADING
    warmup._state.started = time.monotonic() - 12


def test_readyz_reports_loading_then_ready(client, fresh_state, settings):
    _loading(settings)
    resp = client.get("/readyz")
    assert resp.status_code == 503
    body = resp.json()
    assert body["failed"] == ["model"] and body["checks"]["model"]["status"] == "loading"
    assert body["checks"]["model"]["seconds"] >= 12
    warmup._state.status = warmup.READY
    assert client.get("/readyz").status_code == 200


def test_api_extract_answers_503_with_retry_after_while_loading(client, fresh_state, settings, recruiter, monkeypatch):
    from apps.skills import services

    monkeypatch.setattr(services, "skills_extract", lambda **kw: pytest.fail("loaded on the request path"))
    _loading(settings)
    client.force_login(recruiter)
    started = time.perf_counter()
    resp = client.post("/api/v1/skills/extract/", {"text": "We need SQL."}, content_type="application/json")
    assert time.perf_counter() - started < 2
    assert resp.status_code == 503
    assert resp["Content-Type"] == "application/problem+json"
    assert int(resp["Retry-After"]) > 0
    assert "still loading" in resp.json()["detail"]


def test_editor_suggest_says_loading_and_retries_by_itself(client, fresh_state, settings, recruiter, monkeypatch):
    from apps.dashboard.views import editor

    monkeypatch.setattr(editor, "_extract", lambda description: pytest.fail("loaded on the request path"))
    _loading(settings)
    client.force_login(recruiter)
    resp = client.post(
        reverse("dashboard:skills_from_description"),
        {"description": "We need SQL and Python.", "skills-a1-name": ""},
        HTTP_HX_REQUEST="true",
    )
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "Loading the skill model, 12 s so far" in html
    assert 'hx-trigger="load delay:2s"' in html  # asks again by itself


def test_autocomplete_uses_label_search_while_loading(client, fresh_state, settings, recruiter, monkeypatch):
    from apps.skills import services
    from apps.skills.models import Skill, SkillLabel
    from apps.skills.vocabulary import phrases_ensure

    monkeypatch.setattr(services, "normalize", lambda **kw: pytest.fail("loaded on the request path"))
    pid = phrases_ensure(texts=["SQL"], embed=False)["sql"]
    skill = Skill.objects.create(uri="http://example.org/sql", preferred_label="SQL")
    SkillLabel.objects.create(skill=skill, phrase_id=pid, text="SQL", kind="preferred")
    _loading(settings)
    client.force_login(recruiter)
    resp = client.get(reverse("dashboard:skill_suggest"), {"q": "sq"})
    assert '<option value="SQL">' in resp.content.decode()
