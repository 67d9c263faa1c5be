"""The scoring kernel: plain numpy, no Django (docs/architecture.md "The matching model").

Inputs are arrays over a job's m required skills, a pool's p distinct evidence phrases and its n
candidates, whose evidence lies in one flat array cut into segments by ``offsets``:

- ``credit_sim`` (m, p): calibrated similarity of each required skill to each evidence phrase,
  concept identity and hierarchy already applied (apps.matching.engine builds it);
- ``ev_phrase`` (T,): index into p of each evidence item; ``ev_factor`` (T,): strength × freshness;
  ``ev_level`` (T,): EQF level of the evidence or NaN;
- ``offsets`` (n+1,): candidate c owns evidence items offsets[c]:offsets[c+1].

credit(r, e) = credit_sim × ev_factor × level_fit; coverage(r) = the best credit over the candidate's
evidence, raised by the others by at most ``corroboration`` × (1 - best) (:func:`corroborate`);
score = 100 × Σ w·coverage / Σ w. The argmax is kept so every score can be explained.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass
class KernelResult:
    """Scores for all n candidates; coverage only for the k candidates with any credit (``owners``),
    since most of a large pool has none for a given job. Which evidence gave each coverage (the argmax,
    for explanations) is computed on demand for the few candidates that are explained."""

    scores: np.ndarray  # (n,) float64 in [0, 100]
    must_have_met: np.ndarray  # (n,) bool
    owners: np.ndarray  # (k,) candidate indices with rows below, ascending
    owner_coverage: np.ndarray  # (k, m) float32
    owner_verified: np.ndarray  # (k, m) float32: coverage from verified evidence alone
    best_fn: Callable[[np.ndarray], np.ndarray]  # owner rows -> (len, m) evidence index or -1
    credit_sim: np.ndarray | None = None  # (m, p) the match factor, set by apps.matching.engine for explanations

    def row(self, c: int) -> int:
        """Row of candidate ``c`` in owner_* arrays, or -1."""
        i = int(np.searchsorted(self.owners, c))
        return i if i < len(self.owners) and self.owners[i] == c else -1

    def rows(self, candidates: np.ndarray) -> np.ndarray:
        """:meth:`row` of each of ``candidates``, at once."""
        if not len(self.owners):
            return np.full(len(candidates), -1, dtype=np.int64)
        i = np.searchsorted(self.owners, candidates)
        found = self.owners[np.minimum(i, len(self.owners) - 1)] == candidates
        return np.where((i < len(self.owners)) & found, i, -1).astype(np.int64)

    def coverage_of(self, c: int) -> np.ndarray:
        i = self.row(c)
        return self.owner_coverage[i] if i >= 0 else np.zeros(self.owner_coverage.shape[1], dtype=np.float32)

    def best_of(self, c: int) -> np.ndarray:
        i = self.row(c)
        m = self.owner_coverage.shape[1]
        return self.best_fn(np.array([i]))[0] if i >= 0 else np.full(m, -1, dtype=np.int64)

    @property
    def coverage(self) -> np.ndarray:
        """(n, m) dense coverage (tests and small pools only)."""
        out = np.zeros((len(self.scores), self.owner_coverage.shape[1]), dtype=np.float32)
        out[self.owners] = self.owner_coverage
        return out

    @property
    def best(self) -> np.ndarray:
        """(n, m) dense argmax (tests and small pools only)."""
        out = np.full((len(self.scores), self.owner_coverage.shape[1]), -1, dtype=np.int64)
        if len(self.owners):
            out[self.owners] = self.best_fn(np.arange(len(self.owners)))
        return out


def _finish(
    n: int,
    owners: np.ndarray,
    cov: np.ndarray,
    verified: np.ndarray,
    best_fn,
    weights: np.ndarray,
    must_have: np.ndarray,
    threshold: float,
) -> KernelResult:
    total = float(weights.sum())
    scores = np.zeros(n, dtype=np.float64)
    if total > 0 and len(owners):
        scores[owners] = 100.0 * (cov.astype(np.float64) @ weights.astype(np.float64)) / total
    if np.any(must_have):
        met = np.zeros(n, dtype=bool)  # a candidate with no credit at all misses every must-have
        met[owners] = np.all(cov[:, must_have] >= threshold, axis=1)
    else:
        met = np.ones(n, dtype=bool)
    return KernelResult(
        scores=scores, must_have_met=met, owners=owners, owner_coverage=cov, owner_verified=verified, best_fn=best_fn
    )


def calibrate(sim: np.ndarray, floor: float, ceiling: float) -> np.ndarray:
    """Map cosine similarity to credit in [0, 1]: 0 at or below ``floor``, 1 at or above ``ceiling``."""
    return np.clip((sim - floor) / (ceiling - floor), 0.0, 1.0).astype(np.float32, copy=False)


def level_fit(
    min_level: np.ndarray, ev_level: np.ndarray, unknown_fit: float, below_fit: float, step: float = 0.0
) -> np.ndarray | None:
    """(m, T) factor for minimum levels, or None when no required skill sets one: 1 at or above the
    minimum; below it 1 - ``step`` per level short, never under ``below_fit`` (``step`` 0: ``below_fit``
    flat); ``unknown_fit`` when the evidence states no level."""
    if not np.any(~np.isnan(min_level)):
        return None
    fit = np.ones((min_level.shape[0], ev_level.shape[0]), dtype=np.float32)
    need = ~np.isnan(min_level)
    unknown = np.isnan(ev_level)
    with np.errstate(invalid="ignore"):
        gap = min_level[:, None] - ev_level[None, :]
        below = gap > 0
    graded = np.maximum(below_fit, 1.0 - step * gap) if step > 0 else np.full_like(gap, below_fit)
    fit[need[:, None] & unknown[None, :]] = unknown_fit
    mask = need[:, None] & below & ~unknown[None, :]
    fit[mask] = graded[mask]
    return fit


def corroborate(best: np.ndarray, log_rest: np.ndarray, corroboration: float, floor: float) -> np.ndarray:
    """Coverage from the best credit and the others': best + corroboration × (1 - best) × noisy-or of the
    other credits at or above ``floor``. ``log_rest`` is Σ log(1 - c) over those others. Bounded: however
    many pieces there are, coverage stays below best + corroboration × (1 - best), so quantity cannot beat
    quality by more than that margin."""
    # float rounding in the sum can leave a hair above 0 for a single piece: clip, so one piece is exact
    others = np.clip(-np.expm1(np.minimum(log_rest, 0.0)), 0.0, 1.0)
    others = np.where(log_rest > -1e-5, 0.0, others)
    return (best + corroboration * (1.0 - best) * others).astype(np.float32)


def _log_terms(credit: np.ndarray, floor: float) -> np.ndarray:
    """log(1 - c) of credits at or above ``floor`` (0 for the others); 1 - c kept above 0."""
    c = np.where(credit >= floor, np.minimum(credit, 1.0 - 1e-6), 0.0)
    return np.log1p(-c)


def _rest_log(credit_logs_sum: np.ndarray, best: np.ndarray, floor: float) -> np.ndarray:
    """Σ log(1 - c) over every credit but the best one, from the sum over all of them."""
    return credit_logs_sum - _log_terms(best, floor)


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
    ev_verified: np.ndarray | None = None,
    must_have_threshold: float = 0.5,
    unknown_level_fit: float = 0.8,
    below_level_fit: float = 0.5,
    level_step: float = 0.0,
    corroboration: float = 0.0,
    corroboration_min: float = 1.0,
    chunk: int = 50_000,
) -> KernelResult:
    """Score every candidate; works through the pool ``chunk`` candidates at a time to bound memory."""
    m = credit_sim.shape[0]
    n = offsets.shape[0] - 1
    coverage = np.zeros((n, m), dtype=np.float32)
    verified_cov = np.zeros((n, m), dtype=np.float32)
    best = np.full((n, m), -1, dtype=np.int64)
    for c0 in range(0, n, chunk):
        c1 = min(n, c0 + chunk)
        t0, t1 = int(offsets[c0]), int(offsets[c1])
        if t1 == t0:
            continue
        credit = credit_sim[:, ev_phrase[t0:t1]] * ev_factor[None, t0:t1]
        fit = level_fit(min_level, ev_level[t0:t1], unknown_level_fit, below_level_fit, level_step)
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
        if corroboration > 0:
            logs = np.add.reduceat(_log_terms(credit, corroboration_min), safe, axis=1)
            logs[:, ~nonempty] = 0.0
            seg_cov = corroborate(seg_max, _rest_log(logs, seg_max, corroboration_min), corroboration, 0.0)
            coverage[c0:c1] = seg_cov.T
        else:
            coverage[c0:c1] = seg_max.T
        best[c0:c1] = seg_best.T
        if ev_verified is not None:
            vcredit = credit * ev_verified[None, t0:t1]
            vmax = np.maximum.reduceat(vcredit, safe, axis=1)
            vmax[:, ~nonempty] = 0.0
            if corroboration > 0:
                vlogs = np.add.reduceat(_log_terms(vcredit, corroboration_min), safe, axis=1)
                vlogs[:, ~nonempty] = 0.0
                vmax = corroborate(vmax, _rest_log(vlogs, vmax, corroboration_min), corroboration, 0.0)
            verified_cov[c0:c1] = vmax.T
    return _finish(
        n, np.arange(n), coverage, verified_cov, lambda rows: best[rows], weights, must_have, must_have_threshold
    )


def rank_order(
    scores: np.ndarray,
    must_have_met: np.ndarray,
    tiebreak: np.ndarray | None = None,
    *,
    must_have_first: bool = False,
) -> np.ndarray:
    """Candidate indices best first. With ``must_have_first`` (the engine's default,
    MatchParams.must_have_first): every candidate who meets all must-haves, then the others, each by
    score; without it, by score, then must-haves met. Then ``tiebreak`` (ascending). Must-have misses
    are flagged by the caller, never hidden or dropped."""
    # scores are reported and stored to 2 decimals; ranking on the same rounding keeps the stored
    # order (apps.matching.selectors.run_order, the order of stored runs) identical to in-process ranks
    rounded = -np.round(scores, 2)
    tie = np.arange(len(scores)) if tiebreak is None else tiebreak
    if must_have_first:
        return np.lexsort([tie, rounded, ~must_have_met])
    return np.lexsort([tie, ~must_have_met, rounded])


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
    verified_of=None,
    must_have_threshold: float = 0.5,
    unknown_level_fit: float = 0.8,
    below_level_fit: float = 0.5,
    level_step: float = 0.0,
    corroboration: float = 0.0,
    corroboration_min: float = 1.0,
) -> KernelResult:
    """Same result as :func:`score_pool`, computed only where it can be non-zero.

    Almost every (required skill, evidence phrase) pair has zero calibrated credit, so one boolean
    gather over the flat evidence array finds the few items that can score; the kernel then runs on
    that subset alone, in (items, skills) layout so each gather reads one contiguous row. Per-run
    factors (``factor_of(items)``: strength × freshness; ``level_of(items)``: EQF level;
    ``verified_of(items)``: bool) are only computed for items that matter, and the argmax only for
    candidates that are explained.
    """
    m = credit_sim.shape[0]
    n = offsets.shape[0] - 1
    empty = np.zeros((0, m), dtype=np.float32)
    useful = (credit_sim > 0).any(axis=0)
    items = np.flatnonzero(useful[ev_phrase])
    if items.size:
        factor = np.asarray(factor_of(items), dtype=np.float32)
        keep = factor > 0
        items, factor = items[keep], factor[keep]
    if not items.size:
        return _finish(
            n,
            np.zeros(0, dtype=np.int64),
            empty,
            empty,
            lambda rows: np.full((len(rows), m), -1, dtype=np.int64),
            weights,
            must_have,
            must_have_threshold,
        )
    # candidate of each selected item: offsets are sorted, so a binary search finds it
    cand = np.searchsorted(offsets, items, side="right") - 1
    starts = np.flatnonzero(np.r_[True, cand[1:] != cand[:-1]])
    ends = np.r_[starts[1:], items.size]
    owners = cand[starts]
    credit = np.ascontiguousarray(credit_sim.T)[ev_phrase[items]]  # (items, m)
    credit *= factor[:, None]
    fit = level_fit(
        min_level, np.asarray(level_of(items), dtype=np.float32), unknown_level_fit, below_level_fit, level_step
    )
    if fit is not None:
        credit *= fit.T
    cov = np.maximum.reduceat(credit, starts, axis=0)
    best_cov = cov
    if corroboration > 0:
        logs = np.add.reduceat(_log_terms(credit, corroboration_min), starts, axis=0)
        cov = corroborate(cov, _rest_log(logs, cov, corroboration_min), corroboration, 0.0)
    if verified_of is not None:
        vmask = np.asarray(verified_of(items), dtype=bool)
        vcredit = np.where(vmask[:, None], credit, 0.0)
        verified = np.maximum.reduceat(vcredit, starts, axis=0)
        if corroboration > 0:
            vlogs = np.add.reduceat(_log_terms(vcredit, corroboration_min), starts, axis=0)
            verified = corroborate(verified, _rest_log(vlogs, verified, corroboration_min), corroboration, 0.0)
    else:
        verified = np.zeros_like(cov)

    every: list[np.ndarray] = []

    def best_fn(rows: np.ndarray) -> np.ndarray:
        if len(rows) > _BEST_AT_ONCE:  # explaining most of a pool: every owner's argmax at once
            if not every:
                every.append(_first_argmax(credit, starts, ends, best_cov, items))
            return every[0][rows]
        out = np.full((len(rows), m), -1, dtype=np.int64)
        for k, r in enumerate(rows.tolist()):
            block = credit[starts[r] : ends[r]]
            arg = np.argmax(block, axis=0)  # first maximum, as the dense kernel
            out[k] = np.where(best_cov[r] > 0, items[starts[r] + arg], -1)
        return out

    return _finish(n, owners, cov, verified, best_fn, weights, must_have, must_have_threshold)


_BEST_AT_ONCE = 64  # rows asked for above which best_fn computes every owner's


def _first_argmax(
    credit: np.ndarray, starts: np.ndarray, ends: np.ndarray, best: np.ndarray, items: np.ndarray
) -> np.ndarray:
    """(owners, m): for each segment of ``credit`` rows (``starts``/``ends``) and each column, the item of
    the first row that reaches the segment's maximum ``best``, or -1 where that is not above 0: what
    ``np.argmax`` per segment gives, for every segment in a few passes. A NaN maximum counts as not
    above 0, as it does there."""
    top = np.repeat(best, ends - starts, axis=0)
    pos = np.where(credit >= top, np.arange(len(credit))[:, None], len(credit))
    first = np.minimum(np.minimum.reduceat(pos, starts, axis=0), len(credit) - 1)
    return np.where(best > 0, items[first], -1).astype(np.int64)
