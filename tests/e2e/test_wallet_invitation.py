"""End to end in a real browser: a recruiter of one organization invites a job seeker of another by
e-mail from a job's page; the seeker signs in, opens the mailed link, consents, and the recruiter sees
the shared profile in the job's shortlist; the seeker downloads everything held about them (naming both
organizations), erases it everywhere, and the recruiter no longer sees them. English and Japanese (the
whole flow, logging out and in again in the chosen language), with a screenshot per page."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail

from apps.candidates.models import Candidate
from apps.matching.models import MatchScore
from apps.wallet.models import ProfileInvitation, ProfileShare

from ..dashboard.i18n import ensure_japanese_catalog
from .conftest import shot
from .wallet_world import login_as, recruiter_invites, seed_two_orgs, share_and_see_it_listed

pytestmark = [pytest.mark.e2e]

# what the page calls things, per language
WORDS = {
    "en": {
        "username": "Username",
        "password": "Password",
        "log_in": "Log in",
        "log_out": "Log out",
        "email": "E-mail address",
        "send": "Send invitation",
        "sent": "Invitation sent to Sam.Sato@Example.com.",
        "pending": "Pending",
        "accepted": "Accepted",
        "heading": "Invitation from Kiwi Health",
        "apply_heading": "Apply:",
        "sees": "What Kiwi Health will see",
        "live": "Kept up to date",
        "consent": "I consent to Kiwi Health",
        "share": "Share my profile",
        "shared": "You shared your profile with Kiwi Health.",
        "by_invitation": "by invitation",
        "my_data": "My data",
        "download": "Download my data (JSON)",
        "erase_link": "Erase my data…",
        "erase_heading": "Erase my data everywhere?",
        "understand": "I understand that this erases my data",
        "erase": "Erase everything",
        "erased": "Your data has been erased from 2 organizations.",
        "nothing": "You have no profile.",
    },
    "ja": {
        "username": "ユーザー名",
        "password": "パスワード",
        "log_in": "ログイン",
        "log_out": "ログアウト",
        "email": "メールアドレス",
        "send": "招待を送る",
        "sent": "Sam.Sato@Example.com に招待を送信しました。",
        "pending": "未承諾",
        "accepted": "承諾済み",
        "heading": "Kiwi Health からの招待",
        "apply_heading": "応募:",
        "sees": "Kiwi Health に表示される内容",
        "live": "常に最新の状態",
        "consent": "Kiwi Health が私のプロフィールを保持",
        "share": "プロフィールを共有する",
        "shared": "Kiwi Health とプロフィールを共有しました。",
        "by_invitation": "招待による",
        "my_data": "マイデータ",
        "download": "マイデータをダウンロード（JSON）",
        "erase_link": "マイデータを消去…",
        "erase_heading": "すべての場所からマイデータを消去しますか？",
        "understand": "すべての組織でマイデータが消去され",
        "erase": "すべて消去する",
        "erased": "2 組織からあなたのデータを消去しました。",
        "nothing": "プロフィールがありません。",
    },
}


@pytest.fixture
def two_orgs(transactional_db):
    return seed_two_orgs(seeker_email="sam.sato@example.com")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_recruiter_invites_seeker_consents_downloads_and_erases(page, browser, live_server, two_orgs, lang, tmp_path):
    from playwright.sync_api import expect

    if lang == "ja":
        ensure_japanese_catalog()
    w = WORDS[lang]
    job = two_orgs
    mail.outbox.clear()

    # the recruiter of Kiwi Health invites Sam from the job's page
    recruiter_invites(page, live_server, lang=lang, address="Sam.Sato@Example.com", login_words=WORDS["en"], w=w)
    row = page.locator("#invitations-table tbody tr")
    expect(row).to_have_count(1)
    expect(row.first).to_contain_text("Sam.Sato@Example.com")
    expect(row.first).to_contain_text(w["pending"])
    shot(page, f"invite-{lang}-1-recruiter-sent")
    [message] = mail.outbox
    assert message.to == ["Sam.Sato@Example.com"]
    link = re.search(r"http\S+/invitation/\S+/", message.body).group(0)
    assert link.startswith(live_server.url)
    page.get_by_role("button", name=w["log_out"]).click()

    # Sam signs in (the login page is in the language chosen before), opens the link and consents
    login_as(page, live_server, "sam", w)
    page.goto(link)
    expect(page.locator("h1")).to_have_text(w["heading"])
    expect(page.locator("h1")).not_to_contain_text(w["apply_heading"])
    expect(page.locator("main")).to_contain_text("Health data analyst")
    expect(page.get_by_role("heading", name=w["sees"])).to_be_visible()
    page.get_by_label(w["live"]).check()
    page.get_by_role("button", name=w["share"]).click()  # consent not ticked: the browser refuses
    expect(page.locator("input[name=consent]:invalid")).to_have_count(1)
    page.get_by_label(w["consent"]).check()
    shot(page, f"invite-{lang}-2-consent")
    share_and_see_it_listed(page, w, f"invite-{lang}-3-sharing")

    # the recruiter sees the shared profile in the job's shortlist, and the invitation accepted
    other = browser.new_context(locale="en-GB", viewport={"width": 1360, "height": 900})
    rpage = other.new_page()
    login_as(rpage, live_server, "kai", WORDS["en"])
    share = ProfileShare.objects.get(user__username="sam", revoked_at__isnull=True)
    assert share.via == "invitation" and share.job_id == job.id
    code = MatchScore.objects.filter(candidate=share.copy, run__job=job).values_list("blind_code", flat=True).first()
    assert code
    rpage.goto(f"{live_server.url}/jobs/{job.id}/shortlist/")
    expect(rpage.locator("main")).to_contain_text(code)
    shot(rpage, f"invite-{lang}-4-recruiter-shortlist")
    rpage.goto(f"{live_server.url}/jobs/{job.id}/")
    expect(rpage.locator("#invitations-table tbody tr").first).to_contain_text("Accepted")

    # Sam opens My data and downloads everything held about them
    page.get_by_role("link", name=w["my_data"]).click()
    expect(page.locator("#my-shares tbody tr")).to_have_count(1)
    shot(page, f"invite-{lang}-5-my-data")
    with page.expect_download() as info:
        page.get_by_role("button", name=w["download"]).click()
    path = tmp_path / "export.json"
    info.value.save_as(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["home_profile"]["organization"]["name"] == "Home Co"
    [shared] = data["shares"]
    assert shared["organization"]["name"] == "Kiwi Health" and shared["via"] == "invitation"
    assert shared["copy"]["organization"]["name"] == "Kiwi Health"
    assert [c["title"] for c in shared["copy"]["credentials"]] == ["SQL for Analysts"]
    assert data["invitations"][0]["state"] == "accepted"

    # and erases it everywhere, after the confirmation step
    page.get_by_role("link", name=w["erase_link"]).click()
    expect(page.locator("h1")).to_have_text(w["erase_heading"])
    page.get_by_role("button", name=w["erase"]).click()  # not confirmed: the browser refuses
    expect(page.locator("input[name=confirm]:invalid")).to_have_count(1)
    page.get_by_label(w["understand"]).check()
    shot(page, f"invite-{lang}-6-erase-confirm")
    page.get_by_role("button", name=w["erase"]).click()
    expect(page.get_by_text(w["erased"])).to_be_visible()
    expect(page.locator("main")).to_contain_text(w["nothing"])
    shot(page, f"invite-{lang}-7-erased")
    assert not Candidate.objects.filter(user__username="sam").exists()
    assert not ProfileShare.objects.exists() and not ProfileInvitation.objects.exists()

    # the recruiter no longer sees them; Sam can still sign in
    rpage.goto(f"{live_server.url}/jobs/{job.id}/shortlist/")
    expect(rpage.locator("main")).not_to_contain_text(code)
    shot(rpage, f"invite-{lang}-8-recruiter-after-erase")
    other.close()
    page.get_by_role("button", name=w["log_out"]).click()
    login_as(page, live_server, "sam", w)
