"""Tenant isolation: a key of organization A never sees or touches organization B's objects, and
B's ids look like ids that do not exist (404, never 403)."""

from __future__ import annotations

import pytest

from apps.candidates.models import Candidate
from apps.jobs.models import Job
from apps.matching.models import MatchRun
from apps.matching.services import match_run_start
from tests.factories import credential, make_candidate, make_job

from .conftest import assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org, other_org, django_capture_on_commit_callbacks):
    """Both organizations with a job, a candidate and a finished run each."""
    objs = {}
    for key, o in (("a", org), ("b", other_org)):
        job = make_job(o, ["SQL"], job_id="same-id", title=f"job of {key}")
        cand = make_candidate(o, cid="same-cand", credentials=[credential("SQL", ["SQL"])])
        with django_capture_on_commit_callbacks(execute=True):
            run = match_run_start(job=job)
        run.refresh_from_db()
        assert run.status == "succeeded"
        objs[key] = {"job": job, "cand": cand, "run": run}
    return objs


def test_detail_endpoints_of_another_org_are_404(api, world):
    a, b = world["a"], world["b"]
    job, cand, run = b["job"].pk, b["cand"].pk, b["run"].pk
    requests = [
        ("get", f"/api/v1/jobs/{job}/"),
        ("patch", f"/api/v1/jobs/{job}/"),
        ("delete", f"/api/v1/jobs/{job}/"),
        ("get", f"/api/v1/candidates/{cand}/"),
        ("delete", f"/api/v1/candidates/{cand}/"),
        ("get", f"/api/v1/jobs/{job}/match-runs/"),
        ("post", f"/api/v1/jobs/{job}/match-runs/"),
        ("get", f"/api/v1/match-runs/{run}/"),
        ("get", f"/api/v1/jobs/{job}/shortlist/"),
        ("get", f"/api/v1/jobs/{job}/candidates/{cand}/explanation/"),
        # own job, other org's candidate (and the reverse)
        ("get", f"/api/v1/jobs/{a['job'].pk}/candidates/{cand}/explanation/"),
        ("get", f"/api/v1/jobs/{job}/candidates/{a['cand'].pk}/explanation/"),
    ]
    for method, url in requests:
        response = getattr(api, method)(url, {"title": "hijacked"} if method == "patch" else None, format="json")
        assert_problem(response, 404)
    # nothing of B changed or was created
    assert Job.objects.get(pk=job).title == "job of b"
    assert Candidate.objects.filter(pk=cand).exists()
    assert MatchRun.objects.filter(job_id=job).count() == 1


def test_own_objects_are_reachable(api, world):
    """The same requests succeed for A's own objects, so the 404s above are isolation, not bugs."""
    a = world["a"]
    assert api.get(f"/api/v1/jobs/{a['job'].pk}/").status_code == 200
    assert api.get(f"/api/v1/candidates/{a['cand'].pk}/").status_code == 200
    assert api.get(f"/api/v1/match-runs/{a['run'].pk}/").status_code == 200
    assert api.get(f"/api/v1/jobs/{a['job'].pk}/shortlist/").status_code == 200
    assert api.get(f"/api/v1/jobs/{a['job'].pk}/candidates/{a['cand'].pk}/explanation/").status_code == 200


def test_lists_show_only_own_objects(api, world):
    a = world["a"]
    assert [j["id"] for j in api.get("/api/v1/jobs/").json()["results"]] == [a["job"].pk]
    assert [c["id"] for c in api.get("/api/v1/candidates/").json()["results"]] == [a["cand"].pk]
    assert [r["id"] for r in api.get("/api/v1/match-runs/").json()["results"]] == [a["run"].pk]
    assert api.get("/api/v1/match-runs/", {"job": world["b"]["job"].pk}).json()["results"] == []
    shortlist = api.get(f"/api/v1/jobs/{a['job'].pk}/shortlist/").json()["results"]
    assert [i["candidate"] for i in shortlist] == [a["cand"].pk]  # B's pool is not scored into A's run


def test_same_external_ids_in_both_orgs_do_not_collide(api, world, org):
    """Creating a job or candidate with an id that B also uses only touches A's records."""
    response = api.post("/api/v1/candidates/", {"id": "same-cand", "skills": ["Python"]}, format="json")
    assert response.status_code == 201
    assert response.json()["id"] == world["a"]["cand"].pk
    b_cand = world["b"]["cand"]
    assert b_cand.credentials.count() == 1  # B's record was not replaced
    problem = assert_problem(api.post("/api/v1/jobs/", {"id": "same-id", "skills": ["SQL"]}, format="json"), 409)
    assert "same-id" in problem["detail"]
