"""Synthetic pools with realistic similarity structure, for benchmarks (no Django).

A vocabulary of random unit vectors carries, for each required skill, a few dozen phrases at graded
similarity (paraphrases, near-misses, related skills), so the calibrated credit matrix is as sparse
as it is with real phrases — a pool of pure random vectors would score nothing and flatter the kernel.
"""

from __future__ import annotations

import numpy as np

from apps.matching.engine import NO_DATE, Pool


def unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


def vocabulary(rng: np.random.Generator, *, size: int, required: int, dim: int = 384, near_per_skill: int = 60):
    """(vocabulary vectors (size, dim), required vectors (required, dim))."""
    req = unit(rng.standard_normal((required, dim)))
    vocab = unit(rng.standard_normal((size, dim)))
    for j in range(required):
        idx = rng.choice(size, near_per_skill, replace=False)
        target = rng.uniform(0.3, 0.98, near_per_skill)[:, None]  # graded cosine to skill j
        noise = unit(rng.standard_normal((near_per_skill, dim)) - req[j] * 0.0)
        noise = unit(noise - (noise @ req[j])[:, None] * req[j])  # orthogonal to the skill
        vocab[idx] = unit(target * req[j] + np.sqrt(1 - target**2) * noise)
    return vocab, req


def pool(
    rng: np.random.Generator, *, candidates: int, per_candidate: int, vocab_size: int, today_day: int = 20_500
) -> Pool:
    """A pool where every candidate holds ``per_candidate`` evidence phrases from the vocabulary.
    Phrase ids are vocabulary positions; sources, dates and levels are drawn like real pools."""
    t = candidates * per_candidate
    # Zipf-like popularity: common phrases are shared by many candidates
    phrase = np.minimum((rng.pareto(1.2, t) * 50).astype(np.int64), vocab_size - 1)
    phrase = rng.permutation(vocab_size).astype(np.int32)[phrase]
    issued = (today_day - rng.integers(0, 8 * 365, t)).astype(np.int32)
    expires = np.where(rng.random(t) < 0.1, issued + 3 * 365, NO_DATE).astype(np.int32)
    level = np.where(rng.random(t) < 0.4, np.nan, rng.integers(2, 8, t)).astype(np.float32)
    return Pool(
        keys=np.arange(candidates).astype(str),
        offsets=np.arange(0, t + 1, per_candidate, dtype=np.int64),
        phrase=phrase,
        source=rng.integers(0, 4, t).astype(np.int8),
        issued=issued,
        expires=expires,
        revoked=rng.random(t) < 0.01,
        level=level,
        concept=np.full(t, -1, dtype=np.int64),
        describe=lambda items: [
            {"text": str(i), "credential": "c", "credential_id": None, "issuer": "", "issued": None}
            for i in items.tolist()
        ],
    )
