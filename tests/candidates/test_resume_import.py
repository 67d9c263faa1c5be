"""A candidate imported with a ``resume`` (a CV nobody confirmed) holds its skills as self-declared, as
``rank`` counts them, and a stored run scores them as ``rank`` does."""

from __future__ import annotations

import pytest

from apps.candidates.models import CandidateSkill, EvidenceSource
from apps.candidates.services import candidates_create
from apps.core.interchange import parse_candidate, parse_job
from apps.matching.services import documents_rank, match_run_perform, match_run_start
from tests.factories import OrganizationFactory, make_job

RESUME = {
    "skills": [{"phrase": "Py", "uri": "http://x/py", "label": "Python programming"}, "SQL"],
    "experience": [{"title": "Analyst", "skills": [{"phrase": "SQL"}]}],
}


@pytest.mark.django_db
def test_an_imported_resume_is_stored_as_self_declared_skills_and_scores_as_rank_does():
    org = OrganizationFactory()
    doc = parse_candidate({"id": "c1", "skills": ["SQL"], "resume": RESUME})
    (cand,) = candidates_create(organization=org, docs=[doc])
    rows = list(CandidateSkill.objects.filter(candidate=cand).values_list("text", "source", "context"))
    # "SQL" is declared already: not stored twice
    assert rows == [
        ("SQL", EvidenceSource.SELF_DECLARED, ""),
        ("Python programming", EvidenceSource.SELF_DECLARED, "CV"),
    ]
    job = make_job(org, [{"name": "Python programming", "required": True}, "SQL"])
    run = match_run_perform(run_id=match_run_start(job=job).id)
    stored = run.rows().get(candidate=cand)
    job_doc = parse_job({"id": "j", "skills": [{"name": "Python programming", "required": True}, "SQL"]})
    (ranked,) = documents_rank(job=job_doc, candidates=[doc])
    assert stored.score == pytest.approx(ranked["score"], abs=1e-6)
