"""End to end in a real browser, in English and in Japanese: a job seeker imports a CV (a generated
two-column PDF), corrects a skill with the taxonomy's autocomplete, removes one, adds a job they held and
confirms; a recruiter then sees those skills and roles on the candidate's profile, marked as entered by
the candidate."""

from __future__ import annotations

from pathlib import Path

import pytest

from apps.candidates.models import CandidateSkill, EnteredBy, Experience, ExperienceSource

from ..candidates import cv_files
from ..candidates.conftest import CV_SKILLS
from ..dashboard.i18n import ensure_japanese_catalog
from ..skills.conftest import write_esco
from .conftest import CHROMIUM_ARGS, login  # noqa: F401

pytestmark = [pytest.mark.e2e]

SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"

WORDS = {
    "en": {
        "my_profile": "My profile",
        "import": "Import a CV",
        "file": "CV file",
        "read": "Read the CV",
        "check": "Check what was read",
        "skill_as": "Skill read as {}",
        "keep": "Keep {}",
        "title": "Job title",
        "organization": "Employer",
        "start": "From",
        "skills_used": "Skills used (separated by commas)",
        "confirm": "Confirm and save",
        "saved": "Saved from the CV",
        "link": "Skills and experience they entered, CV import",
        "by_candidate": "the candidate",
        "change": "Change",
    },
    "ja": {
        "my_profile": "マイプロフィール",
        "import": "履歴書を取り込む",
        "file": "履歴書ファイル",
        "read": "履歴書を読み取る",
        "check": "読み取った内容を確認",
        "skill_as": "{} として読み取ったスキル",
        "keep": "{} を残す",
        "title": "職種名",
        "organization": "勤務先",
        "start": "開始",
        "skills_used": "使ったスキル（カンマ区切り）",
        "confirm": "確定して保存",
        "saved": "履歴書から保存しました",
        "link": "本人が入力したスキルと職務経験・履歴書の取り込み",
        "by_candidate": "候補者本人",
        "change": "Change",
    },
}


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _language(page, lang: str) -> None:
    from playwright.sync_api import expect

    if lang == "en":
        return
    ensure_japanese_catalog()
    page.get_by_label("Language").select_option(lang)
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", lang)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_seeker_imports_a_cv_and_the_recruiter_sees_it(page, browser, live_server, demo, tmp_path, lang):
    from playwright.sync_api import expect

    from apps.skills.services import taxonomy_import

    taxonomy_import(root=write_esco(tmp_path / "esco", skills=CV_SKILLS))
    w = WORDS[lang]
    cv = tmp_path / "jane-doe-cv.pdf"
    cv.write_bytes(cv_files.pdf_two_columns())

    login(page, live_server, "sam")
    _language(page, lang)
    page.get_by_role("navigation", name="Main" if lang == "en" else "メイン").get_by_role(
        "link", name=w["my_profile"]
    ).click()
    expect(page.get_by_role("heading", name=w["my_profile"], level=1)).to_be_visible()
    page.get_by_role("link", name=w["import"]).click()
    page.get_by_label(w["file"]).set_input_files(str(cv))
    page.get_by_role("button", name=w["read"]).click()
    expect(page.get_by_role("heading", name=w["check"])).to_be_visible()
    # each skill beside the words it came from, in its section
    python_row = page.locator("tr.resume-skill").filter(has=page.get_by_label(w["skill_as"].format("Python")))
    expect(python_row.locator("mark")).to_have_text("Python")
    expect(page.locator("fieldset.role")).to_have_count(3)  # two roles read, one blank to add
    _shot(page, f"resume-draft-{lang}")

    # correct a skill through the autocomplete: typing asks the normalizer for labels
    field = page.get_by_label(w["skill_as"].format("Python"))
    field.fill("")
    field.press_sequentially("python progr")
    expect(page.locator(f"#{field.get_attribute('list')} option").first).to_have_attribute(
        "value", "Python (computer programming)"
    )
    field.fill("Python (computer programming)")
    # remove one
    page.get_by_label(w["keep"].format("Communication")).uncheck()
    # add a job held
    new_role = page.locator("fieldset#role-new")
    new_role.get_by_label(w["title"]).fill("Maths tutor")
    new_role.get_by_label(w["organization"]).fill("Leeds Tutoring")
    new_role.get_by_label(w["start"]).fill("2013-09")
    new_role.get_by_label(w["skills_used"]).fill("data analysis, SQL")
    _shot(page, f"resume-draft-edited-{lang}")
    page.get_by_role("button", name=w["confirm"]).click()

    expect(page.get_by_role("heading", name=w["my_profile"], level=1)).to_be_visible()
    expect(page.locator(".messages")).to_contain_text(w["saved"])
    own = page.locator("ul.own-skills input[name=skill]")
    values = [own.nth(i).input_value() for i in range(own.count())]
    assert "Python (computer programming)" in values and "Communication" not in values and "Excel" in values
    expect(page.locator("form.role legend").filter(has_text="Maths tutor")).to_have_count(1)
    _shot(page, f"resume-profile-{lang}")

    sam = demo["seeker"].candidate_profiles.get()
    stored = dict(CandidateSkill.objects.filter(candidate=sam, source="self").values_list("text", "entered_by"))
    assert stored["Python (computer programming)"] == EnteredBy.CANDIDATE and "Communication" not in stored
    roles = {e.title: e for e in Experience.objects.filter(candidate=sam)}
    assert set(roles) == {"Senior Data Analyst", "Data Analyst", "Maths tutor"}
    assert roles["Senior Data Analyst"].source == ExperienceSource.RESUME
    assert sorted(roles["Maths tutor"].skills.values_list("text", flat=True)) == ["SQL", "data analysis"]

    # the recruiter sees what the candidate entered themselves
    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="en-GB")
    context.set_default_timeout(20_000)
    rpage = context.new_page()
    try:
        login(rpage, live_server, "rita")
        _language(rpage, lang)
        rpage.goto(f"{live_server.url}/jobs/{demo['job'].id}/candidates/{sam.id}/")
        rpage.get_by_role("link", name=w["link"]).click()
        table = rpage.locator("table.own-evidence").first
        row = table.locator("tr").filter(has_text="Python (computer programming)")
        expect(row).to_contain_text(w["by_candidate"])
        expect(rpage.locator("table.own-evidence").nth(1)).to_contain_text("Maths tutor")
        _shot(rpage, f"resume-recruiter-view-{lang}")
    finally:
        context.close()
