"""Lost work is sent again without beat: a running chunk, a planning run or a background import whose
heartbeat stood still for TSUMIKI_CHUNK_STALE_SECONDS (its worker was killed) is re-sent by the sweep the
workers run themselves; fresh heartbeats are left alone; a duplicate delivery changes nothing. Tasks run
eagerly here, so a re-sent task runs at once (the real workers: tests/integration/test_recovery_without_beat.py)."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from apps.candidates.models import Candidate, CandidateImport, ImportStatus
from apps.candidates.services import candidate_imports_sweep
from apps.core.heartbeat import beating
from apps.matching.models import ChunkStatus, MatchChunk, MatchRun, RunStatus
from apps.matching.selectors import ranks_of, run_order
from apps.matching.services import match_chunk_score, match_run_perform, match_run_start, match_runs_sweep

from ..factories import credential, make_candidate, make_job

pytestmark = pytest.mark.django_db


def _ranking(run: MatchRun) -> list[tuple[int, float, int]]:
    ranks = ranks_of(run=run, candidate_ids=None)
    return [(c, s, ranks[c]) for c, s in run.scores.order_by(*run_order(run)).values_list("candidate_id", "score")]


@pytest.fixture
def job(org, settings):
    settings.TSUMIKI_CHUNK_SIZE = 2
    for i in range(7):
        make_candidate(
            org,
            cid=f"c{i}",
            credentials=[credential(f"Course {i}", ["SQL"] + (["Python programming"] if i % 2 else []))],
        )
    return make_job(org, [{"name": "SQL", "required": True}, "Python programming"])


@pytest.fixture
def planned(job, monkeypatch, django_capture_on_commit_callbacks):
    """A run planned into chunks with none of them scored (as if the planner's tasks were all lost)."""
    from apps.matching import tasks
    from apps.matching.services import match_run_plan

    def plan() -> MatchRun:
        run = match_run_start(job=job, dispatch=False)
        sent: list[int] = []
        with monkeypatch.context() as m, django_capture_on_commit_callbacks(execute=True):
            m.setattr(tasks.match_chunk_score, "delay", sent.append)
            match_run_plan(run_id=run.id)
        assert len(sent) == 4
        return MatchRun.objects.get(id=run.id)

    return plan


def _age(qs, seconds: float) -> None:
    qs.update(heartbeat_at=timezone.now() - timedelta(seconds=seconds))


def test_a_running_chunk_whose_heartbeat_stopped_is_sent_again_and_the_run_finishes_identically(job, planned):
    calm = match_run_perform(run_id=match_run_start(job=job, dispatch=False).id)
    assert calm.status == RunStatus.SUCCEEDED
    run = planned()
    chunks = MatchChunk.objects.filter(run=run).order_by("index")
    # three chunks done by a worker, the last one taken by a worker that was then killed
    for chunk in chunks[:3]:
        assert match_chunk_score(chunk_id=chunk.id, worker="w1@host")
    MatchChunk.objects.filter(id=chunks[3].id).update(status=ChunkStatus.RUNNING, worker="w2@host")
    _age(MatchChunk.objects.filter(id=chunks[3].id), 10)  # still within TSUMIKI_CHUNK_STALE_SECONDS
    _age(MatchRun.objects.filter(id=run.id), 10)
    assert match_runs_sweep() == 0
    assert MatchRun.objects.get(id=run.id).status == RunStatus.RUNNING
    _age(MatchChunk.objects.filter(id=chunks[3].id), 31)
    assert match_runs_sweep() == 1  # well before TSUMIKI_STALE_RUN_SECONDS (600)
    done = MatchRun.objects.get(id=run.id)
    assert done.status == RunStatus.SUCCEEDED and done.chunks_done == 4
    assert _ranking(done) == _ranking(calm)
    assert MatchChunk.objects.get(id=chunks[3].id).attempts == 1


def test_a_duplicate_delivery_of_a_finished_chunk_changes_nothing(planned):
    run = planned()
    chunk = MatchChunk.objects.filter(run=run).first()
    assert match_chunk_score(chunk_id=chunk.id, worker="w1")
    assert match_chunk_score(chunk_id=chunk.id, worker="w2") is False
    chunk.refresh_from_db()
    assert chunk.status == ChunkStatus.DONE and chunk.worker == "w1" and chunk.attempts == 1
    assert MatchRun.objects.get(id=run.id).chunks_done == 1


def test_every_chunk_done_but_not_finalized_is_finalized_by_the_sweep(planned):
    run = planned()
    for chunk in MatchChunk.objects.filter(run=run):
        assert match_chunk_score(chunk_id=chunk.id)
    # as if the last worker died between its chunk's commit and the finalizing
    MatchRun.objects.filter(id=run.id).update(status=RunStatus.RUNNING, progress=0.99, finished_at=None)
    match_runs_sweep()
    assert MatchRun.objects.get(id=run.id).status == RunStatus.SUCCEEDED


def test_planning_whose_heartbeat_stopped_is_planned_again(job, django_capture_on_commit_callbacks):
    run = match_run_start(job=job, dispatch=False)
    MatchRun.objects.filter(id=run.id).update(status=RunStatus.RUNNING, heartbeat_at=timezone.now())
    assert match_runs_sweep() == 0  # planning, alive
    _age(MatchRun.objects.filter(id=run.id), 31)
    with django_capture_on_commit_callbacks(execute=True):
        assert match_runs_sweep() == 1
    assert MatchRun.objects.get(id=run.id).status == RunStatus.SUCCEEDED


def _import(org, **fields) -> CandidateImport:
    text = "\n".join(json.dumps({"id": f"imp-{i}", "skills": ["SQL"]}) for i in range(3))
    return CandidateImport.objects.create(organization=org, source=text, total=3, **fields)


def test_a_queued_import_whose_task_was_lost_is_sent_once_the_broker_answers(org):
    young = _import(org)
    old = _import(org)
    CandidateImport.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(seconds=45))
    assert candidate_imports_sweep() == 1
    assert CandidateImport.objects.get(pk=old.pk).status == ImportStatus.SUCCEEDED
    assert CandidateImport.objects.get(pk=young.pk).status == ImportStatus.QUEUED  # just sent, probably
    assert Candidate.objects.filter(organization=org, external_id__startswith="imp-").count() == 3


