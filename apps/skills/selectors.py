"""Reads for the taxonomy: the label index used by normalization and concept resolution."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import Count, Max

from . import index_snapshot
from .fusion import TreeFusion
from .label_rules import word_seq
from .models import LabelKind, NormalizerFit, Phrase, Skill, SkillLabel
from .normalizer import FEATURES, TaxonomyIndex, tokens
from .text import gloss, normalize_phrase
from .vocabulary import aux_model_key, aux_spec, model_key, phrase_vectors, stored_vectors

_index: TaxonomyIndex | None = None
_KIND_ORDER: dict[str, int] = {LabelKind.PREFERRED: 0, LabelKind.ALTERNATIVE: 1, LabelKind.HIDDEN: 2}


_key_memo: tuple[float, str] | None = None  # (monotonic time read, key)


def taxonomy_key() -> str:
    """Identifies the current label set; a fitted normalizer is only used for the set it was fitted on.

    Counted at most once per TSUMIKI_TAXONOMY_KEY_SECONDS per process (see the setting);
    :func:`taxonomy_key_forget` makes the next call count again."""
    global _key_memo
    ttl = float(getattr(settings, "TSUMIKI_TAXONOMY_KEY_SECONDS", 0.0))
    memo, now = _key_memo, time.monotonic()
    if memo is not None and ttl > 0 and now - memo[0] < ttl:
        return memo[1]
    agg = SkillLabel.objects.aggregate(n=Count("id"), m=Max("id"))
    key = f"{agg['n']}:{agg['m']}"
    _key_memo = (now, key)
    return key


def taxonomy_key_forget(**_signal_kwargs: object) -> None:
    """Forget the remembered label-set key (after labels were written; also a signal receiver)."""
    global _key_memo
    _key_memo = None


def latest_fit(*, key: str) -> NormalizerFit | None:
    return NormalizerFit.objects.filter(model=model_key(), taxonomy_key=key).first()


def usable_fit(*, key: str) -> NormalizerFit | None:
    """The latest fit for taxonomy ``key`` and the configured encoders, if this code can use it."""
    fit = latest_fit(key=key)
    if fit is not None and (
        fit.params.get("kind") != "trees"
        or fit.metrics.get("features") != list(FEATURES)
        or fit.params.get("aux") != aux_model_key()
    ):
        # fitted by an earlier version over other features, or with another auxiliary encoder: ignored
        # until the next fit (import_esco)
        return None
    return fit


def taxonomy_index(*, with_fusion: bool = True) -> TaxonomyIndex:
    """The process-wide label index, rebuilt when the taxonomy, the encoder or the fit changed."""
    global _index
    tkey = taxonomy_key()
    encoders = (model_key(), aux_model_key())
    if with_fusion and _index is not None:
        # every extraction and normalization asks: the id of the latest fit says whether the index is
        # current without reading the fit itself (its trees are megabytes of JSON)
        latest = NormalizerFit.objects.filter(model=encoders[0], taxonomy_key=tkey).values_list("id", flat=True)
        if _index.key == (*encoders, tkey, latest.first()):
            return _index
    fit = usable_fit(key=tkey) if with_fusion else None
    key = (*encoders, tkey, fit.id if fit else None)
    if _index is not None and _index.key == key:
        return _index
    fusion, rules = (TreeFusion.from_dict(fit.params), fit.params.get("rules")) if fit else (None, None)
    # only a fitted index is snapshotted: the fit is what identifies the import that made the label set
    folder: str = getattr(settings, "TSUMIKI_INDEX_SNAPSHOTS", "")
    snap = _snapshot_key(fit, tkey, encoders) if folder and fit is not None else ""
    stored = index_snapshot.load(folder, snap) if snap else None
    if stored is not None:
        _index = TaxonomyIndex(**stored, fusion=fusion, stored_rules=rules, key=key)
        return _index
    _index = _index_from_database(key=key, fusion=fusion, rules=rules)
    if snap:
        index_snapshot.save(folder, snap, {name: getattr(_index, name) for name in index_snapshot.FIELDS})
    return _index


# What the index's contents are derived with: a snapshot written by other code is not read.
_SNAPSHOT_CODE = tuple(
    Path(__file__).with_name(name)
    for name in ("selectors.py", "normalizer.py", "label_rules.py", "text.py", "index_snapshot.py")
)


def _snapshot_key(fit: NormalizerFit, tkey: str, encoders: tuple[str, str | None]) -> str:
    """The index snapshot's key for the label set ``tkey`` as imported with ``fit``: the encoders, the
    fit (a copy of the database keeps its id and creation time, another import makes a new one) and a
    digest of every row the index reads but the vectors, so that a concept edited after the import (its
    preferred label, its description) is never read from an older snapshot. A phrase's stored vector
    under one encoder (name and version) does not change. ~0.2 s for the full release, against ~5 s
    to build the index."""
    identity = (*encoders, tkey, fit.id, fit.taxonomy_key, fit.created_at.isoformat(), fit.model, _rows_digest())
    return index_snapshot.snapshot_key(identity=identity, code=_SNAPSHOT_CODE)


def _rows_digest() -> str:
    """A digest of the concepts' and labels' rows as the index reads them (ids, texts, kinds, phrases)."""
    import hashlib

    labels, skills = SkillLabel._meta.db_table, Skill._meta.db_table
    h = hashlib.sha256()
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT l.id, l.skill_id, l.phrase_id, l.kind, l.text FROM {labels} l "  # noqa: S608
            f"JOIN {skills} s ON s.id = l.skill_id WHERE NOT s.is_group ORDER BY l.id"
        )
        h.update("\x1e".join(map(repr, cur.fetchall())).encode())
        cur.execute(f"SELECT id, uri, preferred_label, description FROM {skills} WHERE NOT is_group ORDER BY id")  # noqa: S608
        h.update("\x1d".join(map(repr, cur.fetchall())).encode())
    return h.hexdigest()


def _index_from_database(*, key: tuple, fusion: TreeFusion | None, rules: dict | None) -> TaxonomyIndex:
    """The label index read from the label rows, their stored vectors and the concepts' definitions."""
    rows = list(
        SkillLabel.objects.filter(skill__is_group=False).values_list(
            "skill_id", "phrase_id", "text", "kind", "id", "phrase__text"
        )
    )
    # grouped by concept, preferred label first (the normalizer's pref_cos feature reads row 0)
    rows.sort(key=lambda r: (r[0], _KIND_ORDER.get(r[3], 3), r[4]))
    skills = dict(Skill.objects.filter(is_group=False).values_list("id", "uri"))
    prefs, descriptions = {}, {}
    for sid, pref, desc in Skill.objects.filter(is_group=False).values_list("id", "preferred_label", "description"):
        prefs[sid], descriptions[sid] = pref, desc
    skill_ids, seg_starts = [], []
    phrase_rows: dict[str, int] = {}
    last = None
    for r, (sid, _pid, _text, _kind, _id, phrase_text) in enumerate(rows):
        phrase_rows.setdefault(phrase_text, r)
        if sid != last:
            skill_ids.append(sid)
            seg_starts.append(r)
            last = sid
    position = {sid: i for i, sid in enumerate(skill_ids)}
    exact = {
        t: position[sid] for t, sid in exact_labels((sid, text, kind) for sid, _, text, kind, _, _ in rows).items()
    }
    vecs = phrase_vectors(phrase_ids=[r[1] for r in rows]) if rows else np.zeros((0, 1), np.float32)
    aux = aux_spec() if rows else None
    g_rows, g_ids = _gloss_rows([descriptions[s] for s in skill_ids])
    return TaxonomyIndex(
        skill_ids=np.array(skill_ids, dtype=np.int64),
        uris=[skills[s] for s in skill_ids],
        labels=[prefs[s] for s in skill_ids],
        seg_starts=np.array(seg_starts, dtype=np.int64),
        label_vecs=vecs,
        label_tokens=[tokens(r[2]) for r in rows],
        label_seqs=[word_seq(r[2]) for r in rows],
        exact=exact,
        phrase_rows=phrase_rows,
        fusion=fusion,
        stored_rules=rules,
        key=key,
        gloss_vecs=_gloss_vectors(g_rows, g_ids, size=len(skill_ids), dim=vecs.shape[1]) if rows else None,
        # only when import_esco stored them (never embedded here: this runs on requests)
        aux_vecs=stored_vectors(phrase_ids=[r[1] for r in rows], spec=aux) if aux else None,
        aux_gloss_vecs=_gloss_vectors(g_rows, g_ids, size=len(skill_ids), spec=aux) if aux else None,
    )


