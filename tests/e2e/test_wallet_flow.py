"""End to end in a real browser: a seeker of one organization opens another organization's apply link,
applies with a live profile, that organization's recruiter sees the shared profile in the job's
shortlist, the seeker revokes consent, and the recruiter no longer sees it. English and Japanese, with
a screenshot per page."""

from __future__ import annotations

from pathlib import Path

import pytest

from apps.accounts.models import Role
from apps.matching.models import MatchScore
from apps.matching.services import match_run_perform, match_run_start
from apps.wallet.models import ProfileShare

from ..dashboard.i18n import ensure_japanese_catalog
from ..factories import OrganizationFactory, credential, make_candidate, make_job
from .conftest import login, make_user

pytestmark = [pytest.mark.e2e]

SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _to_japanese(page) -> None:
    from playwright.sync_api import expect

    page.get_by_label("Language").select_option("ja")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")


@pytest.fixture
def two_orgs(transactional_db):
    home = OrganizationFactory(slug="home-co", name="Home Co")
    other = OrganizationFactory(slug="kiwi", name="Kiwi Health")
    seeker = make_user("sam", home, Role.SEEKER)
    make_user("kai", other, Role.RECRUITER)
    make_candidate(
        home,
        cid="sam",
        name="Sam Sato",
        user=seeker,
        credentials=[credential("SQL for Analysts", ["SQL"], issuer="Open Data Academy")],
        skills=["Excel"],
    )
    job = make_job(other, [{"name": "SQL", "required": True}, "Excel"], title="Health data analyst", job_id="kiwi-1")
    make_candidate(other, cid="k-1", name="Kiri Local", credentials=[credential("Excel", ["Excel"])])
    match_run_perform(run_id=match_run_start(job=job).id)
    return job


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_seeker_applies_to_another_organization_and_revokes(page, browser, live_server, two_orgs, lang):
    from playwright.sync_api import expect

    if lang == "ja":
        ensure_japanese_catalog()
    job = two_orgs
    # the recruiter of the other organization copies the job's apply link
    login(page, live_server, "kai")
    page.get_by_role("link", name="Health data analyst").first.click()
    link = page.get_by_role("textbox", name="Apply link").input_value()
    assert "/apply/" in link
    _shot(page, f"wallet-{lang}-1-recruiter-apply-link")
    page.get_by_role("button", name="Log out").click()

    # the seeker opens it, signs in, and applies with a live profile
    login(page, live_server, "sam")
    if lang == "ja":
        _to_japanese(page)
    page.goto(link)
    expect(page.locator("h1")).to_contain_text("Health data analyst")
    if lang == "en":
        expect(page.get_by_role("heading", name="What Kiwi Health will see")).to_be_visible()
        page.get_by_label("Kept up to date").check()
        page.get_by_role("button", name="Apply with my profile").click()  # consent not ticked: refused
        expect(page.locator("input[name=consent]:invalid")).to_have_count(1)
        page.get_by_label("I consent to Kiwi Health").check()
        _shot(page, f"wallet-{lang}-2-apply")
        page.get_by_role("button", name="Apply with my profile").click()
        expect(page.get_by_text("Kiwi Health can now see your profile.")).to_be_visible()
    else:
        expect(page.get_by_role("heading", name="Kiwi Health に表示される内容")).to_be_visible()
        page.get_by_label("常に最新の状態").check()
        page.get_by_label("Kiwi Health が私のプロフィールを保持").check()
        _shot(page, f"wallet-{lang}-2-apply")
        page.get_by_role("button", name="プロフィールで応募する").click()
        expect(page.get_by_text("Kiwi Health があなたのプロフィールを見られるようになりました")).to_be_visible()
    rows = page.locator("#shares tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Kiwi Health")
    _shot(page, f"wallet-{lang}-3-sharing")

    # the other organization's recruiter sees the shared profile in the job's shortlist
    other = browser.new_context(locale="en-GB")
    rpage = other.new_page()
    login(rpage, live_server, "kai")
    rpage.goto(f"{live_server.url}/jobs/{job.id}/shortlist/")
    share = ProfileShare.objects.get(user__username="sam", revoked_at__isnull=True)
    code = MatchScore.objects.get(candidate=share.copy, run__job=job).blind_code
    shortlist = rpage.locator("main")
    expect(shortlist).to_contain_text(code)  # the shared profile is scored in the job's shortlist
    _shot(rpage, f"wallet-{lang}-4-recruiter-sees-shared")

    # the seeker revokes; the organization's copy is gone
    page.get_by_role(
        "button", name="Revoke consent for Kiwi Health" if lang == "en" else "Kiwi Health への同意を取り消す"
    ).click()
    if lang == "en":
        expect(page.get_by_text("Kiwi Health no longer sees your profile")).to_be_visible()
    else:
        expect(page.get_by_text("Kiwi Health はあなたのプロフィールを見られなくなりました")).to_be_visible()
    _shot(page, f"wallet-{lang}-5-revoked")
    rpage.reload()
    expect(rpage.locator("main")).not_to_contain_text(code)
    _shot(rpage, f"wallet-{lang}-6-recruiter-after-revoke")
    other.close()
