"""End to end in a real browser: a seeker of one organization opens another organization's apply link,
applies with a live profile, that organization's recruiter sees the shared profile in the job's
shortlist, the seeker revokes consent, and the recruiter no longer sees it. English and Japanese, with
a screenshot per page."""

from __future__ import annotations

import pytest

from apps.matching.models import MatchScore
from apps.wallet.models import ProfileShare

from ..dashboard.i18n import ensure_japanese_catalog
from .conftest import login, shot, to_japanese
from .wallet_world import seed_two_orgs

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def two_orgs(transactional_db):
    return seed_two_orgs()


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
    shot(page, f"wallet-{lang}-1-recruiter-apply-link")
    page.get_by_role("button", name="Log out").click()

    # the seeker opens it, signs in, and applies with a live profile
    login(page, live_server, "sam")
    if lang == "ja":
        to_japanese(page)
    page.goto(link)
    expect(page.locator("h1")).to_contain_text("Health data analyst")
    if lang == "en":
        expect(page.get_by_role("heading", name="What Kiwi Health will see")).to_be_visible()
        page.get_by_label("Kept up to date").check()
        page.get_by_role("button", name="Apply with my profile").click()  # consent not ticked: refused
        expect(page.locator("input[name=consent]:invalid")).to_have_count(1)
        page.get_by_label("I consent to Kiwi Health").check()
        shot(page, f"wallet-{lang}-2-apply")
        page.get_by_role("button", name="Apply with my profile").click()
        expect(page.get_by_text("Kiwi Health can now see your profile.")).to_be_visible()
    else:
        expect(page.get_by_role("heading", name="Kiwi Health に表示される内容")).to_be_visible()
        page.get_by_label("常に最新の状態").check()
        page.get_by_label("Kiwi Health が私のプロフィールを保持").check()
        shot(page, f"wallet-{lang}-2-apply")
        page.get_by_role("button", name="プロフィールで応募する").click()
        expect(page.get_by_text("Kiwi Health があなたのプロフィールを見られるようになりました")).to_be_visible()
    rows = page.locator("#shares tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Kiwi Health")
    shot(page, f"wallet-{lang}-3-sharing")

    # the other organization's recruiter sees the shared profile in the job's shortlist
    other = browser.new_context(locale="en-GB")
    rpage = other.new_page()
    login(rpage, live_server, "kai")
    rpage.goto(f"{live_server.url}/jobs/{job.id}/shortlist/")
    share = ProfileShare.objects.get(user__username="sam", revoked_at__isnull=True)
    code = MatchScore.objects.get(candidate=share.copy, run__job=job).blind_code
    shortlist = rpage.locator("main")
    expect(shortlist).to_contain_text(code)  # the shared profile is scored in the job's shortlist
    shot(rpage, f"wallet-{lang}-4-recruiter-sees-shared")

    # the seeker revokes; the organization's copy is gone
    page.get_by_role(
        "button", name="Revoke consent for Kiwi Health" if lang == "en" else "Kiwi Health への同意を取り消す"
    ).click()
    if lang == "en":
        expect(page.get_by_text("Kiwi Health no longer sees your profile")).to_be_visible()
    else:
        expect(page.get_by_text("Kiwi Health はあなたのプロフィールを見られなくなりました")).to_be_visible()
    shot(page, f"wallet-{lang}-5-revoked")
    rpage.reload()
    expect(rpage.locator("main")).not_to_contain_text(code)
    shot(rpage, f"wallet-{lang}-6-recruiter-after-revoke")
    other.close()