def exact_labels(rows: Iterable[tuple[int, str, str]]) -> dict[str, int]:
    """{normalized label text: concept id} over label rows (concept id, text, kind) in index order (by
    concept, preferred label first): a text that labels several concepts means the lowest-ordered
    concept it is the preferred label of, else the lowest-ordered one it is another label of. The
    index and the lookup below both use this, so a label means the same concept to both."""
    exact: dict[str, int] = {}
    preferred: dict[str, int] = {}
    for sid, text, kind in rows:
        (preferred if kind == LabelKind.PREFERRED else exact).setdefault(normalize_phrase(text), sid)
    exact.update(preferred)
    return exact


def near_key(text: str) -> str:
    """A phrase's words without punctuation ("problem-solving", "problem solving."): two texts with one
    near key differ only in what the rewrite rules and the tokenizer ignore anyway."""
    return " ".join(word_seq(text))


@dataclass(frozen=True)
class LabelLookup:
    """Concepts of phrases that are labels, without the encoders or the label index: ``exact`` by
    normalized text (as the index's ``exact``), ``near`` by :func:`near_key` where every label with
    that key belongs to one concept."""

    key: str
    exact: dict[str, int]
    near: dict[str, int]

    def concept_of(self, text: str) -> int | None:
        """The concept id the normalized phrase ``text`` is (nearly) a label of, or None."""
        hit = self.exact.get(text)
        if hit is None:
            hit = self.near.get(near_key(text))
        return hit


