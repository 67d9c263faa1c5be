"""The scores (shortlist) API's cache (apps.matching.shortlist_cache): a cached answer is the answer
(body, ETag, headers, 304), and whatever changes the scores changes it at once. Per organization, per
absolute URL (filters, cursor, page size, host and scheme)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.api.conditional import etag_for
from apps.candidates.rights import candidate_erase
from apps.candidates.services import candidates_create
from apps.core.interchange import parse_candidate
from apps.matching.services import candidate_rescore
from tests.factories import credential, make_candidate, make_job

from .conftest import assert_problem

pytestmark = pytest.mark.django_db

HEADERS = ("Content-Type", "ETag", "Cache-Control", "Vary", "Allow", "Content-Language")


@pytest.fixture
def shortlist(org, django_capture_on_commit_callbacks):
    """A job, three candidates and a finished run; returns (job, candidates, path)."""
    from apps.matching.services import match_run_start

    job = make_job(
        org, [{"name": "SQL", "required": True, "weight": 2.0}, {"name": "Python programming"}], job_id="analyst"
    )
    people = {
        "strong": make_candidate(
            org,
            cid="strong",
            name="Strong Person",
            credentials=[credential("SQL for analysts", ["SQL"]), credential("Python 101", ["Python programming"])],
        ),
        "partial": make_candidate(org, cid="partial", name="Partial Person", skills=["Python programming"]),
        "none": make_candidate(org, cid="none", name="Nobody", credentials=[credential("Pottery", ["ceramics"])]),
    }
    with django_capture_on_commit_callbacks(execute=True):
        match_run_start(job=job)
    return job, people, f"/api/v1/jobs/{job.pk}/shortlist/"


def entries() -> list[str]:
    return [k for k in cache._cache if ":shortlist:" in k and ":api:" in k]  # noqa: SLF001


def ids(response) -> list[str]:
    return [r["external_id"] for r in response.json()["results"]]


def score_queries(ctx) -> int:
    return sum('"matching_matchscore"' in q["sql"] for q in ctx.captured_queries)


def test_a_cached_answer_is_the_answer(api, shortlist, settings):
    job, _, path = shortlist
    settings.TSUMIKI_SHORTLIST_CACHE_SECONDS = 0
    uncached = api.get(path)
    settings.TSUMIKI_SHORTLIST_CACHE_SECONDS = 300
    miss = api.get(path)
    with CaptureQueriesContext(connection) as ctx:
        hit = api.get(path)
    assert score_queries(ctx) == 0 and len(entries()) == 1
    for r in (miss, hit):
        assert r.status_code == 200 and r.content == uncached.content
        assert {h: r.get(h) for h in HEADERS} == {h: uncached.get(h) for h in HEADERS}
    assert hit["ETag"] == etag_for(uncached.json())
    # conditional GET on the cached path
    not_modified = api.get(path, HTTP_IF_NONE_MATCH=hit["ETag"])
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["ETag"] == hit["ETag"] and "Authorization" in not_modified["Vary"]
    assert api.get(path, HTTP_IF_NONE_MATCH='"stale"').status_code == 200
    assert api.get(path, HTTP_IF_NONE_MATCH="*").status_code == 304
    # HEAD answers like GET, without a body
    head = api.head(path)
    assert head.status_code == 200 and head["ETag"] == hit["ETag"]


def test_a_rescore_changes_the_answer_and_its_etag(api, org, shortlist, django_capture_on_commit_callbacks):
    job, people, path = shortlist
    before = api.get(path)
    assert ids(before) == ["strong", "partial", "none"]
    doc = parse_candidate(
        {
            "id": "none",
            "name": "Nobody",
            "credentials": [
                credential("Pottery", ["ceramics"]),
                credential("SQL for analysts", ["SQL"]),
                credential("Python 101", ["Python programming"]),
            ],
        }
    )
    candidates_create(organization=org, docs=[doc])
    with django_capture_on_commit_callbacks(execute=True):
        candidate_rescore(candidate=people["none"])
    after = api.get(path)
    assert ids(after)[2] != "none" and after["ETag"] != before["ETag"]
    assert api.get(path, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200


def test_a_new_run_an_edit_and_an_erasure_change_the_answer(api, org, shortlist, django_capture_on_commit_callbacks):
    from apps.matching.services import match_run_start

    job, people, path = shortlist
    first = api.get(path).json()
    # the candidate's external id is in every row
    people["partial"].external_id = "partial-2"
    people["partial"].save()
    assert "partial-2" in ids(api.get(path))
    # a new run of a bigger pool
    make_candidate(org, cid="late", credentials=[credential("SQL for analysts", ["SQL"])])
    with django_capture_on_commit_callbacks(execute=True):
        match_run_start(job=job)
    second = api.get(path).json()
    assert second["run"]["id"] != first["run"]["id"] and second["count"] == 4
    # an erasure
    candidate_erase(candidate=people["strong"])
    third = api.get(path).json()
    assert third["count"] == 3 and "strong" not in [r["external_id"] for r in third["results"]]


def test_filters_cursors_page_sizes_and_hosts_have_entries_of_their_own(api, shortlist):
    job, _, path = shortlist
    assert ids(api.get(path)) == ["strong", "partial", "none"]
    assert ids(api.get(path, {"min_score": 1})) == ["strong", "partial"]
    first = api.get(path, {"page_size": 1}).json()
    assert [r["external_id"] for r in first["results"]] == ["strong"]
    second = api.get(first["next"]).json()
    assert [r["external_id"] for r in second["results"]] == ["partial"]
    assert len(entries()) == 4
    # the links are absolute: another host (or scheme) has its own entry
    other_host = api.get(path, HTTP_HOST="localhost").json()
    assert other_host["run"]["url"].startswith("http://localhost/")
    assert api.get(path).json()["run"]["url"].startswith("http://testserver/")
    assert len(entries()) == 5


def test_other_formats_are_served_uncached(api, shortlist):
    _, _, path = shortlist
    pretty = api.get(path, HTTP_ACCEPT="application/json; indent=2")
    assert pretty.status_code == 200 and b'\n  "count"' in pretty.content
    assert entries() == []


def test_two_organizations_never_share_an_entry(
    api, org, other_org, client_for, shortlist, django_capture_on_commit_callbacks
):
    from apps.matching.services import match_run_start

    job, _, path = shortlist
    theirs = make_job(
        other_org, [{"name": "SQL", "required": True, "weight": 2.0}, {"name": "Python programming"}], job_id="analyst"
    )
    make_candidate(other_org, cid="strong", name="Their Person", credentials=[credential("SQL", ["SQL"])])
    with django_capture_on_commit_callbacks(execute=True):
        match_run_start(job=theirs)
    them = client_for(other_org)
    assert ids(api.get(path)) == ["strong", "partial", "none"]
    their_path = f"/api/v1/jobs/{theirs.pk}/shortlist/"
    assert ids(them.get(their_path)) == ["strong"]
    assert len(entries()) == 2 and len({k.split(":api:")[1].split(":")[0] for k in entries()}) == 2
    # cached or not, another organization's job is a 404
    assert_problem(them.get(path), 404)
    assert_problem(api.get(their_path), 404)


def test_the_rate_limit_still_applies_to_cached_answers(org, client_for, shortlist, settings):
    _, _, path = shortlist
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"api_key": "3/minute"}}
    client = client_for(org)
    assert [client.get(path).status_code for _ in range(3)] == [200, 200, 200]
    assert_problem(client.get(path), 429)


def test_no_finished_run_and_unknown_jobs_are_still_404(api, org, shortlist):
    job = make_job(org, ["SQL"], job_id="fresh")
    problem = assert_problem(api.get(f"/api/v1/jobs/{job.pk}/shortlist/"), 404)
    assert "no finished match run" in problem["detail"]
    assert_problem(api.get("/api/v1/jobs/999999/shortlist/"), 404)
    assert_problem(api.get(f"/api/v1/jobs/{job.pk}/shortlist/", {"min_score": "lots"}), 400)
