"""The signed-in user of a request: Django's database session and the user read together with their
membership (apps.accounts.backends, apps.accounts.selectors). Two queries per request instead of three,
and nothing about the user outlives the request: a logout, a role change, a removed membership, a
deactivation or a password change counts on the very next request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from apps.accounts.models import Membership, Organization, Role, User
from apps.accounts.selectors import user_with_membership

from ..dashboard.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

SessionStore = import_string(f"{settings.SESSION_ENGINE}.SessionStore")


def fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


@pytest.fixture
def recruiter(org):
    return make_user("rita", org, Role.RECRUITER)


@pytest.fixture
def job(org):
    from ..factories import make_job

    return make_job(org, ["SQL"], title="Data analyst", job_id="job-da")


def login(username: str = "rita") -> Client:
    client = Client()
    assert client.post(reverse("dashboard:login"), {"username": username, "password": PASSWORD}).status_code == 302
    return client


def jobs_status(client: Client) -> int:
    return client.get(reverse("dashboard:jobs")).status_code


# --- the read -------------------------------------------------------------------------------------------


def test_the_user_comes_with_membership_and_organization_in_one_query(recruiter, org, django_assert_num_queries):
    recruiter.last_login = timezone.now()
    recruiter.save()
    with django_assert_num_queries(1):
        user = user_with_membership(user_id=recruiter.pk)
        membership = user.membership
        organization = membership.organization
        assert membership.user is user
    # the instances the ORM builds, field by field (datetimes, booleans: the database converters ran)
    assert fields(user) == fields(User.objects.get(pk=recruiter.pk))
    assert fields(membership) == fields(Membership.objects.get(user=recruiter))
    assert fields(organization) == fields(Organization.objects.get(pk=org.pk))
    assert user.last_login.tzinfo is not None and user.is_active is True


def test_the_first_membership_is_the_one_with_the_lowest_id(recruiter, org, other_org):
    Membership.objects.create(user=recruiter, organization=other_org, role=Role.SEEKER)
    user = user_with_membership(user_id=recruiter.pk)
    assert (user.membership.organization, user.membership.role) == (org, Role.RECRUITER)
    assert fields(user.membership) == fields(User.objects.get(pk=recruiter.pk).membership)


def test_a_user_without_membership_costs_no_query_per_look(db, django_assert_num_queries):
    loner = User.objects.create_user("loner", password=PASSWORD)
    user = user_with_membership(user_id=loner.pk)
    with django_assert_num_queries(0):
        assert user.membership is None and user.membership is None
    fresh = User.objects.get(pk=loner.pk)
    with django_assert_num_queries(1):  # the property reads once and remembers "none"
        assert fresh.membership is None and fresh.membership is None


@pytest.mark.parametrize("user_id", [987654, "987654", "not-an-id", None])
def test_no_such_user(db, user_id):
    assert user_with_membership(user_id=user_id) is None


def test_a_page_costs_two_queries_for_the_user(recruiter, django_assert_num_queries):
    client = login()
    client.get(reverse("dashboard:api_keys"))
    with django_assert_num_queries(3):  # the session, the user with their membership, the page's keys
        assert client.get(reverse("dashboard:api_keys")).status_code == 200


# --- nothing outlives the request -------------------------------------------------------------------


def test_logout_ends_the_session_for_every_holder_of_the_cookie(recruiter):
    first = login()
    second = Client()
    second.cookies["sessionid"] = first.cookies["sessionid"].value  # another tab, another worker
    assert jobs_status(second) == 200
    assert first.post(reverse("dashboard:logout")).status_code == 302
    resp = second.get(reverse("dashboard:jobs"))
    assert resp.status_code == 302 and resp["Location"].startswith(reverse("dashboard:login"))


def test_a_role_change_counts_on_the_next_request(recruiter):
    client = login()
    page = client.get(reverse("dashboard:jobs")).content.decode()
    assert reverse("dashboard:api_keys") in page
    Membership.objects.filter(user=recruiter).update(role=Role.SEEKER)
    assert jobs_status(client) == 403
    page = client.get(reverse("dashboard:seeker_home")).content.decode()
    assert reverse("dashboard:api_keys") not in page and reverse("dashboard:seeker_jobs") in page  # the top bar
    Membership.objects.filter(user=recruiter).update(role=Role.RECRUITER)
    assert jobs_status(client) == 200


def test_a_removed_membership_counts_on_the_next_request(recruiter):
    client = login()
    assert jobs_status(client) == 200
    Membership.objects.filter(user=recruiter).delete()
    assert jobs_status(client) == 403


def test_a_move_to_another_organization_counts_on_the_next_request(recruiter, job, other_org):
    client = login()
    shortlist = reverse("dashboard:shortlist", kwargs={"job_id": job.id})
    assert client.get(shortlist).status_code == 200
    Membership.objects.filter(user=recruiter).update(organization=other_org)
    assert client.get(shortlist).status_code == 404  # the job is not theirs any more
    assert "rita · Other Co" in client.get(reverse("dashboard:jobs")).content.decode()


def test_a_deactivated_user_is_signed_out(recruiter):
    client = login()
    User.objects.filter(pk=recruiter.pk).update(is_active=False)
    assert jobs_status(client) == 302


def test_a_password_change_signs_out_other_sessions(recruiter):
    client = login()
    recruiter.set_password("another-password-42")
    recruiter.save()
    assert jobs_status(client) == 302  # the session's auth hash no longer matches (django.contrib.auth.get_user)


# --- the session store ------------------------------------------------------------------------------


def test_a_session_lives_in_the_database_only():
    """No copy of a session outlives its row (a cached copy would outlive a logout made while the cache
    was unreachable, in every process that can still read it)."""
    store = SessionStore()
    store["k"] = "v"
    store.create()
    assert SessionStore(store.session_key).load() == {"k": "v"}
    Session.objects.filter(pk=store.session_key).delete()
    again = SessionStore(store.session_key)
    assert again.load() == {} and again.session_key is None


def test_an_expired_session_is_empty_and_never_reused():
    store = SessionStore()
    store["k"] = "v"
    store.create()
    key = store.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    again = SessionStore(key)
    assert again.load() == {} and again.session_key is None
    again["k"] = "new"
    again.save()
    assert again.session_key != key


def test_an_unknown_session_key_is_replaced_by_a_new_one():
    store = SessionStore("x" * 32)
    store["a"] = 1
    store.save()
    assert store.session_key != "x" * 32  # never a key the client chose (session fixation)


def test_a_session_opened_under_djangos_model_backend_stays_signed_in(recruiter, job):
    """Sessions from before AccountBackend name django.contrib.auth.backends.ModelBackend."""
    client = login()
    store = SessionStore(session_key=client.cookies["sessionid"].value)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store.save()
    assert jobs_status(client) == 200
    assert client.get(reverse("dashboard:shortlist", args=[job.pk])).status_code == 200
