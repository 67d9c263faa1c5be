"""Invitations to share a profile: the mailed link, who may accept it and when, the hourly cap, revoking,
what the audit log keeps, and the pages every kind of broken link gets."""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta
from unittest import mock
from urllib.parse import quote

import pytest
from django.core import mail, signing
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.accounts.models import AuditEvent, Role
from apps.candidates.models import Candidate
from apps.matching.models import MatchScore
from apps.matching.services import match_run_perform, match_run_start
from apps.wallet import invitations as inv
from apps.wallet.models import ProfileInvitation, ProfileShare, ShareMode, ShareVia
from tests.factories import UserFactory, credential, make_candidate, make_job
from tests.wallet.conftest import mail_link

pytestmark = pytest.mark.django_db

ADDRESS = "Sam.Sato@Example.com"


@pytest.fixture
def home(org, seeker):
    seeker.email = "sam.sato@example.com"
    seeker.save(update_fields=["email"])
    return make_candidate(
        org, cid="sam", name="Sam Sato", user=seeker, credentials=[credential("SQL badge", ["SQL"])], skills=["Excel"]
    )


def _send(org, job, recruiter, email=ADDRESS, capture=None):
    if capture is None:
        return inv.invitation_send(organization=org, job=job, email=email, invited_by=recruiter, link_for=mail_link)
    with capture(execute=True):
        return inv.invitation_send(organization=org, job=job, email=email, invited_by=recruiter, link_for=mail_link)


def _token_from_mail(message) -> str:
    found = re.search(r"/invitation/([^/\s]+)/", message.body)
    assert found, message.body
    return found.group(1)


def test_the_mail_goes_after_commit_with_a_link_that_names_the_invitation(
    other_org, their_job, their_recruiter, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = _send(other_org, their_job, their_recruiter)
    assert mail.outbox == []  # nothing is mailed before the invitation is committed
    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert message.to == [ADDRESS]
    assert "Other Co" in message.subject and "Data analyst at Other" in message.body
    assert inv.invitation_from_token(_token_from_mail(message)) == invitation
    assert invitation.state == "pending" and invitation.invited_by == their_recruiter


def test_the_audit_log_records_the_invitation_without_the_address(
    other_org, their_job, their_recruiter, seeker, home, django_capture_on_commit_callbacks
):
    invitation = _send(other_org, their_job, their_recruiter, capture=django_capture_on_commit_callbacks)
    inv.invitation_accept(
        invitation=inv.invitation_from_token(_token_from_mail(mail.outbox[0])), user=seeker, mode=ShareMode.SNAPSHOT
    )
    other = _send(other_org, None, their_recruiter, email="someone@example.org")
    inv.invitation_revoke(invitation=other, actor=their_recruiter)
    events = AuditEvent.objects.filter(organization=other_org)
    actions = {e.action for e in events}
    assert {"profile.invited", "profile.shared", "profile.invitation_revoked"} <= actions
    invited = events.get(action="profile.invited", object_id=str(invitation.pk))
    assert invited.details == {"invitation_id": invitation.pk, "job_id": their_job.pk}
    shared = events.get(action="profile.shared")
    assert shared.details["via"] == "invitation"
    for e in events:
        text = json.dumps(e.details).lower()
        assert "example" not in text and "sam" not in text, e.details


def test_the_invited_person_accepts_and_the_organization_sees_their_profile_in_the_jobs_run(
    other_org, their_job, their_recruiter, seeker, home, django_capture_on_commit_callbacks
):
    match_run_perform(run_id=match_run_start(job=their_job).id)
    invitation = _send(other_org, their_job, their_recruiter, capture=django_capture_on_commit_callbacks)
    found = inv.invitation_from_token(_token_from_mail(mail.outbox[0]))
    with django_capture_on_commit_callbacks(execute=True):
        share = inv.invitation_accept(invitation=found, user=seeker, mode=ShareMode.LIVE)
    invitation.refresh_from_db()
    assert invitation.state == "accepted" and invitation.share == share
    assert share.via == ShareVia.INVITATION and share.mode == ShareMode.LIVE and share.job == their_job
    assert share.copy.organization == other_org
    assert [c.title for c in share.copy.credentials.all()] == ["SQL badge"]
    assert MatchScore.objects.filter(candidate=share.copy, run__job=their_job).exists()


def test_an_invitation_to_the_talent_pool_shares_with_the_organization_without_a_job(
    other_org, their_recruiter, seeker, home
):
    invitation = _send(other_org, None, their_recruiter)
    share = inv.invitation_accept(invitation=invitation, user=seeker, mode=ShareMode.SNAPSHOT)
    assert share.organization == other_org and share.job is None and share.job_title == ""


def test_the_address_on_the_profile_counts_too_and_case_does_not_matter(
    other_org, their_job, their_recruiter, seeker, home
):
    seeker.email = ""
    seeker.save(update_fields=["email"])
    Candidate.objects.filter(pk=home.pk).update(email="SAM.SATO@example.COM")
    invitation = _send(other_org, their_job, their_recruiter)
    assert inv.invitation_is_for(invitation=invitation, user=seeker)
    assert inv.invitation_accept(invitation=invitation, user=seeker, mode=ShareMode.SNAPSHOT).copy is not None


def test_another_account_cannot_accept(other_org, their_job, their_recruiter, org, home):
    someone = UserFactory(username="eve", organization=org, role=Role.SEEKER, email="eve@example.com")
    make_candidate(org, cid="eve", name="Eve", user=someone, skills=["Excel"])
    invitation = _send(other_org, their_job, their_recruiter)
    with pytest.raises(inv.InvitationUnusable) as problem:
        inv.invitation_accept(invitation=invitation, user=someone, mode=ShareMode.SNAPSHOT)
    assert problem.value.reason == inv.WRONG_ACCOUNT
    invitation.refresh_from_db()
    assert invitation.state == "pending" and not ProfileShare.objects.exists()


def test_a_link_older_than_fourteen_days_has_expired(other_org, their_job, their_recruiter, seeker, home):
    old = signing.b62_encode(int(time.time()) - 15 * 24 * 3600)
    invitation = _send(other_org, their_job, their_recruiter)
    with mock.patch.object(signing.TimestampSigner, "timestamp", return_value=old):
        token = inv.invitation_token(invitation=invitation)  # as if it had been mailed 15 days ago
    with pytest.raises(inv.InvitationUnusable) as problem:
        inv.invitation_from_token(token)
    assert problem.value.reason == inv.EXPIRED
    assert problem.value.invitation.organization == other_org  # the page can say whom to ask


def test_an_invitation_older_than_fourteen_days_has_expired_even_with_a_fresh_signature(
    other_org, their_job, their_recruiter, seeker, home
):
    invitation = _send(other_org, their_job, their_recruiter)
    ProfileInvitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - timedelta(days=14, minutes=1))
    with pytest.raises(inv.InvitationUnusable) as problem:
        inv.invitation_from_token(inv.invitation_token(invitation=invitation))
    assert problem.value.reason == inv.EXPIRED
    invitation.refresh_from_db()
    with pytest.raises(inv.InvitationUnusable):
        inv.invitation_accept(invitation=invitation, user=seeker, mode=ShareMode.SNAPSHOT)
    assert invitation.state == "expired"


