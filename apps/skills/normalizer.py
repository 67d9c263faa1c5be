"""Normalization kernel: phrase → taxonomy concepts, over an in-memory label index (no Django).

Every label of every concept is a row of a unit-vector matrix, rows grouped by concept so that a
concept's score is a segmented max over its labels. An exact (normalized) label match wins outright.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class TaxonomyIndex:
    skill_ids: np.ndarray  # (S,) database ids of concepts, in segment order
    uris: list[str]
    labels: list[str]  # preferred label per concept
    seg_starts: np.ndarray  # (S,) first label row of each concept
    label_vecs: np.ndarray  # (N, d) unit rows grouped by concept
    exact: dict[str, int]  # normalized label text -> concept index (preferred labels win ties)
    key: tuple = ()

    @property
    def size(self) -> int:
        return len(self.skill_ids)

    def concept_scores(self, query_vecs: np.ndarray, batch: int = 128) -> np.ndarray:
        """(q, S) best label cosine per concept."""
        out = np.empty((len(query_vecs), self.size), dtype=np.float32)
        for i in range(0, len(query_vecs), batch):
            sims = query_vecs[i : i + batch] @ self.label_vecs.T
            out[i : i + batch] = np.maximum.reduceat(sims, self.seg_starts, axis=1)
        return out

    def search(self, texts: list[str], query_vecs: np.ndarray, top_k: int = 5) -> list[list[tuple[int, float]]]:
        """Top concepts per query as (concept index, score in [0, 1]), best first."""
        if self.size == 0:
            return [[] for _ in texts]
        k = min(top_k, self.size)
        results = []
        for i in range(0, len(texts), 256):
            scores = self.concept_scores(query_vecs[i : i + 256])
            for row, text in zip(scores, texts[i : i + 256], strict=True):
                hit = self.exact.get(text)
                if hit is not None:
                    row[hit] = 1.0 + 1e-3  # an exact label match is certain; rank it first
                top = np.argpartition(-row, k - 1)[:k]
                top = top[np.argsort(-row[top], kind="stable")]
                results.append([(int(c), float(min(1.0, max(0.0, row[c])))) for c in top])
        return results
