"""Redis down: starting a run answers 503 problem+json (API) or a clear message (dashboard) and keeps
the run queued for the sweeper (apps.matching.tasks.match_runs_sweep); reading shortlists keeps working."""

from __future__ import annotations

import time

import pytest
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from apps.api.broker import RETRY_AFTER_SECONDS, BrokerUnavailable, broker_available
from apps.matching.models import MatchRun, RunStatus

from ..redis_probe import needs_redis

pytestmark = pytest.mark.django_db


def test_broker_available_is_false_fast_on_a_closed_port(broker_down):
    started = time.perf_counter()
    assert broker_available(timeout=0.5) is False
    assert time.perf_counter() - started < 2.0


def test_broker_available_is_true_in_eager_mode():
    assert broker_available() is True


@needs_redis
def test_broker_available_with_live_redis(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/15"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert broker_available() is True


def test_broker_unavailable_renders_as_503_problem_with_retry_after():
    class Start(APIView):
        authentication_classes: list = []
        permission_classes: list = []

        def post(self, request):
            raise BrokerUnavailable(run_id=7, run_url="http://testserver/api/v1/match-runs/7/")

    response = Start.as_view()(APIRequestFactory().post("/api/v1/jobs/1/match-runs/"))
    response.render()
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/problem+json")
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    body = response.data
    assert body["run_id"] == 7 and body["run_url"].endswith("/match-runs/7/")
    assert "queue is unavailable" in body["detail"] and "starts automatically" in body["detail"]


def test_shortlists_read_fine_while_redis_is_down(rclient, api_client_for, org, finished_run, broker_down):
    job = finished_run.job
    assert rclient.get(f"/jobs/{job.pk}/shortlist/").status_code == 200
    assert rclient.get(f"/jobs/{job.pk}/shortlist.csv").status_code == 200
    api = api_client_for(org)
    r = api.get(f"/api/v1/jobs/{job.pk}/shortlist/")
    assert r.status_code == 200 and r.json()["count"] == 3
    assert (
        api.get(f"/api/v1/jobs/{job.pk}/candidates/{finished_run.scores.first().candidate_id}/explanation/").status_code
        == 200
    )


def test_api_start_with_redis_down_is_503_and_keeps_the_run(
    api_client_for, org, job, broker_down, django_capture_on_commit_callbacks
):
    api = api_client_for(org)
    started = time.perf_counter()
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post(f"/api/v1/jobs/{job.pk}/match-runs/")
    assert time.perf_counter() - started < 5
    assert r.status_code == 503, r.content
    assert r["Content-Type"].startswith("application/problem+json") and r["Retry-After"]
    run = MatchRun.objects.get(job=job)
    assert run.status == RunStatus.QUEUED  # nothing lost: the sweeper sends it when Redis is back
    assert r.json()["run_id"] == run.pk


def test_dashboard_start_with_redis_down_says_so_and_keeps_the_run(
    rclient, job, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        r = rclient.post(f"/jobs/{job.pk}/runs/", follow=True)
    assert r.status_code == 200
    run = MatchRun.objects.get(job=job)
    assert run.status == RunStatus.QUEUED
    assert "queue is unavailable" in r.content.decode()
