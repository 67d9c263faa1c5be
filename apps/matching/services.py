"""Writes for matching: match runs (planned into chunks, scored by workers, finalized once), stateless
ranking, incremental rescoring, decisions."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, FloatField, Q
from django.db.models.functions import Cast, Greatest, Least
from django.utils import timezone

from apps.candidates.models import Candidate
from apps.core.heartbeat import beating
from apps.core.interchange import CandidateDoc, JobDoc, resume_evidence
from apps.jobs.models import Job
from apps.skills.selectors import related_pairs
from apps.skills.services import phrases_resolve
from apps.skills.text import normalize_phrase
from apps.skills.vocabulary import model_key, phrase_ids_ensure, phrase_vectors, phrases_ensure, vectors_load

from .blind import blind_code
from .coverage import COVERED_AT
from .documents import PoolLayout, document_spec, evidence_groups
from .engine import (
    CandidateResult,
    CandidateSpec,
    MatchParams,
    Pool,
    RequiredSpec,
    candidate_result,
    pool_from_specs,
    score_pool_results,
    unique_inverse,
)
from .models import (
    Assessment,
    AssessmentMethod,
    AssessmentOrigin,
    ChunkStatus,
    Decision,
    MatchChunk,
    MatchRun,
    MatchScore,
    RevealLog,
    RunKind,
    RunStatus,
    ShortlistDecision,
)
from .selectors import job_required_specs, pool_arrays, rows_root
from .signals import candidate_rescored, match_run_completed

log = logging.getLogger(__name__)


class MatchError(ValueError):
    """A match that cannot start, with a message for the person who asked."""


def default_params() -> MatchParams:
    return MatchParams(as_of=date.today().isoformat())


def _resolve_pool(required: list[RequiredSpec], pool: Pool) -> tuple[list[RequiredSpec], set[tuple[int, int]]]:
    """Resolve the job's and the pool's phrases to taxonomy concepts (cached per phrase); fills
    ``pool.concept`` where the stored evidence had none and returns the hierarchy links among them."""
    uniq, inverse = pool.phrase_index()
    phrase_ids = {r.phrase_id for r in required} | set(uniq.tolist())
    concepts = phrases_resolve(phrase_ids=phrase_ids)
    req = [r if r.concept is not None else replace(r, concept=concepts.get(r.phrase_id)) for r in required]
    if len(pool.phrase) and concepts:
        # per distinct phrase, then per item
        found = np.fromiter((concepts.get(p, -1) for p in uniq.tolist()), dtype=np.int64, count=len(uniq))
        pool.concept = np.where(pool.concept >= 0, pool.concept, found[inverse])
    used = {r.concept for r in req if r.concept} | set(unique_inverse(pool.concept[pool.concept >= 0])[0].tolist())
    return req, related_pairs(skill_ids=used)


def pool_score(
    *,
    required: list[RequiredSpec],
    pool: Pool,
    params: MatchParams,
    explain_top: int | None = None,
    job_id: int | None = None,
) -> list[CandidateResult]:
    """The one scoring path shared by match runs, the ``rank`` command and the seeker's pages.
    ``job_id``: the stored job scored (employer assessments recorded for another job do not count)."""
    req, related = _resolve_pool(required, pool)
    return score_pool_results(
        required=req,
        pool=pool,
        vectors_of=lambda ids: phrase_vectors(phrase_ids=ids.tolist()),
        params=params,
        related=related,
        explain_top=explain_top,
        job_id=job_id,
    )


def candidates_score(
    *,
    required: list[RequiredSpec],
    candidates: list[CandidateSpec],
    params: MatchParams,
    texts: dict[int, str] | None = None,
    explain_top: int | None = None,
    job_id: int | None = None,
) -> list[CandidateResult]:
    """:func:`pool_score` for Python specs (small pools). ``texts`` is accepted for callers
    written before phrases resolved themselves by id; it is not needed."""
    return pool_score(
        required=required, pool=pool_from_specs(candidates), params=params, explain_top=explain_top, job_id=job_id
    )


def document_specs(
    *, job: JobDoc, candidates: Sequence[CandidateDoc], ids: dict[str, int], today: date | None = None
) -> tuple[list[RequiredSpec], list[CandidateSpec]]:
    """Engine specs from interchange documents (``ids``: normalized phrase -> phrase id, from
    phrases_ensure); the evidence is apps.matching.documents.evidence_groups'. Used by ``pathway``;
    ``rank`` makes the same evidence straight into pool arrays (:func:`documents_rank`)."""
    today = today or date.today()
    phrase_of = _phrase_ids(ids)
    return _required(job, phrase_of), [document_spec(c, phrase_of, today) for c in candidates]


def _phrase_ids(ids: dict[str, int]):
    """text -> phrase id, each distinct text normalized once (a large pool repeats its phrases)."""
    memo: dict[str, int] = {}

    def phrase_of(text: str) -> int:
        got = memo.get(text)
        if got is None:
            got = memo[text] = ids[normalize_phrase(text)]
        return got

    return phrase_of


def _required(job: JobDoc, phrase_of) -> list[RequiredSpec]:
    return [
        RequiredSpec(
            name=s.name,
            phrase_id=phrase_of(s.name),
            weight=s.weight,
            must_have=s.required,
            min_level=s.min_level,
        )
        for s in job.skills
    ]


def document_texts(*, job: JobDoc, candidates: Sequence[CandidateDoc]) -> list[str]:
    """Every phrase :func:`document_specs` needs an id for."""
    texts = [s.name for s in job.skills]
    for c in candidates:
        texts += [s for cr in (*c.credentials, *c.degrees) for s in cr.skills] + list(c.skills)
        texts += [s for e in c.experience for s in e.skills] + [a.skill for a in c.assessments]
        texts += [s for s, _ in resume_evidence(c)]
    return texts


# the keys of one match in ``rank``'s output and the API (DESIGN.md "Command-line contracts")
RANK_MATCH_KEYS = ("required", "matched", "source", "similarity", "credit", "factors")


def documents_rank(*, job: JobDoc, candidates: Sequence[CandidateDoc], params: MatchParams | None = None) -> list[dict]:
    """Stateless ranking of interchange documents (the ``rank`` command): nothing is stored except
    new phrases in the shared vocabulary. One dict per candidate, best first."""
    params = params or default_params()
    today = params.as_of_date()
    layout = PoolLayout(evidence_groups(c, today) for c in candidates)
    # distinct texts first: a pool of 100,000 candidates names ~1.5M phrases, a tenth of them distinct
    ids = phrase_ids_ensure(texts=[*(s.name for s in job.skills), *layout.distinct], embed=False)
    vectors_load(phrase_ids=ids.values())  # every phrase's vector is needed to score: read once, not checked first
    required = _required(job, ids.__getitem__)
    pool = layout.pool([c.id for c in candidates], ids)
    results = pool_score(required=required, pool=pool, params=params)
    return [
        {
            "id": r.key,
            "rank": i,
            "score": r.score,
            "must_have_met": r.must_have_met,
            "matches": [{k: m[k] for k in RANK_MATCH_KEYS} for m in r.matches],
            "missing": r.missing,
        }
        for i, r in enumerate(results, start=1)
    ]


def match_run_start(*, job: Job, user=None, dispatch: bool = True) -> MatchRun:
    """Create a queued run and send its planning task once the transaction commits. With
    ``dispatch=False`` (the caller found the broker down: apps.api.broker.broker_available) nothing is
    sent; the run stays queued and match_runs_sweep sends it once the broker is back."""
    if not job.required_skills.exists():
        raise MatchError("This job has no required skills yet; add at least one before matching.")
    params = default_params()
    name, _, version = model_key().partition("@")
    run = MatchRun.objects.create(
        organization=job.organization,
        job=job,
        parameters=params.as_dict(),
        model_name=name,
        model_version=version,
        created_by=user if getattr(user, "pk", None) else None,
    )
    from . import tasks

    # pretix-style: the worker must see the committed row, so send only after commit. robust: a
    # broker outage must not undo the run; the sweeper (tasks.match_runs_sweep) sends it later.
    if dispatch:
        transaction.on_commit(lambda: tasks.match_run_plan.delay(run.id), robust=True)
    return run


@dataclass(frozen=True)
class RunRequest:
    """What starting a run on a person's or an HR system's request gave."""

    run: MatchRun
    sent: bool  # False: the broker was down; the run is saved as queued and match_runs_sweep sends it later
    dispatch_failed: bool = False  # the run was saved but sending it raised; it may still be queued


def match_run_request(*, job: Job, actor=None) -> RunRequest:
    """Start a run of ``job`` for the dashboard's button and the API alike: the broker is asked first
    (a dead broker costs about a second, never a hung request), the run and its audit event are saved
    together, and a failure to send it once saved is reported, not raised: in eager mode the run
    executed inside the request and match_run_perform already recorded any failure on the run itself.
    ``actor``: the signed-in user or the API key's principal (audited as such; a user is the run's
    creator). Raises MatchError when the job cannot be matched (no required skills)."""
    from apps.accounts.audit import MATCH_RUN_STARTED, audit_record
    from apps.api.broker import broker_available

    from .selectors import match_run_details

    user = actor if getattr(actor, "pk", None) else None
    available = broker_available()
    run: MatchRun | None = None
    try:
        with transaction.atomic():
            run = match_run_start(job=job, user=user, dispatch=available)
            audit_record(
                organization=job.organization,
                actor=actor,
                action=MATCH_RUN_STARTED,
                obj=run,
                details=match_run_details(run),
            )
    except Exception as e:
        if run is None:
            raise
        log.warning("match run %s: dispatch raised %r", run.pk, e)
        run.refresh_from_db()
        return RunRequest(run=run, sent=available, dispatch_failed=True)
    run.refresh_from_db()
    return RunRequest(run=run, sent=available)


def _chunk_size() -> int:
    return int(getattr(settings, "TSUMIKI_CHUNK_SIZE", 25_000))


def _fail(run_id: int, e: Exception) -> None:
    log.exception("match run %s failed", run_id)
    # the exception's class too: a time limit or a lost connection often has no message of its own, and the
    # run page turns the class into plain words (apps.dashboard.templatetags.plain_words.run_failure_reason)
    error = f"{type(e).__name__}: {e}" if str(e) else type(e).__name__
    MatchRun.objects.filter(id=run_id).update(status=RunStatus.FAILED, error=error[:2000], finished_at=timezone.now())


def match_run_plan(*, run_id: int) -> MatchRun | None:
    """Claim a queued run (a conditional UPDATE, so two workers never both plan it), cut its pool into
    chunks of consecutive candidate ids and send one scoring task per chunk. Returns None when the run
    was not queued."""
    claimed = MatchRun.objects.filter(id=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now(), progress=0.0
    )
    if not claimed:
        return None
    run = MatchRun.objects.select_related("job").get(id=run_id)
    # the run's heartbeat moves while it is planned, so the sweeper tells a slow planner from a dead one
    with beating(
        lambda: MatchRun.objects.filter(id=run_id, status=RunStatus.RUNNING).update(heartbeat_at=timezone.now())
    ):
        _plan(run)
    run.refresh_from_db()
    return run


def _plan(run: MatchRun) -> None:
    run_id = run.id
    try:
        if not run.job.required_skills.exists():
            raise MatchError("This job has no required skills.")
        ids = np.fromiter(
            Candidate.objects.filter(organization_id=run.organization_id, consent_given=True)
            .order_by("id")
            .values_list("id", flat=True)
            .iterator(chunk_size=20_000),
            dtype=np.int64,
        )
        size = _chunk_size()
        with transaction.atomic():
            MatchScore.objects.filter(run_id=run_id).delete()
            MatchChunk.objects.filter(run_id=run_id).delete()
            MatchChunk.objects.bulk_create(
                [
                    MatchChunk(
                        run_id=run_id,
                        index=k,
                        lo_candidate_id=int(ids[i]),
                        hi_candidate_id=int(ids[min(i + size, len(ids)) - 1]),
                        size=min(size, len(ids) - i),
                    )
                    for k, i in enumerate(range(0, len(ids), size))
                ]
            )
            chunk_ids = list(MatchChunk.objects.filter(run_id=run_id).order_by("index").values_list("id", flat=True))
            MatchRun.objects.filter(id=run_id).update(chunks_total=len(chunk_ids), chunks_done=0, pool_size=len(ids))
        from . import tasks

        if not chunk_ids:
            match_run_finalize(run_id=run_id)
        elif tasks.is_inline():
            for cid in chunk_ids:
                tasks.match_chunk_score.delay(cid)
        else:
            # workers must see the committed chunk rows (this runs in the planning task's transaction)
            transaction.on_commit(lambda: [tasks.match_chunk_score.delay(cid) for cid in chunk_ids], robust=True)
    except Exception as e:
        _fail(run_id, e)
        raise


def blind_label_key() -> str:
    """The key of blind labels (apps.matching.blind): TSUMIKI_BLIND_LABEL_KEY, else SECRET_KEY."""
    return getattr(settings, "TSUMIKI_BLIND_LABEL_KEY", "") or settings.SECRET_KEY


def candidate_blind_code(*, job_id: int, candidate_id: int) -> str:
    return blind_code(blind_label_key(), job_id, candidate_id)


def _freshest(matches: list[dict]) -> date | None:
    days = []
    for m in matches:
        try:
            days.append(date.fromisoformat(str(m.get("issued"))[:10]))
        except ValueError:
            continue
    return max(days) if days else None


def _score_row(run_id: int, r: CandidateResult, required: Sequence[RequiredSpec], job_id: int) -> MatchScore:
    return MatchScore(**_score_fields(run_id, r, required, job_id))


def _score_fields(run_id: int, r: CandidateResult, required: Sequence[RequiredSpec], job_id: int) -> dict[str, Any]:
    """The field values of a candidate's score row (MatchScore keyword arguments)."""
    names = [q.name for q in required]
    return dict(
        run_id=run_id,
        candidate_id=int(r.key),
        score=r.score,
        must_have_met=r.must_have_met,
        verified_share=r.verified_share,
        explanation={
            "matches": r.matches,
            "missing": r.missing,
            "must_have_missing": r.must_have_missing,
            "coverage": dict(zip(names, r.coverage, strict=True)),
        },
        # covered at the shared threshold, so "has skill X" keeps the candidates whose chip says covered
        covered_skills="|"
        + "|".join(n.casefold() for n, c in zip(names, r.coverage, strict=True) if c >= COVERED_AT)
        + "|",
        blind_code=blind_code(blind_label_key(), job_id, int(r.key)),
        must_haves_covered=sum(1 for q in required if q.must_have and q.name not in r.must_have_missing),
        # only explained rows know their evidence's dates (a large pool explains its best rows)
        freshest_evidence=_freshest(r.matches),
    )


