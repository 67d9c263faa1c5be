"""Reads for matching: a pool's evidence in bulk, runs, shortlists."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cache
from typing import NamedTuple

import numpy as np
from django.db import connection
from django.db.models import F, OrderBy, Q, QuerySet

from apps.candidates.models import Candidate, CandidateSkill
from apps.credentials.models import Credential, CredentialKind, CredentialSkill, VerificationStatus
from apps.jobs.models import Job
from apps.skills.selectors import taxonomy_key
from config.sqlrows import RowReader

from .engine import (
    ASSESSMENT_CODE,
    ASSESSMENT_TYPES,
    DEGREE_OUTCOME,
    NO_DATE,
    SOURCE_CODE,
    SOURCES,
    CandidateSpec,
    EvidenceSpec,
    Pool,
    RequiredSpec,
    day_number,
    from_day_number,
)
from .models import MatchRun, MatchScore, RevealLog, RunStatus

_SOURCE = {
    VerificationStatus.VERIFIED: "verified",
    VerificationStatus.INTACT: "intact",
    VerificationStatus.UNVERIFIED: "unverified",
    VerificationStatus.EXPIRED: "verified",  # freshness 0: counted as nothing, but explained
    VerificationStatus.REVOKED: "verified",
}


def job_required_specs(*, job: Job) -> list[RequiredSpec]:
    return [
        RequiredSpec(
            name=r.name,
            phrase_id=r.phrase_id,
            weight=r.weight,
            must_have=r.must_have,
            min_level=r.min_level,
            concept=r.skill_id,
        )
        for r in job.required_skills.all()
    ]


def pool_specs(
    *, organization_id: int, candidate_ids: list[int] | None = None
) -> tuple[list[CandidateSpec], dict[int, str]]:
    """Every consenting candidate's evidence as engine specs: the evidence :func:`pool_arrays` reads for
    match runs, item for item, so a seeker's page and a run score alike. Returns (specs ordered by
    candidate id, {phrase id: text})."""
    pool = pool_arrays(organization_id=organization_id, candidate_ids=candidate_ids)
    items = np.arange(len(pool.phrase))
    described = pool.describe(items) if len(items) else []
    texts: dict[int, str] = {}
    specs = []
    for c, key in enumerate(pool.keys):
        evidence = []
        for i in range(int(pool.offsets[c]), int(pool.offsets[c + 1])):
            d = described[i]
            pid = int(pool.phrase[i])
            texts[pid] = d["text"]
            evidence.append(
                EvidenceSpec(
                    text=d["text"],
                    phrase_id=pid,
                    source=SOURCES[int(pool.source[i])],
                    credential=d["credential"],
                    credential_id=d["credential_id"],
                    issuer=d["issuer"],
                    issued=from_day_number(int(pool.issued[i])),
                    expires=from_day_number(int(pool.expires[i])),
                    revoked=bool(pool.revoked[i]),
                    level=None if np.isnan(pool.level[i]) else int(pool.level[i]),
                    concept=None if pool.concept[i] < 0 else int(pool.concept[i]),
                    hours=_opt(pool.hours[i]),
                    ects=_opt(pool.ects[i]),
                    days=_opt(pool.days[i]),
                    quality_assured=None if pool.quality_assured[i] < 0 else bool(pool.quality_assured[i]),
                    assessment=ASSESSMENT_TYPES[pool.assessment[i]] if pool.assessment[i] >= 0 else "",
                    endorsements=int(pool.endorsements[i]),
                    score=_opt(pool.score[i]),
                    job=None if pool.job[i] < 0 else int(pool.job[i]),
                )
            )
        specs.append(CandidateSpec(key=key, evidence=evidence))
    return specs, texts


def _opt(v: float) -> float | None:
    return None if np.isnan(v) else float(v)


def latest_run(*, job: Job, finished: bool = False) -> MatchRun | None:
    runs = job.match_runs.all()
    if finished:
        runs = runs.filter(status=RunStatus.SUCCEEDED)
    return runs.order_by("-created_at", "-id").first()


# ---- the shortlist's reads on every request (page and API) -------------------------------------------
# A served-from-cache shortlist does little besides these reads, so they are plain SQL: compiling an ORM
# query costs several times what PostgreSQL needs to answer it (docs/benchmarks.md, "Load": measured
# again against select_related and values_list reads, which cost a cached page about a third more web
# CPU for the job and run, a quarter more for the reveals). Table names come from model metadata and
# every value is a bound parameter, hence the S608 noqa.


@cache
def _job_run_readers() -> tuple[RowReader, RowReader]:
    return RowReader(Job), RowReader(MatchRun)


@cache
def _job_run_sql() -> str:
    jobs, runs = _job_run_readers()
    run_table = MatchRun._meta.db_table
    # one row: the job with its newest finished run (latest_run's order), or with NULLs when it has none
    return (
        f"SELECT {jobs.columns('j')}, {runs.columns('r')} FROM {Job._meta.db_table} j "  # noqa: S608 - model metadata
        f"LEFT JOIN {run_table} r ON r.job_id = j.id AND r.status = %s "
        "WHERE j.id = %s AND j.organization_id = %s ORDER BY r.created_at DESC, r.id DESC LIMIT 1"
    )


def job_latest_finished_run(*, organization_id: int, job_id: int) -> tuple[Job | None, MatchRun | None]:
    """The organization's job ``job_id`` (None when it is not theirs) and its latest finished run (None
    when it has none): the same rows as ``job_get`` and ``latest_run(job=..., finished=True)``, in one
    statement (the shortlist page and API read them on every request)."""
    if not -(2**63) <= job_id < 2**63:  # not an id (the ORM makes such a lookup match nothing, too)
        return None, None
    with connection.cursor() as cur:
        cur.execute(_job_run_sql(), [RunStatus.SUCCEEDED, job_id, organization_id])
        row = cur.fetchone()
    if row is None:
        return None, None
    jobs, runs = _job_run_readers()
    job = jobs.build(row, 0, connection.alias)
    run = runs.build(row, len(jobs), connection.alias)
    if run is not None:
        run.job = job
    return job, run


class IssuerChoice(NamedTuple):
    id: int
    name: str


def pool_issuers_and_reveals(*, organization_id: int, job_id: int, user_id: int) -> tuple[list[IssuerChoice], set[int]]:
    """Two reads of every shortlist request, in one round trip (apps.dashboard.views.recruiter):

    - the issuers of the organization's candidates' credentials, by name: what the shortlist's issuer
      filter offers (apps.dashboard.selectors.pool_issuers, as plain rows), kept for a minute in the
      shared cache when there is one (apps.matching.shortlist_cache.ISSUER_CHOICES_SECONDS: with many
      credentials in the pool this is the most expensive read of the page);
    - the candidates whose identity this user revealed for the job (RevealLog, per recruiter), always read.
    """
    from apps.credentials.models import Issuer

    from . import shortlist_cache

    reveals = f"SELECT 1, candidate_id, '' FROM {RevealLog._meta.db_table} WHERE job_id = %s AND user_id = %s"  # noqa: S608
    cached = shortlist_cache.issuer_choices_get(organization_id)
    with connection.cursor() as cur:
        if cached is not None:
            cur.execute(reveals, [job_id, user_id])  # noqa: S608 - model metadata
            return [IssuerChoice(i, name) for i, name in cached], {i for _, i, _ in cur.fetchall()}
        cur.execute(
            "SELECT 0, id, name FROM ("  # noqa: S608 - model metadata
            f"SELECT DISTINCT i.id, i.name FROM {Issuer._meta.db_table} i "
            f"JOIN {Credential._meta.db_table} cr ON cr.issuer_id = i.id "
            f"JOIN {Candidate._meta.db_table} c ON c.id = cr.candidate_id "
            "WHERE c.organization_id = %s AND i.name <> '') issuers "
            f"UNION ALL {reveals} ORDER BY 1, 3, 2",
            [organization_id, job_id, user_id],
        )
        rows = cur.fetchall()
    choices = [(i, name) for kind, i, name in rows if kind == 0]
    shortlist_cache.issuer_choices_store(organization_id, choices)
    return [IssuerChoice(i, name) for i, name in choices], {i for kind, i, _ in rows if kind == 1}


def rows_root(run: MatchRun) -> int:
    """The run whose rows ``run`` reads: its full run for a rescore run written as changes, else itself."""
    return run.rows_from_id or run.id


def visible_at(version: int, *, prefix: str = "") -> Q:
    """Rows that belong to the version ``version`` (a run id) of the run holding them."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": version})) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gt": version})
    )


