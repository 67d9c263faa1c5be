"""Login throttling (django-axes) and the password reset flow, through the real views and middleware."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import override_settings

from apps.accounts.models import Role

from ..dashboard.i18n import ensure_japanese_catalog
from ..factories import UserFactory

PASSWORD = "right-horse-battery"


@pytest.fixture
def rita(org):
    user = UserFactory(username="rita", organization=org, role=Role.RECRUITER, email="rita@example.com")
    user.set_password(PASSWORD)
    user.save()
    return user


def _login(client, password: str, ip: str = "10.0.0.1"):
    return client.post("/login/", {"username": "rita", "password": password}, REMOTE_ADDR=ip)


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5)
def test_five_failures_lock_the_username_from_that_address_even_for_the_right_password(client, rita):
    for _ in range(4):
        r = _login(client, "wrong")
        assert r.status_code == 200 and b"Log in to Tsumiki" in r.content
    r = _login(client, "wrong")
    assert r.status_code == 429
    assert b"Too many login attempts" in r.content and b"15 minutes" in r.content
    assert int(r["Retry-After"]) == 15 * 60
    r = _login(client, PASSWORD)
    assert r.status_code == 429 and "_auth_user_id" not in client.session
    # another address is not locked out: the lock is per username and address
    r = _login(client, PASSWORD, ip="10.0.0.2")
    assert r.status_code == 302 and client.session["_auth_user_id"] == str(rita.pk)


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5)
def test_a_success_before_the_limit_forgets_the_failures(client, rita):
    for _ in range(4):
        _login(client, "wrong")
    assert _login(client, PASSWORD).status_code == 302
    client.post("/logout/")
    for _ in range(4):
        assert _login(client, "wrong").status_code == 200


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5, LANGUAGE_CODE="ja")
def test_the_lockout_page_is_translated(client, rita):
    ensure_japanese_catalog()
    client.cookies["django_language"] = "ja"
    for _ in range(5):
        r = _login(client, "wrong")
    assert r.status_code == 429
    text = r.content.decode()
    assert "ログイン" in text and "Too many login attempts" not in text


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5)
def test_password_reset_sets_a_new_password_and_ends_the_lockout(client, rita):
    for _ in range(5):
        _login(client, "wrong")
    assert _login(client, PASSWORD).status_code == 429
    r = client.post("/password-reset/", {"email": "rita@example.com"})
    assert r.status_code == 302 and r["Location"] == "/password-reset/sent/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["rita@example.com"]
    link = re.search(r"http://testserver(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    r = client.get(link)  # Django swaps the token for a session value and redirects
    assert r.status_code == 302
    r = client.post(r["Location"], {"new_password1": "a-new-pw-4567", "new_password2": "a-new-pw-4567"})
    assert r.status_code == 302 and r["Location"] == "/password-reset/done/"
    assert _login(client, "a-new-pw-4567").status_code == 302
    # the link worked once
    assert b"no longer works" in client.get(link, follow=True).content


def test_password_reset_answers_the_same_for_an_unknown_address(client, rita):
    r = client.post("/password-reset/", {"email": "nobody@example.com"})
    assert r.status_code == 302 and r["Location"] == "/password-reset/sent/"
    assert mail.outbox == []