# what COPY writes of a score row; the other columns are empty or the database's defaults
_COPIED = (
    "valid_from",
    "run_id",
    "candidate_id",
    "score",
    "must_have_met",
    "verified_share",
    "explanation",
    "covered_skills",
    "blind_code",
    "must_haves_covered",
    "freshest_evidence",
)


def scores_write(rows: list[MatchScore]) -> None:
    """Insert score rows in bulk: COPY on PostgreSQL (several times faster than multi-row INSERT for
    rows carrying JSON), bulk_create elsewhere."""
    if connection.vendor != "postgresql":
        MatchScore.objects.bulk_create(rows, batch_size=5000)
        return
    _scores_copy(tuple(getattr(r, c) for c in _COPIED) for r in rows)


def score_fields_write(rows: list[dict[str, Any]]) -> None:
    """Insert score rows given as their field values (``_score_fields``): on PostgreSQL copied as they
    are, without a model instance per row (making 12,500 of them per chunk was ~6 % of a run's worker
    CPU, bench/e2e.py); elsewhere as :func:`scores_write` does."""
    if connection.vendor != "postgresql":
        scores_write([MatchScore(**f) for f in rows])
        return
    _scores_copy(tuple(f.get(c) for c in _COPIED) for f in rows)


def _scores_copy(rows: Iterable[tuple]) -> None:
    """COPY rows of _COPIED's columns, in that order, into the score table."""
    explanation = _COPIED.index("explanation")
    copy = f"COPY {MatchScore._meta.db_table} ({', '.join(_COPIED)}) FROM STDIN"
    with connection.cursor() as cur, cur.cursor.copy(copy) as cp:
        for row in rows:
            values = list(row)
            values[explanation] = json.dumps(values[explanation], ensure_ascii=False)
            cp.write_row(values)


