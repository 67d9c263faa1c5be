"""Forked processes for the normalizer's fit: the same results as one process, to the bit."""

from __future__ import annotations

import os

import numpy as np
import pytest

from apps.skills.forked import fork_map
from apps.skills.normalizer import TaxonomyIndex, fit_fusion, tokens, training_set


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


def _index(n_concepts: int = 120, per: int = 3, seed: int = 0) -> TaxonomyIndex:
    """Concepts whose labels share a direction (plus noise) and a word, so that the fit has signal."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(n_concepts, 16))
    n = n_concepts * per
    vecs = _unit(np.repeat(centres, per, axis=0) + 0.6 * rng.normal(size=(n, 16)))
    texts = [f"word{c} extra{i % 7} thing{i}" for c in range(n_concepts) for i in range(c * per, c * per + per)]
    return TaxonomyIndex(
        skill_ids=np.arange(n_concepts),
        uris=[f"u:{c}" for c in range(n_concepts)],
        labels=[texts[c * per] for c in range(n_concepts)],
        seg_starts=np.arange(0, n, per),
        label_vecs=vecs,
        label_tokens=[tokens(t) for t in texts],
        exact={},
    )


def test_fork_map_gives_what_a_loop_gives_in_order_and_runs_in_children():
    parent = os.getpid()
    out = fork_map(lambda x: (x * x, os.getpid()), list(range(7)), processes=2)
    assert [v for v, _ in out] == [x * x for x in range(7)]
    assert {pid for _, pid in out} - {parent}  # some item ran in a child


def test_fork_map_with_one_process_or_one_item_stays_here():
    parent = os.getpid()
    assert fork_map(lambda x: os.getpid(), [1, 2], processes=1) == [parent, parent]
    assert fork_map(lambda x: os.getpid(), [1], processes=4) == [parent]
    assert fork_map(lambda x: x, [], processes=2) == []


def test_a_childs_error_reaches_the_caller():
    def boom(x):
        raise ValueError(f"bad {x}")

    with pytest.raises(ValueError, match="bad"):
        fork_map(boom, [1, 2], processes=2)


def test_training_set_in_forked_parts_is_the_one_process_set_to_the_bit():
    index = _index()
    one = training_set(index, samples=300, processes=1)
    two = training_set(index, samples=300, processes=2)
    for a, b in zip(one, two, strict=True):
        np.testing.assert_array_equal(a, b)


def test_fit_in_two_processes_is_the_one_process_fit():
    index = _index()
    fused1, metrics1 = fit_fusion(index, samples=300, processes=1)
    fused2, metrics2 = fit_fusion(index, samples=300, processes=2)
    assert metrics1 == metrics2
    d1, d2 = fused1.as_dict(), fused2.as_dict()
    assert d1.keys() == d2.keys()
    for k in d1:
        np.testing.assert_array_equal(np.asarray(d1[k]), np.asarray(d2[k]))
    assert metrics1["acc1_fused"] > 0.5  # the toy has signal: the fit learned something
