"""End to end in a real browser: a recruiter downloads the shortlist as CSV; a job seeker uploads an
Open Badges 3.0 file, reads its verification checks, and then sees their gaps on a job's page; a recruiter
creates an API key, sees it once, and revokes it."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.test import Client

from apps.accounts.audit import SHORTLIST_EXPORTED
from apps.accounts.models import ApiKey, AuditEvent
from apps.credentials.models import Credential
from apps.matching.models import RunStatus
from apps.matching.services import match_run_start

from .conftest import login

pytestmark = [pytest.mark.e2e]


def _blind(job, candidate) -> str:
    """The shortlist's label of a candidate not revealed: a stable code for the job, not the rank."""
    from apps.matching.services import candidate_blind_code

    return f"Candidate {candidate_blind_code(job_id=job.id, candidate_id=candidate.id)}"


CREDENTIALS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "credentials"
# A signed OB 3.0 credential (eddsa-rdfc-2022, did:web issuer with a local document) that verifies offline:
# docs/credentials.md, fixture table.
OB3_BADGE = CREDENTIALS / "1edtech-dcpv-testfixtures" / "ob30" / "simple.json"

CSV_HEADER = [
    "rank",
    "candidate",
    "candidate_id",
    "score",
    "must_have_met",
    "verified_share",
    "covered",
    "partial",
    "missing",
    "must_have_missing",
    "decision",
    "stage",
    "degrees",
    "credit_factors",
]


def test_recruiter_exports_the_shortlist_as_csv(page, live_server, demo):
    from playwright.sync_api import expect

    job = demo["job"]
    run = match_run_start(job=job, user=demo["recruiter"])  # eager Celery: finished on commit
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error

    login(page, live_server, "rita")
    page.goto(f"{live_server.url}/jobs/{job.id}/shortlist/")
    expect(page.locator("table.shortlist tbody tr")).to_have_count(8)
    with page.expect_download() as info:
        page.get_by_role("link", name="Export CSV").click()
    download = info.value
    assert re.fullmatch(rf"shortlist-job{job.id}-run{run.id}-\d{{8}}\.csv", download.suggested_filename)
    text = Path(download.path()).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == CSV_HEADER
    assert len(rows) == 1 + 8
    first = dict(zip(CSV_HEADER, rows[1], strict=True))
    # degree-blind: no name, no degrees
    assert first["rank"] == "1" and first["candidate"] == _blind(job, demo["strong"])
    assert first["candidate_id"] == str(demo["strong"].id)
    assert first["must_have_met"] == "yes" and "SQL" in first["covered"]
    assert first["degrees"] == ""
    # Ada's Python credential is unverified: its credit is below its match, and the CSV says why
    assert "Python programming: 0.80 = match 1.00 × strength (unverified) 0.80" in first["credit_factors"]
    assert "Ada Lovelace" not in text
    assert AuditEvent.objects.filter(action=SHORTLIST_EXPORTED, object_id=str(job.id)).count() == 1


@pytest.mark.skipif(not OB3_BADGE.is_file(), reason="../shared/data/credentials not present")
def test_seeker_uploads_a_badge_and_sees_its_checks_then_their_gaps(page, live_server, demo):
    from playwright.sync_api import expect

    login(page, live_server, "sam")
    page.get_by_role("link", name="Add a credential").click()
    expect(page.get_by_role("heading", name="Add a credential", level=1)).to_be_visible()
    page.get_by_label("Credential file").set_input_files(str(OB3_BADGE))
    page.get_by_role("button", name="Check and add").click()

    result = page.locator("section[aria-live=polite]")
    expect(result.get_by_role("heading", name=re.compile("Teamwork"))).to_be_visible()
    # signed with a key that only the file itself carries: intact, the issuer not confirmed
    expect(result.locator(".badge-status-intact")).to_have_text("Intact, issuer not confirmed")
    checks = result.locator("table tbody tr")
    for name in ("Format", "Signature", "Validity dates"):  # checks named in words
        row = checks.filter(has=page.get_by_role("cell", name=name, exact=True))
        expect(row).to_have_count(1)
        expect(row).to_contain_text("✓ passed")
    for name in ("Issuer's key", "Issuer"):
        expect(checks.filter(has=page.get_by_role("cell", name=name, exact=True))).to_have_count(1)
    expect(result).to_contain_text("Added 1 credential to your profile.")
    added = Credential.objects.get(candidate__user=demo["seeker"], title="Teamwork")
    assert added.verification_status == "intact"

    # the new credential is on the seeker's profile; the job's page shows what is covered and what is missing
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My credentials").click()
    expect(page.get_by_text("Teamwork").first).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Jobs").click()
    page.get_by_role("link", name="Data analyst").click()
    covered = page.locator("section[aria-labelledby=covered-h]")
    missing = page.locator("section[aria-labelledby=missing-h]")
    expect(covered).to_contain_text("SQL")
    expect(missing).to_contain_text("Python programming")
    expect(missing).to_contain_text("data visualisation")


def test_recruiter_creates_and_revokes_an_api_key(page, live_server, demo):
    from playwright.sync_api import expect

    login(page, live_server, "rita")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="API keys").click()
    expect(page.get_by_role("heading", name="API keys", level=1)).to_be_visible()
    expect(page.get_by_text("No API keys yet.")).to_be_visible()
    page.get_by_label("Name").fill("ATS sync")
    page.get_by_label("Read", exact=True).check()
    page.get_by_role("button", name="Create key").click()

    expect(page.get_by_text("Copy it now: it will not be shown again.")).to_be_visible()
    raw = page.get_by_label("Your new API key").input_value()
    key = ApiKey.objects.get(organization=demo["org"])
    assert raw.startswith(f"tsk_{key.prefix}_") and key.scopes == ["read"]
    row = page.locator("table.api-keys tbody tr", has_text="ATS sync")
    expect(row).to_contain_text(f"tsk_{key.prefix}_…")
    api = Client()  # no session: only the key can let this in
    assert api.get("/api/v1/jobs/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200

    page.goto(f"{live_server.url}/settings/api-keys/")  # a fresh GET: the secret is gone for good
    expect(page.get_by_label("Your new API key")).to_have_count(0)
    assert raw not in page.content()

    assert ApiKey.objects.count() == 1
    row.get_by_text("Revoke…").click()
    expect(row).to_contain_text("This cannot be undone.")
    row.get_by_role("button", name="Yes, revoke this key").click()
    expect(page.get_by_text("Key “ATS sync” revoked.")).to_be_visible()
    expect(row).to_contain_text("Revoked")
    assert api.get("/api/v1/jobs/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
