"""Creating a job seeker account from an invitation link: one account per address, only from a usable
invitation, limited per client address, audited without the address; the pages around it, and any
input to the form getting an answer, never a 500."""

from __future__ import annotations

import itertools
import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from apps.accounts.audit import SEEKER_SIGNED_UP
from apps.accounts.models import AuditEvent, Organization, Role
from apps.candidates.models import Candidate
from apps.matching.models import MatchScore
from apps.matching.services import match_run_perform, match_run_start
from apps.wallet import invitations as inv
from apps.wallet import signup
from apps.wallet.models import ProfileInvitation, ProfileShare, ShareMode
from apps.wallet.services import home_profile
from tests.factories import UserFactory, credential, make_candidate
from tests.wallet.conftest import mail_link

pytestmark = pytest.mark.django_db

User = get_user_model()
ADDRESS = "Nao.Mori@Example.com"
STORED = "Nao.Mori@example.com"  # the login keeps the domain in lower case (UserManager.normalize_email)
PASSWORD = "a-long-enough-pass"


def _invite(org, job, recruiter, email=ADDRESS) -> ProfileInvitation:
    return inv.invitation_send(organization=org, job=job, email=email, invited_by=recruiter, link_for=mail_link)


def _signup(invitation, username="nao", client="203.0.113.7", **kw):
    return signup.seeker_signup(
        invitation=invitation, username=username, password=PASSWORD, display_name=kw.pop("name", ""), client=client
    )


# --- the service ---------------------------------------------------------------------------------


def test_signing_up_creates_one_seeker_account_with_the_invited_address_and_an_empty_own_profile(
    other_org, their_job, their_recruiter
):
    invitation = _invite(other_org, their_job, their_recruiter)
    orgs_before = Organization.objects.count()
    user = _signup(invitation, name="  Nao   Mori ")
    assert user.email == STORED and user.check_password(PASSWORD)
    membership = user.membership
    assert membership.role == Role.SEEKER and not membership.is_admin
    # an organization of its own: not the inviting one, whose pool holds nothing of them yet
    assert membership.organization != other_org and Organization.objects.count() == orgs_before + 1
    assert membership.organization.name == "Nao Mori (personal)"
    profile = home_profile(user=user)
    assert profile is not None and profile.organization == membership.organization
    assert (profile.name, profile.email) == ("Nao Mori", STORED)
    assert not profile.credentials.exists() and not profile.declared_skills.exists()
    assert not Candidate.objects.filter(organization=other_org, user=user).exists()
    assert User.objects.filter(email__iexact=ADDRESS).count() == 1
    invitation.refresh_from_db()
    assert invitation.state == "pending"  # signing up is not consent
    assert inv.invitation_is_for(invitation=invitation, user=user)


def test_the_sign_up_is_audited_in_the_new_accounts_organization_without_the_address(
    other_org, their_job, their_recruiter
):
    invitation = _invite(other_org, their_job, their_recruiter)
    user = _signup(invitation, name="Nao Mori")
    [event] = AuditEvent.objects.filter(action=SEEKER_SIGNED_UP)
    assert event.organization == user.membership.organization and event.actor_user == user
    assert event.details == {
        "user_id": user.pk,
        "invitation_id": invitation.pk,
        "inviting_organization_id": other_org.pk,
    }
    text = json.dumps(event.details).lower()
    assert "example" not in text and "nao" not in text and "mori" not in text
    assert not AuditEvent.objects.filter(organization=other_org, action=SEEKER_SIGNED_UP).exists()


def test_after_consent_the_inviting_organization_sees_the_new_seekers_profile(
    other_org, their_job, their_recruiter, django_capture_on_commit_callbacks
):
    make_candidate(other_org, cid="local", name="Local", credentials=[credential("SQL", ["SQL"])])
    match_run_perform(run_id=match_run_start(job=their_job).id)
    invitation = _invite(other_org, their_job, their_recruiter)
    user = _signup(invitation)
    with django_capture_on_commit_callbacks(execute=True):
        share = inv.invitation_accept(invitation=invitation, user=user, mode=ShareMode.LIVE)
    assert share.copy.organization == other_org and share.source == home_profile(user=user)
    assert MatchScore.objects.filter(candidate=share.copy, run__job=their_job).exists()