def _close_rows(rows: Sequence[MatchScore]) -> None:
    """Store each row's ``valid_until`` in one statement (an UPDATE from arrays on PostgreSQL)."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        MatchScore.objects.bulk_update(rows, ["valid_until"], batch_size=1000)
        return
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {MatchScore._meta.db_table} AS s SET valid_until = x.until "  # noqa: S608 - model metadata
            "FROM unnest(%s::bigint[], %s::bigint[]) AS x(id, until) WHERE s.id = x.id",
            [[r.id for r in rows], [r.valid_until for r in rows]],
        )


def match_chunk_score(*, chunk_id: int, worker: str = "") -> bool:
    """Score one chunk and write its scores. Idempotent: the chunk's scores are replaced in the same
    transaction that marks it done, and a chunk already done is skipped, so a redelivered or duplicated
    task changes nothing. The chunk that completes the run finalizes it. Returns whether it did work.

    While it works, the chunk's heartbeat moves (apps.core.heartbeat); ``worker`` names the worker."""
    chunk = MatchChunk.objects.select_related("run", "run__job").filter(id=chunk_id).first()
    if chunk is None or chunk.status == ChunkStatus.DONE or chunk.run.status != RunStatus.RUNNING:
        return False
    # conditional: a duplicate delivery must not turn a chunk that another worker just finished back to running
    claimed = (
        MatchChunk.objects.filter(id=chunk_id)
        .exclude(status=ChunkStatus.DONE)
        .update(
            status=ChunkStatus.RUNNING, attempts=F("attempts") + 1, heartbeat_at=timezone.now(), worker=worker[:200]
        )
    )
    if not claimed:
        return False
    beat = MatchChunk.objects.filter(id=chunk_id, status=ChunkStatus.RUNNING)
    with beating(lambda: beat.update(heartbeat_at=timezone.now())):
        done = _score_chunk(chunk)
    if done:
        match_run_finalize(run_id=chunk.run_id)
    return done