def run_rows(run: MatchRun) -> QuerySet[MatchScore]:
    """A run's scores, one per candidate: the rows of rows_root(run) that belong to version ``run.id``.
    For a full run that nobody rescored, every row of the run."""
    return MatchScore.objects.filter(run_id=rows_root(run)).filter(visible_at(run.id))


def _rows_sql(run: MatchRun) -> tuple[str, list]:
    """run_rows(run) as a WHERE clause over the score table, with its parameters."""
    return (
        "run_id = %s AND (valid_from IS NULL OR valid_from <= %s) AND (valid_until IS NULL OR valid_until > %s)",
        [rows_root(run), run.id, run.id],
    )


def run_must_first(run: MatchRun) -> bool:
    """Whether ``run`` ranks the candidates who meet every must-have first (its stored parameters)."""
    from .engine import MatchParams

    return MatchParams.from_stored(run.parameters or {}).must_have_first


def run_order(run: MatchRun, *, reverse: bool = False) -> list[OrderBy]:
    """ORDER BY of a run's ranking, best first (kernel.rank_order: with ``must_have_first``, the default,
    candidates meeting every must-have first, each group by score; else by score, then must-haves met),
    the candidate id breaking ties so the order is total and stable. ``reverse``: worst first."""
    keys = ["must_have_met", "score"] if run_must_first(run) else ["score", "must_have_met"]
    order = [F(k).asc() if reverse else F(k).desc() for k in keys]
    return [*order, F("candidate_id").desc() if reverse else F("candidate_id").asc()]


