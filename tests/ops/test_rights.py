"""Candidate rights: a complete JSON export and an erasure that leaves only the audit trail."""

from __future__ import annotations

import json

import pytest

from apps.accounts.models import AuditEvent
from apps.candidates.models import Candidate, CandidateDemographics
from apps.candidates.rights import candidate_erase, candidate_export, demographics_set
from apps.credentials.models import Credential
from apps.matching.models import MatchScore, RevealLog, ShortlistDecision
from apps.matching.services import candidate_reveal, decision_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def strong(finished_run, pool, recruiter):
    c = pool["strong"]
    demographics_set(candidate=c, consent=True, gender="woman")
    decision_record(job=finished_run.job, candidate=c, decision="shortlist", reason="strong SQL", user=recruiter)
    candidate_reveal(job=finished_run.job, candidate=c, user=recruiter)
    return c


def test_export_holds_everything(strong, finished_run, recruiter):
    data = candidate_export(candidate=strong, actor=recruiter)
    json.dumps(data)  # JSON-ready
    assert data["candidate"]["name"] == "Ada Lovelace" and data["candidate"]["external_id"] == "c-strong"
    titles = {c["title"] for c in data["credentials"]}
    assert {"SQL for Analysts", "Python Foundations", "BSc Mathematics"} <= titles  # degrees too: all data held
    assert data["demographics"]["gender"] == "woman"
    assert data["match_scores"][0]["run_id"] == finished_run.pk and data["match_scores"][0]["explanation"]
    assert data["decisions"][0]["reason"] == "strong SQL"
    assert data["reveals"][0]["job_id"] == finished_run.job_id
    assert "rita" not in json.dumps(data["reveals"])  # the recruiter's identity is not the candidate's data
    assert AuditEvent.objects.filter(action="candidate.data_exported", object_id=str(strong.pk)).exists()


def test_erase_removes_all_personal_data_and_keeps_an_anonymous_trail(strong, recruiter):
    cid = strong.pk
    receipt = candidate_erase(candidate=strong, actor=recruiter, reason="DSR-1")
    assert receipt["candidate_id"] == cid and receipt["erased"]["credentials"] == 3
    assert not Candidate.objects.filter(pk=cid).exists()
    for model, field in (
        (Credential, "candidate_id"),
        (MatchScore, "candidate_id"),
        (ShortlistDecision, "candidate_id"),
        (RevealLog, "candidate_id"),
        (CandidateDemographics, "candidate_id"),
    ):
        assert not model.objects.filter(**{field: cid}).exists(), model
    event = AuditEvent.objects.get(action="candidate.erased", object_id=str(cid))
    assert event.actor == "rita" and event.details["reason"] == "DSR-1"
    trail = json.dumps(list(AuditEvent.objects.values("details", "object_id", "actor")))
    assert "Ada" not in trail and "Lovelace" not in trail and "c-strong" not in trail and "woman" not in trail


def test_api_export_erase_and_demographics(api_client_for, org, strong):
    api = api_client_for(org)
    r = api.get(f"/api/v1/candidates/{strong.pk}/data-export/")
    assert r.status_code == 200 and r.json()["candidate"]["id"] == strong.pk
    r = api.put(f"/api/v1/candidates/{strong.pk}/demographics/", {"consent": True, "age_band": "teen"}, format="json")
    assert r.status_code == 400 and r["Content-Type"].startswith("application/problem+json")
    r = api.put(f"/api/v1/candidates/{strong.pk}/demographics/", {"consent": False}, format="json")
    assert r.status_code == 204
    assert CandidateDemographics.objects.get(candidate=strong).gender == ""  # withdrawal deletes the data
    r = api.post(f"/api/v1/candidates/{strong.pk}/erasure/", {"reason": "DSR-2"}, format="json")
    assert r.status_code == 200 and r.json()["candidate_id"] == strong.pk
    assert api.get(f"/api/v1/candidates/{strong.pk}/data-export/").status_code == 404


def test_api_rights_respect_organization_and_scopes(api_client_for, org, other_org, strong):
    assert api_client_for(other_org).get(f"/api/v1/candidates/{strong.pk}/data-export/").status_code == 404
    assert api_client_for(other_org).post(f"/api/v1/candidates/{strong.pk}/erasure/").status_code == 404
    read_only = api_client_for(org, scopes=("read",))
    assert read_only.post(f"/api/v1/candidates/{strong.pk}/erasure/").status_code == 403
    assert Candidate.objects.filter(pk=strong.pk).exists()
