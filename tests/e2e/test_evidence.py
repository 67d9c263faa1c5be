"""End to end in a real browser: the candidate panel says in words what reduced each credit (the factors
of the evidence model), in English and Japanese."""

from __future__ import annotations

import re
from datetime import date

import pytest

from ..dashboard.i18n import ensure_japanese_catalog
from ..factories import credential, make_candidate
from .conftest import login, run_finished, shot, to_japanese

pytestmark = [pytest.mark.e2e]


def _old_evening_class(org):
    """The one candidate whose SQL credit is reduced by three factors: an unverified, six-hour,
    attendance-only class from 2019."""
    return make_candidate(
        org,
        cid="c-evening",
        name="Eve Ning",
        credentials=[
            credential(
                "SQL evening class", ["SQL"], issued="2019-03-01", hours=6, assessment="attendance", verified=False
            )
        ],
    )


def test_panel_names_the_factors_that_reduced_a_credit_in_english_and_japanese(page, live_server, demo):
    from playwright.sync_api import expect

    ensure_japanese_catalog()
    eve = _old_evening_class(demo["org"])
    job = demo["job"]
    run_finished(job, demo["recruiter"])
    years = int((date.today() - date(2019, 3, 1)).days // 365.25)

    login(page, live_server, "rita")
    page.goto(f"{live_server.url}/jobs/{job.id}/shortlist/")
    # the shortlist is degree-blind: the row is found by its link to the candidate
    row = page.locator("table.shortlist tbody tr", has=page.locator(f"a[href*='/candidates/{eve.id}/?']"))
    row.get_by_role("link", name=re.compile("^Details")).click()
    panel = page.locator("#panel")
    expect(panel).to_contain_text("Why this score")
    item = panel.locator("li.explain-item", has_text="SQL evening class")
    words = item.get_by_test_id("credit-factors")
    expect(words).to_contain_text(re.compile(r"credit \d+% = skill match 1\.00"))
    expect(words).to_contain_text("unverified credential 0.80")
    expect(words).to_contain_text("small learning volume")
    expect(words).to_contain_text("assessment method / quality assurance 0.70")
    expect(words).to_contain_text(f"{years}-year-old evidence")
    shot(page, "panel-credit-factors-en")

    # the same panel in Japanese, switched with the language form
    to_japanese(page)
    row.get_by_role("link", name=re.compile("^詳細")).click()
    expect(panel).to_contain_text("スコアの根拠")
    words = panel.locator("li.explain-item", has_text="SQL evening class").get_by_test_id("credit-factors")
    expect(words).to_contain_text(re.compile(r"クレジット \d+% = スキルの一致度 1\.00"))
    expect(words).to_contain_text("未検証の資格 0.80")
    expect(words).to_contain_text("学習量が少ない")
    expect(words).to_contain_text("評価方法・質保証 0.70")
    expect(words).to_contain_text(f"{years}年前の証拠")
    shot(page, "panel-credit-factors-ja")


def _panel_score(panel) -> float:
    return float(panel.locator(".panel-head [role=meter]").get_attribute("aria-valuenow"))


def test_recruiter_records_an_interview_in_the_panel_and_the_score_changes(page, live_server, demo):
    from playwright.sync_api import expect

    ensure_japanese_catalog()
    job = demo["job"]
    sam = demo["org"].candidates.get(external_id="c-sam")  # SQL only: no Python, no visualisation
    run_finished(job, demo["recruiter"])

    login(page, live_server, "rita")
    page.goto(f"{live_server.url}/jobs/{job.id}/shortlist/")
    row = page.locator("table.shortlist tbody tr", has=page.locator(f"a[href*='/candidates/{sam.id}/?']"))
    row.get_by_role("link", name=re.compile("^Details")).click()
    panel = page.locator("#panel")
    section = panel.locator("section.assessments")
    expect(section).to_contain_text("No assessment recorded for this job yet.")
    before = _panel_score(panel)

    section.get_by_label("Skill").select_option("Python programming")
    section.get_by_label("Method").select_option("structured interview")
    section.get_by_label("Result").fill("4")
    section.get_by_label("Scale").select_option("1-5")
    section.get_by_label("Assessor").fill("Kim Tanaka")
    section.get_by_label("Date").fill("2026-11-30")
    section.get_by_role("button", name="Record assessment").click()

    expect(section).to_contain_text("Assessment recorded")
    lines = section.get_by_test_id("assessments")
    expect(lines).to_contain_text("Python programming")
    expect(lines).to_contain_text("Structured interview · 75% · Kim Tanaka")
    python = panel.locator("li.explain-item", has_text="Python programming")
    expect(python).to_contain_text("employer assessment")
    expect(python.get_by_test_id("credit-factors")).to_contain_text("assessment score 0.75")
    after = _panel_score(panel)
    assert after > before, (before, after)
    shot(page, "panel-assessment-en")

    # in Japanese: a 5-of-5 exam on data visualisation raises the score again
    to_japanese(page)
    row.get_by_role("link", name=re.compile("^詳細")).click()
    expect(section).to_contain_text("雇用者による評価")
    section.get_by_label("スキル").select_option("data visualisation")
    section.get_by_label("方法").select_option("exam")
    section.get_by_label("結果").fill("5")
    section.get_by_role("button", name="評価を記録").click()
    expect(section).to_contain_text("評価を記録しました")
    expect(section.get_by_test_id("assessments")).to_contain_text("試験 · 100%")
    assert _panel_score(panel) > after
    shot(page, "panel-assessment-ja")
