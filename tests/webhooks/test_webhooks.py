"""Webhooks: subscriptions over the API, signed deliveries a receiver can verify, retries with
exponential backoff after failures, the delivery log and replay, and the events that emit them."""

from __future__ import annotations

import json

import pytest

from apps.matching.models import MatchRun
from apps.matching.services import match_run_start
from apps.matching.signals import candidate_rescored, match_run_completed
from apps.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from apps.webhooks.services import webhook_endpoint_create, webhook_event_emit, webhook_retry_delay
from apps.webhooks.signals import credential_verified
from apps.webhooks.signing import sign, verify
from tests.api.conftest import assert_problem
from tests.factories import credential, make_candidate, make_job

from .receiver import webhook_receiver

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _local_receivers(settings):
    settings.TSUMIKI_FETCH_ENABLED = True  # deliveries go to the local receiver only
    settings.TSUMIKI_FETCH_ALLOW_HTTP = True
    settings.TSUMIKI_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]  # the receiver listens there
    settings.TSUMIKI_WEBHOOK_TIMEOUT = 3
    settings.TSUMIKI_WEBHOOK_MAX_ATTEMPTS = 4


def subscribe(api, url: str, events=("match_run.completed",)) -> dict:
    response = api.post("/api/v1/webhooks/", {"url": url, "events": list(events)}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_signature_round_trip_and_tampering():
    body = b'{"type":"match_run.completed"}'
    header = sign(secret="whsec_x", body=body, timestamp=1_700_000_000)
    assert header.startswith("t=1700000000,v1=")
    assert verify(secret="whsec_x", body=body, header=header, now=1_700_000_100)
    assert not verify(secret="whsec_x", body=body + b" ", header=header, now=1_700_000_100)
    assert not verify(secret="whsec_y", body=body, header=header, now=1_700_000_100)
    assert not verify(secret="whsec_x", body=body, header=header, now=1_700_009_999)  # too old: replayed
    assert not verify(secret="whsec_x", body=body, header="garbage", now=1_700_000_100)


def test_backoff_is_exponential_and_capped(settings):
    settings.TSUMIKI_WEBHOOK_RETRY_BASE_SECONDS = 30
    settings.TSUMIKI_WEBHOOK_RETRY_MAX_SECONDS = 600
    assert [webhook_retry_delay(attempts=n) for n in range(1, 7)] == [30, 60, 120, 240, 480, 600]


def test_subscribe_shows_the_secret_once(api, org):
    created = subscribe(api, "https://hr.example.com/hooks")
    assert created["secret"].startswith("whsec_")
    assert created["events"] == ["match_run.completed"]
    shown = api.get(created["self_url"]).json()
    assert "secret" not in shown
    assert [e["id"] for e in api.get("/api/v1/webhooks/").json()["results"]] == [created["id"]]
    patched = api.patch(created["self_url"], {"events": ["credential.verified"], "is_active": False}, format="json")
    assert patched.status_code == 200, patched.content
    assert patched.json()["events"] == ["credential.verified"] and patched.json()["is_active"] is False
    rotated = api.post(f"{created['self_url']}rotate-secret/").json()
    assert rotated["secret"] != created["secret"]
    assert WebhookEndpoint.objects.get().secret == rotated["secret"]


@pytest.mark.parametrize(
    "body",
    [
        {"url": "ftp://hr.example.com/x", "events": ["match_run.completed"]},
        {"url": "https://hr.example.com/x", "events": ["nope"]},
        {"url": "https://hr.example.com/x", "events": []},
        {"events": ["match_run.completed"]},
    ],
)
def test_invalid_subscription_is_400(api, body):
    problem = assert_problem(api.post("/api/v1/webhooks/", body, format="json"), 400)
    assert problem["errors"]
    assert not WebhookEndpoint.objects.exists()


def test_match_run_completed_is_delivered_signed_and_verifiable(api, org, django_capture_on_commit_callbacks):
    job = make_job(org, ["SQL"], job_id="analyst")
    make_candidate(org, cid="c-1", credentials=[credential("SQL course", ["SQL"])])
    with webhook_receiver() as receiver:
        endpoint = subscribe(api, receiver.url)
        with django_capture_on_commit_callbacks(execute=True):
            response = api.post(f"/api/v1/jobs/{job.pk}/match-runs/")
        assert response.status_code == 202
    run = MatchRun.objects.get()
    assert run.status == "succeeded"
    assert len(receiver.requests) == 1
    got = receiver.requests[0]
    # what a receiver does: check the signature over the raw body before trusting anything
    assert verify(secret=endpoint["secret"], body=got.body, header=got.headers["Tsumiki-Signature"])
    event = json.loads(got.body)
    assert event["type"] == "match_run.completed" == got.headers["Tsumiki-Event"]
    assert event["id"] == got.headers["Tsumiki-Event-Id"]
    assert event["organization"] == org.slug
    data = event["data"]["match_run"]
    assert data["id"] == run.pk and data["job"] == job.pk and data["job_external_id"] == "analyst"
    assert data["pool_size"] == 1 and data["shortlist_url"].endswith(f"/api/v1/jobs/{job.pk}/shortlist/")
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.SUCCEEDED and delivery.attempts == 1 and delivery.response_code == 200
    # sending the signal again (e.g. from match_run_perform as well) adds no second delivery
    with django_capture_on_commit_callbacks(execute=True):
        match_run_completed.send(sender=MatchRun, run=run)
    assert WebhookDelivery.objects.count() == 1


def test_failures_are_retried_with_backoff_then_succeed(api, org, django_capture_on_commit_callbacks):
    with webhook_receiver(statuses=[500, 503]) as receiver:
        endpoint = subscribe(api, receiver.url, events=["candidate.rescored"])
        cand = make_candidate(org, cid="c-9", skills=["SQL"])
        with django_capture_on_commit_callbacks(execute=True):
            candidate_rescored.send(sender=type(cand), candidate=cand)
    # eager Celery runs the retries at once; a worker would wait 30 s, then 60 s
    assert len(receiver.requests) == 3
    assert [r.headers["Tsumiki-Attempt"] for r in receiver.requests] == ["1", "2", "3"]
    assert len({r.headers["Tsumiki-Event-Id"] for r in receiver.requests}) == 1
    for r in receiver.requests:
        assert verify(secret=endpoint["secret"], body=r.body, header=r.headers["Tsumiki-Signature"])
    assert json.loads(receiver.requests[0].body)["data"]["candidate"]["external_id"] == "c-9"
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.attempts == 3 and delivery.response_code == 200


def test_gives_up_after_max_attempts_and_replay_sends_again(api, org, django_capture_on_commit_callbacks):
    with webhook_receiver(statuses=[500] * 4) as receiver:
        subscribe(api, receiver.url, events=["credential.verified"])
        cand = make_candidate(org, cid="c-3", credentials=[credential("Badge", ["SQL"])])
        cred = cand.credentials.get()
        with django_capture_on_commit_callbacks(execute=True):
            credential_verified.send(sender=type(cred), credential=cred)
        assert len(receiver.requests) == 4
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 4
        assert delivery.response_code == 500 and delivery.error == "HTTP 500"
        listed = api.get("/api/v1/webhook-deliveries/", {"status": "failed"}).json()["results"]
        assert [d["id"] for d in listed] == [delivery.pk]
        assert listed[0]["payload"]["data"]["credential"]["title"] == "Badge"
        with django_capture_on_commit_callbacks(execute=True):
            response = api.post(listed[0]["replay_url"])
        assert response.status_code == 202, response.content
        assert len(receiver.requests) == 5  # the receiver is healthy again
    replayed = api.get(response["Location"]).json()
    assert replayed["status"] == "succeeded" and replayed["replay_of"] == delivery.pk
    assert replayed["event_id"] == str(delivery.event_id)
    assert receiver.requests[-1].headers["Tsumiki-Event-Id"] == str(delivery.event_id)


def test_unreachable_receiver_is_logged_not_raised(org, django_capture_on_commit_callbacks, settings):
    settings.TSUMIKI_WEBHOOK_MAX_ATTEMPTS = 2
    webhook_endpoint_create(organization=org, url="http://127.0.0.1:9/nothing", events=["candidate.rescored"])
    with django_capture_on_commit_callbacks(execute=True):
        webhook_event_emit(organization_id=org.pk, event="candidate.rescored", data={})
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 2
    assert delivery.response_code is None and "ConnectionError" in delivery.error


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "https://[::ffff:127.0.0.1]/hook",
        "https://[::1]:8443/hook",
        "https://10.0.0.5/hook",
        "https://localhost/hook",
        "ftp://hr.example.com/hook",
        "file:///etc/passwd",
    ],
)
def test_private_targets_are_refused_at_creation(api, settings, url):
    settings.TSUMIKI_FETCH_ALLOWED_HOSTS = []
    response = api.post("/api/v1/webhooks/", {"url": url, "events": ["candidate.rescored"]}, format="json")
    assert_problem(response, 400)
    assert "url" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_plain_http_is_refused_unless_allowed(api, settings):
    settings.TSUMIKI_FETCH_ALLOW_HTTP = False
    response = api.post(
        "/api/v1/webhooks/", {"url": "http://hr.example.com/h", "events": ["candidate.rescored"]}, format="json"
    )
    assert_problem(response, 400)
    assert "https" in response.content.decode()


