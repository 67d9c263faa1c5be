"""End to end in a real browser: a recruiter's decisions about candidates, clicked through from the
shortlist's candidate panel, persisted across a reload; in English and Japanese, with a screenshot per
page under test-results/screenshots."""

from __future__ import annotations

from pathlib import Path

import pytest

from apps.matching.models import RunStatus, ShortlistDecision
from apps.matching.services import match_run_start

from ..dashboard.i18n import ensure_japanese_catalog
from .conftest import login

pytestmark = [pytest.mark.e2e]

SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _panel_shot(page, panel, name: str) -> None:
    """The viewport with the panel scrolled to its decision controls (the panel scrolls on its own, so a
    full-page shot would show only its top)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    panel.locator("section").last.evaluate('el => el.scrollIntoView({block: "end"})')
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def _finished_run(job, user):
    run = match_run_start(job=job, user=user)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    return run


def _to_japanese(page) -> None:
    from playwright.sync_api import expect

    page.get_by_label("Language").select_option("ja")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")


def _open_panel(page, row_label: str, details: str):
    """Click a shortlist row's details button; the panel arrives by htmx."""
    from playwright.sync_api import expect

    row = page.locator("table.shortlist tbody tr", has_text=row_label)
    row.get_by_role("link", name=details).first.click()
    panel = page.locator("#candidate-panel")
    expect(panel).to_be_visible()
    return panel


def test_recruiter_records_a_decision_from_the_panel_and_it_persists(page, live_server, demo):
    from playwright.sync_api import expect

    job = demo["job"]
    _finished_run(job, demo["recruiter"])
    login(page, live_server, "rita")
    page.goto(f"{live_server.url}/jobs/{job.id}/shortlist/")

    panel = _open_panel(page, "Candidate #1", "Details")
    decision = panel.get_by_label("Decision", exact=True)
    # a real select offering each decision once (the control used to render its labels twice, no input)
    expect(decision.locator("option")).to_have_text(["Choose a decision", "Shortlist", "Reject", "Contact"])
    _panel_shot(page, panel, "decision-panel")

    # submitting without choosing is refused in plain words, and nothing is recorded
    panel.get_by_role("button", name="Record decision").click()
    assert ShortlistDecision.objects.count() == 0  # the browser's required check kept the form here
    expect(decision).to_be_visible()

    decision.select_option(label="Shortlist")
    panel.get_by_label("Reason").fill("Strong SQL evidence")
    panel.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded: Shortlisted.")).to_be_visible()

    page.reload()
    row = page.locator("table.shortlist tbody tr", has_text="Candidate #1")
    expect(row.locator(".badge")).to_have_text("Shortlisted")
    panel = _open_panel(page, "Candidate #1", "Details")
    expect(panel.locator(".history")).to_contain_text("Shortlisted")
    expect(panel.locator(".history")).to_contain_text("Strong SQL evidence")
    expect(panel.locator(".history")).to_contain_text("rita")
    _panel_shot(page, panel, "decision-recorded")
    d = ShortlistDecision.objects.get()
    assert (d.decision, d.reason, d.decided_by, d.job) == ("shortlist", "Strong SQL evidence", demo["recruiter"], job)

    # a rejection without a reason is refused with the reason why
    panel.get_by_label("Decision", exact=True).select_option(label="Reject")
    panel.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Give a reason when rejecting a candidate.")).to_be_visible()
    assert ShortlistDecision.objects.count() == 1


def test_recruiter_records_a_decision_in_japanese(page, live_server, demo):
    from playwright.sync_api import expect

    ensure_japanese_catalog()
    job = demo["job"]
    _finished_run(job, demo["recruiter"])
    login(page, live_server, "rita")
    _to_japanese(page)
    page.goto(f"{live_server.url}/jobs/{job.id}/shortlist/")

    panel = _open_panel(page, "候補者 #1", "詳細")
    decision = panel.get_by_label("判定", exact=True)
    expect(decision.locator("option")).to_have_text(["判定を選んでください", "候補者リスト", "不採用", "連絡する"])
    decision.select_option(label="不採用")
    panel.get_by_label("理由").fill("SQLの証拠が不足")
    panel.get_by_role("button", name="判定を記録").click()
    expect(page.get_by_text("判定を記録しました：不採用")).to_be_visible()

    page.reload()
    panel = _open_panel(page, "候補者 #1", "詳細")
    expect(panel.locator(".history")).to_contain_text("不採用")
    expect(panel.locator(".history")).to_contain_text("SQLの証拠が不足")
    _panel_shot(page, panel, "decision-recorded-ja")
    d = ShortlistDecision.objects.get()
    assert (d.decision, d.reason) == ("reject", "SQLの証拠が不足")
