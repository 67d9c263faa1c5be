"""Reads for the taxonomy: the label index used by normalization and concept resolution."""
from __future__ import annotations

import numpy as np
from django.db.models import Max

from .models import LabelKind, Skill, SkillLabel
from .normalizer import TaxonomyIndex
from .text import normalize_phrase
from .vocabulary import model_key, phrase_vectors

_index: TaxonomyIndex | None = None


def taxonomy_index() -> TaxonomyIndex:
    """The process-wide label index, rebuilt when the taxonomy or the encoder changed."""
    global _index
    agg = SkillLabel.objects.aggregate(n=Max("id"))
    key = (model_key(), SkillLabel.objects.count(), agg["n"])
    if _index is not None and _index.key == key:
        return _index
    rows = list(
        SkillLabel.objects.filter(skill__is_group=False)
        .order_by("skill_id", "id")
        .values_list("skill_id", "phrase_id", "text", "kind")
    )
    skills = {s.id: s for s in Skill.objects.filter(is_group=False).only("id", "uri", "preferred_label")}
    skill_ids, seg_starts, exact, preferred_exact = [], [], {}, {}
    last = None
    for r, (sid, _pid, text, kind) in enumerate(rows):
        if sid != last:
            skill_ids.append(sid)
            seg_starts.append(r)
            last = sid
        idx = len(skill_ids) - 1
        norm = normalize_phrase(text)
        if kind == LabelKind.PREFERRED:
            preferred_exact.setdefault(norm, idx)
        else:
            exact.setdefault(norm, idx)
    exact.update(preferred_exact)
    vecs = phrase_vectors(phrase_ids=[r[1] for r in rows]) if rows else np.zeros((0, 1), np.float32)
    _index = TaxonomyIndex(
        skill_ids=np.array(skill_ids, dtype=np.int64),
        uris=[skills[s].uri for s in skill_ids],
        labels=[skills[s].preferred_label for s in skill_ids],
        seg_starts=np.array(seg_starts, dtype=np.int64),
        label_vecs=vecs,
        exact=exact,
        key=key,
    )
    return _index


def related_pairs(*, skill_ids: set[int]) -> set[tuple[int, int]]:
    """(narrower, broader) pairs among ``skill_ids``, directly linked in the hierarchy."""
    if not skill_ids:
        return set()
    through = Skill.broader.through
    ids = list(skill_ids)
    return set(
        through.objects.filter(from_skill_id__in=ids, to_skill_id__in=ids).values_list("from_skill_id", "to_skill_id")
    )
