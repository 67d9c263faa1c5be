"""Employer assessments over the API (/api/v1/candidates/{id}/assessments/): recorded for a job they enter
its score; organization-scoped; a repeated line or a retried key records nothing twice; bad input is a
problem+json 400 whatever the body."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.accounts.models import AuditEvent
from apps.matching.models import Assessment, MatchScore
from apps.matching.selectors import latest_run
from apps.matching.services import match_run_perform, match_run_start
from tests.factories import OrganizationFactory, make_candidate, make_job

from .conftest import assert_problem

pytestmark = pytest.mark.django_db


def _url(cand) -> str:
    return f"/api/v1/candidates/{cand.id}/assessments/"


@pytest.fixture
def job_and_candidate(org):
    job = make_job(org, [{"name": "SQL", "required": True}, "Python programming"], title="Analyst")
    cand = make_candidate(org, skills=["SQL"])
    run = match_run_perform(run_id=match_run_start(job=job).id)
    return job, cand, run


def test_a_recorded_work_sample_enters_the_jobs_score(api, job_and_candidate, django_capture_on_commit_callbacks):
    job, cand, run = job_and_candidate
    before = MatchScore.objects.get(run=run, candidate=cand).score
    body = {
        "skill": "Python programming",
        "method": "work sample",
        "score": 4,
        "scale": "1-5",
        "assessor": "Kim",
        "date": "2026-11-30",
        "job": job.id,
    }
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post(_url(cand), body, format="json")
    assert r.status_code == 201, r.content
    data = r.json()
    assert {k: data[k] for k in ("candidate", "job", "skill", "method", "score", "assessor", "date")} == {
        "candidate": cand.id,
        "job": job.id,
        "skill": "Python programming",
        "method": "work sample",
        "score": 0.75,
        "assessor": "Kim",
        "date": "2026-11-30",
    }
    # new evidence makes a new finished run (a rescore), the one it started from stays as it was
    latest = latest_run(job=job, finished=True)
    assert latest.id != run.id and run.rows().get(candidate=cand).score == before
    score = latest.rows().get(candidate=cand)
    assert score.score > before
    (m,) = [m for m in score.explanation["matches"] if m["required"] == "Python programming"]
    assert m["source_kind"] == "assessment" and m["factors"]["assessment_score"] == 0.75
    # listed, also when filtered by the job
    listed = api.get(_url(cand)).json()
    assert [a["id"] for a in listed["results"]] == [data["id"]]
    assert [a["id"] for a in api.get(_url(cand), {"job": job.id}).json()["results"]] == [data["id"]]
    # the same line again records nothing (200, the stored line)
    again = api.post(_url(cand), body, format="json")
    assert again.status_code == 200 and again.json()["id"] == data["id"]
    assert Assessment.objects.count() == 1


def test_a_recorded_line_is_audited_once_as_the_key_and_a_repeat_is_not(api, job_and_candidate):
    job, cand, _ = job_and_candidate
    body = {"skill": "SQL", "method": "exam", "score": 0.9, "job": job.id}
    line = api.post(_url(cand), body, format="json").json()
    assert api.post(_url(cand), body, format="json").status_code == 200
    (event,) = AuditEvent.objects.filter(action="assessment.recorded")
    assert event.object_id == str(line["id"]) and event.organization_id == cand.organization_id
    assert event.actor.startswith("api-key:") and event.actor_user is None
    assert event.details == {"job_id": job.id, "candidate_id": cand.id, "method": "exam"}
    assert Assessment.objects.get().recorded_by is None  # a key is no user


def test_idempotency_key_replays_the_first_answer(api, job_and_candidate):
    job, cand, _ = job_and_candidate
    body = {"skill": "SQL", "method": "exam", "score": 0.9, "job": job.id}
    first = api.post(_url(cand), body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = api.post(_url(cand), body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json() and second["Idempotent-Replayed"] == "true"
    assert Assessment.objects.count() == 1


def test_another_organizations_candidate_or_job_is_not_found(api, org, client_for, job_and_candidate):
    job, cand, _ = job_and_candidate
    other = OrganizationFactory()
    stranger = make_candidate(other, skills=["SQL"])
    assert_problem(api.get(_url(stranger)), 404)
    assert_problem(api.post(_url(stranger), {"skill": "SQL", "method": "exam", "score": 1}, format="json"), 404)
    their_job = make_job(other, ["SQL"])
    p = assert_problem(
        api.post(_url(cand), {"skill": "SQL", "method": "exam", "score": 1, "job": their_job.id}, format="json"), 400
    )
    assert "job" in p["errors"]
    # and their key cannot read ours
    assert_problem(client_for(other).get(_url(cand)), 404)
    assert not Assessment.objects.exists()


def test_a_read_only_key_cannot_record(client_for, org, job_and_candidate):
    _, cand, _ = job_and_candidate
    r = client_for(org, scopes=("read",)).post(
        _url(cand), {"skill": "SQL", "method": "exam", "score": 1}, format="json"
    )
    assert_problem(r, 403)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"method": "exam", "score": 0.5}, "skill"),
        ({"skill": "SQL", "method": "gut feeling", "score": 0.5}, "method"),
        ({"skill": "SQL", "method": "exam", "score": 1.5}, "score"),
        ({"skill": "SQL", "method": "exam", "score": 6, "scale": "1-5"}, "score"),
        ({"skill": "SQL", "method": "exam", "score": "0.5"}, "score"),
        ({"skill": "SQL", "method": "exam", "score": True}, "score"),
        ({"skill": "SQL", "method": "exam", "score": 0.5, "scale": "0-100"}, "scale"),
        ({"skill": "SQL", "method": "exam", "score": 0.5, "date": "yesterday"}, "date"),
        ({"skill": "SQL", "method": "exam", "score": 0.5, "date": 20261130}, "date"),
        ({"skill": "   ", "method": "exam", "score": 0.5}, "skill"),
        ({"skill": "SQL", "method": "exam", "score": 0.5, "job": "1"}, "job"),
    ],
)
def test_bad_input_is_a_problem_naming_the_field(api, job_and_candidate, body, field):
    _, cand, _ = job_and_candidate
    p = assert_problem(api.post(_url(cand), body, format="json"), 400)
    assert field in p["errors"], p
    assert not Assessment.objects.exists()


def test_a_bad_job_filter_is_a_problem(api, job_and_candidate):
    _, cand, _ = job_and_candidate
    assert_problem(api.get(_url(cand), {"job": "abc"}), 400)
    assert_problem(api.get(_url(cand), {"job": "999999"}), 400)


_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
_bodies = (
    st.fixed_dictionaries(
        {},
        optional={
            "skill": st.one_of(st.sampled_from(["SQL", "Python programming", ""]), _json),
            "method": st.one_of(st.sampled_from(["exam", "work sample", "structured interview", "chat"]), _json),
            "score": st.one_of(st.floats(-2, 7), st.integers(-2, 7), _json),
            "scale": st.one_of(st.sampled_from(["0-1", "1-5", "1-10"]), _json),
            "assessor": st.one_of(st.text(max_size=250), _json),
            "date": st.one_of(st.dates().map(str), _json),
            "job": _json,
        },
    )
    | _json
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=_bodies)
def test_any_body_is_recorded_in_range_or_refused_as_a_problem(api, job_and_candidate, body):
    _, cand, _ = job_and_candidate
    n = Assessment.objects.count()
    r = api.post(_url(cand), body, format="json")
    assert r.status_code in (200, 201, 400), (r.status_code, r.content)
    if r.status_code == 400:
        assert r["Content-Type"].startswith("application/problem+json")
        assert Assessment.objects.count() == n
    else:
        row = Assessment.objects.get(id=r.json()["id"])
        assert 0.0 <= row.score <= 1.0
        assert row.candidate_id == cand.id and row.method in ("exam", "work sample", "structured interview")


def test_the_schema_documents_the_endpoint_with_named_enums(api):
    from rest_framework.test import APIClient

    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    ops = schema["paths"]["/api/v1/candidates/{candidate_id}/assessments/"]
    assert {"get", "post"} <= set(ops)
    assert {"200", "201", "400"} <= set(ops["post"]["responses"])
    enums = schema["components"]["schemas"]
    assert enums["AssessmentMethodEnum"]["enum"] == ["structured interview", "work sample", "exam"]
    assert enums["AssessmentScaleEnum"]["enum"] == ["0-1", "1-5"]


def test_a_line_for_every_job_outlives_an_import_of_the_candidate(api, org, django_capture_on_commit_callbacks):
    """Recorded without a job over the API, then the HR system imports the candidate again (JSON lines and
    the JSON create endpoint): the recruiter's line is still listed and still counts."""
    job = make_job(org, [{"name": "SQL", "required": True}, "Python programming"], title="Analyst")
    # hr-8 is hr-7's twin without the assessment
    line = '{"id": "hr-7", "name": "Kai", "skills": ["SQL"]}\n{"id": "hr-8", "name": "Kim", "skills": ["SQL"]}'
    r = api.post("/api/v1/candidates/import/", line, content_type="application/x-ndjson")
    assert r.status_code == 201, r.content
    cand = org.candidates.get(external_id="hr-7")
    body = {"skill": "Python programming", "method": "work sample", "score": 0.9, "assessor": "Kim"}
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(_url(cand), body, format="json").status_code == 201
    for send in (
        lambda: api.post("/api/v1/candidates/import/", line, content_type="application/x-ndjson"),
        lambda: api.post("/api/v1/candidates/", {"id": "hr-7", "name": "Kai", "skills": ["SQL"]}, format="json"),
    ):
        assert send().status_code == 201
        listed = api.get(_url(cand)).json()["results"]
        assert [(a["skill"], a["job"], a["score"]) for a in listed] == [("Python programming", None, 0.9)]
    run = match_run_perform(run_id=match_run_start(job=job).id)
    scores = dict(MatchScore.objects.filter(run=run).values_list("candidate__external_id", "score"))
    assert scores["hr-7"] > scores["hr-8"], scores
