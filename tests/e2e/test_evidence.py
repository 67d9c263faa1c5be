"""End to end in a real browser: the candidate panel says in words what reduced each credit (the factors
of the evidence model), in English and Japanese."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from apps.matching.models import RunStatus
from apps.matching.services import match_run_start

from ..dashboard.i18n import ensure_japanese_catalog
from ..factories import credential, make_candidate
from .conftest import login

pytestmark = [pytest.mark.e2e]

SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _finished_run(job, user):
    run = match_run_start(job=job, user=user)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    return run


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
    _finished_run(job, demo["recruiter"])
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
    _shot(page, "panel-credit-factors-en")

    # the same panel in Japanese, switched with the language form
    page.get_by_label("Language").select_option("ja")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    row.get_by_role("link", name=re.compile("^詳細")).click()
    expect(panel).to_contain_text("スコアの根拠")
    words = panel.locator("li.explain-item", has_text="SQL evening class").get_by_test_id("credit-factors")
    expect(words).to_contain_text(re.compile(r"評価 \d+% = スキルの一致度 1\.00"))
    expect(words).to_contain_text("未検証の資格 0.80")
    expect(words).to_contain_text("学習量が少ない")
    expect(words).to_contain_text("評価方法・質保証 0.70")
    expect(words).to_contain_text(f"{years}年前の証拠")
    _shot(page, "panel-credit-factors-ja")