def _order_sql(run: MatchRun) -> str:
    first = run_must_first(run)
    return ("must_have_met DESC, score DESC" if first else "score DESC, must_have_met DESC") + ", candidate_id ASC"


# (must_have_met, score, candidate_id): where a row sits in its run's order
RankKey = tuple[bool, float, int]


def rank_key(score: MatchScore) -> RankKey:
    return (bool(score.must_have_met), float(score.score), int(score.candidate_id))


def after_key(run: MatchRun, key: RankKey, *, before: bool = False) -> Q:
    """Rows of ``run`` strictly after ``key`` in the run's order (``before``: strictly before it): the
    keyset condition of cursor pages, so a deep page costs what the first does."""
    met, score, cand = key
    if before:
        m, s, c = Q(must_have_met__gt=met), Q(score__gt=score), Q(candidate_id__lt=cand)
    else:
        m, s, c = Q(must_have_met__lt=met), Q(score__lt=score), Q(candidate_id__gt=cand)
    same_m, same_s = Q(must_have_met=met), Q(score=score)
    if run_must_first(run):
        return m | (same_m & s) | (same_m & same_s & c)
    return s | (same_s & m) | (same_s & same_m & c)


def ranks_of(*, run: MatchRun, candidate_ids: Sequence[int] | None, last: RankKey | None = None) -> dict[int, int]:
    """{candidate id: rank in ``run``} (1 = best) for the given candidates (None: every row of the run),
    counted from the run's order index in one query: ranks are not stored, so finishing or rescoring a run
    rewrites no other row. ``last``: the key of the worst of them when the caller knows it, so the count
    stops there."""
    ids = None if candidate_ids is None else sorted({int(i) for i in candidate_ids})
    if ids is not None and not ids:
        return {}
    table = MatchScore._meta.db_table
    rows, params = _rows_sql(run)
    where = [rows]
    if last is not None:
        # every row up to ``last`` (and a few tied after it, which change no rank before them)
        met, score, _ = last
        if run_must_first(run):
            where.append("(must_have_met > %s OR (must_have_met = %s AND score >= %s))")
            params += [met, met, score]
        else:
            where.append("score >= %s")
            params.append(score)
    sql = (
        f"SELECT candidate_id, rn FROM (SELECT candidate_id, ROW_NUMBER() OVER (ORDER BY {_order_sql(run)}) AS rn "  # noqa: S608 - model metadata
        f"FROM {table} WHERE {' AND '.join(where)}) r"
    )
    if ids is not None:
        sql += f" WHERE candidate_id IN ({', '.join(['%s'] * len(ids))})"
    with connection.cursor() as cur:
        cur.execute(sql, [*params, *(ids or [])])
        return {int(c): int(r) for c, r in cur.fetchall()}