def _score_chunk(chunk: MatchChunk) -> bool:
    chunk_id = chunk.id
    run = chunk.run
    try:
        params = MatchParams.from_stored(run.parameters)
        required = job_required_specs(job=run.job)
        pool = pool_arrays(organization_id=run.organization_id, id_range=(chunk.lo_candidate_id, chunk.hi_candidate_id))
        explain = int(getattr(settings, "TSUMIKI_EXPLAIN_TOP", 2000))
        results = pool_score(required=required, pool=pool, params=params, explain_top=explain, job_id=run.job_id)
        with transaction.atomic():
            locked = MatchChunk.objects.select_for_update().get(id=chunk_id)
            if locked.status == ChunkStatus.DONE:  # another delivery finished first
                return False
            MatchScore.objects.filter(
                run_id=run.id, candidate_id__gte=chunk.lo_candidate_id, candidate_id__lte=chunk.hi_candidate_id
            ).delete()
            score_fields_write([_score_fields(run.id, r, required, run.job_id) for r in results])
            MatchChunk.objects.filter(id=chunk_id).update(status=ChunkStatus.DONE)
            MatchRun.objects.filter(id=run.id).update(
                chunks_done=F("chunks_done") + 1,
                heartbeat_at=timezone.now(),
                progress=Least(Cast(F("chunks_done") + 1, FloatField()) / Greatest(F("chunks_total"), 1), 0.99),
            )
    except Exception as e:
        _fail(run.id, e)
        raise
    return True


def match_run_finalize(*, run_id: int) -> bool:
    """When every chunk is done, mark the run succeeded. Nothing is re-ranked: a run's order is its
    index (apps.matching.selectors.run_order), so finishing rewrites no row. The row lock and the
    status condition make it happen exactly once."""
    with transaction.atomic():
        run = (
            MatchRun.objects.select_for_update()
            .filter(id=run_id, status=RunStatus.RUNNING, chunks_done__gte=F("chunks_total"))
            .first()
        )
        if run is None:
            return False
        MatchRun.objects.filter(id=run_id).update(
            status=RunStatus.SUCCEEDED,
            progress=1.0,
            pool_size=MatchScore.objects.filter(run_id=run_id).count(),
            finished_at=timezone.now(),
            heartbeat_at=timezone.now(),
        )
    run.refresh_from_db()
    transaction.on_commit(lambda: match_run_completed.send(sender=MatchRun, run=run), robust=True)
    return True


def match_run_perform(*, run_id: int) -> MatchRun | None:
    """Run a whole match in this process (planning and every chunk), whatever the Celery mode: for
    the demo seeder, tests and the shell. None when the run was not queued."""
    from . import tasks

    with tasks.inline():
        run = match_run_plan(run_id=run_id)
    if run is not None:
        run.refresh_from_db()
    return run


# A queued run younger than this was probably just sent by match_run_start: the sweeper leaves it alone.
QUEUED_RESEND_SECONDS = 30


def match_runs_sweep(*, stale_after: float | None = None) -> int:
    """Re-send what a lost worker or a broker outage left behind: runs still queued, and the unfinished
    chunks of running runs that showed no sign of life for ``stale_after`` seconds. Chunk writes are
    idempotent and planning claims a run with a conditional UPDATE, so sending twice is safe. Returns how
    many tasks were sent.

    A queued run is re-sent when it is older than ``stale_after`` or, while the broker answers, as soon as
    it is QUEUED_RESEND_SECONDS old and has not been re-sent yet: a run started during a broker outage
    (apps.api.broker; match_run_start(dispatch=False)) starts about a minute after the broker is back. A
    queued run's ``heartbeat_at`` records its last re-send, so one waiting behind a busy queue is re-sent
    at most once per ``stale_after``, not at every sweep.

    Work that writes a heartbeat (planning, a running chunk) is re-sent much sooner, once its heartbeat stood
    still for chunk_stale_seconds() (_resend_lost_work). Workers run this sweep themselves every
    TSUMIKI_WORKER_SWEEP_SECONDS (config.celery_app), so nothing waits for celery beat."""
    from apps.api.broker import broker_available

    from . import tasks

    seconds = stale_after if stale_after is not None else getattr(settings, "TSUMIKI_STALE_RUN_SECONDS", 600)
    now = timezone.now()
    stale = now - timedelta(seconds=seconds)
    queued = MatchRun.objects.filter(status=RunStatus.QUEUED)
    due = Q(created_at__lt=stale) & (Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=stale))
    fresh = Q(created_at__lt=now - timedelta(seconds=QUEUED_RESEND_SECONDS), heartbeat_at__isnull=True)
    if queued.filter(fresh).exists() and broker_available():
        due |= fresh
    sent = 0
    for run_id in queued.filter(due).order_by("created_at", "id").values_list("id", flat=True):
        tasks.match_run_plan.delay(run_id)
        MatchRun.objects.filter(id=run_id, status=RunStatus.QUEUED).update(heartbeat_at=timezone.now())
        sent += 1
    for run in MatchRun.objects.filter(status=RunStatus.RUNNING, heartbeat_at__lt=stale):
        MatchRun.objects.filter(id=run.id).update(heartbeat_at=timezone.now())
        if run.chunks_total == 0:
            # planning died before any chunk existed: plan again
            MatchRun.objects.filter(id=run.id, status=RunStatus.RUNNING).update(status=RunStatus.QUEUED)
            tasks.match_run_plan.delay(run.id)
            sent += 1
            continue
        pending = list(run.chunks.exclude(status=ChunkStatus.DONE).values_list("id", flat=True))
        for cid in pending:
            MatchChunk.objects.filter(id=cid).update(status=ChunkStatus.QUEUED)
            tasks.match_chunk_score.delay(cid)
            sent += 1
        if not pending:
            match_run_finalize(run_id=run.id)
    return sent + _resend_lost_work()