def test_a_second_sign_up_for_the_same_address_is_refused(other_org, their_job, their_recruiter, org):
    invitation = _invite(other_org, their_job, their_recruiter)
    _signup(invitation)
    with pytest.raises(signup.SignupError) as again:
        _signup(invitation, username="nao2")
    assert again.value.code == signup.ACCOUNT_EXISTS and "Log in instead" in str(again.value)
    # another invitation to the same address, in any case, from anyone
    pool = _invite(org, None, UserFactory(organization=org, role=Role.RECRUITER), email="NAO.MORI@example.COM")
    with pytest.raises(signup.SignupError) as other:
        _signup(pool, username="nao3")
    assert other.value.code == signup.ACCOUNT_EXISTS
    assert User.objects.filter(email__iexact=ADDRESS).count() == 1


def test_an_existing_seeker_with_the_address_on_their_login_or_own_profile_logs_in_instead(
    other_org, their_job, their_recruiter, org
):
    by_login = UserFactory(username="sam", organization=org, role=Role.SEEKER, email="sam@example.org")
    by_profile = UserFactory(username="kim", organization=org, role=Role.SEEKER, email="")
    make_candidate(org, cid="kim", name="Kim", user=by_profile)
    Candidate.objects.filter(user=by_profile).update(email="Kim@Example.org")
    assert signup.seeker_account_for("SAM@example.org") == by_login
    assert signup.seeker_account_for("kim@example.org") == by_profile
    for address in ("Sam@Example.org", "kim@example.org"):
        with pytest.raises(signup.SignupError) as problem:
            _signup(_invite(other_org, their_job, their_recruiter, email=address), username="new")
        assert problem.value.code == signup.ACCOUNT_EXISTS
    assert not User.objects.filter(username="new").exists()


def test_a_recruiter_or_an_organizations_copy_with_the_address_is_no_seeker_account(
    other_org, their_job, their_recruiter, org
):
    UserFactory(username="rita", organization=org, role=Role.RECRUITER, email=ADDRESS)
    make_candidate(other_org, cid="imported", name="Nao", user=None)
    Candidate.objects.filter(external_id="imported").update(email=ADDRESS)
    assert signup.seeker_account_for(ADDRESS) is None
    assert _signup(_invite(other_org, their_job, their_recruiter)).membership.role == Role.SEEKER


def test_a_taken_username_is_refused_in_any_case_and_leaves_nothing_behind(other_org, their_job, their_recruiter):
    UserFactory(username="Nao", organization=other_org, role=Role.RECRUITER)
    orgs = Organization.objects.count()
    with pytest.raises(signup.SignupError) as problem:
        _signup(_invite(other_org, their_job, their_recruiter), username="nao")
    assert problem.value.code == signup.USERNAME_TAKEN
    assert Organization.objects.count() == orgs and not AuditEvent.objects.filter(action=SEEKER_SIGNED_UP).exists()


@pytest.mark.parametrize("state", ["revoked", "accepted", "expired"])
def test_an_invitation_that_cannot_be_accepted_allows_no_sign_up(other_org, their_job, their_recruiter, org, state):
    invitation = _invite(other_org, their_job, their_recruiter)
    if state == "revoked":
        inv.invitation_revoke(invitation=invitation, actor=their_recruiter)
    elif state == "expired":
        ProfileInvitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - timedelta(days=15))
    else:
        ProfileInvitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    with pytest.raises(inv.InvitationUnusable) as problem:
        _signup(invitation)
    assert problem.value.reason == {"revoked": inv.REVOKED, "accepted": inv.USED, "expired": inv.EXPIRED}[state]
    assert not User.objects.filter(username="nao").exists()