def test_changing_a_target_to_a_private_one_is_refused(api, settings):
    created = subscribe(api, "https://hr.example.com/hooks")
    settings.TSUMIKI_FETCH_ALLOWED_HOSTS = []
    response = api.patch(created["self_url"], {"url": "http://169.254.169.254/"}, format="json")
    assert_problem(response, 400)
    assert WebhookEndpoint.objects.get().url == "https://hr.example.com/hooks"


def test_private_destinations_are_refused_at_delivery(org, settings, django_capture_on_commit_callbacks):
    """A target stored before the rule, or whose name now resolves privately, is refused when sent."""
    with webhook_receiver() as receiver:
        webhook_endpoint_create(organization=org, url=receiver.url, events=["candidate.rescored"])
        settings.TSUMIKI_FETCH_ALLOWED_HOSTS = []
        with django_capture_on_commit_callbacks(execute=True):
            webhook_event_emit(organization_id=org.pk, event="candidate.rescored", data={})
    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 1  # not retried
    assert "not a public address" in delivery.error


def test_with_network_use_off_nothing_is_sent(org, settings, django_capture_on_commit_callbacks):
    with webhook_receiver() as receiver:
        webhook_endpoint_create(organization=org, url=receiver.url, events=["candidate.rescored"])
        settings.TSUMIKI_FETCH_ENABLED = False
        with django_capture_on_commit_callbacks(execute=True):
            webhook_event_emit(organization_id=org.pk, event="candidate.rescored", data={})
    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED and "switched off" in delivery.error