def test_a_tampered_or_forged_token_is_invalid(other_org, their_job, their_recruiter):
    invitation = _send(other_org, their_job, their_recruiter)
    another = _send(other_org, None, their_recruiter, email="kim@example.org")
    token = inv.invitation_token(invitation=invitation)
    value, stamp, sig = token.split(":")
    for bad in (
        f"{another.pk}:{stamp}:{sig}",  # another invitation's id under this signature
        f"{value}:{stamp}:{sig[:-1]}{'A' if sig[-1] != 'A' else 'B'}",
        signing.TimestampSigner(salt="tsumiki.wallet.apply").sign(str(invitation.pk)),  # another purpose's key
        signing.TimestampSigner(key="not-the-secret", salt="tsumiki.wallet.invitation").sign(str(invitation.pk)),
        "",
        "12",
        "::",
    ):
        with pytest.raises(inv.InvitationUnusable) as problem:
            inv.invitation_from_token(bad)
        assert problem.value.reason == inv.INVALID, bad
    ProfileInvitation.objects.filter(pk=invitation.pk).delete()
    with pytest.raises(inv.InvitationUnusable) as problem:
        inv.invitation_from_token(token)  # a signature of ours for an invitation that is gone
    assert problem.value.reason == inv.INVALID


def test_a_revoked_invitation_cannot_be_accepted_and_an_accepted_one_cannot_be_revoked(
    other_org, their_job, their_recruiter, seeker, home
):
    invitation = _send(other_org, their_job, their_recruiter)
    token = inv.invitation_token(invitation=invitation)
    inv.invitation_revoke(invitation=invitation, actor=their_recruiter)
    with pytest.raises(inv.InvitationUnusable) as problem:
        inv.invitation_from_token(token)
    assert problem.value.reason == inv.REVOKED
    with pytest.raises(inv.InvitationUnusable):
        inv.invitation_accept(invitation=invitation, user=seeker, mode=ShareMode.SNAPSHOT)
    assert not ProfileShare.objects.exists()

    second = _send(other_org, their_job, their_recruiter)  # revoking frees the address for a new one
    inv.invitation_accept(invitation=second, user=seeker, mode=ShareMode.SNAPSHOT)
    with pytest.raises(inv.InvitationError, match="accepted"):
        inv.invitation_revoke(invitation=second, actor=their_recruiter)