_lookup: LabelLookup | None = None


def label_lookup(*, key: str | None = None) -> LabelLookup:
    """The process-wide :class:`LabelLookup` for the current label set (``key``: its taxonomy_key, when
    the caller has it); one read of the labels' concepts, texts and kinds, no vectors."""
    global _lookup
    key = key or taxonomy_key()
    if _lookup is not None and _lookup.key == key:
        return _lookup
    rows = list(SkillLabel.objects.filter(skill__is_group=False).values_list("skill_id", "text", "kind", "id"))
    rows.sort(key=lambda r: (r[0], _KIND_ORDER.get(r[2], 3), r[3]))
    exact = exact_labels((sid, text, kind) for sid, text, kind, _ in rows)
    owners: dict[str, int] = {}
    shared: set[str] = set()
    for sid, text, _kind, _ in rows:
        nk = near_key(text)
        if not nk or nk in shared:
            continue
        if owners.setdefault(nk, sid) != sid:
            shared.add(nk)
    near = {nk: sid for nk, sid in owners.items() if nk not in shared}
    _lookup = LabelLookup(key=key, exact=exact, near=near)
    return _lookup


def _gloss_rows(descriptions: list[str]) -> tuple[list[int], list[int]]:
    """(concept rows, phrase ids) of the concepts whose definition (first sentence of the description)
    is a stored phrase; taxonomy_import stores and embeds them."""
    keys = [normalize_phrase(gloss(d)) for d in descriptions]
    wanted = sorted({k for k in keys if k})
    ids: dict[str, int] = {}
    for i in range(0, len(wanted), 2000):
        ids.update(Phrase.objects.filter(text__in=wanted[i : i + 2000]).values_list("text", "id"))
    have = [(row, ids[k]) for row, k in enumerate(keys) if k in ids]
    return [r for r, _ in have], [p for _, p in have]


def _gloss_vectors(
    rows: list[int], phrase_ids: list[int], *, size: int, dim: int | None = None, spec: str | None = None
) -> np.ndarray | None:
    """One unit row per concept: its embedded definition, else zeros; under the primary encoder, or
    (stored vectors only, else None) the one ``spec`` names."""
    if spec is not None:
        found = stored_vectors(phrase_ids=phrase_ids, spec=spec) if phrase_ids else None
        if found is None:
            return None
    else:
        found = phrase_vectors(phrase_ids=phrase_ids) if phrase_ids else None
    out = np.zeros((size, found.shape[1] if found is not None else dim or 1), dtype=np.float32)
    if found is not None:
        out[rows] = found
    return out


def related_pairs(*, skill_ids: set[int]) -> set[tuple[int, int]]:
    """(narrower, broader) pairs among ``skill_ids``, directly linked in the hierarchy."""
    if not skill_ids:
        return set()
    through = Skill.broader.through
    ids = list(skill_ids)
    if len(ids) <= 500:
        return set(
            through.objects.filter(from_skill_id__in=ids, to_skill_id__in=ids).values_list(
                "from_skill_id", "to_skill_id"
            )
        )
    # a large pool names a good part of the taxonomy: reading every link (tens of thousands) and keeping
    # those among the pool's concepts costs a fraction of two IN lists of that size
    return {
        (a, b)
        for a, b in through.objects.values_list("from_skill_id", "to_skill_id")
        if a in skill_ids and b in skill_ids
    }


def skill_labels_matching(*, text: str, limit: int = 8) -> list[str]:
    """Preferred labels of concepts with a label containing ``text`` (case-insensitive), those starting
    with it first: plain SQL, no model, for the editor's suggestions while the encoder still loads."""
    text = text.strip()
    if not text:
        return []
    rows = (
        SkillLabel.objects.filter(skill__is_group=False, text__icontains=text)
        .values_list("skill__preferred_label", "text")
        .order_by("skill__preferred_label")[: limit * 20]
    )
    folded = text.casefold()
    ranked = sorted(rows, key=lambda r: (not r[1].casefold().startswith(folded), len(r[1]), r[0]))
    return list(dict.fromkeys(label for label, _ in ranked))[:limit]


_prior: tuple[tuple, np.ndarray] | None = None


def skill_prior(index: TaxonomyIndex) -> np.ndarray:
    """Per concept of ``index`` (its order), log(1 + the number of occupations that hold it as essential):
    the skills many jobs ask for are more often what a job ad means. Zeros without occupation relations."""
    global _prior
    if _prior is not None and _prior[0] == index.key:
        return _prior[1]
    from .models import OccupationSkill

    counts = dict(
        OccupationSkill.objects.filter(relation="essential")
        .values("skill_id")
        .annotate(n=Count("occupation_id"))
        .values_list("skill_id", "n")
    )
    out = np.log1p(np.array([counts.get(int(s), 0) for s in index.skill_ids], dtype=np.float32))
    _prior = (index.key, out)
    return out