@override_settings(TSUMIKI_SIGNUP_RATE="2/hour")
def test_sign_ups_are_limited_per_client_address(other_org, org, their_job, their_recruiter):
    for n in range(2):
        _signup(_invite(other_org, their_job, their_recruiter, email=f"p{n}@example.org"), username=f"p{n}")
    late = _invite(other_org, their_job, their_recruiter, email="p2@example.org")
    with pytest.raises(signup.SignupError) as problem:
        _signup(late, username="p2")
    assert problem.value.code == signup.THROTTLED and "Try again in 60 minutes" in str(problem.value)
    assert not User.objects.filter(username="p2").exists()
    assert _signup(late, username="p2", client="198.51.100.1").username == "p2"  # another address may


# --- the pages -----------------------------------------------------------------------------------


def _url(invitation, name="dashboard:invitation_signup") -> str:
    return reverse(name, args=[inv.invitation_token(invitation=invitation)])


def _form(**kw) -> dict:
    return {"username": "nao", "display_name": "Nao Mori", "password1": PASSWORD, "password2": PASSWORD, **kw}


def test_nobody_signed_in_is_offered_to_create_an_account_beside_logging_in(other_org, their_job, their_recruiter):
    invitation = _invite(other_org, their_job, their_recruiter)
    page = Client().get(_url(invitation, "dashboard:invitation"))
    body = page.content.decode()
    assert page.status_code == 200 and "Invitation from Other Co" in body
    assert _url(invitation) in body and "Create your account" in body
    assert reverse("dashboard:login") + "?next=" in body
    assert "N•••@Example.com" in body and ADDRESS not in body  # the address is shown on the form only
    # posting the consent without signing in goes to the login page
    posted = Client().post(_url(invitation, "dashboard:invitation"), {"consent": "yes", "mode": "live"})
    assert posted.status_code == 302 and posted.url.startswith(reverse("dashboard:login"))


def test_the_form_shows_the_address_creates_the_account_logs_in_and_continues_to_consent(
    other_org, their_job, their_recruiter
):
    invitation = _invite(other_org, their_job, their_recruiter)
    token = inv.invitation_token(invitation=invitation)
    c = Client()
    form = c.get(reverse("dashboard:invitation_signup", args=[token]))
    assert form.status_code == 200
    assert f'value="{ADDRESS}" readonly' in form.content.decode()
    # each hint is tied to its field, the password rules included
    for name in ("username", "display_name", "password1", "password2"):
        assert f'aria-describedby="id_{name}_helptext"' in form.content.decode()
        assert f'id="id_{name}_helptext"' in form.content.decode()
    # an address posted along is ignored: the account takes the invited one
    done = c.post(reverse("dashboard:invitation_signup", args=[token]), _form(email="someone@else.example"))
    assert done.status_code == 302 and done.url == reverse("dashboard:invitation", args=[token])
    user = User.objects.get(username="nao")
    assert user.email == STORED
    consent = c.get(done.url)
    assert consent.status_code == 200 and "What Other Co will see" in consent.content.decode()
    assert "Your profile is empty so far" in consent.content.decode()
    # signed in now, the sign-up page sends them on to the consent page
    assert c.get(reverse("dashboard:invitation_signup", args=[token])).url == done.url
    shared = c.post(done.url, {"consent": "yes", "mode": "live"})
    assert shared.status_code == 302
    share = ProfileShare.objects.get(user=user)
    assert share.copy.organization == other_org and share.job == their_job
    assert c.get(reverse("dashboard:invitation_signup", args=[token])).status_code == 410  # used up


def test_password_rules_and_a_mismatch_are_form_errors(other_org, their_job, their_recruiter):
    invitation = _invite(other_org, their_job, their_recruiter)
    c = Client()
    short = c.post(_url(invitation), _form(password1="short", password2="short"))
    assert short.status_code == 400 and "at least 8 characters" in short.content.decode()
    differ = c.post(_url(invitation), _form(password2=PASSWORD + "x"))
    assert differ.status_code == 400 and "didn’t match" in differ.content.decode()
    bad_name = c.post(_url(invitation), _form(username="no spaces allowed"))
    assert bad_name.status_code == 400 and "Enter a valid username" in bad_name.content.decode()
    assert not User.objects.filter(email__iexact=ADDRESS).exists()