def test_an_invitation_works_once(other_org, their_job, their_recruiter, seeker, home):
    invitation = _send(other_org, their_job, their_recruiter)
    inv.invitation_accept(invitation=invitation, user=seeker, mode=ShareMode.SNAPSHOT)
    with pytest.raises(inv.InvitationUnusable) as problem:
        inv.invitation_from_token(inv.invitation_token(invitation=invitation))
    assert problem.value.reason == inv.USED
    with pytest.raises(inv.InvitationUnusable):
        inv.invitation_accept(invitation=invitation, user=seeker, mode=ShareMode.LIVE)
    assert ProfileShare.objects.count() == 1


def test_a_pending_invitation_to_the_same_address_for_the_same_job_is_refused(other_org, their_job, their_recruiter):
    _send(other_org, their_job, their_recruiter)
    with pytest.raises(inv.InvitationError, match="already has a pending invitation"):
        _send(other_org, their_job, their_recruiter, email=ADDRESS.upper())
    _send(other_org, None, their_recruiter)  # the talent pool is another request
    with pytest.raises(inv.InvitationError, match="valid e-mail"):
        _send(other_org, their_job, their_recruiter, email="not an address")


@override_settings(TSUMIKI_INVITATIONS_PER_HOUR=3)
def test_an_organization_sends_at_most_the_hourly_cap(other_org, org, their_job, their_recruiter, recruiter):
    for i in range(3):
        _send(other_org, their_job, their_recruiter, email=f"p{i}@example.org")
    with pytest.raises(inv.InvitationError, match="3 invitations in the last hour"):
        _send(other_org, their_job, their_recruiter, email="p3@example.org")
    assert ProfileInvitation.objects.filter(organization=other_org).count() == 3
    # another organization has its own allowance
    _send(org, make_job(org, ["Git"]), recruiter, email="p3@example.org")
    # an hour later the first ones no longer count
    ProfileInvitation.objects.filter(organization=other_org).update(created_at=timezone.now() - timedelta(minutes=61))
    _send(other_org, their_job, their_recruiter, email="p3@example.org")


# --- pages ---------------------------------------------------------------------------------------


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_job_page_sends_lists_and_revokes_invitations(
    other_org, their_job, their_recruiter, django_capture_on_commit_callbacks
):
    c = _client(their_recruiter)
    page = c.get(reverse("dashboard:job", args=[their_job.id]))
    assert page.status_code == 200 and b'name="email"' in page.content
    with django_capture_on_commit_callbacks(execute=True):
        resp = c.post(
            reverse("dashboard:invitation_send", args=[their_job.id]), {"email": "kim@example.org", "scope": "job"}
        )
    assert resp.status_code == 302 and len(mail.outbox) == 1
    assert mail.outbox[0].body.count("http://testserver/invitation/") == 1
    invitation = ProfileInvitation.objects.get()
    page = c.get(reverse("dashboard:job", args=[their_job.id]))
    assert b"kim@example.org" in page.content and b"invitation-pending" in page.content
    c.post(reverse("dashboard:invitation_revoke", args=[their_job.id, invitation.id]))
    invitation.refresh_from_db()
    assert invitation.state == "revoked"
    assert b"invitation-revoked" in c.get(reverse("dashboard:job", args=[their_job.id])).content


@override_settings(TSUMIKI_INVITATIONS_PER_HOUR=1)
def test_the_cap_and_a_bad_address_are_form_errors_on_the_job_page(other_org, their_job, their_recruiter):
    c = _client(their_recruiter)
    url = reverse("dashboard:invitation_send", args=[their_job.id])
    bad = c.post(url, {"email": "nope", "scope": "job"})
    assert bad.status_code == 400 and b"field-error" in bad.content
    assert c.post(url, {"email": "a@example.org", "scope": "pool"}).status_code == 302
    capped = c.post(url, {"email": "b@example.org", "scope": "job"})
    assert capped.status_code == 400
    assert "1 invitations in the last hour" in capped.content.decode()
    assert b'value="b@example.org"' in capped.content  # the address typed is kept
    assert ProfileInvitation.objects.count() == 1


def test_another_organizations_recruiter_cannot_revoke(org, recruiter, other_org, their_job, their_recruiter):
    invitation = _send(other_org, their_job, their_recruiter)
    own_job = make_job(org, ["Git"])
    resp = _client(recruiter).post(reverse("dashboard:invitation_revoke", args=[own_job.id, invitation.id]))
    assert resp.status_code == 404
    invitation.refresh_from_db()
    assert invitation.state == "pending"


