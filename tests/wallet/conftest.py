"""What the invitation tests start from: another organization (Other Co) with a recruiter, kai, and a
job that needs SQL; and the absolute link its mails carry."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.accounts.models import Role
from tests.factories import UserFactory, make_job


@pytest.fixture
def their_recruiter(other_org):
    return UserFactory(username="kai", organization=other_org, role=Role.RECRUITER)


@pytest.fixture
def their_job(other_org):
    return make_job(other_org, [{"name": "SQL", "required": True}, "Excel"], title="Data analyst at Other")


def mail_link(token: str) -> str:
    return f"https://tsumiki.example{reverse('dashboard:invitation', args=[token])}"