def ranks_attach(*, run: MatchRun, scores: Sequence[MatchScore]) -> Sequence[MatchScore]:
    """Set ``rank`` on each of ``scores`` (rows of ``run``, any subset, any order) in one query."""
    if not scores:
        return scores
    keys = [rank_key(s) for s in scores]
    first = run_must_first(run)
    worst = min(keys, key=lambda k: (k[0], k[1], -k[2]) if first else (k[1], k[0], -k[2]))
    ranks = ranks_of(run=run, candidate_ids=[k[2] for k in keys], last=worst)
    for s in scores:
        s.rank = ranks.get(s.candidate_id)
    return scores


def run_scores(
    *,
    run: MatchRun,
    min_score: float | None = None,
    must_have_met: bool | None = None,
    verified_only: bool = False,
    has_skill: str | None = None,
) -> QuerySet[MatchScore]:
    """A run's scores, best first (run_order), with the candidate joined (one query, no N+1). Rows carry
    no rank until ranks_attach counts it for the rows shown."""
    qs = run_rows(run).select_related("candidate").order_by(*run_order(run))
    if min_score is not None:
        qs = qs.filter(score__gte=min_score)
    if must_have_met is not None:
        qs = qs.filter(must_have_met=must_have_met)
    if verified_only:
        qs = qs.filter(verified_share__gte=0.999)
    if has_skill:
        qs = qs.filter(covered_skills__contains=f"|{has_skill.strip().casefold()}|")
    return qs


def run_scores_count(*, run: MatchRun, scores: QuerySet[MatchScore], filters: dict) -> int:
    """How many rows ``scores`` (``run_scores(run=run, **filters)``) holds. Unfiltered, that is the run's
    stored ``pool_size`` (one score per scored candidate; erasure keeps it in step, see
    apps.candidates.rights.candidate_erase), so a shortlist page does not COUNT(*) the run's 100k scores
    on every request. Writers that add or remove a run's scores must update ``pool_size`` with them."""
    if run.status == RunStatus.SUCCEEDED and all(v is None or v is False for v in filters.values()):
        return run.pool_size
    return scores.count()


def _day_sql(column: str) -> str:
    """SQL for a date column as days since 1970-01-01 (NULL stays NULL), per database vendor."""
    if connection.vendor == "postgresql":
        return f"({column} - DATE '1970-01-01')"
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


