"""End to end in a real browser, in English and in Japanese: a job seeker uploads a CV through the form
while no worker has read it yet; the page says it is reading the CV and refreshes itself (htmx polling,
no inline script under the Content-Security-Policy) until the draft is there; the seeker confirms it and
finds its skills on their profile. The upload is then gone."""

from __future__ import annotations

from pathlib import Path

import pytest

from apps.candidates import tasks
from apps.candidates.models import CandidateSkill, ResumeParseJob
from apps.candidates.services import resume_parse_job_run

from ..candidates import cv_files
from ..candidates.conftest import CV_SKILLS
from ..dashboard.i18n import ensure_japanese_catalog
from ..skills.conftest import write_esco
from .conftest import login

pytestmark = [pytest.mark.e2e]

SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"

WORDS = {
    "en": {
        "nav": "Main",
        "my_profile": "My profile",
        "import": "Import a CV",
        "file": "CV file",
        "read": "Read the CV",
        "reading": "Reading your CV…",
        "check": "Check what was read",
        "confirm": "Confirm and save",
        "saved": "Saved from the CV",
    },
    "ja": {
        "nav": "メイン",
        "my_profile": "マイプロフィール",
        "import": "履歴書を取り込む",
        "file": "履歴書ファイル",
        "read": "履歴書を読み取る",
        "reading": "履歴書を読み取っています…",
        "check": "読み取った内容を確認",
        "confirm": "確定して保存",
        "saved": "履歴書から保存しました",
    },
}


class _HeldTask:
    """The parse task as a broker holds it: queued, not yet read by any worker."""

    def __init__(self) -> None:
        self.queued: list[str] = []

    def delay(self, job_id: str) -> None:
        self.queued.append(job_id)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_page_reads_the_cv_then_shows_the_draft_to_confirm(page, live_server, demo, tmp_path, monkeypatch, lang):
    from playwright.sync_api import expect

    from apps.skills.services import taxonomy_import

    taxonomy_import(root=write_esco(tmp_path / "esco", skills=CV_SKILLS))
    held = _HeldTask()
    monkeypatch.setattr(tasks, "resume_parse_job_run", held)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => console.error('CSP violation: ' + e.violatedDirective));"
    )
    w = WORDS[lang]
    cv = tmp_path / "jane-doe-cv.pdf"
    cv.write_bytes(cv_files.pdf_two_columns())

    login(page, live_server, "sam")
    if lang != "en":
        ensure_japanese_catalog()
        page.get_by_label("Language").select_option(lang)
        page.get_by_role("button", name="Change").click()
        expect(page.locator("html")).to_have_attribute("lang", lang)
    page.get_by_role("navigation", name=w["nav"]).get_by_role("link", name=w["my_profile"]).click()
    page.get_by_role("link", name=w["import"]).click()
    page.get_by_label(w["file"]).set_input_files(str(cv))
    page.get_by_role("button", name=w["read"]).click()

    # no worker has read it: the page says so, and keeps asking
    expect(page.get_by_role("heading", name=w["reading"])).to_be_visible()
    expect(page.get_by_role("heading", name=w["check"])).to_have_count(0)
    assert len(held.queued) == 1
    job_url = page.url
    assert "/me/resume/jobs/" in job_url
    page.wait_for_timeout(1500)  # a poll or two while it waits: the page stays as it is
    expect(page.get_by_role("heading", name=w["reading"])).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"resume-reading-{lang}.png"), full_page=True)

    # a worker reads it: the page shows the draft by itself
    resume_parse_job_run(job_id=held.queued[0])
    expect(page.get_by_role("heading", name=w["check"])).to_be_visible(timeout=10_000)
    expect(page.get_by_role("heading", name=w["reading"])).to_have_count(0)
    assert page.url == job_url
    expect(page.locator("tr.resume-skill mark").filter(has_text="Python")).to_have_count(1)
    page.screenshot(path=str(SHOTS / f"resume-read-{lang}.png"), full_page=True)

    page.get_by_role("button", name=w["confirm"]).click()
    expect(page.get_by_role("heading", name=w["my_profile"], level=1)).to_be_visible()
    expect(page.locator(".messages")).to_contain_text(w["saved"])
    own = page.locator("ul.own-skills input[name=skill]")
    values = [own.nth(i).input_value() for i in range(own.count())]
    assert "Python (computer programming)" in values and "Tableau" in values
    page.screenshot(path=str(SHOTS / f"resume-read-saved-{lang}.png"), full_page=True)

    sam = demo["seeker"].candidate_profiles.get()
    assert CandidateSkill.objects.filter(candidate=sam, text="Tableau").exists()
    assert not ResumeParseJob.objects.exists()  # confirmed: nothing of the upload is kept
    assert [p for p in problems if "CSP" in p or "Content Security Policy" in p] == []