def chunk_stale_seconds() -> float:
    """How long a running chunk's (or a planning run's) heartbeat may stand still before its worker counts
    as lost (TSUMIKI_CHUNK_STALE_SECONDS, default 30: six missed beats of TSUMIKI_HEARTBEAT_SECONDS)."""
    return float(getattr(settings, "TSUMIKI_CHUNK_STALE_SECONDS", 30))


def _resend_lost_work() -> int:
    """The fast path of match_runs_sweep: work whose heartbeat stopped (its worker was killed or its machine lost)
    is sent again after chunk_stale_seconds(), not after TSUMIKI_STALE_RUN_SECONDS. Each re-send is claimed
    with a conditional UPDATE, so several workers sweeping at once send it once. Returns how many were sent."""
    from . import tasks

    now = timezone.now()
    stale = now - timedelta(seconds=chunk_stale_seconds())
    sent = 0
    # planning that stopped before its chunks existed: plan again
    planning = MatchRun.objects.filter(status=RunStatus.RUNNING, chunks_total=0, heartbeat_at__lt=stale)
    for run_id in list(planning.values_list("id", flat=True)):
        if planning.filter(id=run_id).update(status=RunStatus.QUEUED, heartbeat_at=now):
            tasks.match_run_plan.delay(run_id)
            sent += 1
    # chunks whose worker stopped beating
    lost = MatchChunk.objects.filter(status=ChunkStatus.RUNNING, run__status=RunStatus.RUNNING, heartbeat_at__lt=stale)
    for chunk_id in list(lost.values_list("id", flat=True)):
        if MatchChunk.objects.filter(id=chunk_id, status=ChunkStatus.RUNNING, heartbeat_at__lt=stale).update(
            status=ChunkStatus.QUEUED, heartbeat_at=now
        ):
            log.warning("chunk %s lost its worker (no heartbeat for %ss): sent again", chunk_id, chunk_stale_seconds())
            tasks.match_chunk_score.delay(chunk_id)
            sent += 1
    # every chunk done but the run not finalized (its last worker died in between)
    finished = MatchRun.objects.filter(status=RunStatus.RUNNING, chunks_total__gt=0, chunks_done__gte=F("chunks_total"))
    for run_id in list(finished.values_list("id", flat=True)):
        match_run_finalize(run_id=run_id)
    return sent


def decision_record(*, job: Job, candidate, decision: str, user, reason: str = "") -> ShortlistDecision:
    """Record a recruiter's decision by its value (shortlist, contact, reject); a human act, never
    automatic. The candidate moves to the first pipeline stage with that meaning
    (apps.matching.pipeline_services.stage_move, which also writes the audit event)."""
    from .pipeline_services import stage_for_decision, stage_move

    if decision not in Decision.values:
        raise ValueError(f"unknown decision {decision!r}")
    stage = stage_for_decision(organization=job.organization, decision=decision)
    return stage_move(job=job, candidate=candidate, stage=stage, user=user, reason=reason[:500])


def candidate_reveal(*, job: Job, candidate, user) -> RevealLog:
    """Log that ``user`` revealed a candidate's identity in the degree-blind shortlist."""
    return RevealLog.objects.create(job=job, candidate=candidate, user=user)


