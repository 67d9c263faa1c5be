"""List filters by foreign key answer the same for another organization's id and for an id that does
not exist (apps.api.filters), so ids cannot be enumerated."""

from __future__ import annotations

import pytest

from apps.webhooks.models import WebhookDelivery
from apps.webhooks.services import webhook_endpoint_create
from tests.factories import make_job

from .conftest import assert_problem

pytestmark = pytest.mark.django_db


def test_match_runs_by_job_of_another_org_or_no_job_look_alike(api, org, other_org):
    mine, theirs = make_job(org, ["SQL"]), make_job(other_org, ["SQL"])
    missing = theirs.pk + 1000
    answers = [api.get(f"/api/v1/match-runs/?job={pk}") for pk in (theirs.pk, missing)]
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].json() == answers[1].json() == {"count": 0, "next": None, "previous": None, "results": []}
    assert api.get(f"/api/v1/match-runs/?job={mine.pk}").status_code == 200


def test_webhook_deliveries_by_endpoint_look_alike(api, org, other_org):
    theirs = webhook_endpoint_create(
        organization=other_org, url="https://b.example.com/h", events=["candidate.rescored"]
    )
    WebhookDelivery.objects.create(endpoint=theirs, event="candidate.rescored", payload={})
    a = api.get(f"/api/v1/webhook-deliveries/?endpoint={theirs.pk}")
    b = api.get(f"/api/v1/webhook-deliveries/?endpoint={theirs.pk + 1000}")
    assert a.status_code == b.status_code == 200 and a.json() == b.json()


@pytest.mark.parametrize("value", ["abc", "1.5", "0", "-3", "99999999999999999999999"])
def test_a_malformed_id_is_400_for_everyone(api, value):
    assert_problem(api.get(f"/api/v1/match-runs/?job={value}"), 400)