def test_a_running_import_whose_heartbeat_stopped_is_run_again(org):
    alive = _import(org, status=ImportStatus.RUNNING, heartbeat_at=timezone.now())
    dead = _import(org, status=ImportStatus.RUNNING, heartbeat_at=timezone.now() - timedelta(seconds=31))
    CandidateImport.objects.update(created_at=timezone.now() - timedelta(seconds=60))
    assert candidate_imports_sweep() == 1
    assert CandidateImport.objects.get(pk=dead.pk).status == ImportStatus.SUCCEEDED
    assert CandidateImport.objects.get(pk=alive.pk).status == ImportStatus.RUNNING


def test_a_queued_import_is_not_sent_again_at_every_sweep(org):
    job = _import(org)
    CandidateImport.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - timedelta(seconds=45), heartbeat_at=timezone.now() - timedelta(seconds=40)
    )
    assert candidate_imports_sweep() == 0  # re-sent 40 s ago: waits for TSUMIKI_STALE_RUN_SECONDS
    CandidateImport.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(seconds=601))
    assert candidate_imports_sweep() == 1


def test_beating_calls_the_beat_until_the_block_ends(settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(connection, "vendor", "postgresql")
    beats: list[str] = []
    three = threading.Event()

    def beat() -> None:
        beats.append(threading.current_thread().name)
        if len(beats) >= 3:
            three.set()

    with beating(beat, every=0.01):
        assert three.wait(5)
    n = len(beats)
    threading.Event().wait(0.05)
    assert len(beats) == n  # stopped with the block
    assert set(beats) == {"tsumiki-heartbeat"}


def test_beating_starts_nothing_for_eager_tasks(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    beats: list[int] = []
    with beating(lambda: beats.append(1), every=0.001):
        threading.Event().wait(0.05)
    assert beats == []
