"""The pipeline's and the audit log's pages as HTTP: who may open them, what bad input gets (words, never a
500), and the audit-log filters (apps.dashboard.views.pipeline, apps.dashboard.views.audit_log)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.accounts import audit
from apps.accounts.models import AuditEvent, Membership
from apps.accounts.selectors import audit_actors, audit_events
from apps.matching.models import PipelineStage, ShortlistDecision
from apps.matching.pipeline_services import stages_ensure
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(recruiter):
    Membership.objects.filter(user=recruiter).update(is_admin=True)
    c = Client()
    c.force_login(recruiter)
    return c


@pytest.mark.parametrize("name", ["pipeline_settings", "audit_log"])
def test_only_organization_admins_open_the_settings(name, org, seeker, admin_client):
    url = reverse(f"dashboard:{name}")
    others = []
    for user in (UserFactory(organization=org, role="recruiter"), seeker):  # a recruiter, not an admin
        c = Client()
        c.force_login(user)
        others.append(c)
    for c in others:
        resp = c.get(url)
        assert resp.status_code == 403
        assert "No access" in resp.content.decode()
    assert admin_client.get(url).status_code == 200
    assert Client().get(url).status_code == 302  # anonymous: to the login page


def test_another_organizations_stage_is_a_404(admin_client, other_org):
    theirs = stages_ensure(organization=other_org)[0]
    resp = admin_client.post(reverse("dashboard:pipeline_stage", args=[theirs.pk]), {"name": "Mine now"})
    assert resp.status_code == 404
    assert PipelineStage.objects.get(pk=theirs.pk).name == "New"


def test_bulk_move_with_bad_ids_is_refused_in_words(rclient, job, finished_run, org):
    stage = stages_ensure(organization=org)[3]
    url = reverse("dashboard:shortlist_bulk", args=[job.pk])
    for ids in (["x"], ["²"], ["1" * 30], []):
        resp = rclient.post(url, {"candidate": ids, "action": "move", "stage": stage.pk}, follow=True)
        assert resp.status_code == 200
        text = resp.content.decode()
        assert "Select at least one candidate." in text or "Some selected candidates" in text
    assert not ShortlistDecision.objects.exists()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    query=st.dictionaries(
        st.sampled_from(["kind", "actor", "since", "until", "page", "format"]),
        st.text(max_size=30),
        max_size=5,
    )
)
def test_any_audit_log_query_is_answered_never_a_500(admin_client, query):
    resp = admin_client.get(reverse("dashboard:audit_log"), query)
    assert resp.status_code == 200


def test_audit_events_filter_by_kind_actor_and_time(org, recruiter, other_org):
    old = AuditEvent.objects.create(
        organization=org, actor="rita", action=audit.CANDIDATE_REVEALED, created_at=timezone.now() - timedelta(days=3)
    )
    new = audit.audit_record(organization=org, actor=recruiter, action=audit.DECISION_RECORDED)
    api = audit.audit_record(organization=org, actor="api-key:abc", action=audit.CANDIDATES_API_READ)
    audit.audit_record(organization=other_org, actor="someone", action=audit.DECISION_RECORDED)
    assert list(audit_events(organization=org)) == [api, new, old]
    assert list(audit_events(organization=org, kind="decision")) == [new]
    assert list(audit_events(organization=org, kind="api_read")) == [api]
    assert list(audit_events(organization=org, kind="nonsense")) == []
    assert list(audit_events(organization=org, actor="api-key:abc")) == [api]
    assert list(audit_events(organization=org, since=timezone.now() - timedelta(days=1))) == [api, new]
    assert list(audit_events(organization=org, until=timezone.now() - timedelta(days=1))) == [old]
    assert audit_actors(organization=org) == sorted({"rita", recruiter.get_username(), "api-key:abc"})


def test_an_api_key_reading_candidates_is_in_the_audit_log(org, pool, admin_client):
    from apps.accounts.services import api_key_create

    key, raw = api_key_create(organization=org, scopes=["read"], name="ATS")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    one = pool["strong"]
    assert api.get("/api/v1/candidates/").status_code == 200
    assert api.get(f"/api/v1/candidates/{one.pk}/").status_code == 200
    reads = list(audit_events(organization=org, kind="api_read").order_by("id"))
    assert [e.actor for e in reads] == [f"api-key:{key.prefix}"] * 2
    assert set(reads[0].details["candidate_ids"]) == {c.pk for c in pool.values()}
    assert reads[1].details == {"candidate_ids": [one.pk], "path": f"/api/v1/candidates/{one.pk}/"}
    page = admin_client.get(reverse("dashboard:audit_log"), {"kind": "api_read"}).content.decode()
    assert page.count("Candidates read through the API") == 2


@settings(max_examples=80, deadline=None)
@given(raw=st.lists(st.text(max_size=25), max_size=8), stage=st.text(max_size=6), action=st.text(max_size=8))
def test_the_bulk_form_takes_any_input_and_answers_in_words(raw, stage, action):
    from django.http import QueryDict

    from apps.dashboard.forms import BulkStageForm

    data = QueryDict(mutable=True)
    data.setlist("candidate", raw)
    data.update({"stage": stage, "action": action})
    form = BulkStageForm(data, stages=[])
    if form.is_valid():
        assert form.candidate_ids == [int(v) for v in raw]  # every value was an id
        assert form.cleaned_data["action"] == "export"  # no stage offered: only an export can be valid
    else:
        assert all(str(e) for errors in form.errors.values() for e in errors)