def test_an_address_with_an_account_gets_log_in_instead_and_no_form(other_org, their_job, their_recruiter, org):
    UserFactory(username="nao", organization=org, role=Role.SEEKER, email=ADDRESS.lower())
    invitation = _invite(other_org, their_job, their_recruiter)
    welcome = Client().get(_url(invitation, "dashboard:invitation")).content.decode()
    assert "Log in instead" in welcome and "Create your account" not in welcome
    page = Client().get(_url(invitation))
    assert page.status_code == 200 and "Log in instead" in page.content.decode()
    assert 'name="password1"' not in page.content.decode()
    posted = Client().post(_url(invitation), _form(username="nao-two"))
    assert posted.status_code == 409 and not User.objects.filter(username="nao-two").exists()


def test_unusable_links_never_open_the_form(other_org, their_job, their_recruiter):
    revoked = _invite(other_org, their_job, their_recruiter, email="r@example.org")
    inv.invitation_revoke(invitation=revoked, actor=their_recruiter)
    used = _invite(other_org, their_job, their_recruiter, email="u@example.org")
    ProfileInvitation.objects.filter(pk=used.pk).update(accepted_at=timezone.now())
    stale = _invite(other_org, their_job, their_recruiter, email="s@example.org")
    ProfileInvitation.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(days=20))
    token = inv.invitation_token(invitation=_invite(other_org, their_job, their_recruiter))
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    cases = [
        (_url(revoked), 410),
        (_url(used), 410),
        (_url(stale), 410),
        (reverse("dashboard:invitation_signup", args=[tampered]), 404),
        (reverse("dashboard:invitation_signup", args=["garbage"]), 404),
    ]
    for url, status in cases:
        for response in (Client().get(url), Client().post(url, _form())):
            assert response.status_code == status, url
            assert 'name="password1"' not in response.content.decode()
    assert not User.objects.filter(username="nao").exists()


@override_settings(TSUMIKI_SIGNUP_RATE="1/hour")
def test_past_the_limit_the_form_says_so(other_org, their_job, their_recruiter):
    first = _invite(other_org, their_job, their_recruiter, email="a@example.org")
    assert Client().post(_url(first), _form(username="first")).status_code == 302
    second = _invite(other_org, their_job, their_recruiter, email="b@example.org")
    refused = Client().post(_url(second), _form(username="second"))
    assert refused.status_code == 429 and "Too many accounts were attempted" in refused.content.decode()
    assert not User.objects.filter(username="second").exists()


_addresses = itertools.count()


@override_settings(TSUMIKI_SIGNUP_RATE="100000/hour")
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    username=st.text(max_size=160) | st.from_regex(r"\A[\w.@+-]{1,150}\Z"),
    display_name=st.text(max_size=260),
    password1=st.text(max_size=40),
    password2=st.text(max_size=40) | st.just(None),
    extra=st.dictionaries(st.sampled_from(["email", "role", "organization", "is_admin"]), st.text(max_size=20)),
)
def test_any_sign_up_input_gets_an_answer_never_a_500(
    other_org, their_recruiter, username, display_name, password1, password2, extra
):
    address = f"h{next(_addresses)}@example.org"
    invitation = ProfileInvitation.objects.create(organization=other_org, email=address, invited_by=their_recruiter)
    data = {"username": username, "display_name": display_name, "password1": password1}
    data["password2"] = password1 if password2 is None else password2
    resp = Client(raise_request_exception=False).post(_url(invitation), {**extra, **data})
    assert resp.status_code in (302, 400), (data, resp.status_code)
    event(f"status {resp.status_code}")
    created = list(User.objects.filter(email=address))
    if resp.status_code == 302:
        [user] = created
        assert user.membership.role == Role.SEEKER and not user.membership.is_admin
        assert user.membership.organization != other_org
    else:
        assert created == []
