"""The normalizer's fusion model: gradient-boosted trees over the candidate features, stored as plain
arrays (JSON in the database) and evaluated with numpy (no Django, no scikit-learn at query time).

Trees rather than a linear model because the signals interact: a rewrite-rule hit means a lot when it
is the only one and little when the query rewrites into five concepts; a high cosine means less in a
crowded neighbourhood. scikit-learn fits the model (HistGradientBoostingClassifier, log-loss, so its
output is a probability); ``TreeFusion.from_sklearn`` copies the fitted trees out.
"""

from __future__ import annotations

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

    def raw(self, x: np.ndarray) -> np.ndarray:
        # tree by tree over all rows, each level over the rows not at a leaf yet (most paths are far
        # shorter than the deepest): a few numpy steps per level of each tree; the sum runs over the
        # trees in order, as scikit-learn's own prediction does
        out = np.full(len(x), self.baseline)
        flat = np.ascontiguousarray(x, dtype=np.float64).ravel()
        start = np.arange(len(x), dtype=np.int64) * (x.shape[1] if x.ndim == 2 else 1)
        feature, threshold, left, right, leaf = self._feature, self._threshold, self._left, self._right, self._leaf
        for root in self._roots:
            node = np.full(len(x), root)
            if leaf[root]:
                out += self._value[node]
                continue
            active, cur = start, node
            rows = np.arange(len(x))
            while len(rows):
                cur = np.where(flat[active + feature[cur]] <= threshold[cur], left[cur], right[cur])
                node[rows] = cur
                inner = ~leaf[cur]
                rows, active, cur = rows[inner], active[inner], cur[inner]
            out += self._value[node]
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