def candidate_rescore(*, candidate: Candidate) -> list[int]:
    """Rescore one candidate against every open job that has a finished run, after their evidence
    changed (a credential imported or verified). Each job's latest finished run stays as it is (a
    recruiter may be reading it): a new run of kind "rescore" copies it with the candidate's new row and
    is ranked, for the jobs where the candidate's row changed; nothing is embedded that is already
    stored. Returns the new runs' ids."""
    from apps.jobs.models import JobStatus, RequiredSkill

    from .incremental import JobScore, rescore_candidate_arrays

    runs: dict[int, MatchRun] = {}
    # the latest finished run of each open job, read as the few fields a rescore needs
    for run_id, job_id, org_id, parameters, rows_from_id in (
        MatchRun.objects.filter(
            organization_id=candidate.organization_id, status=RunStatus.SUCCEEDED, job__status=JobStatus.OPEN
        )
        .order_by("job_id", "-created_at", "-id")
        .distinct("job_id")
        .values_list("id", "job_id", "organization_id", "parameters", "rows_from_id")
        if connection.vendor == "postgresql"
        else MatchRun.objects.filter(
            organization_id=candidate.organization_id, status=RunStatus.SUCCEEDED, job__status=JobStatus.OPEN
        )
        .order_by("job_id", "-created_at", "-id")
        .values_list("id", "job_id", "organization_id", "parameters", "rows_from_id")
    ):
        if job_id not in runs:
            runs[job_id] = MatchRun(
                id=run_id, job_id=job_id, organization_id=org_id, parameters=parameters, rows_from_id=rows_from_id
            )
    if not runs:
        return []
    rows = list(
        RequiredSkill.objects.filter(job_id__in=list(runs))
        .order_by("job_id", "position", "id")
        .values_list("job_id", "name", "phrase_id", "weight", "must_have", "min_level", "skill_id")
    )
    job_ids = sorted({r[0] for r in rows})
    required = [
        RequiredSpec(name=r[1], phrase_id=r[2], weight=r[3], must_have=r[4], min_level=r[5], concept=r[6]) for r in rows
    ]
    pool = pool_arrays(organization_id=candidate.organization_id, candidate_ids=[candidate.id])
    req, related = _resolve_pool(required, pool)
    if not rows:  # the open jobs with runs have no required skills left: nothing to score
        return []
    # one MatchParams per distinct stored set (runs of one deployment mostly share theirs)
    by_stored: dict[str, MatchParams] = {}
    params = {}
    for jid in job_ids:
        key = json.dumps(runs[jid].parameters, sort_keys=True, default=str)
        params[jid] = by_stored.get(key) or by_stored.setdefault(key, MatchParams.from_stored(runs[jid].parameters))
    from .engine import FACTOR_NAMES, item_factor_parts

    items = np.arange(len(pool.phrase))
    offsets = np.searchsorted([r[0] for r in rows], job_ids + [job_ids[-1] + 1]) if rows else np.zeros(1)
    # each job's rows get that job's factors: an employer assessment counts only for its own job
    ev_factor = np.zeros((len(req), len(items)), dtype=np.float32)
    parts_by_job = {}
    # the factors depend on the job only through evidence limited to one job (an assessment for it): without
    # such evidence, runs under the same parameters share them (a thousand open jobs, one computation)
    job_bound = bool(len(items) and (pool.job[items] >= 0).any())
    shared: dict[tuple, tuple[dict, np.ndarray]] = {}
    for k, jid in enumerate(job_ids):
        pj = params[jid]
        memo = (json.dumps(runs[jid].parameters, sort_keys=True, default=str), jid if job_bound else None)
        if memo not in shared:
            parts = item_factor_parts(pool, items, pj, pj.as_of_date(), jid)
            prod = np.ones(len(items), dtype=np.float32)
            for name in FACTOR_NAMES:
                prod = prod * parts[name]
            shared[memo] = (parts, prod)
        parts, prod = shared[memo]
        parts_by_job[jid] = parts
        ev_factor[int(offsets[k]) : int(offsets[k + 1])] = prod[None, :]
    req_vecs = phrase_vectors(phrase_ids=[r.phrase_id for r in req])
    ev_vecs = phrase_vectors(phrase_ids=pool.phrase.tolist()) if len(items) else np.zeros((0, 1), np.float32)
    results: list[tuple[int, JobScore]] = []  # (index into job_ids, that job's score)
    # runs started under other parameters (thresholds, curves) are scored under their own, one kernel
    # call per distinct set; the as-of date is already in each job's factors
    for group in _jobs_by_params(job_ids, {jid: runs[jid].parameters for jid in job_ids}):
        rows_of = [np.arange(int(offsets[k]), int(offsets[k + 1])) for k in group]
        sel = np.concatenate(rows_of)
        sub_offsets = np.concatenate([[0], np.cumsum([len(x) for x in rows_of])]).astype(np.int64)
        scored = rescore_candidate_arrays(
            req_vecs=req_vecs[sel],
            job_offsets=sub_offsets,
            weights=np.array([req[i].weight for i in sel]),
            ev_vecs=ev_vecs,
            ev_factor=ev_factor[sel],
            params=params[job_ids[group[0]]],
            req_concepts=np.array([-1 if req[i].concept is None else req[i].concept for i in sel]),
            ev_concepts=pool.concept,
            related=related,
            must_have=np.array([req[i].must_have for i in sel], dtype=bool),
            min_level=np.array([np.nan if (m := req[i].min_level) is None else m for i in sel], dtype=np.float32),
            ev_level=pool.level,
            ev_verified=pool.source == 0,
        )
        results.extend((group[js.job], js) for js in scored)
    base = pool.describe(items) if len(items) else []
    new_rows = []
    for k, js in results:
        jid = job_ids[k]
        lo, hi = int(offsets[k]), int(offsets[k + 1])
        job_req = req[lo:hi]
        weights = np.array([r.weight for r in job_req])
        parts = parts_by_job[jid]
        described = {
            i: {**base[i], "factors": {n: float(parts[n][i]) for n in FACTOR_NAMES}, "level": float(pool.level[i])}
            for i in items.tolist()
        }
        result = candidate_result(
            key=str(candidate.id),
            required=job_req,
            params=params[jid],
            score=js.score,
            must_have_met=js.must_have_met,
            coverage=js.coverage,
            verified_points=100.0 * float(js.verified @ weights) / float(weights.sum()),
            best=js.best,
            similarity=js.similarity,
            source=pool.source,
            described=described,
            match=js.match,
        )
        new_rows.append(_score_row(runs[jid].id, result, job_req, jid))
    runs_by_id = {r.id: r for r in runs.values()}
    bases = [runs[j] for j in job_ids]
    # the candidate's current row in each base run, by base run id (its version of its rows)
    current = _current_rows(bases=bases, candidate_id=candidate.id)
    old_rows = {run_id: (r.score, r.must_have_met, r.explanation) for run_id, r in current.items()}
    # a job where nothing about the candidate changed keeps its ranking: no new run to announce
    same = {
        row.run_id
        for row in new_rows
        if old_rows.get(row.run_id) == (row.score, row.must_have_met, json.loads(json.dumps(row.explanation)))
    }
    bases = [b for b in bases if b.id not in same]
    new_rows = [row for row in new_rows if row.run_id not in same]
    with transaction.atomic():
        # A finished run is a snapshot the recruiter may be reading: the new ranking is a new run. It
        # writes only this candidate's row: it reads the others from its full run as they stood (run_rows),
        # and ranks are counted when read, so no other row is copied or rewritten. A handful of statements
        # whatever the number of open jobs.
        successor = _run_successors(bases=bases, candidate_id=candidate.id, had=set(current))
        closed = []
        for row in new_rows:
            base_id = row.run_id
            row.run_id = rows_root(runs_by_id[base_id])
            row.valid_from = successor[base_id].id
            if base_id in current:
                # the old row ends where the new run begins; the base run and older ones still read it
                old = current[base_id]
                old.valid_until = successor[base_id].id
                closed.append(old)
        _close_rows(closed)
        scores_write(new_rows)
        _prune_rescore_runs(job_ids=sorted({b.job_id for b in bases}))
        touched = [successor[b.id].id for b in bases]
    announced = [successor[b.id] for b in bases]
    transaction.on_commit(lambda: _announce_rescored(candidate, announced), robust=True)
    return touched


def _announce_rescored(candidate: Candidate, runs: Sequence[MatchRun]) -> None:
    """One ``candidate_rescored`` for all the new runs (the shortlist cache forgets their jobs' pages; the
    webhooks app queues one event per run, asking once whether anyone subscribed)."""
    candidate_rescored.send_robust(sender=Candidate, candidate=candidate, runs=list(runs))


