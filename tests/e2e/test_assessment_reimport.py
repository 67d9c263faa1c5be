"""End to end: a scorecard line recorded for every job of the organization outlives the HR system
importing the candidate again. The line is recorded and the candidate re-imported over the API (as an
HR system does, there is no page for either); the recruiter then reads the panel in a real browser, in
English and Japanese."""

from __future__ import annotations

import json
import re
import urllib.request

import pytest

from apps.accounts.services import api_key_create
from apps.matching.models import RunStatus
from apps.matching.services import match_run_start

from ..dashboard.i18n import ensure_japanese_catalog
from .conftest import login, shot, to_japanese

pytestmark = [pytest.mark.e2e]


# c-sam as the HR system knows him: the same badge as in the demo pool, no assessments of its own
SAM = {
    "id": "c-sam",
    "name": "Sam Seeker",
    "credentials": [
        {"title": "Relational databases badge", "issuer": "Badge Works", "verified": True, "skills": ["SQL"]}
    ],
}


def _api(live_server, key: str, method: str, path: str, body: str, content_type: str) -> tuple[int, dict]:
    req = urllib.request.Request(  # noqa: S310 - the test's own live server
        f"{live_server.url}{path}",
        data=body.encode(),
        method=method,
        headers={"Authorization": f"Bearer {key}", "Content-Type": content_type, "Accept": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as r:  # noqa: S310 - the test's own live server
        return r.status, json.loads(r.read() or b"{}")


def _panel(page, live_server, job, cand):
    page.goto(f"{live_server.url}/jobs/{job.id}/shortlist/")
    row = page.locator("table.shortlist tbody tr", has=page.locator(f"a[href*='/candidates/{cand.id}/?']"))
    row.get_by_role("link", name=re.compile("^(Details|詳細)")).click()
    return page.locator("#panel")


def test_an_organization_wide_assessment_survives_a_reimport(page, live_server, demo):
    from playwright.sync_api import expect

    ensure_japanese_catalog()
    org, job = demo["org"], demo["job"]
    sam = org.candidates.get(external_id="c-sam")
    _, key = api_key_create(organization=org, scopes=["read", "write"])
    line = {"skill": "Python programming", "method": "work sample", "score": 0.9, "assessor": "Kim Tanaka"}
    url = f"/api/v1/candidates/{sam.id}/assessments/"
    status, _ = _api(live_server, key, "POST", url, json.dumps(line), "application/json")
    assert status == 201
    # the HR system sends the candidate again, twice, by both import endpoints
    status, _ = _api(live_server, key, "POST", "/api/v1/candidates/import/", json.dumps(SAM), "application/x-ndjson")
    assert status == 201
    status, _ = _api(live_server, key, "POST", "/api/v1/candidates/", json.dumps(SAM), "application/json")
    assert status == 201
    run = match_run_start(job=job, user=demo["recruiter"])
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error

    login(page, live_server, "rita")
    panel = _panel(page, live_server, job, sam)
    lines = panel.locator("section.assessments").get_by_test_id("assessments")
    expect(lines).to_contain_text("Python programming")
    expect(lines).to_contain_text("Work sample · 90% · Kim Tanaka · counts for every job")
    python = panel.locator("li.explain-item", has_text="Python programming")
    expect(python).to_contain_text("employer assessment")
    expect(python.get_by_test_id("credit-factors")).to_contain_text("assessment score 0.90")
    shot(page, "panel-assessment-after-reimport-en")

    to_japanese(page)
    panel = _panel(page, live_server, job, sam)
    lines = panel.locator("section.assessments").get_by_test_id("assessments")
    expect(lines).to_contain_text("ワークサンプル · 90% · Kim Tanaka · すべての求人に反映")
    python = panel.locator("li.explain-item", has_text="Python programming")
    expect(python).to_contain_text("雇用者による評価")
    shot(page, "panel-assessment-after-reimport-ja")
