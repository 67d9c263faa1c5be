"""Incremental rescoring gives the scores a full run would give."""

from __future__ import annotations

import pytest

from apps.candidates.services import candidates_create
from apps.core.interchange import parse_candidate
from apps.matching.models import MatchScore
from apps.matching.services import candidate_rescore, match_run_execute, match_run_start
from tests.factories import credential, make_candidate, make_job


def _run(job):
    run = match_run_start(job=job)
    return match_run_execute(run_id=run.id)


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
    incremental = {s.run.job_id: s for s in MatchScore.objects.filter(candidate=target, run_id__in=touched)}
    for job in jobs:
        fresh = _run(job).scores.get(candidate=target)
        inc = incremental[job.id]
        assert inc.score == pytest.approx(fresh.score, abs=1e-6)
        assert (inc.must_have_met, inc.rank) == (fresh.must_have_met, fresh.rank)
        assert inc.verified_share == pytest.approx(fresh.verified_share, abs=1e-4)
        assert inc.explanation["matches"] == fresh.explanation["matches"]
    assert incremental[jobs[0].id].score > 0
