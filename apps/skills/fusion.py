"""The normalizer's fusion model: gradient-boosted trees over the candidate features, stored as plain
arrays (JSON in the database) and evaluated with numpy (no Django, no scikit-learn at query time).

Trees rather than a linear model because the signals interact: a rewrite-rule hit means a lot when it
is the only one and little when the query rewrites into five concepts; a high cosine means less in a
crowded neighbourhood. scikit-learn fits the model (HistGradientBoostingClassifier, log-loss, so its
output is a probability); ``TreeFusion.from_sklearn`` copies the fitted trees out.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass
class TreeFusion:
    """Sum of regression trees plus a baseline, through a sigmoid. Node arrays are concatenated over
    all trees; ``roots`` holds each tree's first node. A sample goes left when its feature value is
    at most the node's threshold (scikit-learn's rule for numeric features without missing values)."""

    baseline: float
    roots: list[int]
    feature: list[int]
    threshold: list[float]
    left: list[int]
    right: list[int]
    value: list[float]
    leaf: list[bool]
    depth: int

    def __post_init__(self) -> None:
        self._roots = np.asarray(self.roots, dtype=np.int64)
        self._feature = np.asarray(self.feature, dtype=np.int64)
        self._threshold = np.asarray(self.threshold, dtype=np.float64)
        self._left = np.asarray(self.left, dtype=np.int64)
        self._right = np.asarray(self.right, dtype=np.int64)
        self._value = np.asarray(self.value, dtype=np.float64)
        self._leaf = np.asarray(self.leaf, dtype=bool)

    @classmethod
    def from_sklearn(cls, model: Any) -> TreeFusion:
        roots: list[int] = []
        feature: list[int] = []
        threshold: list[float] = []
        left: list[int] = []
        right: list[int] = []
        value: list[float] = []
        leaf: list[bool] = []
        depth = 0
        for (predictor,) in model._predictors:  # one tree per iteration for a binary classifier
            nodes = predictor.nodes
            off = len(feature)
            roots.append(off)
            feature += nodes["feature_idx"].astype(int).tolist()
            threshold += nodes["num_threshold"].astype(float).tolist()
            left += (nodes["left"].astype(int) + off).tolist()
            right += (nodes["right"].astype(int) + off).tolist()
            value += nodes["value"].astype(float).tolist()
            leaf += nodes["is_leaf"].astype(bool).tolist()
            depth = max(depth, int(nodes["depth"].max()))
        return cls(
            float(np.ravel(model._baseline_prediction)[0]), roots, feature, threshold, left, right, value, leaf, depth
        )

    @classmethod
    def mean(cls, parts: Sequence[TreeFusion]) -> TreeFusion:
        """One model whose log-odds are the mean of ``parts``': their trees one after the other, each
        leaf value divided by their number, after the mean of their baselines."""
        k = len(parts)
        offsets = [0]
        for part in parts[:-1]:
            offsets.append(offsets[-1] + len(part.feature))

        def shifted(name: str) -> list[int]:  # node indices, into the concatenated arrays
            return [i + off for part, off in zip(parts, offsets, strict=True) for i in getattr(part, name)]

        def joined(name: str) -> list[Any]:
            return [v for part in parts for v in getattr(part, name)]

        return cls(
            math.fsum(p.baseline for p in parts) / k,
            shifted("roots"),
            joined("feature"),
            joined("threshold"),
            shifted("left"),
            shifted("right"),
            [v / k for part in parts for v in part.value],
            joined("leaf"),
            max(p.depth for p in parts),
        )

    def raw(self, x: np.ndarray) -> np.ndarray:
        # Every (row, tree) pair of a block of rows walks down at once: one numpy step per level of the
        # deepest tree, not per level of every tree (500 trees made a one-phrase query pay ~3,000 small
        # numpy calls); blocks keep the pair arrays in the CPU cache for a large batch, and a pair
        # leaves the walk at its leaf. The leaf values are then added tree by tree in
        # order, starting from the baseline, as scikit-learn's own prediction (and the per-tree loop
        # this replaced) adds them: a cumulative sum along the row is that same sequence of additions,
        # so the result is the same to the bit.
        x = np.ascontiguousarray(x, dtype=np.float64)
        n = len(x)
        if n == 0 or len(self._roots) == 0:
            return np.full(n, self.baseline)
        x2 = x.reshape(n, -1)
        out = np.empty(n)
        for b0 in range(0, n, self.ROWS_PER_BLOCK):
            out[b0 : b0 + self.ROWS_PER_BLOCK] = self._raw_block(x2[b0 : b0 + self.ROWS_PER_BLOCK])
        return out

    ROWS_PER_BLOCK = 256  # rows per block: (256 x 500) pair arrays stay in the cache

    def _raw_block(self, x: np.ndarray) -> np.ndarray:
        n, width = x.shape
        flat = x.ravel()
        left, right, feature, threshold, leaf = self._left, self._right, self._feature, self._threshold, self._leaf
        trees = len(self._roots)
        node = np.tile(self._roots, n)  # pair p = (row p // trees, tree p % trees)
        offset = np.repeat(np.arange(n, dtype=np.int64) * width, trees)
        active = np.flatnonzero(~leaf[node])  # the pairs not at a leaf yet
        while len(active):
            cur = node[active]
            cur = np.where(flat[offset[active] + feature[cur]] <= threshold[cur], left[cur], right[cur])
            node[active] = cur
            active = active[~leaf[cur]]
        terms = np.empty((n, trees + 1))
        terms[:, 0] = self.baseline
        terms[:, 1:] = self._value[node.reshape(n, trees)]
        out: np.ndarray = np.cumsum(terms, axis=1)[:, -1]
        return out

    def proba(self, x: np.ndarray) -> np.ndarray:
        out: np.ndarray = 1.0 / (1.0 + np.exp(-self.raw(np.asarray(x, dtype=np.float64))))
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": "trees",
            "baseline": self.baseline,
            "roots": self.roots,
            "feature": self.feature,
            "threshold": self.threshold,
            "left": self.left,
            "right": self.right,
            "value": self.value,
            "leaf": self.leaf,
            "depth": self.depth,
        }

    @classmethod
    def from_dict(cls, params: dict[str, Any]) -> TreeFusion:
        names = ("baseline", "roots", "feature", "threshold", "left", "right", "value", "leaf", "depth")
        return cls(**{k: params[k] for k in names})


def fit_trees(x: np.ndarray, y: np.ndarray, *, threads: int = 1) -> TreeFusion:
    """Fit on (candidate features, is-right-concept). The settings are the best of three compared on the
    dev split (docs/quality.md); early stopping is off so that a fit is deterministic. ``threads``: the
    OpenMP threads scikit-learn may use. Its threads wait for each other at every step of every tree, and
    on a busy two-core machine two of them took 25 times the CPU of one for the same trees (the same to
    the bit: each feature's histogram is summed by one thread whatever their number)."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from threadpoolctl import threadpool_limits

    model = HistGradientBoostingClassifier(
        max_iter=500,
        learning_rate=0.05,
        max_leaf_nodes=31,
        min_samples_leaf=50,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=0,
    )
    with threadpool_limits(limits=max(1, threads), user_api="openmp"):
        model.fit(x, y)
    return TreeFusion.from_sklearn(model)
