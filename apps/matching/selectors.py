"""Reads for matching: a pool's evidence in bulk, runs, shortlists."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cache
from typing import NamedTuple

import numpy as np
from django.db import connection
from django.db.models import QuerySet

from apps.candidates.models import Candidate, CandidateSkill
from apps.credentials.models import Credential, CredentialKind, CredentialSkill, VerificationStatus
from apps.jobs.models import Job
from apps.skills.selectors import taxonomy_key
from config.sqlrows import RowReader

from .engine import NO_DATE, SOURCE_CODE, CandidateSpec, EvidenceSpec, Pool, RequiredSpec
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
    """Every consenting candidate's evidence as engine specs, read with two flat queries (no ORM
    objects per row). Degrees are left out: they add nothing to a score. Credentials that failed
    verification are left out too. Returns (specs ordered by candidate id, {phrase id: text})."""
    cands = Candidate.objects.filter(organization_id=organization_id, consent_given=True)
    if candidate_ids is not None:
        cands = cands.filter(id__in=candidate_ids)
    ids = list(cands.order_by("id").values_list("id", flat=True))
    evidence: dict[int, list[EvidenceSpec]] = defaultdict(list)
    texts: dict[int, str] = {}
    cred_rows = (
        CredentialSkill.objects.filter(credential__candidate__in=cands)
        .exclude(credential__kind=CredentialKind.DEGREE)
        .exclude(credential__verification_status=VerificationStatus.FAILED)
        .values_list(
            "credential__candidate_id",
            "phrase_id",
            "text",
            "credential_id",
            "credential__title",
            "credential__issuer__name",
            "credential__issued_on",
            "credential__expires_on",
            "credential__verification_status",
            "credential__eqf_level",
            "skill_id",
        )
        .order_by("credential__candidate_id", "credential_id", "id")
    )
    for cid, pid, text, cred_id, title, issuer, issued, expires, status, level, skill_id in cred_rows.iterator(2000):
        texts[pid] = text
        evidence[cid].append(
            EvidenceSpec(
                text=text,
                phrase_id=pid,
                source=_SOURCE.get(status, "unverified"),
                credential=title,
                credential_id=cred_id,
                issuer=issuer or "",
                issued=issued,
                expires=expires,
                revoked=status == VerificationStatus.REVOKED,
                level=level,
                concept=skill_id,
            )
        )
    own = (
        CandidateSkill.objects.filter(candidate__in=cands)
        .values_list("candidate_id", "phrase_id", "text", "source", "context")
        .order_by("candidate_id", "id")
    )
    for cid, pid, text, source, context in own.iterator(2000):
        texts[pid] = text
        label = context or ("experience" if source == "experience" else "self-declared")
        evidence[cid].append(EvidenceSpec(text=text, phrase_id=pid, source=source, credential=label))
    return [CandidateSpec(key=str(cid), evidence=evidence.get(cid, [])) for cid in ids], texts


def latest_run(*, job: Job, finished: bool = False) -> MatchRun | None:
    runs = job.match_runs.all()
    if finished:
        runs = runs.filter(status=RunStatus.SUCCEEDED)
    return runs.order_by("-created_at", "-id").first()


# ---- the shortlist's reads on every request (page and API) -------------------------------------------
# A served-from-cache shortlist does little besides these reads, so they are plain SQL: compiling an ORM
# query costs several times what PostgreSQL needs to answer it (docs/benchmarks.md, "Load"). Table names
# come from model metadata and every value is a bound parameter, hence the S608 noqa.


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


def run_scores(
    *,
    run: MatchRun,
    min_score: float | None = None,
    must_have_met: bool | None = None,
    verified_only: bool = False,
    has_skill: str | None = None,
) -> QuerySet[MatchScore]:
    """A run's scores, best first, with the candidate joined (one query, no N+1)."""
    qs = run.scores.select_related("candidate").order_by("rank")
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
    """A pool's evidence as engine arrays, read with two flat SQL queries (no ORM object per row):
    bulk reads of ids, dates and levels, joined in numpy. Degrees and failed credentials are left out.
    ``id_range`` (inclusive candidate ids) selects one chunk of a large pool."""
    cand_t, cred_t = Candidate._meta.db_table, Credential._meta.db_table
    cs_t, own_t = CredentialSkill._meta.db_table, CandidateSkill._meta.db_table
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
            f"{_day_sql('cr.issued_on')}, {_day_sql('cr.expires_on')}, cr.eqf_level "
            f"FROM {cs_t} s JOIN {cred_t} cr ON cr.id = s.credential_id JOIN {cand_t} c ON c.id = cr.candidate_id "
            f"WHERE {cond} AND cr.kind <> %s AND cr.verification_status <> %s",
            params + [CredentialKind.DEGREE, VerificationStatus.FAILED],
        )
        cred_rows = cur.fetchall()
        cur.execute(
            f"SELECT s.candidate_id, s.phrase_id, s.id, s.source FROM {own_t} s "  # noqa: S608
            f"JOIN {cand_t} c ON c.id = s.candidate_id WHERE {cond}",
            params,
        )
        own_rows = cur.fetchall()
    n1, n2 = len(cred_rows), len(own_rows)
    cand = np.empty(n1 + n2, dtype=np.int64)
    phrase = np.empty(n1 + n2, dtype=np.int64)
    ref = np.empty(n1 + n2, dtype=np.int64)
    concept = np.full(n1 + n2, -1, dtype=np.int64)
    source = np.empty(n1 + n2, dtype=np.int8)
    issued = np.full(n1 + n2, NO_DATE, dtype=np.int32)
    expires = np.full(n1 + n2, NO_DATE, dtype=np.int32)
    level = np.full(n1 + n2, np.nan, dtype=np.float32)
    revoked = np.zeros(n1 + n2, dtype=bool)
    if n1:
        cols = list(zip(*cred_rows, strict=True))
        cand[:n1], phrase[:n1], ref[:n1], concept[:n1] = cols[0], cols[1], cols[2], cols[3]
        source[:n1] = [status_code.get(s, SOURCE_CODE["unverified"]) for s in cols[4]]
        revoked[:n1] = [s == VerificationStatus.REVOKED for s in cols[4]]
        issued[:n1] = [NO_DATE if d is None else d for d in cols[5]]
        expires[:n1] = [NO_DATE if d is None else d for d in cols[6]]
        level[:n1] = [np.nan if v is None else v for v in cols[7]]
    if n2:
        cols = list(zip(*own_rows, strict=True))
        cand[n1:], phrase[n1:], ref[n1:] = cols[0], cols[1], cols[2]
        source[n1:] = [SOURCE_CODE["experience"] if s == "experience" else SOURCE_CODE["self"] for s in cols[3]]
        ref[n1:] = -ref[n1:]  # negative refs: declared skills, positive: credential skills
    order = np.lexsort((np.abs(ref), ref < 0, cand))
    cand = cand[order]
    offsets = np.searchsorted(cand, cand_ids, side="left")
    offsets = np.append(offsets, len(cand)).astype(np.int64)
    refs = ref[order]

    def describe(items: np.ndarray) -> list[dict]:
        wanted = refs[items]
        cred = {
            row[0]: row
            for row in CredentialSkill.objects.filter(id__in=[int(r) for r in wanted if r > 0]).values_list(
                "id", "text", "credential_id", "credential__title", "credential__issuer__name", "credential__issued_on"
            )
        }
        own = {
            row[0]: row
            for row in CandidateSkill.objects.filter(id__in=[int(-r) for r in wanted if r < 0]).values_list(
                "id", "text", "source", "context"
            )
        }
        out = []
        for r in wanted.tolist():
            if r > 0:
                _, text, cred_id, title, issuer, issued_on = cred[r]
                out.append(
                    {
                        "text": text,
                        "credential": title,
                        "credential_id": cred_id,
                        "issuer": issuer or "",
                        "issued": issued_on.isoformat() if issued_on else None,
                    }
                )
            else:
                _, text, src, context = own[-r]
                out.append(
                    {
                        "text": text,
                        "credential": context or ("experience" if src == "experience" else "self-declared"),
                        "credential_id": None,
                        "issuer": "",
                        "issued": None,
                    }
                )
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
    )


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
