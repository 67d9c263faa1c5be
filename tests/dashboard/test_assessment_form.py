"""Employer assessments from the candidate panel (apps.dashboard.views.assessments): a scorecard line is
recorded for the job, enters its score, is listed in the panel, and bad input is refused in words."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.accounts.models import AuditEvent
from apps.dashboard.assessment_forms import AssessmentForm
from apps.matching.models import Assessment
from apps.matching.selectors import latest_run

from ..factories import make_candidate
from .conftest import run_match_now


def _url(name: str, job, cand) -> str:
    return reverse(f"dashboard:{name}", kwargs={"job_id": job.id, "candidate_id": cand.id})


def _score(run, cand) -> float:
    """The candidate's score in the job's latest finished run: new evidence makes a new (rescore) run, the
    run it started from stays as it was."""
    latest = latest_run(job=run.job, finished=True)
    return latest.rows().get(candidate=cand).score


def test_a_recorded_interview_enters_the_jobs_score_and_is_listed(
    rclient, org, job, pool, recruiter, django_capture_on_commit_callbacks
):
    run = run_match_now(job, recruiter, django_capture_on_commit_callbacks)
    cand = pool["partial"]  # SQL only: Python programming is missing
    before = _score(run, cand)
    panel = rclient.get(_url("candidate", job, cand), headers={"HX-Request": "true"}).content.decode()
    assert "Employer assessments" in panel and "No assessment recorded for this job yet." in panel
    form = {
        "skill": "Python programming",
        "method": "structured interview",
        "score": "4",
        "scale": "1-5",
        "assessor": "Kim Tanaka",
        "assessed_on": "2026-11-30",
        "next": reverse("dashboard:shortlist", kwargs={"job_id": job.id}),
    }
    with django_capture_on_commit_callbacks(execute=True):
        resp = rclient.post(_url("assessment_add", job, cand), form, headers={"HX-Request": "true"})
    assert resp.status_code == 302 and resp["Location"].startswith(_url("candidate", job, cand) + "?next=")
    line = Assessment.objects.get()
    assert (line.job, line.skill, line.method, line.score, line.assessor) == (
        job,
        "Python programming",
        "structured interview",
        0.75,
        "Kim Tanaka",
    )
    assert line.recorded_by == recruiter
    assert AuditEvent.objects.filter(action="assessment.recorded", object_id=str(line.id)).exists()
    after = _score(run, cand)
    assert after > before
    panel = rclient.get(resp["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "Assessment recorded" in panel and "Kim Tanaka" in panel and "75%" in panel
    # the same form sent twice (a double click) records one line
    with django_capture_on_commit_callbacks(execute=True):
        rclient.post(_url("assessment_add", job, cand), form)
    assert Assessment.objects.count() == 1 and _score(run, cand) == after


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"score": "7"}, "Give a rating from 1 to 5."),
        ({"score": "0.5"}, "Give a rating from 1 to 5."),
        ({"scale": "0-1", "score": "1.5"}, "Give a score from 0 to 1."),
        ({"score": "nan"}, "Enter a number."),
        ({"skill": "Cooking"}, "Select a valid choice."),
        ({"method": "gut feeling"}, "Select a valid choice."),
        ({"assessed_on": "31/31/2026"}, "Enter a valid date."),
    ],
)
def test_bad_scorecards_are_refused_in_words(rclient, job, pool, finished_run, change, message):
    cand = pool["partial"]
    form = {"skill": "SQL", "method": "exam", "score": "3", "scale": "1-5", **change}
    resp = rclient.post(_url("assessment_add", job, cand), form, follow=True)
    assert resp.status_code == 200
    assert message in resp.content.decode()
    assert not Assessment.objects.exists()


def test_another_organizations_candidate_is_404(rclient, other_org, job, finished_run):
    stranger = make_candidate(other_org, skills=["SQL"])
    resp = rclient.post(_url("assessment_add", job, stranger), {"skill": "SQL", "method": "exam", "score": "3"})
    assert resp.status_code == 404 and not Assessment.objects.exists()


def test_seekers_cannot_record_assessments(sclient, job, pool, finished_run):
    resp = sclient.post(_url("assessment_add", job, pool["partial"]), {"skill": "SQL", "method": "exam", "score": "3"})
    assert resp.status_code in (302, 403) and not Assessment.objects.exists()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    score=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10, 10), st.text(max_size=8)),
    scale=st.sampled_from(["0-1", "1-5", "", "0-100"]),
)
def test_the_form_maps_any_input_into_0_1_or_refuses_it(score, scale):
    form = AssessmentForm({"skill": "SQL", "method": "exam", "score": str(score), "scale": scale}, skill_names=["SQL"])
    if form.is_valid():
        unit = form.cleaned_data["unit_score"]
        assert 0.0 <= unit <= 1.0
        raw = float(score)
        assert unit == pytest.approx(raw if scale == "0-1" else (raw - 1) / 4)
    else:
        assert form.errors
