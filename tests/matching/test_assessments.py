"""Employer assessments (scorecards): recorded by a recruiter or imported with a candidate document,
they enter the job's score as evidence (apps.matching.services.assessment_record,
assessments_replace_imported)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.candidates.interchange import parse_candidate
from apps.candidates.services import candidates_create
from apps.matching.models import Assessment
from apps.matching.services import AssessmentError, assessment_record, match_run_perform, match_run_start
from tests.factories import OrganizationFactory, make_candidate, make_job


def _score(job, candidate):
    run = match_run_perform(run_id=match_run_start(job=job).id)
    return run.scores.get(candidate=candidate)


@pytest.mark.django_db
def test_imported_assessments_are_stored_and_replaced(org):
    doc = {"id": "a", "assessments": [{"skill": "SQL", "method": "exam", "score": 0.8, "date": "2026-09-01"}]}
    (cand,) = candidates_create(organization=org, docs=[parse_candidate(doc)])
    (a,) = Assessment.objects.filter(candidate=cand)
    assert (a.skill, a.method, a.score, a.assessed_on, a.job) == ("SQL", "exam", 0.8, date(2026, 9, 1), None)
    # importing the candidate again replaces the imported scorecard, it does not pile up
    doc["assessments"][0]["score"] = 0.6
    candidates_create(organization=org, docs=[parse_candidate(doc)])
    assert list(Assessment.objects.filter(candidate=cand).values_list("score", flat=True)) == [0.6]


@pytest.mark.django_db
@pytest.mark.parametrize("doc_lines", [0, 1], ids=["document-without-assessments", "document-with-one"])
def test_importing_a_candidate_again_keeps_the_lines_a_person_recorded(org, doc_lines):
    """A re-import replaces what imports brought; a recruiter's organization-wide line (no job) and a
    line for one job are the recruiter's, not the document's, and stay."""
    job = make_job(org, ["SQL"])
    doc = {"id": "a", "skills": ["SQL"]}
    if doc_lines:
        doc["assessments"] = [{"skill": "SQL", "method": "exam", "score": 0.8, "date": "2026-09-01"}]
    (cand,) = candidates_create(organization=org, docs=[parse_candidate(doc)])
    everywhere = assessment_record(candidate=cand, skill="Python", method="work sample", score=0.9, assessor="Kim")
    for_job = assessment_record(candidate=cand, skill="SQL", method="structured interview", score=0.5, job=job)
    candidates_create(organization=org, docs=[parse_candidate(doc)])
    candidates_create(organization=org, docs=[parse_candidate(doc)])
    kept = Assessment.objects.filter(candidate=cand)
    assert set(kept.filter(origin="recorded").values_list("id", flat=True)) == {everywhere.id, for_job.id}
    # the document's own line is there once, not once per import
    assert list(kept.filter(origin="import").values_list("skill", "score")) == [("SQL", 0.8)] * doc_lines


@pytest.mark.django_db
def test_an_imported_line_equal_to_a_recorded_one_is_not_stored_twice(org):
    (cand,) = candidates_create(organization=org, docs=[parse_candidate({"id": "a"})])
    assessment_record(candidate=cand, skill="SQL", method="exam", score=0.8, assessed_on=date(2026, 9, 1))
    doc = {"id": "a", "assessments": [{"skill": "SQL", "method": "exam", "score": 0.8, "date": "2026-09-01"}]}
    candidates_create(organization=org, docs=[parse_candidate(doc)])
    assert Assessment.objects.filter(candidate=cand).count() == 1


@pytest.mark.django_db
def test_recorded_assessment_counts_for_its_job_only(org, django_capture_on_commit_callbacks):
    job, other = make_job(org, ["SQL"]), make_job(org, ["SQL"], title="Other")
    cand = make_candidate(org, skills=["SQL"])
    before = _score(job, cand).score
    with django_capture_on_commit_callbacks(execute=True):
        assessment_record(candidate=cand, skill="SQL", method="work sample", score=0.9, job=job, assessor="Kim")
    assert _score(job, cand).score > before
    assert _score(other, cand).score == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"skill": " "}, "Name the skill"),
        ({"method": "gut feeling"}, "Unknown method"),
        ({"score": 1.2}, "from 0 to 1"),
        ({"score": float("nan")}, "from 0 to 1"),
        ({"score": True}, "from 0 to 1"),
    ],
)
def test_bad_scorecards_are_refused(org, kw, message):
    cand = make_candidate(org, skills=["SQL"])
    args = {"candidate": cand, "skill": "SQL", "method": "exam", "score": 0.5, **kw}
    with pytest.raises(AssessmentError, match=message):
        assessment_record(**args)
    assert not Assessment.objects.exists()


@pytest.mark.django_db
def test_another_organizations_job_is_refused(org):
    job = make_job(OrganizationFactory(), ["SQL"])
    with pytest.raises(AssessmentError, match="another organization"):
        assessment_record(candidate=make_candidate(org), skill="SQL", method="exam", score=0.5, job=job)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None)
@given(score=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 5)))
def test_any_score_is_stored_in_range_or_refused(score):
    cand = make_candidate(OrganizationFactory(), skills=["SQL"])
    try:
        row = assessment_record(candidate=cand, skill="SQL", method="exam", score=score)
    except AssessmentError:
        assert not (0 <= score <= 1)
        return
    assert 0.0 <= row.score <= 1.0
