"""Interchange documents as engine evidence (no Django): the one reading of what a candidate document
proves, shared by ``rank`` (straight into pool arrays) and ``pathway`` (engine specs), so they cannot
drift.

A candidate's evidence comes in groups: the skills of one credential, of one degree, of one role, one
employer assessment, the self-declared skills, one skill of a CV. Every item of a group shares the
group's attributes (source, credential, dates, volume, quality), so a pool's arrays are made per
distinct group and per item only the phrase: a 100,000-candidate pool has 1.5 million items but a few
hundred thousand groups, most of them alike (one course title, one issuer, one date).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np

from apps.core.interchange import CandidateDoc, resume_evidence, resume_source
from apps.credentials.levels import to_eqf

from .engine import (
    ASSESSMENT_CODE,
    DEGREE_OUTCOME,
    SOURCE_CODE,
    CandidateSpec,
    EvidenceSpec,
    Pool,
    day_number,
    evidence_many,
)

# The attributes a group gives each of its items, in the order of a group's key (EvidenceSpec's names).
GROUP_FIELDS = (
    "source",
    "credential",
    "issuer",
    "issued",
    "expires",
    "level",
    "hours",
    "ects",
    "days",
    "quality_assured",
    "assessment",
    "endorsements",
    "score",
)
Group = tuple  # one value per GROUP_FIELDS


def evidence_groups(doc: CandidateDoc, today: date) -> list[tuple[Group, list[str]]]:
    """(group, phrases) for each piece of evidence of ``doc`` that names any phrase, in the engine's
    order: credentials (verified or unverified, with volume and quality), degrees and degree credentials
    (their skills are learning outcomes; title and level add nothing, the explanation does not name
    them), roles (dated by their end, their length the volume), employer assessments, self-declared
    skills, then the skills of the CV (self-declared too)."""
    out: list[tuple[Group, list[str]]] = []
    for cr in doc.credentials:
        if cr.kind != "degree" and cr.skills:
            level = to_eqf(cr.level.framework, cr.level.value) if cr.level else None
            source = "verified" if cr.verified else "unverified"
            group = (source, cr.title, cr.issuer, cr.issued, cr.expires, level, cr.hours, cr.ects, None)
            out.append(((*group, cr.quality_assured, cr.assessment, cr.endorsements, None), cr.skills))
    for d in (*doc.degrees, *(cr for cr in doc.credentials if cr.kind == "degree")):
        if d.skills:
            out.append((("degree", DEGREE_OUTCOME, "", None, d.expires, *_NONE4, None, "", 0, None), d.skills))
    for e in doc.experience:
        if e.skills:
            days = float(((e.end or today) - e.start).days) if e.start else None
            out.append((("experience", e.title, "", e.end, None, *_NONE4[:3], days, None, "", 0, None), e.skills))
    for a in doc.assessments:
        out.append((("assessment", a.method, "", a.date, None, *_NONE4, None, "", 0, a.score), [a.skill]))
    if doc.skills:
        out.append((_SELF, doc.skills))
    for s, role in resume_evidence(doc):
        out.append((("self", resume_source(role), "", None, None, *_NONE4, None, "", 0, None), [s]))
    return out


_NONE4 = (None, None, None, None)
_SELF = ("self", "self-declared", "", None, None, *_NONE4, None, "", 0, None)


def groups_specs(groups: Iterable[tuple[Group, Sequence[str]]], phrase_of: Callable[[str], int]) -> list[EvidenceSpec]:
    """The engine's evidence for ``groups`` (:func:`evidence_groups`), one spec per phrase."""
    ev: list[EvidenceSpec] = []
    for group, texts in groups:
        ev += evidence_many(((s, phrase_of(s)) for s in texts), **dict(zip(GROUP_FIELDS, group, strict=True)))
    return ev


def document_spec(doc: CandidateDoc, phrase_of: Callable[[str], int], today: date) -> CandidateSpec:
    return CandidateSpec(key=doc.id, evidence=groups_specs(evidence_groups(doc, today), phrase_of))


