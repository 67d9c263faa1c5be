"""End to end in a real browser: an organization admin adds an own skill and imports a Rich Skill
Descriptor file on the "Own skills" page (a bad file is refused in plain words, in English and Japanese,
and nothing of it is stored); the job editor's autocomplete then suggests the organization's own skills,
to that organization only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apps.accounts.models import Membership, Role
from apps.skills.models import OrganizationSkill

from ..dashboard.i18n import ensure_japanese_catalog
from ..dashboard.taxonomy import import_tiny_taxonomy
from ..factories import OrganizationFactory
from .conftest import PASSWORD, login, make_user, shot, to_japanese

pytestmark = [pytest.mark.e2e]

COLLECTION = Path(__file__).resolve().parents[1] / "skills" / "data" / "rsd-collection.json"
FIRST_SUGGESTION_MS = 60_000


def _reference_only(tmp_path: Path) -> Path:
    """A collection exported without its skills' details: only links."""
    path = tmp_path / "collection-links-only.json"
    doc = {"type": "RichSkillCollection", "skills": [{"id": "https://skills.acme.example/api/skills/1"}]}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _suggestions(page, text: str) -> list[str]:
    """Type ``text`` in the first skill field of a new job and return the autocomplete's options."""
    from playwright.sync_api import expect

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Jobs").click()
    page.get_by_role("link", name="New job").click()
    field = page.locator("#skill-rows tr").first.get_by_label("Skill", exact=True)
    field.press_sequentially(text, delay=60)
    options = page.locator(f"#{field.get_attribute('list')} option")
    expect(options.first).to_be_attached(timeout=FIRST_SUGGESTION_MS)
    return [options.nth(i).get_attribute("value") for i in range(options.count())]


def test_an_admin_adds_and_imports_own_skills_and_the_editor_suggests_them(browser, page, live_server, demo, tmp_path):
    from playwright.sync_api import expect

    ensure_japanese_catalog()
    import_tiny_taxonomy(tmp_path)
    Membership.objects.filter(user=demo["recruiter"]).update(is_admin=True)
    login(page, live_server, "rita")
    page.get_by_role("link", name="Own skills").click()
    expect(page.get_by_role("heading", name="Your own skills", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("No own skills yet.")

    page.get_by_label("Name").fill("Line balancing")
    page.get_by_label("Description").fill("Even out the work across a production line.")
    page.get_by_role("button", name="Add skill").click()
    expect(page.locator("main")).to_contain_text("Skill “Line balancing” added.")
    table = page.get_by_test_id("own-skills")
    expect(table.locator("tbody tr")).to_have_count(1)

    # a bad file: told what is wrong, and nothing of it stored
    page.get_by_label("Rich Skill Descriptor file (JSON)").set_input_files(str(_reference_only(tmp_path)))
    page.get_by_role("button", name="Import file").click()
    expect(page.get_by_test_id("rsd-error")).to_have_text(
        "In skill 1: the file lists the skill only by its link. Export the collection with the skills' details."
    )
    expect(table.locator("tbody tr")).to_have_count(1)

    page.get_by_label("Rich Skill Descriptor file (JSON)").set_input_files(str(COLLECTION))
    page.get_by_role("button", name="Import file").click()
    expect(page.locator("main")).to_contain_text("Imported 2 skills (2 new, 0 updated, 1 mapped to ESCO).")
    expect(table.locator("tbody tr")).to_have_count(3)
    sql_row = table.locator("tbody tr", has_text="Warehouse SQL reporting")
    expect(sql_row).to_contain_text("SQL")
    expect(sql_row).to_contain_text("http://data.europa.eu/esco/skill/sql")
    expect(table.locator("tbody tr", has_text="Kaizen facilitation")).to_contain_text("not mapped")
    shot(page, "own-skills-en")

    # the job editor suggests them as the recruiter types
    assert "Kaizen facilitation" in _suggestions(page, "kaiz")

    # in Japanese: the page and a bad file's message
    to_japanese(page)
    page.get_by_role("navigation", name="メイン").get_by_role("link", name="自社スキル").click()
    expect(page.get_by_role("heading", name="自社スキル", level=1)).to_be_visible()
    page.get_by_label("Rich Skill Descriptor ファイル（JSON）").set_input_files(str(_reference_only(tmp_path)))
    page.get_by_role("button", name="ファイルを取り込む").click()
    expect(page.get_by_test_id("rsd-error")).to_have_text(
        "スキル 1：スキルがリンクだけで示されています。スキルの詳細を含めてコレクションをエクスポートしてください。"
    )
    expect(page.get_by_test_id("own-skills").locator("tbody tr")).to_have_count(3)
    shot(page, "own-skills-ja")
    assert OrganizationSkill.objects.filter(organization=demo["org"]).count() == 3

    # another organization's recruiter is never offered them
    other = OrganizationFactory(slug="beta", name="Beta")
    make_user("bea", other, Role.RECRUITER)
    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="en-GB")
    context.set_default_timeout(20_000)
    try:
        theirs = context.new_page()
        login(theirs, live_server, "bea")
        assert "Kaizen facilitation" not in _suggestions(theirs, "kaiz")
        # and the page is for admins only
        theirs.goto(f"{live_server.url}/settings/skills/")
        expect(theirs.locator("main")).to_contain_text("Only an admin of your organization can open this page.")
    finally:
        context.close()
    assert PASSWORD  # the users above log in with the shared test password
