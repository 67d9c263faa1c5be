"""The scoring kernel: plain numpy, no Django (DESIGN.md "The matching model").

Inputs are arrays over a job's m required skills, a pool's p distinct evidence phrases and its n
candidates, whose evidence lies in one flat array cut into segments by ``offsets``:

- ``credit_sim`` (m, p): calibrated similarity of each required skill to each evidence phrase,
  concept identity and hierarchy already applied (apps.matching.engine builds it);
- ``ev_phrase`` (T,): index into p of each evidence item; ``ev_factor`` (T,): strength × freshness;
  ``ev_level`` (T,): EQF level of the evidence or NaN;
- ``offsets`` (n+1,): candidate c owns evidence items offsets[c]:offsets[c+1].

credit(r, e) = credit_sim × ev_factor × level_fit; coverage(r) = max over the candidate's evidence;
score = 100 × Σ w·coverage / Σ w. The argmax is kept so every score can be explained.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class KernelResult:
    scores: np.ndarray  # (n,) float64 in [0, 100]
    coverage: np.ndarray  # (n, m) float32
    best: np.ndarray  # (n, m) int64: index into T of the evidence giving coverage, -1 if none
    must_have_met: np.ndarray  # (n,) bool


def calibrate(sim: np.ndarray, floor: float, ceiling: float) -> np.ndarray:
    """Map cosine similarity to credit in [0, 1]: 0 at or below ``floor``, 1 at or above ``ceiling``."""
    return np.clip((sim - floor) / (ceiling - floor), 0.0, 1.0).astype(np.float32, copy=False)


def level_fit(
    min_level: np.ndarray, ev_level: np.ndarray, unknown_fit: float, below_fit: float
) -> np.ndarray | None:
    """(m, T) factor for minimum levels, or None when no required skill sets one."""
    if not np.any(~np.isnan(min_level)):
        return None
    fit = np.ones((min_level.shape[0], ev_level.shape[0]), dtype=np.float32)
    need = ~np.isnan(min_level)
    unknown = np.isnan(ev_level)
    with np.errstate(invalid="ignore"):
        below = ev_level[None, :] < min_level[:, None]
    fit[need[:, None] & unknown[None, :]] = unknown_fit
    fit[need[:, None] & below & ~unknown[None, :]] = below_fit
    return fit


def score_pool(
    *,
    credit_sim: np.ndarray,
    ev_phrase: np.ndarray,
    ev_factor: np.ndarray,
    ev_level: np.ndarray,
    offsets: np.ndarray,
    weights: np.ndarray,
    must_have: np.ndarray,
    min_level: np.ndarray,
    must_have_threshold: float = 0.5,
    unknown_level_fit: float = 0.8,
    below_level_fit: float = 0.5,
    chunk: int = 50_000,
) -> KernelResult:
    """Score every candidate; works through the pool ``chunk`` candidates at a time to bound memory."""
    m = credit_sim.shape[0]
    n = offsets.shape[0] - 1
    coverage = np.zeros((n, m), dtype=np.float32)
    best = np.full((n, m), -1, dtype=np.int64)
    for c0 in range(0, n, chunk):
        c1 = min(n, c0 + chunk)
        t0, t1 = int(offsets[c0]), int(offsets[c1])
        if t1 == t0:
            continue
        credit = credit_sim[:, ev_phrase[t0:t1]] * ev_factor[None, t0:t1]
        fit = level_fit(min_level, ev_level[t0:t1], unknown_level_fit, below_level_fit)
        if fit is not None:
            credit *= fit
        starts = offsets[c0:c1] - t0
        counts = np.diff(offsets[c0 : c1 + 1])
        nonempty = counts > 0
        # reduceat needs valid start indices; empty segments are masked out below.
        safe = np.minimum(starts, t1 - t0 - 1)
        seg_max = np.maximum.reduceat(credit, safe, axis=1)  # (m, chunk)
        seg_max[:, ~nonempty] = 0.0
        # first evidence index reaching the maximum, for explanations
        hit = credit >= np.repeat(seg_max, counts, axis=1)
        pos = np.where(hit, np.arange(t1 - t0)[None, :], t1 - t0)
        seg_best = np.minimum.reduceat(pos, safe, axis=1)
        seg_best = np.where((seg_max > 0) & nonempty[None, :], seg_best + t0, -1)
        coverage[c0:c1] = seg_max.T
        best[c0:c1] = seg_best.T
    total = float(weights.sum())
    scores = 100.0 * (coverage.astype(np.float64) @ weights.astype(np.float64)) / total if total > 0 else np.zeros(n)
    if np.any(must_have):
        met = np.all(coverage[:, must_have] >= must_have_threshold, axis=1)
    else:
        met = np.ones(n, dtype=bool)
    return KernelResult(scores=scores, coverage=coverage, best=best, must_have_met=met)


def rank_order(scores: np.ndarray, must_have_met: np.ndarray, tiebreak: np.ndarray | None = None) -> np.ndarray:
    """Candidate indices best first: by score, then must-haves met, then ``tiebreak`` (ascending).
    Must-have misses are flagged by the caller, never hidden or dropped."""
    # scores are reported and stored to 2 decimals; ranking on the same rounding keeps the stored
    # ranks (apps.matching.services.match_run_finalize orders in SQL) identical to in-process ranks
    keys = [np.arange(len(scores)) if tiebreak is None else tiebreak, ~must_have_met, -np.round(scores, 2)]
    return np.lexsort(keys)


def score_pool_fast(
    *,
    credit_sim: np.ndarray,
    ev_phrase: np.ndarray,
    offsets: np.ndarray,
    factor_of,
    level_of,
    weights: np.ndarray,
    must_have: np.ndarray,
    min_level: np.ndarray,
    must_have_threshold: float = 0.5,
    unknown_level_fit: float = 0.8,
    below_level_fit: float = 0.5,
) -> KernelResult:
    """Same result as :func:`score_pool`, computed only where it can be non-zero.

    Almost every (required skill, evidence phrase) pair has zero calibrated credit, so one boolean
    gather over the flat evidence array finds the few items that can score; the dense kernel then
    runs on that subset alone. ``factor_of(items)`` and ``level_of(items)`` give strength × freshness
    and EQF level for item indices, so per-run factors are only computed for items that matter.
    """
    m = credit_sim.shape[0]
    n = offsets.shape[0] - 1
    coverage = np.zeros((n, m), dtype=np.float32)
    best = np.full((n, m), -1, dtype=np.int64)
    useful = (credit_sim > 0).any(axis=0)
    items = np.flatnonzero(useful[ev_phrase])
    if items.size:
        factor = np.asarray(factor_of(items), dtype=np.float32)
        keep = factor > 0
        items, factor = items[keep], factor[keep]
    if items.size:
        # candidate of each selected item: offsets are sorted, so a binary search finds it
        cand = np.searchsorted(offsets, items, side="right") - 1
        starts = np.flatnonzero(np.r_[True, cand[1:] != cand[:-1]])
        owners = cand[starts]
        credit = credit_sim[:, ev_phrase[items]] * factor[None, :]
        fit = level_fit(min_level, np.asarray(level_of(items), dtype=np.float32), unknown_level_fit, below_level_fit)
        if fit is not None:
            credit *= fit
        seg_max = np.maximum.reduceat(credit, starts, axis=1)
        counts = np.diff(np.r_[starts, items.size])
        hit = credit >= np.repeat(seg_max, counts, axis=1)
        pos = np.where(hit, np.arange(items.size)[None, :], items.size)
        seg_best = np.minimum.reduceat(pos, starts, axis=1)
        seg_best = np.where(seg_max > 0, items[np.minimum(seg_best, items.size - 1)], -1)
        coverage[owners] = seg_max.T
        best[owners] = seg_best.T
    total = float(weights.sum())
    scores = 100.0 * (coverage.astype(np.float64) @ weights.astype(np.float64)) / total if total > 0 else np.zeros(n)
    if np.any(must_have):
        met = np.all(coverage[:, must_have] >= must_have_threshold, axis=1)
    else:
        met = np.ones(n, dtype=bool)
    return KernelResult(scores=scores, coverage=coverage, best=best, must_have_met=met)