class PoolLayout:
    """The evidence of a pool's candidates laid out flat: every item's text in order, and per run of items
    (one group of one candidate) its distinct group and length. :attr:`distinct` is what needs phrase ids;
    :meth:`pool` then makes the same arrays (and explanations) as
    :func:`apps.matching.engine.pool_from_specs` gives for the candidates' specs."""

    def __init__(self, groups: Iterable[Sequence[tuple[Group, Sequence[str]]]]):
        index: dict[Group, int] = {}
        run_group: list[int] = []
        run_size: list[int] = []
        texts: list[str] = []
        counts: list[int] = []
        for doc_groups in groups:
            n = len(texts)
            for group, items in doc_groups:
                g = index.get(group)
                if g is None:
                    g = index[group] = len(index)
                run_group.append(g)
                run_size.append(len(items))
                texts += items
            counts.append(len(texts) - n)
        self.texts = texts
        # each distinct text with the position of its first item, and per item that position: one pass
        # over the 1.5 million items of a large pool gives both (the phrase ids then go per distinct text)
        self.distinct: dict[str, int] = {}
        self.first = np.fromiter(
            map(self.distinct.setdefault, texts, itertools.count()), dtype=np.int64, count=len(texts)
        )
        self.groups = list(index)
        self.counts = np.array(counts, dtype=np.int64)
        self.item_group = np.repeat(np.array(run_group, dtype=np.int64), np.array(run_size, dtype=np.int64))

    def pool(self, keys: Sequence[str], phrase_ids: Mapping[str, int]) -> Pool:
        """The pool of candidates ``keys`` (one per group list given, in order); ``phrase_ids``: the
        phrase id of each text."""
        if len(keys) != len(self.counts):
            raise ValueError(f"{len(keys)} keys for {len(self.counts)} candidates")
        texts, distinct, item_group = self.texts, self.groups, self.item_group
        offsets = np.zeros(len(keys) + 1, dtype=np.int64)
        np.cumsum(self.counts, out=offsets[1:])
        t = len(texts)

        def column(name: str, convert: Callable[[Any], Any], dtype: type) -> np.ndarray:
            k = GROUP_FIELDS.index(name)
            values = np.fromiter((convert(g[k]) for g in distinct), dtype=dtype, count=len(distinct))
            return values[item_group]

        def describe(items: np.ndarray) -> list[dict]:
            out = []
            for i in items.tolist():
                source, credential, issuer, issued = distinct[int(item_group[i])][:4]
                out.append(
                    {
                        "text": texts[i],
                        "credential": credential or source,
                        "credential_id": None,
                        "issuer": issuer,
                        "issued": issued.isoformat() if issued else None,
                    }
                )
            return out

        return Pool(
            keys=list(keys),
            offsets=offsets,
            phrase=self._phrases(phrase_ids),
            source=column("source", lambda s: SOURCE_CODE.get(s, 3), np.int8),
            issued=column("issued", day_number, np.int32),
            expires=column("expires", day_number, np.int32),
            revoked=np.zeros(t, dtype=bool),
            level=column("level", _float, np.float32),
            concept=np.full(t, -1, dtype=np.int64),
            describe=describe,
            hours=column("hours", _float, np.float32),
            ects=column("ects", _float, np.float32),
            days=column("days", _float, np.float32),
            quality_assured=column("quality_assured", lambda q: -1 if q is None else int(q), np.int8),
            assessment=column("assessment", lambda a: ASSESSMENT_CODE.get(a, -1), np.int8),
            endorsements=column("endorsements", lambda e: min(int(e), 10_000), np.int16),
            score=column("score", _float, np.float32),
        )

    def _phrases(self, phrase_ids: Mapping[str, int]) -> np.ndarray:
        """The phrase id of every item: looked up per distinct text, then gathered."""
        table = np.zeros(len(self.texts), dtype=np.int64)
        at = np.fromiter(self.distinct.values(), dtype=np.int64, count=len(self.distinct))
        table[at] = np.fromiter(map(phrase_ids.__getitem__, self.distinct), dtype=np.int64, count=len(at))
        return table[self.first]


def _float(v: Any) -> float:
    return math.nan if v is None else float(v)