def test_only_subscribed_active_endpoints_of_the_org_get_events(org, other_org, django_capture_on_commit_callbacks):
    with webhook_receiver() as receiver:
        webhook_endpoint_create(organization=org, url=receiver.url + "?a", events=["match_run.completed"])
        webhook_endpoint_create(organization=org, url=receiver.url + "?b", events=["credential.verified"])
        paused = webhook_endpoint_create(organization=org, url=receiver.url + "?c", events=["match_run.completed"])
        paused.is_active = False
        paused.save()
        webhook_endpoint_create(organization=other_org, url=receiver.url + "?d", events=["match_run.completed"])
        job = make_job(org, ["SQL"])
        make_candidate(org, cid="c", skills=["SQL"])
        with django_capture_on_commit_callbacks(execute=True):
            match_run_start(job=job)
    assert [r.path for r in receiver.requests] == ["/hooks/tsumiki?a"]


def test_deliveries_and_endpoints_of_another_org_are_404(api, other_org, client_for):
    theirs = webhook_endpoint_create(organization=other_org, url="https://b.example.com", events=["candidate.rescored"])
    delivery = WebhookDelivery.objects.create(endpoint=theirs, event="candidate.rescored", payload={})
    for method, url in [
        ("get", f"/api/v1/webhooks/{theirs.pk}/"),
        ("patch", f"/api/v1/webhooks/{theirs.pk}/"),
        ("delete", f"/api/v1/webhooks/{theirs.pk}/"),
        ("post", f"/api/v1/webhooks/{theirs.pk}/rotate-secret/"),
        ("get", f"/api/v1/webhook-deliveries/{delivery.pk}/"),
        ("post", f"/api/v1/webhook-deliveries/{delivery.pk}/replay/"),
    ]:
        body = {"is_active": False} if method == "patch" else None
        assert_problem(getattr(api, method)(url, body, format="json"), 404)
    assert api.get("/api/v1/webhooks/").json()["results"] == []
    assert api.get("/api/v1/webhook-deliveries/").json()["results"] == []
    assert WebhookDelivery.objects.count() == 1 and WebhookEndpoint.objects.get().is_active


def test_with_a_worker_the_task_retries_with_the_backoff_countdown(org, monkeypatch, settings):
    """Outside eager mode a failed attempt re-queues the task via Celery's retry, with the delay."""
    from celery.exceptions import Retry

    from apps.webhooks.tasks import webhook_deliver

    settings.TSUMIKI_WEBHOOK_RETRY_BASE_SECONDS = 30
    endpoint = webhook_endpoint_create(organization=org, url="http://127.0.0.1:9/x", events=["candidate.rescored"])
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event="candidate.rescored", payload={})
    countdowns = []

    def fake_retry(countdown=None, **kwargs):
        countdowns.append(countdown)
        return Retry("retry", when=countdown)

    monkeypatch.setattr(webhook_deliver, "retry", fake_retry)
    for _ in range(3):
        with pytest.raises(Retry):
            webhook_deliver.run(delivery.pk)  # called directly: not eager, like a worker
    assert countdowns == [30, 60, 120]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRYING and delivery.attempts == 3 and delivery.next_attempt_at


def test_the_receiver_snippet_in_the_docs_accepts_our_signatures():
    """docs/api.md's Python check agrees with what we send (and rejects a tampered body)."""
    import re
    import time
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text()
    snippet = re.search(r"```python\n(.*?def tsumiki_signature_ok.*?)```", doc, re.S).group(1)
    namespace: dict = {}
    exec(compile(snippet, "docs/api.md", "exec"), namespace)  # noqa: S102 - our own documentation
    ok = namespace["tsumiki_signature_ok"]
    body = b'{"id":"e1","type":"match_run.completed"}'
    header = sign(secret="whsec_doc", body=body, timestamp=int(time.time()))
    assert ok("whsec_doc", body, header)
    assert not ok("whsec_doc", body + b"x", header)
    assert not ok("whsec_doc", body, sign(secret="whsec_doc", body=body, timestamp=int(time.time()) - 3600))
