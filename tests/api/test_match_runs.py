"""Match runs over the API: 202 + Location, polling, the degree-blind shortlist and explanations."""

from __future__ import annotations

import pytest

from apps.jobs.models import Job
from apps.matching.models import MatchRun, RunStatus
from tests.factories import credential, make_candidate, make_job

from .conftest import assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(org):
    """A job needing SQL (must-have) and Python, and three candidates of different strength."""
    job = make_job(
        org,
        [{"name": "SQL", "required": True, "weight": 2.0}, {"name": "Python programming"}],
        job_id="analyst",
    )
    strong = make_candidate(
        org,
        cid="strong",
        name="Strong Person",
        credentials=[
            credential("SQL for analysts", ["SQL"]),
            credential("Python 101", ["Python programming"]),
        ],
        degrees=[{"title": "PhD Computer Science"}],
    )
    partial = make_candidate(org, cid="partial", name="Partial Person", skills=["Python programming"])
    none = make_candidate(org, cid="none", name="Nobody", credentials=[credential("Pottery", ["ceramics"])])
    return job, {"strong": strong, "partial": partial, "none": none}


def start(api, job, capture) -> dict:
    with capture(execute=True):
        response = api.post(f"/api/v1/jobs/{job.pk}/match-runs/")
    assert response.status_code == 202, response.content
    return response


def test_start_run_returns_202_with_location_and_poll_url(api, pool, django_capture_on_commit_callbacks):
    job, _ = pool
    response = start(api, job, django_capture_on_commit_callbacks)
    data = response.json()
    run = MatchRun.objects.get(job=job)
    assert data["id"] == run.pk
    assert response["Location"] == data["url"]
    assert data["url"].endswith(f"/api/v1/match-runs/{run.pk}/")
    assert set(data) == {"id", "url", "status", "progress"}
    # the run executed on commit (eager Celery); polling shows it finished
    polled = api.get(data["url"]).json()
    assert polled["status"] == "succeeded"
    assert polled["progress"] == 1.0
    assert polled["pool_size"] == 3
    assert polled["job"] == job.pk
    assert polled["model_name"] and polled["model_version"]
    assert polled["parameters"] == run.parameters and polled["parameters"]
    assert polled["error"] == ""
    assert polled["finished_at"] and polled["created_at"]
    listed = api.get(f"/api/v1/jobs/{job.pk}/match-runs/").json()
    assert [r["id"] for r in listed["results"]] == [run.pk]
    assert [r["id"] for r in api.get("/api/v1/match-runs/", {"job": job.pk}).json()["results"]] == [run.pk]


def test_job_without_skills_is_400_explaining_why(api, org):
    job = Job.objects.create(organization=org, external_id="empty", title="Empty")
    problem = assert_problem(api.post(f"/api/v1/jobs/{job.pk}/match-runs/"), 400)
    assert "no required skills" in problem["detail"]
    assert not MatchRun.objects.exists()


def test_read_only_key_cannot_start_a_run(org, client_for, pool):
    job, _ = pool
    assert_problem(client_for(org, scopes=("read",)).post(f"/api/v1/jobs/{job.pk}/match-runs/"), 403)


def test_shortlist_is_404_until_a_run_finished(api, pool):
    job, _ = pool
    problem = assert_problem(api.get(f"/api/v1/jobs/{job.pk}/shortlist/"), 404)
    assert "match-runs" in problem["detail"]
    MatchRun.objects.create(organization=job.organization, job=job, status=RunStatus.QUEUED)
    assert_problem(api.get(f"/api/v1/jobs/{job.pk}/shortlist/"), 404)


def test_shortlist_is_ranked_explained_and_degree_blind(api, pool, django_capture_on_commit_callbacks):
    job, cands = pool
    run_id = start(api, job, django_capture_on_commit_callbacks).json()["id"]
    response = api.get(f"/api/v1/jobs/{job.pk}/shortlist/")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["run"]["id"] == run_id
    assert data["count"] == 3
    items = data["results"]
    assert [i["external_id"] for i in items][0] == "strong"
    assert [i["rank"] for i in items] == [1, 2, 3]
    assert items[0]["score"] >= items[1]["score"] >= items[2]["score"]
    top = items[0]
    assert top["candidate"] == cands["strong"].pk
    assert top["must_have_met"] is True
    assert {m["required"] for m in top["matches"]} == {"SQL", "Python programming"}
    assert {"matched", "source", "similarity", "credit"} <= set(top["matches"][0])
    assert top["missing"] == []
    # the explanation link pins the run the row comes from
    explanation = f"/api/v1/jobs/{job.pk}/candidates/{cands['strong'].pk}/explanation/?run={run_id}"
    assert top["explanation_url"].endswith(explanation)
    text = response.content.decode()
    assert "Strong Person" not in text and "PhD" not in text and "name" not in items[0]


def test_shortlist_filters(api, pool, django_capture_on_commit_callbacks):
    job, _ = pool
    start(api, job, django_capture_on_commit_callbacks)
    url = f"/api/v1/jobs/{job.pk}/shortlist/"

    def ids(**params):
        response = api.get(url, params)
        assert response.status_code == 200, response.content
        return [i["external_id"] for i in response.json()["results"]]

    everyone = ids()
    assert ids(must_have_met="true") == ["strong"]
    assert set(ids(must_have_met="false")) == {"partial", "none"}
    assert ids(has_skill="sql") == ["strong"]
    assert set(ids(has_skill="Python programming")) == {"strong", "partial"}
    assert "partial" not in ids(verified_only="true")  # self-declared evidence is not verified
    top_score = api.get(url).json()["results"][0]["score"]
    assert ids(min_score=top_score) == ["strong"]
    assert ids(min_score=0) == everyone
    assert [i for i in ids(page_size=1)] == everyone[:1]