def _current_rows(*, bases: Sequence[MatchRun], candidate_id: int) -> dict[int, MatchScore]:
    """{base run id: the candidate's row in that run (run_rows)}, in one query for every base."""
    if not bases:
        return {}
    rows = list(
        MatchScore.objects.filter(candidate_id=candidate_id, run_id__in={rows_root(b) for b in bases}).only(
            "id", "run_id", "score", "must_have_met", "explanation", "valid_from", "valid_until"
        )
    )
    by_root: dict[int, list[MatchScore]] = {}
    for r in rows:
        by_root.setdefault(r.run_id, []).append(r)
    out = {}
    for b in bases:
        for r in by_root.get(rows_root(b), ()):
            if (r.valid_from is None or r.valid_from <= b.id) and (r.valid_until is None or r.valid_until > b.id):
                out[b.id] = r
    return out


# Rescore runs kept per job besides full matches: older ones are deleted with the rows only they read (a
# full match is never deleted here), so a stream of uploads cannot grow the score table without bound.
RESCORE_RUNS_KEPT = 3


def _run_successors(*, bases: Sequence[MatchRun], candidate_id: int, had: set[int]) -> dict[int, MatchRun]:
    """{base run id: a new finished run of kind "rescore" based on it}, made in one INSERT ... SELECT from
    the bases (their parameters, model and chunk counts copied in the database). Each reads its base's full
    run's rows (rows_from); the caller writes the candidate's new row as of it and closes the old one.
    ``had``: the bases that held a row for the candidate (a candidate new to a run grows its pool)."""
    if not bases:
        return {}
    table = MatchRun._meta.db_table
    now = timezone.now()
    stamp = connection.ops.adapt_datetimefield_value(now)  # as the ORM stores it (SQLite keeps text)
    ids = [b.id for b in bases]
    held = [i for i in ids if i in had] or [0]
    marks, held_marks = ", ".join(["%s"] * len(ids)), ", ".join(["%s"] * len(held))
    copied = "organization_id, job_id, parameters, model_name, model_version, chunks_total, chunks_done"
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {table} (status, kind, progress, error, rescored_candidates, created_at, started_at, "  # noqa: S608
            f"finished_at, heartbeat_at, based_on_id, rows_from_id, pool_size, {copied}) "
            f"SELECT %s, %s, 1.0, '', %s, %s, %s, %s, %s, id, COALESCE(rows_from_id, id), "
            f"pool_size + CASE WHEN id IN ({held_marks}) THEN 0 ELSE 1 END, {copied} "
            f"FROM {table} WHERE id IN ({marks}) ORDER BY id",
            [
                RunStatus.SUCCEEDED,
                RunKind.RESCORE,
                json.dumps([candidate_id]),
                *[stamp] * 4,
                *held,
                *ids,
            ],
        )
    # what the announcements read (job, rows, pool size); the rest of a run is loaded only if asked for
    made = MatchRun.objects.filter(based_on_id__in=ids, kind=RunKind.RESCORE, created_at=now).only(
        "id", "organization_id", "job_id", "based_on_id", "rows_from_id", "pool_size", "status", "kind"
    )
    return {m.based_on_id: m for m in made}


def _prune_rescore_runs(*, job_ids: Sequence[int]) -> int:
    """Delete each job's rescore runs beyond its newest RESCORE_RUNS_KEPT, and the rows no remaining run
    reads (a row a pruned rescore wrote and a later one closed). A run another kept run reads its rows from
    is kept until that one goes. A page pinned to a deleted run (``?run=``) says so and shows the latest.
    Returns how many runs were deleted."""
    keep = int(getattr(settings, "TSUMIKI_RESCORE_RUNS_KEPT", RESCORE_RUNS_KEPT))
    by_job: dict[int, list[tuple[int, int | None]]] = {}
    for job_id, run_id, rows_from in (
        MatchRun.objects.filter(job_id__in=list(job_ids), kind=RunKind.RESCORE)
        .order_by("job_id", "-created_at", "-id")
        .values_list("job_id", "id", "rows_from_id")
    ):
        by_job.setdefault(job_id, []).append((run_id, rows_from))
    old: list[int] = []
    roots: set[int] = set()
    for rescores in by_job.values():
        kept = rescores[:keep]
        needed = {rows_from for _, rows_from in kept if rows_from}
        for run_id, rows_from in rescores[keep:]:
            if run_id not in needed:
                old.append(run_id)
                roots.add(rows_from or run_id)
    if not old:
        return 0
    MatchScore.objects.filter(run_id__in=old).delete()
    MatchRun.objects.filter(id__in=old).delete()
    # rows written as changes that no remaining version of their full run reads any more
    versions: dict[int, list[int]] = {}
    for run_id, rows_from in MatchRun.objects.filter(Q(id__in=roots) | Q(rows_from_id__in=roots)).values_list(
        "id", "rows_from_id"
    ):
        versions.setdefault(rows_from or run_id, []).append(run_id)
    stale = [
        row_id
        for row_id, root, since, until in MatchScore.objects.filter(
            run_id__in=list(versions), valid_from__isnull=False
        ).values_list("id", "run_id", "valid_from", "valid_until")
        if not any(since <= v and (until is None or until > v) for v in versions.get(root, []))
    ]
    if stale:
        MatchScore.objects.filter(id__in=stale).delete()
    return len(old)


def _jobs_by_params(job_ids: list[int], stored: dict[int, dict]) -> list[list[int]]:
    """Indexes into ``job_ids`` grouped by the runs' stored parameters apart from the as-of date, in order
    (parameters stored under older defaults read as the same MatchParams: grouped by what they mean)."""
    groups: dict[str, list[int]] = {}
    meaning: dict[str, str] = {}  # stored JSON -> the MatchParams it means, computed once per distinct set
    for k, jid in enumerate(job_ids):
        raw = json.dumps({n: v for n, v in (stored[jid] or {}).items() if n != "as_of"}, sort_keys=True, default=str)
        if raw not in meaning:
            full = MatchParams.from_stored(stored[jid] or {}).as_dict()
            meaning[raw] = json.dumps({n: v for n, v in full.items() if n != "as_of"}, sort_keys=True, default=str)
        groups.setdefault(meaning[raw], []).append(k)
    return list(groups.values())


class AssessmentError(ValueError):
    """A scorecard line that cannot be recorded, with a message for the person who entered it."""


