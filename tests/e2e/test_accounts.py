"""End to end in a real browser: the login throttle's lockout page (English and Japanese) and the password
reset clicked through from the login page to a new password, reading the link from the mail the site sent."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import override_settings

from apps.accounts.models import User

from ..dashboard.i18n import ensure_japanese_catalog
from .conftest import PASSWORD, shot, to_japanese

pytestmark = [pytest.mark.e2e]


def _try(page, username: str, password: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5)
def test_six_wrong_passwords_lock_the_login_and_the_right_one_is_refused_during_the_cool_off(page, live_server, demo):
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/login/")
    for attempt in range(1, 7):
        if attempt > 1 and page.get_by_role("heading", name="Too many login attempts").count():
            page.get_by_role("link", name="Back to the login page").click()
        _try(page, "rita", f"wrong-{attempt}")
        if attempt < 5:
            expect(page.get_by_role("alert")).to_contain_text("correct username and password")
    expect(page.get_by_role("heading", name="Too many login attempts")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("locked after 5 failed login attempts")
    expect(page.get_by_text("refused for 15 minutes, even with the right password")).to_be_visible()
    expect(page.get_by_role("banner").get_by_role("link", name="Tsumiki")).to_be_visible()  # the site's layout
    shot(page, "login-locked")

    # the right password is refused while the cool-off lasts
    page.get_by_role("link", name="Back to the login page").click()
    _try(page, "rita", PASSWORD)
    expect(page.get_by_role("heading", name="Too many login attempts")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)  # not logged in
    page.goto(f"{live_server.url}/jobs/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/jobs/$"))

    # the same page in Japanese
    ensure_japanese_catalog()
    to_japanese(page)
    page.get_by_label("ユーザー名").fill("rita")
    page.get_by_label("パスワード").fill(PASSWORD)
    page.locator("form.stack button[type=submit]").click()
    expect(page.get_by_role("heading", name="ログインの試行が多すぎます")).to_be_visible()
    expect(page.get_by_text("分間拒否されます")).to_be_visible()
    shot(page, "login-locked-ja")


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5)
def test_password_reset_from_the_login_page_to_a_new_password(page, live_server, demo):
    from playwright.sync_api import expect

    User.objects.filter(username="rita").update(email="rita@example.com")
    mail.outbox.clear()
    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", name="Reset your password")).to_be_visible()
    shot(page, "password-reset-form")
    page.get_by_label("Email address").fill("rita@example.com")
    page.get_by_role("button", name="Send the reset link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    shot(page, "password-reset-sent")

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["rita@example.com"]
    assert mail.outbox[0].subject == "Set a new Tsumiki password"
    link = re.search(r"https?://\S+/password-reset/\S+/", mail.outbox[0].body).group(0)
    assert link.startswith(live_server.url)
    page.goto(link)
    expect(page.get_by_role("heading", name="Set a new password")).to_be_visible()
    shot(page, "password-reset-confirm")
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("New password again").fill("short")
    page.get_by_role("button", name="Set the password").click()
    expect(page.locator(".field-error").first).to_contain_text("too short")
    page.get_by_label("New password", exact=True).fill("a-fresh-password-42")
    page.get_by_label("New password again").fill("a-fresh-password-42")
    page.get_by_role("button", name="Set the password").click()
    expect(page.get_by_role("heading", name="Password set")).to_be_visible()
    shot(page, "password-reset-complete")

    page.get_by_role("main").get_by_role("link", name="Log in").click()
    _try(page, "rita", PASSWORD)  # the old password no longer works
    expect(page.get_by_role("alert")).to_contain_text("correct username and password")
    _try(page, "rita", "a-fresh-password-42")
    expect(page.get_by_role("heading", name="Jobs")).to_be_visible()

    # the link worked once
    page.goto(link)
    expect(page.get_by_role("heading", name="This link no longer works")).to_be_visible()


def test_password_reset_in_japanese(page, live_server, demo):
    from playwright.sync_api import expect

    ensure_japanese_catalog()
    User.objects.filter(username="sam").update(email="sam@example.com")
    mail.outbox.clear()
    page.goto(f"{live_server.url}/login/")
    to_japanese(page)
    page.get_by_role("link", name="パスワードをお忘れですか?").click()
    expect(page.get_by_role("heading", name="パスワードをリセット")).to_be_visible()
    page.get_by_label("メールアドレス").fill("sam@example.com")
    page.get_by_role("button", name="リセット用リンクを送信").click()
    expect(page.get_by_role("heading", name="メールを確認してください")).to_be_visible()
    shot(page, "password-reset-sent-ja")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "次のリンクを開いて" in body and mail.outbox[0].subject == "Tsumiki の新しいパスワードの設定"
    page.goto(re.search(r"https?://\S+/password-reset/\S+/", body).group(0))
    page.get_by_label("新しいパスワード", exact=True).fill("atarashii-pw-99")
    page.get_by_label("新しいパスワード(確認)").fill("atarashii-pw-99")
    page.get_by_role("button", name="パスワードを設定").click()
    expect(page.get_by_role("heading", name="パスワードを設定しました")).to_be_visible()
    shot(page, "password-reset-complete-ja")
    login_page = page.get_by_role("main").get_by_role("link", name="ログイン")
    login_page.click()
    assert User.objects.get(username="sam").check_password("atarashii-pw-99")
