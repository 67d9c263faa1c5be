"""Incremental rescoring: one candidate against many jobs in one array pass (no Django).

When a credential arrives, the candidate's few evidence phrases meet every open job's required
phrases in a single (all required skills × evidence) product; a max per required skill and a weighted
sum per job follow. The numbers are those of the full engine for a pool of one candidate (a test holds
the two to the same result).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import kernel
from .engine import MatchParams, credit_similarity


@dataclass(frozen=True)
class JobScore:
    job: int  # index of the job in the caller's order
    score: float
    must_have_met: bool
    coverage: np.ndarray  # (skills of the job,)
    best: np.ndarray  # (skills of the job,) evidence index or -1
    similarity: np.ndarray  # (skills of the job,) similarity of the best evidence
    verified: np.ndarray  # (skills of the job,) coverage from verified evidence alone
    match: np.ndarray  # (skills of the job,) the match factor (calibrated similarity) of the best evidence


def rescore_candidate_arrays(
    *,
    req_vecs: np.ndarray,
    job_offsets: np.ndarray,
    weights: np.ndarray,
    ev_vecs: np.ndarray,
    ev_factor: np.ndarray,
    params: MatchParams,
    req_concepts: np.ndarray | None = None,
    ev_concepts: np.ndarray | None = None,
    related: set[tuple[int, int]] | None = None,
    must_have: np.ndarray | None = None,
    min_level: np.ndarray | None = None,
    ev_level: np.ndarray | None = None,
    ev_verified: np.ndarray | None = None,
) -> list[JobScore]:
    """Scores of one candidate (evidence rows of ``ev_vecs``) for every job; job j owns required rows
    ``job_offsets[j]:job_offsets[j+1]``. ``ev_factor`` is (e,) or, when evidence counts differently per
    job (an employer assessment recorded for one job), (required rows, e)."""
    r, e = len(req_vecs), len(ev_vecs)
    rc = np.full(r, -1, dtype=np.int64) if req_concepts is None else req_concepts
    ec = np.full(e, -1, dtype=np.int64) if ev_concepts is None else ev_concepts
    sim, credit_sim = credit_similarity(req_vecs, ev_vecs, rc, ec, related or set(), params)
    credit = credit_sim
    credit = credit * (ev_factor if ev_factor.ndim == 2 else ev_factor[None, :])
    if min_level is not None and ev_level is not None:
        fit = kernel.level_fit(min_level, ev_level, params.unknown_level_fit, params.below_level_fit, params.level_step)
        if fit is not None:
            credit = credit * fit
    if e:
        best = np.argmax(credit, axis=1)
        cov = credit[np.arange(r), best]
        best = np.where(cov > 0, best, -1)
        vmask = np.zeros(e, dtype=bool) if ev_verified is None else ev_verified
        vcredit = np.where(vmask[None, :], credit, 0.0)
        vcov = vcredit.max(axis=1)
        if params.corroboration > 0:
            # the engine's combination of several pieces (kernel.corroborate), over this one candidate
            floor = params.corroboration_min
            logs = kernel._log_terms(credit, floor).sum(axis=1)
            cov = kernel.corroborate(cov, kernel._rest_log(logs, cov, floor), params.corroboration, 0.0)
            vlogs = kernel._log_terms(vcredit, floor).sum(axis=1)
            vcov = kernel.corroborate(vcov, kernel._rest_log(vlogs, vcov, floor), params.corroboration, 0.0)
    else:
        best, cov, vcov = np.full(r, -1), np.zeros(r, dtype=np.float32), np.zeros(r, dtype=np.float32)
    starts = job_offsets[:-1]
    wsum = np.add.reduceat(weights, starts)
    scores = 100.0 * np.add.reduceat(weights * cov, starts) / np.where(wsum > 0, wsum, 1.0)
    must = np.zeros(r, dtype=bool) if must_have is None else must_have
    failing = must & (cov < params.must_have_threshold)
    met = np.add.reduceat(failing.astype(np.int64), starts) == 0
    sim_best = np.where(best >= 0, sim[np.arange(r), np.maximum(best, 0)], 0.0) if e else np.zeros(r)
    match_best = np.where(best >= 0, credit_sim[np.arange(r), np.maximum(best, 0)], 0.0) if e else np.zeros(r)
    return [
        JobScore(
            job=j,
            score=float(scores[j]),
            must_have_met=bool(met[j]),
            coverage=cov[job_offsets[j] : job_offsets[j + 1]],
            best=best[job_offsets[j] : job_offsets[j + 1]],
            similarity=sim_best[job_offsets[j] : job_offsets[j + 1]],
            match=match_best[job_offsets[j] : job_offsets[j + 1]],
            verified=vcov[job_offsets[j] : job_offsets[j + 1]],
        )
        for j in range(len(starts))
    ]
