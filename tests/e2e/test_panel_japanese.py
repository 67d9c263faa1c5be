"""End to end: the candidate panel names every kind of evidence and every factor in
Japanese (an employer assessment's method, self-declared skills, a degree's learning outcomes, work
experience), and calls credit クレジット, not 評価 (which is the word for an assessment)."""

from __future__ import annotations

import re

import pytest

from apps.candidates.interchange import parse_candidate
from apps.candidates.services import candidates_create
from apps.matching.models import RunStatus
from apps.matching.services import match_run_start

from ..dashboard.i18n import ensure_japanese_catalog
from ..factories import make_job
from .conftest import login, shot, to_japanese

pytestmark = [pytest.mark.e2e]


SKILLS = ["SQL", "Python programming", "data visualisation", "project management", "communication"]


def _every_kind_of_evidence(org):
    doc = {
        "id": "c-all",
        "name": "Aki Every",
        "credentials": [
            {
                "title": "SQL for Analysts",
                "issuer": "Open Data Academy",
                "verified": False,
                "issued": "2025-06-01",
                "hours": 8,
                "assessment": "attendance",
                "skills": ["SQL"],
            }
        ],
        "degrees": [{"title": "BSc Statistics", "skills": ["data visualisation"]}],
        "experience": [
            {
                "title": "Team lead",
                "organization": "Acme",
                "start": "2022-01-01",
                "end": "2024-06-30",
                "skills": ["project management"],
            }
        ],
        "skills": ["communication"],
        "assessments": [
            {
                "skill": "Python programming",
                "method": "structured interview",
                "score": 0.75,
                "assessor": "Kim Tanaka",
                "date": "2026-11-30",
            }
        ],
    }
    return candidates_create(organization=org, docs=[parse_candidate(doc)])[0]


def _open_panel(page, live_server, job, cand):
    page.goto(f"{live_server.url}/jobs/{job.id}/shortlist/")
    row = page.locator("table.shortlist tbody tr", has=page.locator(f"a[href*='/candidates/{cand.id}/?']"))
    row.get_by_role("link", name=re.compile("^(Details|詳細)")).click()
    panel = page.locator("#panel")
    # the panel arrives by htmx: wait for its last section
    panel.locator("section.assessments").wait_for()
    return row, panel


def _item(panel, skill: str):
    return panel.locator("li.explain-item", has=panel.page.locator("span.chip", has_text=skill))


def test_every_kind_of_evidence_is_named_in_the_panels_language(page, live_server, demo):
    from playwright.sync_api import expect

    ensure_japanese_catalog()
    org = demo["org"]
    job = make_job(org, SKILLS, title="Analyst lead", job_id="job-all")
    cand = _every_kind_of_evidence(org)
    run = match_run_start(job=job, user=demo["recruiter"])
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    login(page, live_server, "rita")

    row, panel = _open_panel(page, live_server, job, cand)
    interview = _item(panel, "Python programming")
    expect(interview).to_contain_text("Evidence: “Python programming” — Structured interview: Kim Tanaka")
    expect(interview).to_contain_text("assessed on")
    expect(_item(panel, "project management")).to_contain_text("Team lead")
    expect(_item(panel, "project management")).to_contain_text("until")
    expect(_item(panel, "communication")).to_contain_text("— self-declared")
    expect(_item(panel, "SQL").get_by_test_id("credit-factors")).to_contain_text(
        re.compile(r": credit \d+% = skill match 1\.00")
    )
    shot(page, "panel-every-evidence-en")

    to_japanese(page)
    row, panel = _open_panel(page, live_server, job, cand)
    interview = _item(panel, "Python programming")
    expect(interview).to_contain_text("根拠: “Python programming” — 構造化面接: Kim Tanaka")
    expect(interview).to_contain_text("実施日 2026年11月30日")
    expect(interview.get_by_test_id("credit-factors")).to_contain_text(
        "クレジット 75% = スキルの一致度 1.00 × 評価スコア 0.75"
    )
    expect(_item(panel, "data visualisation")).to_contain_text("— 学位の学習成果")
    expect(_item(panel, "project management")).to_contain_text("Team lead (職務経験)")
    expect(_item(panel, "project management")).to_contain_text("終了 2024年6月30日")
    expect(_item(panel, "communication")).to_contain_text("— 自己申告")
    sql = _item(panel, "SQL")
    expect(sql).to_contain_text("クレジット 31%")
    expect(sql.get_by_test_id("credit-factors")).to_contain_text(
        re.compile(
            r"クレジット \d+% = スキルの一致度 1\.00 × 未検証の資格 0\.80 × 学習量が少ない 0\.\d+"
            r" × 評価方法・質保証 0\.70"
        )
    )
    expect(panel.locator("section.assessments")).to_contain_text("1を0%、5を100%とします")
    text = panel.inner_text()
    # credit is クレジット; 評価 is left to assessments (評価スコア, 評価方法, 雇用者による評価, 評価者)
    assert not re.search(r"評価\s*\d", text), text
    assert "評価の内訳" not in text
    for english in (
        "structured interview",
        "self-declared",
        "degree learning outcome",
        "issued",
        "credit",
        "assessed on",
        "A result counts",
    ):
        assert english not in text.lower(), english
    # the shortlist chip's tooltip names the evidence in Japanese too
    chip = row.locator("li.chip", has_text="Python programming")
    expect(chip).to_have_attribute("title", re.compile("構造化面接: Kim Tanaka"))
    expect(row.locator("li.chip", has_text="data visualisation")).to_contain_text("学位 60%")
    shot(page, "panel-every-evidence-ja")