def pool_arrays(
    *, organization_id: int, candidate_ids: Sequence[int] | None = None, id_range: tuple[int, int] | None = None
) -> Pool:
    """A pool's evidence as engine arrays, read with flat SQL queries (no ORM object per row): bulk
    reads of ids, dates, levels, volume and quality, joined in numpy. Failed credentials are left out; a
    degree contributes only the skills it lists (its learning outcomes, at the "degree" strength: its
    title, institution and level add nothing). Experience skills are dated by the role's end; employer
    assessments carry their score and the job they count for. ``id_range`` (inclusive candidate ids)
    selects one chunk of a large pool."""
    from apps.candidates.models import Experience, ExperienceSkill

    from .models import Assessment

    cand_t, cred_t = Candidate._meta.db_table, Credential._meta.db_table
    cs_t, own_t = CredentialSkill._meta.db_table, CandidateSkill._meta.db_table
    exp_t, es_t, asm_t = Experience._meta.db_table, ExperienceSkill._meta.db_table, Assessment._meta.db_table
    where, params = ["c.organization_id = %s", "c.consent_given = %s"], [organization_id, True]
    if candidate_ids is not None:
        ids = [int(i) for i in candidate_ids] or [-1]
        where.append(f"c.id IN ({', '.join(['%s'] * len(ids))})")
        params += ids
    if id_range is not None:
        where.append("c.id BETWEEN %s AND %s")
        params += list(id_range)
    cond = " AND ".join(where)
    status_code = {
        VerificationStatus.VERIFIED: SOURCE_CODE["verified"],
        VerificationStatus.EXPIRED: SOURCE_CODE["verified"],
        VerificationStatus.REVOKED: SOURCE_CODE["verified"],
        VerificationStatus.INTACT: SOURCE_CODE["intact"],
    }
    # Table names come from model metadata and every value is a bound parameter, hence the S608 noqa.
    with connection.cursor() as cur:
        cur.execute(f"SELECT c.id FROM {cand_t} c WHERE {cond} ORDER BY c.id", params)  # noqa: S608
        cand_ids = np.array([r[0] for r in cur.fetchall()], dtype=np.int64)
        cur.execute(
            f"SELECT cr.candidate_id, s.phrase_id, s.id, COALESCE(s.skill_id, -1), cr.verification_status, "  # noqa: S608
            f"{_day_sql('cr.issued_on')}, {_day_sql('cr.expires_on')}, cr.eqf_level, cr.kind, cr.hours, cr.ects, "
            "cr.quality_assured, cr.assessment, cr.endorsements "
            f"FROM {cs_t} s JOIN {cred_t} cr ON cr.id = s.credential_id JOIN {cand_t} c ON c.id = cr.candidate_id "
            f"WHERE {cond} AND cr.verification_status <> %s",
            params + [VerificationStatus.FAILED],
        )
        cred_rows = cur.fetchall()
        cur.execute(
            f"SELECT s.candidate_id, s.phrase_id, s.id, s.source FROM {own_t} s "  # noqa: S608
            f"JOIN {cand_t} c ON c.id = s.candidate_id WHERE {cond}",
            params,
        )
        own_rows = cur.fetchall()
        cur.execute(
            f"SELECT e.candidate_id, s.phrase_id, s.id, {_day_sql('e.start')}, {_day_sql('e.end')} "  # noqa: S608
            f"FROM {es_t} s JOIN {exp_t} e ON e.id = s.experience_id JOIN {cand_t} c ON c.id = e.candidate_id "
            f"WHERE {cond}",
            params,
        )
        exp_rows = cur.fetchall()
        cur.execute(
            f"SELECT a.candidate_id, a.phrase_id, a.id, {_day_sql('a.assessed_on')}, a.score, "  # noqa: S608
            f"COALESCE(a.job_id, -1) FROM {asm_t} a JOIN {cand_t} c ON c.id = a.candidate_id WHERE {cond}",
            params,
        )
        asm_rows = cur.fetchall()
    n1, n2, n3, n4 = len(cred_rows), len(own_rows), len(exp_rows), len(asm_rows)
    t = n1 + n2 + n3 + n4
    cand = np.empty(t, dtype=np.int64)
    phrase = np.empty(t, dtype=np.int64)
    ref = np.empty(t, dtype=np.int64)
    kind = np.repeat(np.arange(4, dtype=np.int8), [n1, n2, n3, n4])  # which table: see describe()
    concept = np.full(t, -1, dtype=np.int64)
    source = np.empty(t, dtype=np.int8)
    issued = np.full(t, NO_DATE, dtype=np.int32)
    expires = np.full(t, NO_DATE, dtype=np.int32)
    level = np.full(t, np.nan, dtype=np.float32)
    revoked = np.zeros(t, dtype=bool)
    hours = np.full(t, np.nan, dtype=np.float32)
    ects = np.full(t, np.nan, dtype=np.float32)
    days = np.full(t, np.nan, dtype=np.float32)
    qa = np.full(t, -1, dtype=np.int8)
    assessment = np.full(t, -1, dtype=np.int8)
    endorsements = np.zeros(t, dtype=np.int16)
    score = np.full(t, np.nan, dtype=np.float32)
    job = np.full(t, -1, dtype=np.int64)
    if n1:
        cols = list(zip(*cred_rows, strict=True))
        cand[:n1], phrase[:n1], ref[:n1], concept[:n1] = cols[0], cols[1], cols[2], cols[3]
        degree = np.array([k == CredentialKind.DEGREE for k in cols[8]], dtype=bool)
        source[:n1] = [status_code.get(s, SOURCE_CODE["unverified"]) for s in cols[4]]
        source[:n1][degree] = SOURCE_CODE["degree"]
        revoked[:n1] = [s == VerificationStatus.REVOKED for s in cols[4]]
        issued[:n1] = [NO_DATE if d is None else d for d in cols[5]]
        expires[:n1] = [NO_DATE if d is None else d for d in cols[6]]
        level[:n1] = [np.nan if v is None else v for v in cols[7]]
        hours[:n1] = [np.nan if v is None else float(v) for v in cols[9]]
        ects[:n1] = [np.nan if v is None else float(v) for v in cols[10]]
        qa[:n1] = [-1 if v is None else int(bool(v)) for v in cols[11]]
        assessment[:n1] = [ASSESSMENT_CODE.get(v or "", -1) for v in cols[12]]
        endorsements[:n1] = [min(int(v or 0), 10_000) for v in cols[13]]
        # a degree's level, volume and quality add nothing: only what it teaches counts
        deg = np.flatnonzero(degree)
        level[deg], hours[deg], ects[deg], qa[deg], assessment[deg], endorsements[deg] = (
            np.nan,
            np.nan,
            np.nan,
            -1,
            -1,
            0,
        )
    o = n1
    if n2:
        cols = list(zip(*own_rows, strict=True))
        cand[o : o + n2], phrase[o : o + n2], ref[o : o + n2] = cols[0], cols[1], cols[2]
        source[o : o + n2] = [SOURCE_CODE["experience"] if s == "experience" else SOURCE_CODE["self"] for s in cols[3]]
    o += n2
    if n3:
        cols = list(zip(*exp_rows, strict=True))
        cand[o : o + n3], phrase[o : o + n3], ref[o : o + n3] = cols[0], cols[1], cols[2]
        source[o : o + n3] = SOURCE_CODE["experience"]
        # dated by its end; an ongoing role (no end) is current, and lasts until today
        today = day_number(date.today())
        ends = np.array([today if d is None else d for d in cols[4]], dtype=np.int64)
        issued[o : o + n3] = [NO_DATE if d is None else d for d in cols[4]]
        days[o : o + n3] = [np.nan if s is None else max(0, e - s) for s, e in zip(cols[3], ends.tolist(), strict=True)]
    o += n3
    if n4:
        cols = list(zip(*asm_rows, strict=True))
        cand[o:], phrase[o:], ref[o:] = cols[0], cols[1], cols[2]
        source[o:] = SOURCE_CODE["assessment"]
        issued[o:] = [NO_DATE if d is None else d for d in cols[3]]
        score[o:] = cols[4]
        job[o:] = cols[5]
    order = np.lexsort((ref, kind, cand))
    cand = cand[order]
    offsets = np.searchsorted(cand, cand_ids, side="left")
    offsets = np.append(offsets, len(cand)).astype(np.int64)
    refs, kinds = ref[order], kind[order]

    def describe(items: np.ndarray) -> list[dict]:
        wanted = list(zip(kinds[items].tolist(), refs[items].tolist(), strict=True))
        by_kind = {k: [r for kk, r in wanted if kk == k] for k in range(4)}
        cred = {
            row[0]: row
            for row in CredentialSkill.objects.filter(id__in=by_kind[0]).values_list(
                "id",
                "text",
                "credential_id",
                "credential__title",
                "credential__issuer__name",
                "credential__issued_on",
                "credential__kind",
            )
        }
        own = {
            row[0]: row
            for row in CandidateSkill.objects.filter(id__in=by_kind[1]).values_list("id", "text", "source", "context")
        }
        roles = {
            row[0]: row
            for row in ExperienceSkill.objects.filter(id__in=by_kind[2]).values_list(
                "id", "text", "experience__title", "experience__end"
            )
        }
        scorecards = {
            row[0]: row
            for row in Assessment.objects.filter(id__in=by_kind[3]).values_list(
                "id", "skill", "method", "assessor", "assessed_on"
            )
        }
        out = []
        for k, r in wanted:
            if k == 0:
                _, text, cred_id, title, issuer, issued_on, cred_kind = cred[r]
                if cred_kind == CredentialKind.DEGREE:
                    # degree-blind: the explanation never names the degree or its institution
                    out.append(_described(text, DEGREE_OUTCOME))
                    continue
                out.append(_described(text, title, cred_id, issuer or "", issued_on))
            elif k == 1:
                _, text, src, context = own[r]
                out.append(_described(text, context or ("experience" if src == "experience" else "self-declared")))
            elif k == 2:
                _, text, title, end = roles[r]
                out.append(_described(text, title, issued=end))
            else:
                _, text, method, assessor, on = scorecards[r]
                out.append(_described(text, f"{method}: {assessor}" if assessor else method, issued=on))
        return out

    return Pool(
        keys=[str(i) for i in cand_ids.tolist()],
        offsets=offsets,
        phrase=phrase[order],
        source=source[order],
        issued=issued[order],
        expires=expires[order],
        revoked=revoked[order],
        level=level[order],
        concept=concept[order],
        describe=describe,
        hours=hours[order],
        ects=ects[order],
        days=days[order],
        quality_assured=qa[order],
        assessment=assessment[order],
        endorsements=endorsements[order],
        score=score[order],
        job=job[order],
    )


