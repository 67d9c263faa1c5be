"""End to end in a real browser: a recruiter runs a match and works the shortlist; a seeker reads
which of a job's skills their credentials cover."""

from __future__ import annotations

import re

import pytest

from apps.matching import tasks
from apps.matching.models import MatchRun, RevealLog, RunStatus
from apps.matching.services import match_run_perform

from .conftest import DOCS, login

pytestmark = [pytest.mark.e2e]


def _blind(job, candidate) -> str:
    """The shortlist's label of a candidate not revealed: a stable code for the job, not the rank."""
    from apps.matching.services import candidate_blind_code

    return f"Candidate {candidate_blind_code(job_id=job.id, candidate_id=candidate.id)}"


def test_recruiter_runs_a_match_and_reveals_a_candidate(page, live_server, demo, monkeypatch):
    from playwright.sync_api import expect

    # Hold the task back so the browser sees a queued run and its polling; the test then runs it
    # (what a Celery worker would do) and the page must move on to the shortlist by itself.
    queued: list[int] = []
    monkeypatch.setattr(tasks.match_run_plan, "delay", lambda run_id: queued.append(run_id))
    job = demo["job"]

    login(page, live_server, "rita")
    expect(page.get_by_role("heading", name="Jobs")).to_be_visible()
    page.get_by_role("link", name="Data analyst").click()
    expect(page.get_by_role("rowheader", name="SQL", exact=True)).to_be_visible()
    page.get_by_role("button", name="Run match").click()

    expect(page).to_have_url(re.compile(r"/jobs/\d+/runs/\d+/$"))
    expect(page.locator("#run-progress progress")).to_be_visible()
    expect(page.locator("#run-progress")).to_contain_text("Queued")
    assert queued, "the run was not sent to the task queue"
    run = MatchRun.objects.get(id=queued[0])
    assert run.job_id == job.id and run.status == RunStatus.QUEUED

    match_run_perform(run_id=run.id)
    # htmx polls every second and is redirected to the shortlist once the run has succeeded
    expect(page).to_have_url(re.compile(rf"/jobs/{job.id}/shortlist/$"), timeout=15_000)
    expect(page.get_by_role("heading", name=re.compile("Shortlist"))).to_be_visible()
    rows = page.locator("table.shortlist tbody tr")
    expect(rows).to_have_count(8)
    first = rows.first
    expect(first).to_contain_text(_blind(job, demo["strong"]))
    expect(first.locator(".chip-verified").first).to_contain_text("SQL")
    expect(page.get_by_text("Ada Lovelace")).to_have_count(0)  # degree-blind

    # the side panel explains the score skill by skill (loaded by htmx)
    first.get_by_role("link", name=re.compile("Details")).click()
    panel = page.locator("#panel")
    expect(panel).to_contain_text("Why this score")
    expect(panel).to_contain_text("SQL for Analysts")
    expect(panel).to_contain_text("Open Data Academy")
    expect(page).to_have_url(re.compile(r"/shortlist/$"))  # stayed on the shortlist

    # the README's picture is of the demo (docs/screenshot-shortlist.png); this one is the test's record
    shot = DOCS.parent / "test-results" / "shortlist.png"
    shot.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(shot))
    assert shot.stat().st_size < 300_000

    first.get_by_role("button", name=re.compile("Reveal")).click()
    expect(page.locator("table.shortlist tbody tr").first).to_contain_text("Ada Lovelace")
    expect(page.locator("table.shortlist tbody tr").first).to_contain_text("BSc Mathematics")
    assert RevealLog.objects.filter(job=job, candidate=demo["strong"], user=demo["recruiter"]).count() == 1


def test_seeker_sees_covered_and_missing_skills(page, live_server, demo):
    from playwright.sync_api import expect

    login(page, live_server, "sam")
    expect(page.get_by_role("heading", name="My credentials")).to_be_visible()
    expect(page.get_by_text("Relational databases badge")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Jobs").click()
    page.get_by_role("link", name="Data analyst").click()
    covered = page.locator("section[aria-labelledby=covered-h]")
    missing = page.locator("section[aria-labelledby=missing-h]")
    expect(covered).to_contain_text("SQL")
    expect(covered).to_contain_text("Relational databases badge")
    expect(missing).to_contain_text("Python programming")
    expect(missing).to_contain_text("data visualisation")
    expect(page.get_by_text("This service uses the ESCO classification of the European Commission")).to_be_visible()
