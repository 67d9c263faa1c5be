"""Idempotency-Key on POST: a replay gets the same response and creates nothing new."""

from __future__ import annotations

import pytest

from apps.api.models import IdempotencyKey
from apps.candidates.models import Candidate
from apps.jobs.models import Job
from apps.matching.models import MatchRun
from tests.factories import make_candidate, make_job

from .conftest import assert_problem, job_body

pytestmark = pytest.mark.django_db


def post(api, url, body=None, key="key-1", **extra):
    return api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=key, **extra)


def test_replayed_job_post_returns_the_same_response_and_creates_nothing(api):
    first = post(api, "/api/v1/jobs/", job_body())
    assert first.status_code == 201
    again = post(api, "/api/v1/jobs/", job_body())
    assert again.status_code == 201
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")
    assert Job.objects.count() == 1
    # without the key the same body is a new request: a duplicate id, 409
    assert_problem(api.post("/api/v1/jobs/", job_body(), format="json"), 409)


def test_replayed_match_run_start_starts_no_second_run(api, org, django_capture_on_commit_callbacks):
    job = make_job(org, ["SQL"])
    make_candidate(org, cid="c", skills=["SQL"])
    with django_capture_on_commit_callbacks(execute=True):
        first = post(api, f"/api/v1/jobs/{job.pk}/match-runs/")
        again = post(api, f"/api/v1/jobs/{job.pk}/match-runs/")
    assert first.status_code == again.status_code == 202
    assert again["Location"] == first["Location"] and again.json()["id"] == first.json()["id"]
    assert MatchRun.objects.count() == 1


def test_replayed_candidate_post_does_not_replace_again(api):
    body = {"id": "c-1", "skills": ["SQL"]}
    first = post(api, "/api/v1/candidates/", body)
    updated_at = Candidate.objects.get().updated_at
    again = post(api, "/api/v1/candidates/", body)
    assert again.content == first.content
    assert Candidate.objects.get().updated_at == updated_at


def test_same_key_different_body_is_422(api):
    assert post(api, "/api/v1/jobs/", job_body()).status_code == 201
    problem = assert_problem(post(api, "/api/v1/jobs/", job_body(id="other")), 422)
    assert "Idempotency-Key" in problem["errors"]
    problem = assert_problem(post(api, "/api/v1/candidates/", {"id": "c-1"}), 422)  # another path
    assert Job.objects.count() == 1 and not Candidate.objects.exists()


def test_errors_below_500_are_replayed_too(api):
    bad = post(api, "/api/v1/jobs/", {"title": "no skills"})
    assert_problem(bad, 400)
    again = post(api, "/api/v1/jobs/", {"title": "no skills"})
    assert again.status_code == 400 and again.content == bad.content
    assert again["Content-Type"].startswith("application/problem+json")


def test_keys_are_per_organization(api, other_org, client_for):
    assert post(api, "/api/v1/jobs/", job_body()).status_code == 201
    theirs = post(client_for(other_org), "/api/v1/jobs/", job_body())
    assert theirs.status_code == 201 and not theirs.has_header("Idempotent-Replayed")
    assert Job.objects.count() == 2


def test_a_key_still_in_progress_is_409(api):
    """A retry racing the first request (its response not stored yet) must not run it twice."""
    first = post(api, "/api/v1/jobs/", job_body())
    assert first.status_code == 201
    IdempotencyKey.objects.update(response_status=None, response_body=None)  # as while it runs
    problem = assert_problem(post(api, "/api/v1/jobs/", job_body()), 409)
    assert "still being processed" in problem["detail"]
    assert Job.objects.count() == 1


def test_a_server_error_releases_the_key(api, monkeypatch):
    from apps.jobs.api import views

    def boom(**kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(views, "job_create", boom)
    api.raise_request_exception = False
    assert post(api, "/api/v1/jobs/", job_body()).status_code == 500
    assert not IdempotencyKey.objects.exists()
    monkeypatch.undo()
    assert post(api, "/api/v1/jobs/", job_body()).status_code == 201  # the retry runs for real


def test_invalid_key_is_400(api):
    assert_problem(post(api, "/api/v1/jobs/", job_body(), key="x" * 256), 400)
    assert_problem(post(api, "/api/v1/jobs/", job_body(), key="has space"), 400)
    assert not Job.objects.exists()


def test_expired_keys_run_again(api, settings):
    settings.TSUMIKI_IDEMPOTENCY_TTL = 0
    assert post(api, "/api/v1/candidates/", {"id": "c-1"}).status_code == 201
    again = post(api, "/api/v1/candidates/", {"id": "c-1"})
    assert again.status_code == 201 and not again.has_header("Idempotent-Replayed")


def test_a_500_while_rendering_the_answer_releases_the_key(api, monkeypatch):
    """The answer failed after the view returned (rendering): the key used to stay claimed ("still
    being processed") until the lock expired."""
    from apps.jobs.api.views import JobViewSet

    real = JobViewSet.get_serializer

    def unrenderable(self, *args, **kwargs):
        serializer = real(self, *args, **kwargs)
        return type("S", (), {"data": {"weight": float("inf")}})() if self.action == "create" else serializer

    monkeypatch.setattr(JobViewSet, "get_serializer", unrenderable)
    api.raise_request_exception = False
    assert post(api, "/api/v1/jobs/", job_body()).status_code == 500
    assert not IdempotencyKey.objects.exists()
    monkeypatch.undo()
    Job.objects.all().delete()
    assert post(api, "/api/v1/jobs/", job_body()).status_code == 201


def test_with_the_broker_down_a_retried_run_start_returns_the_first_run(api, org, monkeypatch, settings):
    """The run is saved (queued) and the 503 says so; retries with the same key replay that answer
    instead of saving a second and third run."""
    monkeypatch.setattr("apps.api.broker.broker_available", lambda **kw: False)
    job = make_job(org, ["SQL"])
    answers = [post(api, f"/api/v1/jobs/{job.pk}/match-runs/", key="run-1") for _ in range(3)]
    assert [a.status_code for a in answers] == [503, 503, 503]
    assert MatchRun.objects.filter(job=job).count() == 1
    run = MatchRun.objects.get(job=job)
    assert {a.json()["run_id"] for a in answers} == {run.pk}
    assert answers[1]["Idempotent-Replayed"] == "true"
    # a new key is a new request
    assert post(api, f"/api/v1/jobs/{job.pk}/match-runs/", key="run-2").status_code == 503
    assert MatchRun.objects.filter(job=job).count() == 2
