"""The numpy kernel against a plain-Python reference implementation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from apps.matching import kernel


def reference(credit_sim, ev_phrase, ev_factor, ev_level, offsets, weights, must_have, min_level, thr, unk, below):
    n, m = len(offsets) - 1, credit_sim.shape[0]
    scores, cov, best, met = [], np.zeros((n, m)), np.full((n, m), -1), []
    for c in range(n):
        for j in range(m):
            for t in range(offsets[c], offsets[c + 1]):
                fit = 1.0
                if not math.isnan(min_level[j]):
                    fit = unk if math.isnan(ev_level[t]) else (1.0 if ev_level[t] >= min_level[j] else below)
                v = credit_sim[j, ev_phrase[t]] * ev_factor[t] * fit
                if v > cov[c, j] + 1e-12:
                    cov[c, j], best[c, j] = v, t
        scores.append(100 * float(cov[c] @ weights) / weights.sum())
        met.append(all(cov[c, j] >= thr for j in range(m) if must_have[j]))
    return np.array(scores), cov, best, np.array(met)


def _random_pool(rng, credit_sim, *, n: int, max_items: int, factors: list[float]) -> dict:
    """The kernel's other inputs for ``credit_sim`` (required skills × phrases), drawn from ``rng``: n
    candidates with 0 to max_items - 1 evidence items each (some with none), a third of the items of
    unknown level, a third of the required skills must-haves, half with a minimum level of 5."""
    m, p = credit_sim.shape
    counts = rng.integers(0, max_items, size=n)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    t = int(offsets[-1])
    return dict(  # drawn in this order, so a seed gives the same pool as it always has
        credit_sim=credit_sim,
        ev_phrase=rng.integers(0, p, size=t),
        ev_factor=rng.choice(factors, size=t).astype(np.float32),
        ev_level=np.where(rng.random(t) < 0.3, np.nan, rng.integers(2, 8, size=t)).astype(np.float32),
        offsets=offsets,
        weights=rng.choice([1.0, 2.0, 0.5], size=m),
        must_have=rng.random(m) < 0.3,
        min_level=np.where(rng.random(m) < 0.5, np.nan, 5.0).astype(np.float32),
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_kernel_matches_reference(seed):
    rng = np.random.default_rng(seed)
    m, p, n = 6, 40, 120
    credit_sim = rng.random((m, p)).astype(np.float32) * (rng.random((m, p)) > 0.5)
    pool = _random_pool(rng, credit_sim, n=n, max_items=6, factors=[1.0, 0.8, 0.5, 0.0])
    res = kernel.score_pool(**pool, chunk=37)
    s, cov, best, met = reference(**pool, thr=0.5, unk=0.8, below=0.5)
    np.testing.assert_allclose(res.scores, s, atol=1e-4)
    np.testing.assert_allclose(res.coverage, cov, atol=1e-6)
    np.testing.assert_array_equal(res.best, best)
    np.testing.assert_array_equal(res.must_have_met, met)


def test_calibrate_bounds():
    out = kernel.calibrate(np.array([0.1, 0.45, 0.625, 0.8, 0.95]), 0.45, 0.8)
    np.testing.assert_allclose(out, [0, 0, 0.5, 1, 1], atol=1e-6)


def test_rank_order_breaks_ties_by_must_have():
    order = kernel.rank_order(np.array([50.0, 80.0, 80.0]), np.array([True, False, True]))
    assert list(order) == [2, 1, 0]


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_fast_kernel_equals_dense_kernel(seed):
    rng = np.random.default_rng(seed)
    m, p, n = 8, 300, 2000
    sim = rng.random((m, p)).astype(np.float32)
    credit_sim = np.where(sim > 0.9, sim, 0).astype(np.float32)  # sparse, as real credit is
    common = _random_pool(rng, credit_sim, n=n, max_items=20, factors=[1.0, 0.8, 0.7, 0.5, 0.0])
    ev_factor, ev_level = common.pop("ev_factor"), common.pop("ev_level")
    t = len(ev_factor)
    verified = rng.random(t) < 0.5
    dense = kernel.score_pool(ev_factor=ev_factor, ev_level=ev_level, ev_verified=verified, **common)
    fast = kernel.score_pool_fast(
        factor_of=lambda i: ev_factor[i], level_of=lambda i: ev_level[i], verified_of=lambda i: verified[i], **common
    )
    np.testing.assert_allclose(fast.scores, dense.scores, atol=1e-6)
    np.testing.assert_array_equal(fast.coverage, dense.coverage)
    np.testing.assert_array_equal(fast.best, dense.best)
    np.testing.assert_array_equal(fast.must_have_met, dense.must_have_met)
    dense_verified = np.zeros_like(dense.coverage)
    dense_verified[dense.owners] = dense.owner_verified
    fast_verified = np.zeros_like(dense.coverage)
    fast_verified[fast.owners] = fast.owner_verified
    np.testing.assert_allclose(fast_verified, dense_verified, atol=1e-7)
