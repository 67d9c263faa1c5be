"""The readable 403 page (apps.dashboard.views.access.forbidden) says why, wherever a page refuses."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.wallet import invitations as inv
from apps.wallet.services import apply_token
from tests.factories import make_job

pytestmark = pytest.mark.django_db


def _refused(response, words: str) -> None:
    assert response.status_code == 403
    assert "dashboard/forbidden.html" in [t.name for t in response.templates]
    assert words in response.content.decode()


def test_a_user_with_no_role_is_told_at_home(client):
    client.force_login(User.objects.create_user(username="no-role", password="pw-tsumiki-123"))
    _refused(client.get(reverse("dashboard:home")), "Your account has no recruiter or job seeker role.")


def test_a_recruiter_opening_an_apply_link_is_told_only_job_seekers_apply(rclient, org):
    token = apply_token(job=make_job(org, ["SQL"]))
    _refused(rclient.get(reverse("dashboard:apply", args=[token])), "Only job seekers can apply.")


def test_a_recruiter_opening_an_invitation_is_told_only_job_seekers_accept(rclient, org, recruiter):
    invitation = inv.invitation_send(
        organization=org, email="sam@example.com", invited_by=recruiter, link_for=lambda token: token
    )
    token = inv.invitation_token(invitation=invitation)
    _refused(rclient.get(reverse("dashboard:invitation", args=[token])), "Only job seekers can accept an invitation.")


def test_a_seeker_on_a_recruiter_page_is_told(sclient):
    _refused(sclient.get(reverse("dashboard:jobs")), "Your account does not have access to this page.")


def test_a_recruiter_on_an_admin_page_is_told(rclient):
    _refused(rclient.get(reverse("dashboard:audit_log")), "Only an admin of your organization can open this page.")