@pytest.mark.parametrize("params", [{"min_score": "high"}, {"min_score": 101}, {"must_have_met": "maybe"}])
def test_shortlist_bad_filter_is_400(api, pool, params, django_capture_on_commit_callbacks):
    job, _ = pool
    start(api, job, django_capture_on_commit_callbacks)
    problem = assert_problem(api.get(f"/api/v1/jobs/{job.pk}/shortlist/", params), 400)
    assert set(params) <= set(problem["errors"])


def test_explanation_of_one_candidate(api, org, pool, django_capture_on_commit_callbacks):
    job, cands = pool
    run_id = start(api, job, django_capture_on_commit_callbacks).json()["id"]
    url = f"/api/v1/jobs/{job.pk}/candidates/{cands['partial'].pk}/explanation/"
    data = api.get(url).json()
    assert data["run"]["id"] == run_id
    assert data["external_id"] == "partial"
    assert data["pool_size"] == 3
    assert data["must_have_met"] is False
    assert data["missing"] == ["SQL"]
    assert data["must_have_missing"] == ["SQL"]
    assert [m["required"] for m in data["matches"]] == ["Python programming"]
    assert data["matches"][0]["source_kind"] == "self"
    # a candidate added after the run has no score in it
    late = make_candidate(org, cid="late", skills=["SQL"])
    problem = assert_problem(api.get(f"/api/v1/jobs/{job.pk}/candidates/{late.pk}/explanation/"), 404)
    assert "latest finished run" in problem["detail"]


@pytest.mark.django_db(transaction=True)
def test_failed_run_is_reported_on_the_run_not_as_a_500(api, org, monkeypatch):
    """In eager mode the run executes inside the POST; its failure belongs to the run."""
    job = make_job(org, ["SQL"], job_id="boom")
    make_candidate(org, cid="c", skills=["SQL"])

    def explode(**kwargs):
        raise RuntimeError("encoder unavailable")

    monkeypatch.setattr("apps.matching.services.pool_score", explode)
    response = api.post(f"/api/v1/jobs/{job.pk}/match-runs/")
    assert response.status_code == 202, response.content
    assert response.json()["status"] == "failed"
    run = api.get(response["Location"]).json()
    assert run["status"] == "failed"
    assert "encoder unavailable" in run["error"]


def test_empty_filters_mean_no_filter_and_huge_ids_are_404(api, pool, django_capture_on_commit_callbacks):
    job, _ = pool
    start(api, job, django_capture_on_commit_callbacks)
    response = api.get(f"/api/v1/jobs/{job.pk}/shortlist/", {"min_score": "", "has_skill": "", "must_have_met": ""})
    assert response.status_code == 200, response.content
    assert response.json()["count"] == 3
    assert_problem(api.get(f"/api/v1/jobs/{job.pk}/shortlist/", {"cursor": "abc"}), 404)
    huge = "9" * 25
    assert_problem(api.get(f"/api/v1/jobs/{huge}/shortlist/"), 404)
    assert_problem(api.post(f"/api/v1/jobs/{huge}/match-runs/"), 404)
    assert_problem(api.get(f"/api/v1/match-runs/{huge}/"), 404)


def test_shortlist_cursor_pages_walk_every_score_once(api, org, pool, django_capture_on_commit_callbacks):
    job, _ = pool
    for i in range(4):
        make_candidate(org, cid=f"extra-{i}", skills=["SQL"])
    start(api, job, django_capture_on_commit_callbacks)
    url, seen, pages = f"/api/v1/jobs/{job.pk}/shortlist/?page_size=2", [], 0
    while url:
        data = api.get(url).json()
        assert data["count"] == 7 and data["run"]["status"] == "succeeded"
        seen += [i["rank"] for i in data["results"]]
        url, pages = data["next"], pages + 1
        assert pages < 10
    assert seen == list(range(1, 8)) and pages == 4
    last = api.get(f"/api/v1/jobs/{job.pk}/shortlist/?page_size=2").json()
    assert last["previous"] is None and "cursor=" in last["next"]
    # filters stay in the cursor links
    filtered = api.get(f"/api/v1/jobs/{job.pk}/shortlist/", {"page_size": 1, "has_skill": "sql"}).json()
    assert "has_skill=sql" in filtered["next"]


def test_shortlist_previous_links_walk_back_over_ties(api, org, pool, django_capture_on_commit_callbacks):
    """Keyset cursors (the row's must-haves, score and candidate id): candidates with equal scores are
    ordered by id, and following ``previous`` from the last page gives the same rows in reverse."""
    job, _ = pool
    for i in range(4):  # the same evidence, so the same score: ties broken by candidate id
        make_candidate(org, cid=f"twin-{i}", skills=["SQL"])
    start(api, job, django_capture_on_commit_callbacks)
    url, pages = f"/api/v1/jobs/{job.pk}/shortlist/?page_size=2", []
    while url:
        data = api.get(url).json()
        pages.append([(i["rank"], i["candidate"]) for i in data["results"]])
        url, last = data["next"], data
    forward = [row for page in pages for row in page]
    assert [r for r, _ in forward] == list(range(1, 8))
    twins = [
        c
        for _, c in forward
        if c in set(org.candidates.filter(external_id__startswith="twin-").values_list("id", flat=True))
    ]
    assert twins == sorted(twins)
    back, url = [], last["previous"]
    while url:
        data = api.get(url).json()
        back = [(i["rank"], i["candidate"]) for i in data["results"]] + back
        url = data["previous"]
    assert back + pages[-1] == forward
