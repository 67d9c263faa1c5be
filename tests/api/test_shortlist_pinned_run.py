"""The API shortlist and explanations pin a snapshot run with ``?run=<id>``, as the dashboard does: a
finished run's ranks never move, so a client that started on run N keeps reading run N while newer
runs finish. Another job's run is a 400, another organization's (or no) run a 404, both problem+json."""

from __future__ import annotations

import pytest

from apps.matching.models import MatchRun, RunStatus
from apps.matching.selectors import run_order
from apps.matching.services import assessment_record, match_run_perform, match_run_start
from tests.factories import OrganizationFactory, credential, make_candidate, make_job

from .conftest import assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_runs(org, django_capture_on_commit_callbacks):
    """A job's first finished run, then a rescore run made by an interview that lifts "weak" to the top."""
    job = make_job(org, [{"name": "SQL", "required": True}, "Python programming"], job_id="analyst")
    make_candidate(org, cid="strong", credentials=[credential("SQL for analysts", ["SQL"])])
    weak = make_candidate(org, cid="weak", skills=["SQL"])
    make_candidate(org, cid="third", skills=["ceramics"])
    first = match_run_perform(run_id=match_run_start(job=job).id)
    with django_capture_on_commit_callbacks(execute=True):
        assessment_record(candidate=weak, skill="Python programming", method="work sample", score=1.0, job=job)
        assessment_record(candidate=weak, skill="SQL", method="exam", score=1.0, job=job)
    latest = MatchRun.objects.filter(job=job, status=RunStatus.SUCCEEDED).latest("id")
    assert latest.id != first.id
    return job, first, latest, weak


def _ranks(data: dict) -> list[str]:
    return [i["external_id"] for i in data["results"]]


def test_a_pinned_run_is_served_as_it_finished(api, two_runs):
    job, first, latest, weak = two_runs
    url = f"/api/v1/jobs/{job.pk}/shortlist/"
    now = api.get(url).json()
    assert now["run"]["id"] == latest.id
    assert _ranks(now)[0] == "weak"
    pinned = api.get(url, {"run": first.id})
    assert pinned.status_code == 200, pinned.content
    old = pinned.json()
    assert old["run"]["id"] == first.id
    stored = list(first.rows().order_by(*run_order(first)).values_list("candidate__external_id", "score"))
    assert [(i["external_id"], i["score"]) for i in old["results"]] == stored
    assert _ranks(old) != _ranks(now)
    # naming the latest run is the same as naming none
    assert api.get(url, {"run": latest.id}).json()["results"] == now["results"]
    # the row's explanation is read from the same run
    row = next(i for i in old["results"] if i["external_id"] == "weak")
    assert row["explanation_url"].endswith(f"?run={first.id}")
    explained = api.get(row["explanation_url"]).json()
    assert (explained["run"]["id"], explained["score"], explained["rank"]) == (first.id, row["score"], row["rank"])
    assert api.get(row["explanation_url"].replace(f"run={first.id}", f"run={latest.id}")).json()["rank"] == 1


def test_cursor_pages_keep_the_pinned_run(api, two_runs):
    job, first, _, _ = two_runs
    page = api.get(f"/api/v1/jobs/{job.pk}/shortlist/", {"run": first.id, "page_size": 1}).json()
    seen = []
    while True:
        assert page["run"]["id"] == first.id
        seen += _ranks(page)
        if not page["next"]:
            break
        assert f"run={first.id}" in page["next"]
        page = api.get(page["next"]).json()
    assert seen == list(first.rows().order_by(*run_order(first)).values_list("candidate__external_id", flat=True))


def test_another_jobs_run_is_a_400_naming_run(api, org, two_runs):
    job, _, _, _ = two_runs
    other = make_job(org, ["SQL"], title="Other", job_id="other")
    other_run = match_run_perform(run_id=match_run_start(job=other).id)
    for path in (
        f"/api/v1/jobs/{job.pk}/shortlist/",
        f"/api/v1/jobs/{job.pk}/candidates/{two_runs[3].pk}/explanation/",
    ):
        problem = assert_problem(api.get(path, {"run": other_run.id}), 400)
        assert "another job" in problem["detail"] and problem["errors"]["run"]


def test_a_run_that_has_not_finished_is_a_400(api, two_runs):
    job, _, _, _ = two_runs
    for status in (RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.FAILED):
        run = MatchRun.objects.create(organization=job.organization, job=job, status=status)
        problem = assert_problem(api.get(f"/api/v1/jobs/{job.pk}/shortlist/", {"run": run.id}), 400)
        assert "has not finished" in problem["detail"] and problem["errors"]["run"]


def test_another_organizations_run_or_no_run_is_a_404(api, two_runs, client_for):
    job, first, _, weak = two_runs
    stranger = OrganizationFactory()
    their_job = make_job(stranger, ["SQL"], job_id="theirs")
    make_candidate(stranger, skills=["SQL"])
    their_run = match_run_perform(run_id=match_run_start(job=their_job).id)
    missing = MatchRun.objects.order_by("-id").first().id + 1000
    for run_id in (their_run.id, missing):
        for path in (f"/api/v1/jobs/{job.pk}/shortlist/", f"/api/v1/jobs/{job.pk}/candidates/{weak.pk}/explanation/"):
            problem = assert_problem(api.get(path, {"run": run_id}), 404)
            assert str(their_job.pk) not in problem["detail"]
    # and the stranger cannot read this organization's run through their own job either
    problem = assert_problem(
        client_for(stranger).get(f"/api/v1/jobs/{their_job.pk}/shortlist/", {"run": first.id}), 404
    )
    assert "no match run" in problem["detail"]


@pytest.mark.parametrize("value", ["abc", "0", "-3", "1.5", "99999999999999999999", "1e3"])
def test_a_run_that_is_not_an_id_is_a_400(api, two_runs, value):
    job, _, _, weak = two_runs
    for path in (f"/api/v1/jobs/{job.pk}/shortlist/", f"/api/v1/jobs/{job.pk}/candidates/{weak.pk}/explanation/"):
        problem = assert_problem(api.get(path, {"run": value}), 400)
        assert "run" in problem["errors"], problem
