"""Incremental rescoring gives the scores a full run would give."""

from __future__ import annotations

import pytest

from apps.candidates.services import candidates_create
from apps.core.interchange import parse_candidate
from apps.matching.models import MatchRun
from apps.matching.selectors import latest_run
from apps.matching.services import candidate_rescore, match_run_perform, match_run_start
from tests.factories import credential, make_candidate, make_job


def _run(job):
    run = match_run_start(job=job)
    return match_run_perform(run_id=run.id)


@pytest.mark.django_db
def test_rescore_equals_full_run(org):
    jobs = [
        make_job(org, [{"name": "SQL", "required": True}, "data analysis", {"name": "statistics", "weight": 2}]),
        make_job(org, ["patient care", {"name": "administer medication", "min_level": 5}], title="Nurse"),
    ]
    for i in range(4):
        make_candidate(org, cid=f"c{i}", credentials=[credential("Badge", ["SQL"] if i % 2 else ["patient care"])])
    target = make_candidate(org, cid="t", skills=["spreadsheets"])
    for job in jobs:
        _run(job)
    # the candidate gains credentials; their rows are rescored in place
    doc = parse_candidate(
        {
            "id": "t",
            "credentials": [
                credential("Data analytics", ["SQL", "analyse data"]),
                credential("Medication course", ["administer medication"], level={"framework": "EQF", "value": 4}),
            ],
        }
    )
    candidates_create(organization=org, docs=[doc])
    touched = candidate_rescore(candidate=target)
    assert len(touched) == 2
    incremental = {r.job_id: r.rows().get(candidate=target) for r in MatchRun.objects.filter(id__in=touched)}
    for job in jobs:
        fresh = _run(job).scores.get(candidate=target)
        inc = incremental[job.id]
        assert inc.score == pytest.approx(fresh.score, abs=1e-6)
        assert (inc.must_have_met, inc.rank) == (fresh.must_have_met, fresh.rank)
        assert inc.verified_share == pytest.approx(fresh.verified_share, abs=1e-4)
        assert inc.explanation["matches"] == fresh.explanation["matches"]
    assert incremental[jobs[0].id].score > 0


@pytest.mark.django_db(transaction=False)
def test_rescore_equals_full_run_with_every_kind_of_evidence(org, django_capture_on_commit_callbacks):
    from datetime import date

    from apps.matching.services import assessment_record

    jobs = [
        make_job(org, [{"name": "SQL", "required": True}, {"name": "statistics", "min_level": 6}]),
        make_job(org, ["SQL", "patient care"], title="Clinical data"),
    ]
    for i in range(3):
        make_candidate(org, cid=f"c{i}", credentials=[credential("Badge", ["SQL"])])
    doc = parse_candidate(
        {
            "id": "t",
            "credentials": [
                credential("SQL course", ["SQL"], hours=30, assessment="attendance", verified=False),
                credential("SQL exam", ["SQL"], hours=20, assessment="exam", quality_assured=True, verified=False),
                credential("Stats", ["statistics"], level={"framework": "EQF", "value": 5}, ects=5),
            ],
            "degrees": [{"title": "BSc Nursing", "skills": ["patient care"]}],
            "experience": [{"title": "Analyst", "start": "2019-01-01", "end": "2021-12-31", "skills": ["statistics"]}],
        }
    )
    (target,) = candidates_create(organization=org, docs=[doc])
    for job in jobs:
        _run(job)
    with django_capture_on_commit_callbacks(execute=True):
        assessment_record(
            candidate=target, skill="SQL", method="work sample", score=0.95, assessed_on=date(2026, 11, 1), job=jobs[1]
        )
    incremental = {job.id: latest_run(job=job, finished=True).rows().get(candidate=target) for job in jobs}
    for job in jobs:
        fresh = _run(job).scores.get(candidate=target)
        inc = incremental[job.id]
        assert inc.score == pytest.approx(fresh.score, abs=1e-6)
        assert inc.explanation["matches"] == fresh.explanation["matches"]
    # the work sample counts for the job it was recorded for only
    sql = {j.id: {m["required"]: m for m in incremental[j.id].explanation["matches"]}["SQL"] for j in jobs}
    assert sql[jobs[1].id]["source_kind"] == "assessment" and sql[jobs[1].id]["factors"]["assessment_score"] == 0.95
    assert sql[jobs[0].id]["source_kind"] == "unverified"
    # two unverified SQL credentials corroborate each other
    assert sql[jobs[0].id]["factors"]["corroboration"] > 0
    care = {m["required"]: m for m in incremental[jobs[1].id].explanation["matches"]}["patient care"]
    assert care["source"] == "degree learning outcome" and care["credential_id"] is None


@pytest.mark.django_db
def test_rescore_scores_each_run_under_its_own_parameters(org, monkeypatch):
    """Two open jobs whose runs were started under different thresholds: the rescored rows equal what a
    full run under each run's own parameters gives (not the first job's parameters for both)."""
    from dataclasses import replace

    from apps.matching import services

    jobs = [make_job(org, ["SQL", "statistics"]), make_job(org, ["SQL", "data analysis"], title="Analyst")]
    make_candidate(org, cid="c0", credentials=[credential("Badge", ["SQL"])])
    target = make_candidate(org, cid="t", skills=["spreadsheets"])
    base = services.default_params()
    strict = replace(base, sim_floor=0.7, sim_ceiling=0.95)
    by_job = {jobs[0].id: base, jobs[1].id: strict}
    for job in jobs:
        monkeypatch.setattr(services, "default_params", lambda p=by_job[job.id]: p)
        _run(job)
    doc = parse_candidate({"id": "t", "credentials": [credential("Analytics", ["analyse data", "SQL queries"])]})
    candidates_create(organization=org, docs=[doc])
    touched = candidate_rescore(candidate=target)
    incremental = {r.job_id: r.rows().get(candidate=target) for r in MatchRun.objects.filter(id__in=touched)}
    for job in jobs:
        monkeypatch.setattr(services, "default_params", lambda p=by_job[job.id]: p)
        fresh = _run(job).scores.get(candidate=target)
        assert incremental[job.id].score == pytest.approx(fresh.score, abs=1e-6)
        assert incremental[job.id].explanation["matches"] == fresh.explanation["matches"]


@pytest.mark.django_db
def test_rescore_with_no_required_skills_left_touches_nothing(org):
    job = make_job(org, ["SQL"])
    target = make_candidate(org, cid="t", credentials=[credential("Badge", ["SQL"])])
    _run(job)
    job.required_skills.all().delete()
    assert candidate_rescore(candidate=target) == []
