"""Runs as snapshots: new evidence makes a new ranking (a run of kind "rescore"), the finished run the
recruiter reads does not move, ``?run=`` pins a run, and the page announces the newer one."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from apps.candidates.services import candidates_create
from apps.core.interchange import parse_candidate
from apps.matching.models import MatchRun, MatchScore, RunKind
from apps.matching.selectors import ranks_of
from apps.matching.services import assessment_record, candidate_rescore

from ..factories import credential, make_job

pytestmark = pytest.mark.django_db


def url(name, **kw):
    return reverse(f"dashboard:{name}", kwargs=kw or None)


def ranks(run) -> dict[int, int]:
    return ranks_of(run=run, candidate_ids=None)


def _carl_gains_everything(org, pool, capture) -> int:
    """Carl (ranked last) imports a credential covering every skill; returns the new run's id."""
    doc = parse_candidate(
        {
            "id": "c-none",
            "name": "Carl Cook",
            "credentials": [credential("Everything", ["SQL", "Python programming", "data visualisation"])],
        }
    )
    candidates_create(organization=org, docs=[doc])
    with capture(execute=True):
        (new_run,) = candidate_rescore(candidate=pool["none"])
    return new_run


def test_a_rescore_makes_a_new_run_and_leaves_the_finished_one(
    org, job, pool, finished_run, django_capture_on_commit_callbacks
):
    before = ranks(finished_run)
    new_id = _carl_gains_everything(org, pool, django_capture_on_commit_callbacks)
    new = MatchRun.objects.get(id=new_id)
    assert (new.kind, new.based_on_id, new.rescored_candidates) == (RunKind.RESCORE, finished_run.id, [pool["none"].id])
    assert new.parameters == finished_run.parameters and new.pool_size == finished_run.pool_size == 3
    assert ranks(finished_run) == before  # the snapshot did not move
    after = ranks(new)
    assert after[pool["none"].id] == 1 and set(after) == set(before)
    # the other rows are the finished run's, read from it (not copied); the candidate's old row stays there
    old = finished_run.rows().get(candidate=pool["strong"])
    same = new.rows().get(candidate=pool["strong"])
    assert same.id == old.id and (same.score, same.blind_code) == (old.score, old.blind_code)
    assert new.rows().count() == finished_run.rows().count() == 3
    assert new.rows().get(candidate=pool["none"]).score > finished_run.rows().get(candidate=pool["none"]).score
    assert MatchScore.objects.filter(run=new).count() == 0  # nothing stored under the rescore run itself


def test_the_page_pins_its_run_and_announces_the_new_ranking(
    rclient, org, job, pool, finished_run, django_capture_on_commit_callbacks
):
    page = rclient.get(url("shortlist", job_id=job.id)).content.decode()
    # every link on the page carries the run shown
    assert f'name="run" value="{finished_run.id}"' in page and f"run={finished_run.id}" in page
    new_id = _carl_gains_everything(org, pool, django_capture_on_commit_callbacks)

    pinned = rclient.get(url("shortlist", job_id=job.id), {"run": finished_run.id})
    assert [r.candidate_id for r in pinned.context["rows"]][-1] == pool["none"].id  # still last here
    body = pinned.content.decode()
    assert "A new ranking is available." in body and f"?run={new_id}" in body
    assert f"Run #{finished_run.id} · 3 candidates scored · finished" in body

    latest = rclient.get(url("shortlist", job_id=job.id))
    assert latest.context["rows"][0].candidate_id == pool["none"].id
    body = latest.content.decode()
    assert "A new ranking is available." not in body
    assert f"updated now after new evidence (from run #{finished_run.id})" in body.replace("\xa0", " ")

    # what the page polls: the notice for the old run, nothing new for the latest
    notice = rclient.get(url("shortlist_newer", job_id=job.id), {"run": finished_run.id}).content.decode()
    assert "A new ranking is available." in notice and f"?run={new_id}" in notice
    quiet = rclient.get(url("shortlist_newer", job_id=job.id), {"run": new_id}).content.decode()
    assert "A new ranking is available." not in quiet and 'hx-trigger="every 10s"' in quiet

    # the export and the panel follow the pinned run
    rows = list(
        csv.DictReader(
            io.StringIO(rclient.get(url("shortlist_csv", job_id=job.id), {"run": finished_run.id}).content.decode())
        )
    )
    assert {int(r["candidate_id"]): int(r["rank"]) for r in rows} == ranks(finished_run)
    panel = rclient.get(url("candidate", job_id=job.id, candidate_id=pool["none"].id), {"run": finished_run.id})
    assert panel.context["score"].run_id == finished_run.id


def test_a_run_that_is_not_this_jobs_shows_the_latest(rclient, org, job, pool, finished_run, recruiter):
    other = make_job(org, ["SQL"], title="Other", job_id="job-o")
    other_run = MatchRun.objects.create(organization=org, job=other, status="succeeded")
    for bad in ("abc", "-1", "99999999999999999999999", str(other_run.id), "0"):
        resp = rclient.get(url("shortlist", job_id=job.id), {"run": bad})
        assert resp.status_code == 200 and resp.context["run"].id == finished_run.id
        assert "The ranking you had open has been replaced" in resp.content.decode()
    outsider = Client()
    assert outsider.get(url("shortlist_newer", job_id=job.id)).status_code in (302, 403)


def test_rescore_runs_are_pruned_and_full_matches_kept(
    org, job, pool, finished_run, recruiter, settings, django_capture_on_commit_callbacks
):
    settings.TSUMIKI_RESCORE_RUNS_KEPT = 2
    made = []
    for score in (0.1, 0.2, 0.3, 0.4):  # each scorecard changes the candidate's row: a new ranking each time
        with django_capture_on_commit_callbacks(execute=True):
            assessment_record(candidate=pool["partial"], skill="Python programming", method="exam", score=score)
        made.append(MatchRun.objects.filter(job=job).order_by("-id").values_list("id", flat=True).first())
    assert len(set(made)) == 4 and finished_run.id not in made
    # nothing changed: no new run
    with django_capture_on_commit_callbacks(execute=True):
        assert candidate_rescore(candidate=pool["partial"]) == []
    kept = list(MatchRun.objects.filter(job=job, kind=RunKind.RESCORE).order_by("id").values_list("id", flat=True))
    assert kept == made[-2:]
    assert MatchRun.objects.filter(id=finished_run.id).exists()
    assert not MatchScore.objects.filter(run_id__in=made[:2]).exists()
    # the latest finished run is what the API serves
    from apps.accounts.services import api_key_create

    _key, raw = api_key_create(organization=org, name="t", scopes=["read"])
    resp = Client().get(f"/api/v1/jobs/{job.id}/shortlist/", headers={"Authorization": f"Bearer {raw}"})
    assert resp.status_code == 200
    served = {r["candidate"]: r["rank"] for r in resp.json()["results"]}
    assert served == ranks(MatchRun.objects.get(id=made[-1]))
