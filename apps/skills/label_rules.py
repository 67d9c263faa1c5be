"""Rewrite rules learned from the taxonomy's own label variants (no Django).

A taxonomy like ESCO names one concept many ways, and it does so in regular patterns that repeat across
concepts: "comprehend written X" / "understand written X", "oversee X machine" / "tend X machine",
"competent in X" / "X", "mend X" / "repair X". A sentence encoder sees each of these pairs as merely
similar, and often ranks a sibling concept ("understand spoken X", "write Y") above the right one. Here
every ordered pair of labels of one concept is turned into a rule:

- a *substitution*: the pair shares a prefix and/or a suffix and differs in a short middle part
  ("comprehend" → "understand" between nothing and "written X");
- a *slot template*: one label occurs at least twice inside the other ("ability to comprehend spoken and
  written * and to speak and write in *" → "*").

A rule's support is the number of distinct concepts that exhibit it. At query time each rule that applies
rewrites the query; a rewrite that is exactly some label is evidence for that label's concept, as strong
as the rule's support. Rules exhibited by a single concept are dropped (they are that concept's
idiosyncrasy, not a pattern). Everything is computed from the imported taxonomy when the index is built.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np

MAX_PART = 5  # longest differing middle part, in words
MIN_SUPPORT = 2  # concepts that must exhibit a rule
_WORD = re.compile(r"[^\W_]+|[+#]")

Seq = tuple[str, ...]


def word_seq(text: str) -> Seq:
    """Ordered, case-folded words (rules are about word order, unlike the stemmed token sets)."""
    return tuple(_WORD.findall(text.casefold()))


def _affixes(x: Seq, y: Seq) -> tuple[int, int]:
    p = 0
    while p < len(x) and p < len(y) and x[p] == y[p]:
        p += 1
    s = 0
    while s < len(x) - p and s < len(y) - p and x[-1 - s] == y[-1 - s]:
        s += 1
    return p, s


def _slot_pattern(x: Seq, run: Seq) -> tuple[Seq, int]:
    """``x`` with every occurrence of ``run`` replaced by ``*``, and how many there were."""
    out: list[str] = []
    i = count = 0
    n = len(run)
    while i < len(x):
        if x[i : i + n] == run:
            out.append("*")
            i += n
            count += 1
        else:
            out.append(x[i])
            i += 1
    return tuple(out), count


class LabelRules:
    """Substitution rules and slot templates with their support. Learned from the labels (with the
    concepts behind each rule, which leave-one-out fitting needs), or restored from ``export()``
    (support counts only: what queries need, without re-learning in every process)."""

    def __init__(self, seqs: Sequence[Seq], row_concept: np.ndarray, stored: dict[str, Any] | None = None) -> None:
        self.exact: dict[Seq, list[int]] = defaultdict(list)  # word sequence -> label rows
        self.row_concept = row_concept
        for row, seq in enumerate(seqs):
            if seq:
                self.exact[seq].append(row)
        # (has prefix, middle, has suffix) -> [(replacement, support, concepts or None)]
        self.subs: dict[tuple[Any, ...], list[tuple[Seq, int, frozenset[int] | None]]] = defaultdict(list)
        self.slots: dict[Seq, tuple[int, frozenset[int] | None]] = {}
        if stored is not None:
            for pre, a, suf, b, n in stored["subs"]:
                self.subs[(pre, tuple(a), suf)].append((tuple(b), n, None))
            self.slots = {tuple(pat): (n, None) for pat, n in stored["slots"]}
        else:
            self._learn()
        self.rule_count = sum(len(v) for v in self.subs.values()) + len(self.slots)

    def _learn(self) -> None:
        by_concept: dict[int, set[Seq]] = defaultdict(set)
        for seq, rows in self.exact.items():
            for row in rows:
                by_concept[int(self.row_concept[row])].add(seq)
        subs: dict[tuple[Any, ...], set[int]] = defaultdict(set)
        slots: dict[Seq, set[int]] = defaultdict(set)
        for c, labels in by_concept.items():
            for x in labels:
                for y in labels:
                    if x == y:
                        continue
                    p, s = _affixes(x, y)
                    a, b = x[p : len(x) - s], y[p : len(y) - s]
                    if (p or s) and 1 <= len(a) <= MAX_PART and len(b) <= MAX_PART:
                        subs[(p > 0, a, s > 0, b)].add(c)
                    if 0 < len(y) < len(x):
                        pattern, count = _slot_pattern(x, y)
                        if count >= 2:
                            slots[pattern].add(c)
        for (pre, a, suf, b), cs in subs.items():
            if len(cs) >= MIN_SUPPORT:
                self.subs[(pre, a, suf)].append((b, len(cs), frozenset(cs)))
        self.slots = {pat: (len(cs), frozenset(cs)) for pat, cs in slots.items() if len(cs) >= MIN_SUPPORT}

    def export(self) -> dict[str, Any]:
        """The rules with their support, JSON-ready (stored with the normalizer's fit)."""
        return {
            "subs": [[pre, list(a), suf, list(b), n] for (pre, a, suf), rs in self.subs.items() for b, n, _ in rs],
            "slots": [[list(pat), n] for pat, (n, _) in self.slots.items()],
        }

    def hits(self, query: Seq, *, masked_row: int | None = None) -> dict[int, float]:
        """Concept index -> log(1 + support) of the strongest rule rewriting ``query`` into one of its
        labels. ``masked_row`` hides a label (and its concept's own support), for leave-one-out fitting."""
        own = int(self.row_concept[masked_row]) if masked_row is not None else -1
        best: dict[int, int] = {}

        def credit(target: Seq, support: int, concepts: frozenset[int] | None) -> None:
            if concepts is not None and own in concepts:
                support -= 1
            if support < 1:
                return
            for row in self.exact.get(target, ()):
                if row == masked_row:
                    continue
                c = int(self.row_concept[row])
                if support > best.get(c, 0):
                    best[c] = support

        n = len(query)
        for i in range(n):
            for j in range(i + 1, min(n, i + MAX_PART) + 1):
                for b, support, cs in self.subs.get((i > 0, query[i:j], j < n), ()):
                    credit(query[:i] + b + query[j:], support, cs)
        if self.slots and n <= 40:  # templates are whole labels; long texts are not labels
            for i in range(n):
                for j in range(i + 1, n + 1):
                    pattern, count = _slot_pattern(query, query[i:j])
                    if count >= 2 and pattern in self.slots:
                        credit(query[i:j], *self.slots[pattern])
        return {c: math.log1p(s) for c, s in best.items()}
