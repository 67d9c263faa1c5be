"""GET /api/v1/pool-search/: ranked, explained, degree-blind hits; conditions; problem+json for bad input
(never a 500), and 503 with Retry-After while the skill model loads for a phrase it has not seen."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.matching.pool_services import pool_label
from apps.skills import warmup

from ..factories import credential, make_candidate

pytestmark = pytest.mark.django_db
URL = "/api/v1/pool-search/"


@pytest.fixture
def people(org):
    return {
        "ada": make_candidate(
            org,
            cid="c-ada",
            name="Ada Lovelace",
            credentials=[
                credential("SQL for Analysts", ["SQL"], issuer="Open Data Academy"),
                credential("Python Foundations", ["Python programming"], verified=False),
            ],
            degrees=[{"title": "BSc Mathematics"}],
        ),
        "bob": make_candidate(org, cid="c-bob", name="Bob", credentials=[credential("SQL badge", ["SQL"])]),
        "cy": make_candidate(org, cid="c-cy", name="Cy", skills=["cooking"]),
    }


def test_ranks_and_explains_without_names(api, people):
    resp = api.get(URL, {"skill": ["SQL", "Python programming"], "mode": "any"})
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert body["count"] == 2 and body["pool_size"] == 3
    first = body["results"][0]
    assert first["external_id"] == "c-ada" and first["rank"] == 1
    assert first["label"] == pool_label(people["ada"].id)
    assert {m["source"] for m in first["matches"]} == {"SQL for Analysts", "Python Foundations"}
    assert "Ada Lovelace" not in resp.content.decode() and "BSc" not in resp.content.decode()


def test_all_of_and_verified_only(api, people):
    assert api.get(URL, {"skill": ["SQL", "Python programming"]}).json()["count"] == 1
    body = api.get(URL, {"skill": ["SQL", "Python programming"], "mode": "any", "verified_only": "true"}).json()
    assert body["count"] == 2 and all(r["covered"] == ["SQL"] for r in body["results"])


def test_read_scope_is_enough(org, client_for, people):
    assert client_for(org, scopes=("read",)).get(URL, {"skill": "SQL"}).status_code == 200


def test_other_organizations_candidates_never_appear(other_org, client_for, people):
    body = client_for(other_org).get(URL, {"skill": "SQL"}).json()
    assert body["count"] == 0 and body["pool_size"] == 0


def test_missing_skill_is_a_problem(api):
    resp = api.get(URL)
    assert resp.status_code == 400 and resp["Content-Type"] == "application/problem+json"
    assert "skill" in resp.json()["errors"]


def test_new_phrase_while_the_model_loads_is_503_with_retry_after(api, people, settings, monkeypatch):
    monkeypatch.setattr(warmup, "_state", warmup.WarmupState(status=warmup.LOADING, started=time.monotonic()))
    settings.TSUMIKI_WARM_START = True
    resp = api.get(URL, {"skill": "a phrase nobody has written before"})
    assert resp.status_code == 503 and int(resp["Retry-After"]) > 0
    assert resp["Content-Type"] == "application/problem+json"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    params=st.dictionaries(
        st.sampled_from(["mode", "verified_only", "min_level", "within_years", "limit", "skill"]),
        st.text(max_size=30),
        max_size=6,
    )
)
def test_any_query_string_is_answered_not_crashed(api, params):
    resp = api.get(URL, params)
    assert resp.status_code in (200, 400), resp.content
    assert resp["Content-Type"] in ("application/json", "application/problem+json")
