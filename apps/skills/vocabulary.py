"""The phrase vocabulary: every distinct normalized phrase gets an id and one stored vector per
encoder, so nothing is embedded twice (DESIGN.md "The matching model")."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np
from django.conf import settings
from django.db import transaction

from .encoders import encoder_identity, get_encoder
from .models import Phrase, PhraseVector
from .text import normalize_phrase

_BATCH = 2000  # stays under every backend's limit on query parameters
EMBED_BATCH = 4096


def model_key() -> str:
    """The configured encoder as stored with vectors and runs, e.g. ``all-MiniLM-L6-v2@0.1.0``."""
    name, version = encoder_identity(settings.TSUMIKI_ENCODER)
    return f"{name}@{version}"


def encoder():
    return get_encoder(settings.TSUMIKI_ENCODER, settings.TSUMIKI_TORCH_THREADS)


# process-wide cache: model key -> {phrase id -> vector}; vectors never change once stored
_cache: dict[str, dict[int, np.ndarray]] = {}


def _chunks(seq: Sequence, n: int = _BATCH):
    for i in range(0, len(seq), n):
        yield seq[i : i + n]


def phrases_ensure(
    *, texts: Iterable[str], embed: bool = True, progress: Callable[[int, int], None] | None = None
) -> dict[str, int]:
    """Map each text's normalized form to its phrase id, creating phrases (and their vectors for
    the current encoder) that are new. Returns {normalized text: id}; empty texts are skipped."""
    keys = sorted({k for k in (normalize_phrase(t) for t in texts) if k})
    ids: dict[str, int] = {}
    for chunk in _chunks(keys):
        ids.update(Phrase.objects.filter(text__in=chunk).values_list("text", "id"))
    missing = [k for k in keys if k not in ids]
    for chunk in _chunks(missing):
        Phrase.objects.bulk_create([Phrase(text=k) for k in chunk], ignore_conflicts=True)
        ids.update(Phrase.objects.filter(text__in=chunk).values_list("text", "id"))
    if embed:
        vectors_ensure(phrase_ids=list(ids.values()), progress=progress)
    return ids


def vectors_ensure(*, phrase_ids: Sequence[int], progress: Callable[[int, int], None] | None = None) -> int:
    """Embed and store the phrases among ``phrase_ids`` that have no vector for the current encoder.
    Returns how many were embedded."""
    key = model_key()
    cached = _cache.get(key, {})
    todo = [i for i in phrase_ids if i not in cached]
    have: set[int] = set()
    for chunk in _chunks(todo):
        have.update(PhraseVector.objects.filter(model=key, phrase_id__in=chunk).values_list("phrase_id", flat=True))
    todo = sorted(set(todo) - have)
    if not todo:
        return 0
    enc = encoder()
    done = 0
    for batch in _chunks(todo, EMBED_BATCH):
        texts: dict[int, str] = {}
        for sub in _chunks(batch):
            texts.update(Phrase.objects.filter(id__in=sub).values_list("id", "text"))
        ordered = [i for i in batch if i in texts]
        vecs = enc.encode([texts[i] for i in ordered])
        with transaction.atomic():
            PhraseVector.objects.bulk_create(
                [PhraseVector(phrase_id=i, model=key, vector=v.tobytes()) for i, v in zip(ordered, vecs, strict=True)],
                ignore_conflicts=True,
                batch_size=1000,
            )
        store = _cache.setdefault(key, {})
        for i, v in zip(ordered, vecs, strict=True):
            store[i] = v
        done += len(ordered)
        if progress:
            progress(done, len(todo))
    return done


def phrase_vectors(*, phrase_ids: Sequence[int]) -> np.ndarray:
    """The stored vectors of ``phrase_ids`` in order, as one (n, dim) float32 matrix. Phrases without
    a vector for the current encoder are embedded first."""
    key = model_key()
    store = _cache.setdefault(key, {})
    need = [i for i in set(phrase_ids) if i not in store]
    for chunk in _chunks(need):
        for pid, blob in PhraseVector.objects.filter(model=key, phrase_id__in=chunk).values_list("phrase_id", "vector"):
            store[pid] = np.frombuffer(bytes(blob), dtype=np.float32)
    if any(i not in store for i in phrase_ids):
        vectors_ensure(phrase_ids=[i for i in phrase_ids if i not in store])
    if not phrase_ids:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([store[i] for i in phrase_ids])


def clear_cache() -> None:
    """Forget cached vectors (tests that switch databases call this)."""
    _cache.clear()
