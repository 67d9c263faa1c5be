"""A candidate's page of its own (the shortlist link opened in a tab of its own, or without JavaScript):
one h1 naming the candidate by the job's blind code, its sections one level below, in both languages."""

from __future__ import annotations

import pytest

from apps.matching.models import RunStatus
from apps.matching.services import candidate_blind_code, match_run_start

from ..dashboard.i18n import ensure_japanese_catalog
from .conftest import login, shot, to_japanese

pytestmark = [pytest.mark.e2e]


def test_candidate_page_has_one_h1_and_its_sections_below_it(page, live_server, demo):
    from playwright.sync_api import expect

    ensure_japanese_catalog()
    job, cand = demo["job"], demo["strong"]
    run = match_run_start(job=job, user=demo["recruiter"])
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    code = f"Candidate {candidate_blind_code(job_id=job.id, candidate_id=cand.id)}"

    login(page, live_server, "rita")
    page.goto(f"{live_server.url}/jobs/{job.id}/shortlist/")
    link = page.locator(f"table.shortlist a[href*='/candidates/{cand.id}/']").first
    page.goto(live_server.url + link.get_attribute("href"))  # as a tab of its own opens it

    expect(page.locator("h1")).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_have_text(code)
    expect(page.get_by_role("heading", level=2, name="Why this score")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Notes")).to_be_visible()
    expect(page.locator("main h3, .candidate-panel h3")).to_have_count(0)
    expect(page.get_by_text("Ada Lovelace")).to_have_count(0)  # degree-blind here too
    shot(page, "candidate-page-en")

    to_japanese(page)
    expect(page.locator("h1")).to_have_count(1)
    expect(page.get_by_role("heading", level=2, name="スコアの根拠")).to_be_visible()
    shot(page, "candidate-page-ja")
