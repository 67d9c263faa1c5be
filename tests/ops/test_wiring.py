"""Cross-app wiring: who did what lands in the audit log, runs started while the broker is down are sent by
the sweeper once it is back, erasure over the API, the daily audit purge, the shortlists' cheap count and
the API key's throttled last-used time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts import audit
from apps.accounts.models import ApiKey, AuditEvent
from apps.accounts.services import api_key_authenticate, api_key_create
from apps.candidates.models import Candidate
from apps.matching import services as matching_services
from apps.matching import tasks as matching_tasks
from apps.matching.models import MatchRun, RunStatus
from apps.matching.selectors import run_order

pytestmark = pytest.mark.django_db


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


# --- the sweeper and undispatched runs -----------------------------------------------------------------


@pytest.fixture
def sent(monkeypatch) -> list[int]:
    """Run ids that match_runs_sweep sends (planning tasks are recorded, not executed)."""
    ids: list[int] = []
    monkeypatch.setattr(matching_tasks.match_run_plan, "delay", ids.append)
    return ids


def _queued(job, *, age_s: float) -> MatchRun:
    run = matching_services.match_run_start(job=job, dispatch=False)
    MatchRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(seconds=age_s))
    return run


def test_match_run_start_without_dispatch_sends_nothing(job, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        matching_services.match_run_start(job=job, dispatch=False)
    assert callbacks == []
    with django_capture_on_commit_callbacks() as callbacks:
        matching_services.match_run_start(job=job)
    assert len(callbacks) == 1


def test_sweep_sends_a_held_back_run_once_the_broker_answers(job, sent, monkeypatch):
    monkeypatch.setattr("apps.api.broker.broker_available", lambda **kw: False)
    held = _queued(job, age_s=45)
    fresh = _queued(job, age_s=5)
    assert matching_services.match_runs_sweep() == 0 and sent == []  # broker still down: nothing to send to

    monkeypatch.setattr("apps.api.broker.broker_available", lambda **kw: True)
    assert matching_services.match_runs_sweep() == 1
    assert sent == [held.pk]  # not the fresh one: match_run_start may just have sent it
    held.refresh_from_db()
    assert held.status == RunStatus.QUEUED and held.heartbeat_at is not None

    # Sent once: while it waits in the queue the next sweeps leave it alone, until it is stale.
    assert matching_services.match_runs_sweep() == 0 and sent == [held.pk]
    stale = timezone.now() - timedelta(seconds=settings.TSUMIKI_STALE_RUN_SECONDS + 5)
    MatchRun.objects.filter(pk=held.pk).update(created_at=stale, heartbeat_at=stale)
    MatchRun.objects.filter(pk=fresh.pk).update(heartbeat_at=timezone.now())  # as if sent
    assert matching_services.match_runs_sweep() == 1 and sent == [held.pk, held.pk]


def test_sweep_does_not_ask_the_broker_when_nothing_waits(job, sent, monkeypatch):
    def refuse(**kw):
        raise AssertionError("broker_available called")

    monkeypatch.setattr("apps.api.broker.broker_available", refuse)
    _queued(job, age_s=5)
    assert matching_services.match_runs_sweep() == 0


# --- audit events --------------------------------------------------------------------------------------


def test_api_run_start_and_explanation_are_audited(api_client_for, org, job, pool, django_capture_on_commit_callbacks):
    api = api_client_for(org)
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post(f"/api/v1/jobs/{job.pk}/match-runs/")
    assert r.status_code == 202, r.content
    (e,) = _events(audit.MATCH_RUN_STARTED)
    run = MatchRun.objects.get(pk=r.json()["id"])
    assert e.actor.startswith("api-key:") and e.object_id == str(run.pk)
    assert e.details["run_id"] == run.pk and e.details["model_name"] == run.model_name
    assert e.details["parameters"] == run.parameters and e.details["taxonomy_version"]

    cand = run.scores.first().candidate_id
    assert api.get(f"/api/v1/jobs/{job.pk}/candidates/{cand}/explanation/").status_code == 200
    (v,) = _events(audit.CANDIDATE_VIEWED)
    assert v.object_id == str(cand) and v.details == {"job_id": job.pk, "run_id": run.pk}


def test_api_start_with_broker_down_is_audited_too(api_client_for, org, job, broker_down):
    r = api_client_for(org).post(f"/api/v1/jobs/{job.pk}/match-runs/")
    assert r.status_code == 503
    (e,) = _events(audit.MATCH_RUN_STARTED)
    assert e.details["run_id"] == r.json()["run_id"]
    assert r.json()["run_url"].endswith(f"/api/v1/match-runs/{r.json()['run_id']}/")


def test_dashboard_actions_are_audited(rclient, recruiter, org, job, finished_run, django_capture_on_commit_callbacks):
    cand = finished_run.scores.order_by(*run_order(finished_run)).first().candidate
    kw = {"job_id": job.pk, "candidate_id": cand.pk}

    rclient.get(reverse("dashboard:candidate", kwargs=kw))
    rclient.post(reverse("dashboard:reveal", kwargs=kw))
    rclient.get(reverse("dashboard:candidate", kwargs=kw))
    rclient.post(reverse("dashboard:decide", kwargs=kw), {"decision": "shortlist"})
    rclient.get(reverse("dashboard:shortlist_csv", kwargs={"job_id": job.pk}), {"min_score": "10"})
    with django_capture_on_commit_callbacks(execute=True):
        rclient.post(reverse("dashboard:run_start", kwargs={"job_id": job.pk}))

    viewed = _events(audit.CANDIDATE_VIEWED)
    assert [v.details for v in viewed] == [{"job_id": job.pk, "revealed": False}, {"job_id": job.pk, "revealed": True}]
    (revealed,) = _events(audit.CANDIDATE_REVEALED)
    assert (revealed.actor_user, revealed.object_id, revealed.details) == (recruiter, str(cand.pk), {"job_id": job.pk})
    (decided,) = _events(audit.DECISION_RECORDED)
    d = cand.decisions.get()
    assert decided.details == {
        "job_id": job.pk,
        "decision": "shortlist",
        "decision_id": d.pk,
        "stage_id": d.stage_id,
        "stage": "Shortlisted",
        "with_reason": False,
    }
    (exported,) = _events(audit.SHORTLIST_EXPORTED)
    assert exported.details == {"run_id": finished_run.pk, "filters": {"min_score": "10"}}
    (started,) = _events(audit.MATCH_RUN_STARTED)
    assert started.details["run_id"] == MatchRun.objects.filter(job=job).latest("id").pk
    assert all(e.organization_id == org.pk for e in AuditEvent.objects.all())


def test_api_delete_is_an_audited_erasure(api_client_for, org, finished_run):
    cand = finished_run.scores.first().candidate
    before = finished_run.pool_size
    r = api_client_for(org).delete(f"/api/v1/candidates/{cand.pk}/")
    assert r.status_code == 204
    assert not Candidate.objects.filter(pk=cand.pk).exists()
    (e,) = _events(audit.CANDIDATE_ERASED)
    assert e.actor.startswith("api-key:") and e.object_id == str(cand.pk) and e.details["erased"]["match_scores"] == 1
    finished_run.refresh_from_db()
    assert finished_run.pool_size == before - 1 == finished_run.scores.count()


# --- audit retention (beat) ----------------------------------------------------------------------------


def test_daily_purge_task(org, settings):
    from apps.accounts.tasks import audit_purge

    settings.TSUMIKI_AUDIT_RETENTION_DAYS = 200
    old = AuditEvent.objects.create(
        organization=org, actor="system", action="old.thing", created_at=timezone.now() - timedelta(days=201)
    )
    recent = AuditEvent.objects.create(organization=org, actor="system", action="new.thing")
    assert audit_purge() == 1
    assert not AuditEvent.objects.filter(pk=old.pk).exists() and AuditEvent.objects.filter(pk=recent.pk).exists()
    entry = settings.CELERY_BEAT_SCHEDULE["purge-audit"]
    assert entry["task"] == audit_purge.name == "accounts.audit_purge"
    settings.TSUMIKI_AUDIT_RETENTION_DAYS = 30
    with pytest.raises(audit.RetentionTooShort):
        audit_purge()


# --- links ---------------------------------------------------------------------------------------------


def test_job_page_links_the_fairness_report_and_footer_the_model_card(rclient, job, finished_run):
    body = rclient.get(reverse("dashboard:job", kwargs={"job_id": job.pk})).content.decode()
    assert reverse("dashboard:fairness", kwargs={"job_id": job.pk}) in body
    assert reverse("dashboard:model_card") in body


# --- load fixes ----------------------------------------------------------------------------------------


def _counts(ctx) -> int:
    return sum("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)


def test_shortlists_count_from_pool_size_unless_filtered(rclient, api_client_for, org, job, finished_run):
    api = api_client_for(org)
    path = f"/api/v1/jobs/{job.pk}/shortlist/"
    with CaptureQueriesContext(connection) as ctx:
        r = api.get(path)
    assert r.json()["count"] == finished_run.pool_size == 3 and _counts(ctx) == 0
    with CaptureQueriesContext(connection) as ctx:
        r = api.get(path, {"min_score": 1})
    assert _counts(ctx) == 1 and r.json()["count"] == finished_run.scores.filter(score__gte=1).count()

    page = reverse("dashboard:shortlist", kwargs={"job_id": job.pk})
    with CaptureQueriesContext(connection) as ctx:
        r = rclient.get(page)
    assert r.context["page"].paginator.count == 3 and len(r.context["rows"]) == 3 and _counts(ctx) == 0
    with CaptureQueriesContext(connection) as ctx:
        r = rclient.get(page, {"must_have": "yes"})
    assert _counts(ctx) == 1
    assert r.context["page"].paginator.count == finished_run.scores.filter(must_have_met=True).count()


def test_api_key_last_used_is_written_at_most_once_a_minute(org):
    key, raw = api_key_create(organization=org, scopes=["read"])
    with CaptureQueriesContext(connection) as ctx:
        assert api_key_authenticate(raw=raw) is not None
    assert len(ctx.captured_queries) == 2  # lookup + touch
    first = ApiKey.objects.get(pk=key.pk).last_used_at
    with CaptureQueriesContext(connection) as ctx:
        api_key_authenticate(raw=raw)
    assert len(ctx.captured_queries) == 1 and ApiKey.objects.get(pk=key.pk).last_used_at == first
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now() - timedelta(seconds=61))
    api_key_authenticate(raw=raw)
    assert ApiKey.objects.get(pk=key.pk).last_used_at > first
