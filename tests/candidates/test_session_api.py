"""A recruiter's session reads /api/v1/candidates/ under the dashboard's rules: degree-blind (no
name, no degrees) unless that recruiter revealed the candidate, and every read is in the audit log.
API keys (HR systems) are unchanged."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.accounts.models import AuditEvent
from apps.accounts.services import api_key_create
from apps.matching.models import RevealLog
from tests.factories import credential, make_candidate, make_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(org):
    hidden = make_candidate(
        org,
        cid="c-hidden",
        name="Hana Hidden",
        credentials=[credential("SQL", ["SQL"])],
        degrees=[{"title": "BSc Computing"}],
    )
    shown = make_candidate(org, cid="c-shown", name="Sora Shown", degrees=[{"title": "MSc Data"}])
    return hidden, shown


def _session(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_session_list_is_blind_except_revealed_and_logged(org, recruiter, people):
    hidden, shown = people
    RevealLog.objects.create(job=make_job(org, ["SQL"]), candidate=shown, user=recruiter)
    response = _session(recruiter).get("/api/v1/candidates/")
    assert response.status_code == 200
    rows = {r["external_id"]: r for r in response.json()["results"]}
    assert rows["c-hidden"]["name"] == ""
    assert [c["kind"] for c in rows["c-hidden"]["credentials"]] == ["microcredential"]
    assert rows["c-shown"]["name"] == "Sora Shown"
    assert "degree" in [c["kind"] for c in rows["c-shown"]["credentials"]]
    assert "Hana Hidden" not in response.content.decode() and "BSc Computing" not in response.content.decode()
    events = AuditEvent.objects.filter(action="candidate.viewed")
    assert {(e.object_id, e.details["revealed"]) for e in events} == {(str(hidden.pk), False), (str(shown.pk), True)}


def test_session_detail_is_blind_and_logged(recruiter, people):
    hidden, _ = people
    response = _session(recruiter).get(f"/api/v1/candidates/{hidden.pk}/")
    assert response.status_code == 200 and response.json()["name"] == ""
    assert AuditEvent.objects.filter(action="candidate.viewed", object_id=str(hidden.pk)).count() == 1


def test_another_recruiters_reveal_does_not_count(org, recruiter, people, django_user_model):
    from apps.accounts.models import Membership, Role

    _, shown = people
    colleague = django_user_model.objects.create_user("colleague", password="x")
    Membership.objects.create(user=colleague, organization=org, role=Role.RECRUITER)
    RevealLog.objects.create(job=make_job(org, ["SQL"]), candidate=shown, user=colleague)
    rows = {r["external_id"]: r for r in _session(recruiter).get("/api/v1/candidates/").json()["results"]}
    assert rows["c-shown"]["name"] == ""


def test_api_keys_still_read_names(org, people):
    _, raw = api_key_create(organization=org, scopes=["read"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    rows = {r["external_id"]: r for r in client.get("/api/v1/candidates/").json()["results"]}
    assert rows["c-hidden"]["name"] == "Hana Hidden"