def _described(text: str, credential: str, credential_id=None, issuer: str = "", issued=None) -> dict:
    return {
        "text": text,
        "credential": credential,
        "credential_id": credential_id,
        "issuer": issuer,
        "issued": issued.isoformat() if issued else None,
    }


def match_run_details(run) -> dict:
    """What an auditor needs to reproduce a run: model, every scoring parameter, the taxonomy version
    (taxonomy_key: label count and last label id of the imported taxonomy)."""
    return {
        "run_id": run.pk,
        "job_id": run.job_id,
        "model_name": run.model_name,
        "model_version": run.model_version,
        "parameters": run.parameters,
        "taxonomy_version": run.parameters.get("taxonomy_version") or taxonomy_key(),
    }


def candidate_assessments(*, candidate: Candidate, job: Job | None = None) -> QuerySet:
    """A candidate's employer assessments (scorecard lines) that count for ``job``: those recorded for it
    and those for every job of the organization; every line when ``job`` is None. Newest first."""
    from django.db.models import Q

    from .models import Assessment

    rows = Assessment.objects.filter(candidate=candidate).select_related("job", "recorded_by")
    if job is not None:
        rows = rows.filter(Q(job=job) | Q(job__isnull=True))
    return rows.order_by("-assessed_on", "-id")