def test_the_consent_page_names_the_invitation_and_accepting_shares(
    other_org, their_job, their_recruiter, seeker, home
):
    invitation = _send(other_org, their_job, their_recruiter)
    url = reverse("dashboard:invitation", args=[inv.invitation_token(invitation=invitation)])
    c = _client(seeker)
    page = c.get(url).content.decode()
    assert "Invitation from Other Co" in page and "Apply:" not in page
    assert "What Other Co will see" in page
    refused = c.post(url, {"mode": "live"})
    assert refused.status_code == 400 and "Tick the box" in refused.content.decode()
    done = c.post(url, {"mode": "live", "consent": "yes"})
    assert done.status_code == 302 and done.url == reverse("dashboard:seeker_sharing")
    assert ProfileShare.objects.get(user=seeker).via == "invitation"
    again = c.get(url)
    assert again.status_code == 410 and "already been used" in again.content.decode()


def test_every_unusable_link_gets_its_own_page(other_org, org, their_job, their_recruiter, seeker, home, recruiter):
    c = _client(seeker)
    revoked = _send(other_org, their_job, their_recruiter, email="x@example.org")
    inv.invitation_revoke(invitation=revoked, actor=their_recruiter)
    stale = _send(other_org, None, their_recruiter)
    ProfileInvitation.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(days=20))
    for_other = _send(other_org, their_job, their_recruiter, email="kim@example.org")
    cases = [
        ("garbage", 404, "does not work"),
        (inv.invitation_token(invitation=revoked), 410, "withdrew"),
        (inv.invitation_token(invitation=stale), 410, "has expired"),
        (inv.invitation_token(invitation=for_other), 403, "k•••@example.org"),
    ]
    for token, status, text in cases:
        resp = c.get(reverse("dashboard:invitation", args=[token]))
        assert resp.status_code == status, token
        body = resp.content.decode()
        assert text in body and "kim@example.org" not in body
    # a recruiter is told to use a job seeker account; nobody signed in is offered to log in or sign up
    # (tests/wallet/test_signup.py), and a broken link gets its own page without logging in first
    valid = reverse("dashboard:invitation", args=[inv.invitation_token(invitation=for_other)])
    assert _client(recruiter).get(valid).status_code == 403
    anonymous = Client().get(valid)
    assert anonymous.status_code == 200 and "Create your account" in anonymous.content.decode()
    assert Client().get(reverse("dashboard:invitation", args=["garbage"])).status_code == 404


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(token=st.text(max_size=120) | st.from_regex(r"\A[0-9]{1,25}:[0-9A-Za-z]{0,8}:[\w-]{0,50}\Z"))
def test_any_token_gets_a_page_never_a_500(seeker, token):
    c = Client(raise_request_exception=False)
    c.force_login(seeker)
    resp = c.get("/invitation/" + quote(token, safe="") + "/")
    assert resp.status_code in (403, 404, 410), (token, resp.status_code)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mode=st.text(max_size=30).filter(lambda m: m not in ShareMode.values))
def test_any_mode_posted_is_refused_in_words(other_org, their_recruiter, seeker, home, mode):
    invitation = ProfileInvitation.objects.filter(organization=other_org).first() or _send(
        other_org, None, their_recruiter
    )
    c = Client(raise_request_exception=False)
    c.force_login(seeker)
    url = reverse("dashboard:invitation", args=[inv.invitation_token(invitation=invitation)])
    resp = c.post(url, {"mode": mode, "consent": "yes"})
    assert resp.status_code == 400 and b"Choose how the organization sees your profile" in resp.content
    invitation.refresh_from_db()
    assert invitation.state == "pending"


def test_the_audit_log_page_files_invitations_under_sharing_without_the_address(other_org, their_job, their_recruiter):
    admin = UserFactory(username="ada", organization=other_org, role=Role.RECRUITER, is_admin=True)
    invitation = _send(other_org, their_job, their_recruiter)
    inv.invitation_revoke(invitation=invitation, actor=their_recruiter)
    c = _client(admin)
    page = c.get(reverse("dashboard:audit_log"), {"kind": "sharing"}).content.decode()
    assert "Invitation to share a profile sent" in page and "Invitation to share a profile revoked" in page
    assert "Profiles shared with the organization" in page  # the kind's label in the filter
    assert "Example.com" not in page and "Sam.Sato" not in page
    assert (
        "Invitation to share a profile sent"
        not in c.get(reverse("dashboard:audit_log"), {"kind": "reveal"}).content.decode()
    )
