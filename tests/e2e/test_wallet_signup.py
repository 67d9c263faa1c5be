"""End to end in a real browser: a recruiter invites an address that has no Tsumiki account; the mail's
link is opened in a fresh browser (nobody signed in), where the person creates a job seeker account
(a mismatched password first, then a good one), lands on the consent page signed in, consents, and the
recruiter sees the shared profile in the job's shortlist. English and Japanese, a screenshot per page."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from apps.accounts.models import User
from apps.matching.models import MatchScore
from apps.wallet.models import ProfileShare

from ..dashboard.i18n import ensure_japanese_catalog
from .conftest import shot, to_japanese
from .test_wallet_invitation import WORDS as INVITE_WORDS
from .wallet_world import recruiter_invites, seed_two_orgs, share_and_see_it_listed

pytestmark = [pytest.mark.e2e]

ADDRESS = "Nao.Mori@Example.com"
NEW_PASSWORD = "nao-tsumiki-2026"

WORDS = {
    "en": {
        "sent": f"Invitation sent to {ADDRESS}.",
        "heading": "Invitation from Kiwi Health",
        "create": "Create your account",
        "log_in": "Log in",
        "signup_heading": "Create your account",
        "email": "E-mail address",
        "username": "Username",
        "display_name": "Display name (optional)",
        "password": "Password",
        "password_again": "Password again",
        "submit": "Create account and continue",
        "mismatch": "The two password fields didn’t match.",
        "ready": "Your account nao is ready and you are logged in. Now choose what Kiwi Health sees.",
        "empty": "Your profile is empty so far",
        "live": "Kept up to date",
        "consent": "I consent to Kiwi Health",
        "share": "Share my profile",
        "shared": "You shared your profile with Kiwi Health.",
        "by_invitation": "by invitation",
        "exists": "There is already a Tsumiki job seeker account for this address. Log in instead.",
        "log_out": "Log out",
    },
    "ja": {
        "sent": f"{ADDRESS} に招待を送信しました。",
        "heading": "Kiwi Health からの招待",
        "create": "アカウントを作成",
        "log_in": "ログイン",
        "signup_heading": "アカウントを作成",
        "email": "メールアドレス",
        "username": "ユーザー名",
        "display_name": "表示名（任意）",
        "password": "パスワード",
        "password_again": "パスワード（確認）",
        "submit": "アカウントを作成して進む",
        "mismatch": "確認用パスワードが一致しません。",
        "ready": "アカウント nao を作成し、ログインしました。Kiwi Health に見せる内容を選んでください。",
        "empty": "プロフィールはまだ空なので",
        "live": "常に最新の状態",
        "consent": "Kiwi Health が私のプロフィールを保持",
        "share": "プロフィールを共有する",
        "shared": "Kiwi Health とプロフィールを共有しました。",
        "by_invitation": "招待による",
        "exists": "このアドレスの Tsumiki 求職者アカウントはすでにあります。ログインしてください。",
        "log_out": "ログアウト",
    },
}


@pytest.fixture
def kiwi(transactional_db):
    return seed_two_orgs()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_an_invited_person_without_an_account_signs_up_consents_and_the_recruiter_sees_them(
    page, browser, live_server, kiwi, lang
):
    from playwright.sync_api import expect

    if lang == "ja":
        ensure_japanese_catalog()
    w = WORDS[lang]
    job = kiwi
    mail.outbox.clear()

    # the recruiter of Kiwi Health invites an address nobody has an account for
    recruiter_invites(
        page, live_server, lang=lang, address=ADDRESS, login_words=INVITE_WORDS["en"], w={**INVITE_WORDS[lang], **w}
    )
    [message] = mail.outbox
    link = re.search(r"http\S+/invitation/\S+/", message.body).group(0)

    # the link opened in a fresh browser: nobody is signed in
    fresh = browser.new_context(locale="en-GB", viewport={"width": 1360, "height": 900})
    fresh.set_default_timeout(20_000)
    npage = fresh.new_page()
    npage.goto(link)
    if lang == "ja":
        to_japanese(npage)
    expect(npage.locator("h1")).to_have_text(w["heading"])
    expect(npage.locator("main")).to_contain_text("Health data analyst")
    expect(npage.locator("main")).to_contain_text("N•••@Example.com")
    expect(npage.get_by_role("link", name=w["log_in"], exact=True)).to_be_visible()
    shot(npage, f"signup-{lang}-1-invitation-signed-out")
    npage.get_by_role("link", name=w["create"]).click()

    # the form: the invited address read-only; a mismatched password is refused in words
    expect(npage.locator("h1")).to_have_text(w["signup_heading"])
    email = npage.get_by_label(w["email"])
    expect(email).to_have_value(ADDRESS)
    expect(email).to_have_attribute("readonly", "")
    npage.get_by_label(w["username"], exact=True).fill("nao")
    npage.get_by_label(w["display_name"]).fill("Nao Mori")
    npage.get_by_label(w["password"], exact=True).fill(NEW_PASSWORD)
    npage.get_by_label(w["password_again"], exact=True).fill(NEW_PASSWORD + "?")
    npage.get_by_role("button", name=w["submit"]).click()
    expect(npage.get_by_text(w["mismatch"])).to_be_visible()
    assert not User.objects.filter(username="nao").exists()
    expect(npage.get_by_label(w["username"], exact=True)).to_have_value("nao")  # what was typed stays
    shot(npage, f"signup-{lang}-2-form-error")
    npage.get_by_label(w["password"], exact=True).fill(NEW_PASSWORD)
    npage.get_by_label(w["password_again"], exact=True).fill(NEW_PASSWORD)
    npage.get_by_role("button", name=w["submit"]).click()

    # signed in, on the consent page of the same invitation
    expect(npage.get_by_text(w["ready"])).to_be_visible()
    expect(npage.locator("h1")).to_have_text(w["heading"])
    expect(npage.locator("#empty-profile")).to_contain_text(w["empty"])
    expect(npage.get_by_role("button", name=w["log_out"])).to_be_visible()
    npage.get_by_label(w["live"]).check()
    npage.get_by_label(w["consent"]).check()
    shot(npage, f"signup-{lang}-3-consent")
    share_and_see_it_listed(npage, w, f"signup-{lang}-4-sharing")

    # the recruiter sees the new profile in the job's shortlist
    user = User.objects.get(username="nao")
    assert user.email == "Nao.Mori@example.com" and user.membership.organization.name != "Kiwi Health"
    share = ProfileShare.objects.get(user=user, revoked_at__isnull=True)
    assert share.job_id == job.id and share.copy.organization.name == "Kiwi Health"
    code = MatchScore.objects.filter(candidate=share.copy, run__job=job).values_list("blind_code", flat=True).first()
    assert code
    page.goto(f"{live_server.url}/jobs/{job.id}/shortlist/")
    expect(page.locator("main")).to_contain_text(code)
    shot(page, f"signup-{lang}-5-recruiter-shortlist")

    # a second invitation to the address: signed out, it offers to log in instead, never a second account
    npage.get_by_role("button", name=w["log_out"]).click()
    page.goto(f"{live_server.url}/jobs/{job.id}/")
    page.get_by_label(INVITE_WORDS[lang]["email"]).fill(ADDRESS)
    page.get_by_role("button", name=INVITE_WORDS[lang]["send"]).click()
    expect(page.get_by_text(w["sent"])).to_be_visible()
    again = re.search(r"http\S+/invitation/\S+/", mail.outbox[-1].body).group(0)
    npage.goto(again)
    expect(npage.locator("#invitation-welcome")).to_contain_text(w["exists"])
    expect(npage.get_by_role("link", name=w["create"])).to_have_count(0)
    shot(npage, f"signup-{lang}-6-account-exists")
    npage.get_by_role("link", name=w["log_in"], exact=True).click()
    npage.get_by_label(w["username"], exact=True).fill("nao")
    npage.get_by_label(w["password"], exact=True).fill(NEW_PASSWORD)
    npage.get_by_role("button", name=w["log_in"]).click()
    expect(npage.locator("h1")).to_have_text(w["heading"])  # back on the invitation, signed in
    assert User.objects.filter(email__iexact=ADDRESS).count() == 1
    fresh.close()