def assessment_record(
    *,
    candidate: Candidate,
    skill: str,
    method: str,
    score: float,
    assessor: str = "",
    assessed_on: date | None = None,
    job: Job | None = None,
    user=None,
) -> Assessment:
    """Record an employer's assessment of one skill (a scorecard line) and rescore the candidate once
    it is committed: it enters ``job``'s score, or every job of the organization when ``job`` is None.
    Raises AssessmentError for a bad method, a score outside 0..1, an empty skill or another
    organization's job."""
    skill = (skill or "").strip()
    if not skill or len(skill) > 500:
        raise AssessmentError("Name the skill assessed (at most 500 characters).")
    if method not in AssessmentMethod.values:
        raise AssessmentError(f"Unknown method {method!r}; one of {', '.join(AssessmentMethod.values)}.")
    if isinstance(score, bool) or not isinstance(score, int | float) or not 0.0 <= float(score) <= 1.0:
        raise AssessmentError("The score must be a number from 0 to 1.")
    if job is not None and job.organization_id != candidate.organization_id:
        raise AssessmentError("That job belongs to another organization.")
    ids = phrases_ensure(texts=[skill])
    with transaction.atomic():
        row = Assessment.objects.create(
            candidate=candidate,
            job=job,
            phrase_id=ids[normalize_phrase(skill)],
            skill=skill,
            method=method,
            score=float(score),
            assessor=(assessor or "").strip()[:200],
            assessed_on=assessed_on,
            recorded_by=user if getattr(user, "pk", None) else None,
        )
        from . import tasks

        transaction.on_commit(lambda: tasks.candidate_rescore.delay(candidate.id), robust=True)
    return row


def assessment_delete(*, assessment: Assessment) -> None:
    """Remove a scorecard line (entered in error) and rescore the candidate once committed."""
    candidate_id = assessment.candidate_id
    with transaction.atomic():
        assessment.delete()
        from . import tasks

        transaction.on_commit(lambda: tasks.candidate_rescore.delay(candidate_id), robust=True)


def assessments_replace_imported(
    *, candidates: Sequence[Candidate], docs: Sequence[CandidateDoc], phrase_ids: dict[str, int]
) -> int:
    """Store the employer assessments of interchange documents (``docs[i]`` describes
    ``candidates[i]``), replacing the lines an earlier import brought for those candidates. A
    document names no job, so its lines count for every job of the organization. Lines a person
    recorded (in the panel or over the API, for a job or for every job) are never deleted here: the
    document did not bring them. A document line equal to one of those (same skill, method, score,
    assessor and date, for every job) is not stored a second time. Returns how many were stored."""
    cands = list(candidates)
    Assessment.objects.filter(candidate__in=cands, origin=AssessmentOrigin.IMPORT).delete()
    kept = {
        (a.candidate_id, a.skill, a.method, round(a.score, 9), a.assessor, a.assessed_on)
        for a in Assessment.objects.filter(candidate__in=cands, job__isnull=True)
    }
    rows = []
    for cand, d in zip(cands, docs, strict=True):
        for a in d.assessments:
            key = (cand.id, a.skill[:500], a.method, round(a.score, 9), a.assessor[:200], a.date)
            if key in kept:
                continue
            rows.append(
                Assessment(
                    candidate=cand,
                    phrase_id=phrase_ids[normalize_phrase(a.skill)],
                    skill=a.skill[:500],
                    method=a.method,
                    score=a.score,
                    assessor=a.assessor[:200],
                    assessed_on=a.date,
                    origin=AssessmentOrigin.IMPORT,
                )
            )
    Assessment.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


# A scorecard's score is stored 0..1; a 1-5 rating (the usual structured-interview anchor scale) maps
# linearly, 1 -> 0 and 5 -> 1, so that "3 of 5" is half-shown, as on the anchors.
ASSESSMENT_SCALES = ("0-1", "1-5")


def assessment_score_from_scale(value, scale: str = "0-1") -> float:
    """The 0..1 score of a result given on ``scale`` (one of ASSESSMENT_SCALES). Raises AssessmentError
    for an unknown scale or a value that is not a finite number within the scale."""
    if scale not in ASSESSMENT_SCALES:
        raise AssessmentError(f"Unknown scale {scale!r}; one of {', '.join(ASSESSMENT_SCALES)}.")
    lo, hi = (0.0, 1.0) if scale == "0-1" else (1.0, 5.0)
    if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= float(value) <= hi:
        raise AssessmentError(
            "The score must be a number from 0 to 1." if scale == "0-1" else "The rating must be a number from 1 to 5."
        )
    return (float(value) - lo) / (hi - lo)


@transaction.atomic
def assessment_record_once(
    *,
    candidate: Candidate,
    skill: str,
    method: str,
    score: float,
    assessor: str = "",
    assessed_on: date | None = None,
    job: Job | None = None,
    actor=None,
) -> tuple[Assessment, bool]:
    """A scorecard line sent from the candidate panel's form or the API: :func:`assessment_record` and
    its audit event in one transaction (a recorded line is never without its event), except that a line
    equal to one already stored (same candidate, job, skill, method, score, assessor and date: a form
    sent twice, a client retrying without an Idempotency-Key) is returned as it is rather than stored or
    audited twice. ``actor``: the signed-in user or the API key's principal (audited as such; a user is
    the line's recorder). Returns (line, created); raises AssessmentError."""
    from apps.accounts.audit import ASSESSMENT_RECORDED, audit_record

    same = Assessment.objects.filter(
        candidate=candidate,
        job=job,
        skill=(skill or "").strip(),
        method=method,
        assessor=(assessor or "").strip()[:200],
        assessed_on=assessed_on,
    )
    if isinstance(score, int | float) and not isinstance(score, bool):
        for row in same:
            if abs(row.score - float(score)) < 1e-9:
                return row, False
    row = assessment_record(
        candidate=candidate,
        skill=skill,
        method=method,
        score=score,
        assessor=assessor,
        assessed_on=assessed_on,
        job=job,
        user=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        organization=candidate.organization,
        actor=actor,
        action=ASSESSMENT_RECORDED,
        obj=row,
        details={"job_id": job.pk if job else None, "candidate_id": candidate.pk, "method": row.method},
    )
    return row, True
