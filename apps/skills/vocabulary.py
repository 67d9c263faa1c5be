"""The phrase vocabulary: every distinct normalized phrase gets an id and one stored vector per
encoder, so nothing is embedded twice (docs/architecture.md "The matching model")."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from django.conf import settings
from django.db import connection, transaction

from .encoders import ALIASES, encoder_identity, get_encoder
from .models import Phrase, PhraseVector
from .text import normalize_phrase

_BATCH = 2000  # stays under every backend's limit on query parameters
EMBED_BATCH = 4096


def model_key(spec: str | None = None) -> str:
    """An encoder as stored with vectors and runs, e.g. ``all-MiniLM-L6-v2@0.1.0``; the configured
    (primary) encoder unless ``spec`` names another."""
    name, version = encoder_identity(spec or settings.TSUMIKI_ENCODER)
    return f"{name}@{version}"


def encoder(spec: str | None = None):
    return get_encoder(spec or settings.TSUMIKI_ENCODER, settings.TSUMIKI_TORCH_THREADS)


def aux_spec() -> str | None:
    """The normalizer's auxiliary encoder (TSUMIKI_AUX_ENCODER), or None when it is off or would be the
    primary encoder again."""
    spec = ALIASES.get(settings.TSUMIKI_AUX_ENCODER, settings.TSUMIKI_AUX_ENCODER)
    return spec if spec and spec != ALIASES.get(settings.TSUMIKI_ENCODER, settings.TSUMIKI_ENCODER) else None


def aux_model_key() -> str | None:
    spec = aux_spec()
    return model_key(spec) if spec else None


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
    return _ensure_keys({normalize_phrase(t) for t in texts}, embed=embed, progress=progress)


def phrase_ids_ensure(*, texts: Iterable[str], embed: bool = True) -> dict[str, int]:
    """:func:`phrases_ensure` keyed by the texts as given: {text: phrase id of its normalized form},
    each distinct text normalized once (a pool of 100,000 candidates names ~100,000 distinct phrases).
    A text whose normalized form is empty has no entry."""
    keys = {t: normalize_phrase(t) for t in dict.fromkeys(texts)}
    ids = _ensure_keys(set(keys.values()), embed=embed)
    return {t: ids[k] for t, k in keys.items() if k}


def _ensure_keys(
    keys: set[str], *, embed: bool = True, progress: Callable[[int, int], None] | None = None
) -> dict[str, int]:
    """{normalized text: phrase id} for ``keys``, creating the phrases (and vectors) that are new."""
    ordered = sorted(k for k in keys if k)
    ids = _phrase_ids(ordered)
    missing = [k for k in ordered if k not in ids]
    for chunk in _chunks(missing):
        Phrase.objects.bulk_create([Phrase(text=k) for k in chunk], ignore_conflicts=True)
        ids.update(_phrase_ids(chunk))
    if embed:
        vectors_ensure(phrase_ids=list(ids.values()), progress=progress)
    return ids


def select_in(sql: str, fixed: Sequence, values: Sequence) -> Iterator[tuple]:
    """The rows of ``sql``, whose ``{marks}`` stands for an IN list, run with ``fixed`` parameters then
    one batch of ``values`` at a time; plain SQL (the ORM's handling of IN lists cost a pool of 100,000
    candidates seconds more than the database did)."""
    with connection.cursor() as wrapped:
        # DEBUG's query log quotes every parameter for the log, on SQLite by one more query per 999 of
        # them: for these reads of 100,000 ids that cost about as much as the reads. The driver's cursor
        # (Django's own parameter style still) is used then; a capture of statements (tests) sees them.
        cur = wrapped.cursor if settings.DEBUG and not connection.force_debug_cursor else wrapped
        for chunk in _chunks(values):
            cur.execute(sql.format(marks=",".join(["%s"] * len(chunk))), [*fixed, *chunk])
            yield from cur.fetchall()


def _phrase_ids(keys: Sequence[str]) -> dict[str, int]:
    """{text: id} of the stored phrases among ``keys``."""
    table = connection.ops.quote_name(Phrase._meta.db_table)
    return dict(select_in(f"SELECT text, id FROM {table} WHERE text IN ({{marks}})", (), keys))  # noqa: S608


def _missing(phrase_ids: Sequence[int], key: str) -> list[int]:
    """The phrases among ``phrase_ids`` with no stored vector under model ``key``, sorted."""
    cached = _cache.get(key, {})
    todo = [i for i in phrase_ids if i not in cached]
    table = connection.ops.quote_name(PhraseVector._meta.db_table)
    sql = f"SELECT phrase_id FROM {table} WHERE model = %s AND phrase_id IN ({{marks}})"  # noqa: S608
    have = {r[0] for r in select_in(sql, (key,), todo)}
    return sorted(set(todo) - have)


def _texts(ids: Sequence[int]) -> tuple[list[int], list[str]]:
    """(ids, texts) of the phrases among ``ids`` that exist, in the order of ``ids``."""
    texts: dict[int, str] = {}
    for sub in _chunks(ids):
        texts.update(Phrase.objects.filter(id__in=sub).values_list("id", "text"))
    ordered = [i for i in ids if i in texts]
    return ordered, [texts[i] for i in ordered]


def _store(key: str, ids: Sequence[int], vecs: np.ndarray) -> None:
    with transaction.atomic():
        PhraseVector.objects.bulk_create(
            [PhraseVector(phrase_id=i, model=key, vector=v.tobytes()) for i, v in zip(ids, vecs, strict=True)],
            ignore_conflicts=True,
            batch_size=1000,
        )
    store = _cache.setdefault(key, {})
    for i, v in zip(ids, vecs, strict=True):
        store[i] = v


def _vector_cache(spec: str | None):
    """The persistent vector cache of the encoder ``spec`` names (apps.skills.vector_cache), or None."""
    from .vector_cache import open_cache

    return open_cache(getattr(settings, "TSUMIKI_VECTOR_CACHE", ""), model_key(spec))


def vectors_ensure(
    *,
    phrase_ids: Sequence[int],
    progress: Callable[[int, int], None] | None = None,
    spec: str | None = None,
    cache: bool = False,
) -> int:
    """Embed and store the phrases among ``phrase_ids`` that have no vector for the current encoder
    (or the one ``spec`` names). Returns how many were embedded. With ``cache`` (taxonomy_import), the
    persistent vector cache gives the vectors of texts encoded before (by any database) and keeps the
    new ones; the encoder is loaded only if some text is new to it."""
    from .vector_cache import cached_encode

    key = model_key(spec)
    todo = _missing(phrase_ids, key)
    if not todo:
        return 0
    store = _vector_cache(spec) if cache else None
    done = encoded = 0
    try:
        for batch in _chunks(todo, EMBED_BATCH):
            ordered, texts = _texts(batch)
            vecs, n = cached_encode(texts, lambda new: encoder(spec).encode(new), store)
            _store(key, ordered, vecs)
            done += len(ordered)
            encoded += n
            if progress:
                progress(done, len(todo))
    finally:
        if store is not None:
            store.close()
    return encoded if cache else done


def vectors_ensure_with_aux(
    *,
    phrase_ids: Sequence[int],
    aux: str,
    progress: Callable[[int, int], None] | None = None,
    cache: bool = False,
) -> tuple[int, int]:
    """``vectors_ensure`` under the primary encoder and under ``aux`` at once: the auxiliary encoder
    (one thread, numpy) embeds in a second thread while the primary one (one torch thread) embeds in
    this one, so a two-core machine does both in about the primary's time (taxonomy_import). Only this
    thread touches the database. Returns how many phrases each embedded (``cache``: as vectors_ensure)."""
    aux_key = model_key(aux)
    aux_ids, aux_texts = _texts(_missing(phrase_ids, aux_key))
    store = _vector_cache(aux) if cache and aux_ids else None
    try:
        hits = store.get(aux_texts) if store is not None else {}
        misses = [t for t in dict.fromkeys(aux_texts) if t not in hits]
        aux_encoder = encoder(aux) if misses else None  # loaded here, not in the worker thread
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="aux-encoder") as pool:
            pending = pool.submit(aux_encoder.encode, misses) if aux_encoder is not None else None
            done = vectors_ensure(phrase_ids=phrase_ids, progress=progress, cache=cache)
            fresh = pending.result() if pending is not None else None
        if fresh is not None:
            new = dict(zip(misses, fresh, strict=True))
            hits.update(new)
            if store is not None:
                store.put(new.items())
        aux_vecs = np.stack([hits[t] for t in aux_texts]) if aux_texts else None
    finally:
        if store is not None:
            store.close()
    if aux_vecs is not None:
        for start in range(0, len(aux_ids), EMBED_BATCH):
            _store(aux_key, aux_ids[start : start + EMBED_BATCH], aux_vecs[start : start + EMBED_BATCH])
    return done, (len(misses) if cache else len(aux_ids))


def vectors_ensure_parallel(
    *,
    phrase_ids: Sequence[int],
    specs: Sequence[str | None],
    workers: int,
    progress: Callable[[int, int], None] | None = None,
    cache: bool = False,
) -> list[int]:
    """``vectors_ensure`` under each encoder of ``specs`` (None: the primary one), the encoding shared by
    ``workers`` processes (apps.skills.encode_pool) in jobs of EMBED_BATCH texts, the primary encoder's
    first (they are the slow ones), so that no core waits while another finishes. This process reads the
    persistent cache (``cache``) and stores every job's vectors as it comes back. Returns how many
    phrases each encoder embedded (``cache``: as vectors_ensure)."""
    from .encode_pool import encode_parallel

    jobs: list[tuple[str, list[str]]] = []
    owners: list[tuple[int, list[int]]] = []  # job -> (spec number, its phrase ids)
    stores: list = []
    counts: list[int] = []
    try:
        for n, spec in enumerate(specs):
            key = model_key(spec)
            ids, texts = _texts(_missing(phrase_ids, key))
            store = _vector_cache(spec) if cache and ids else None
            stores.append(store)
            hits = store.get(texts) if store is not None else {}
            known = [(i, t) for i, t in zip(ids, texts, strict=True) if t in hits]
            for start in range(0, len(known), EMBED_BATCH):
                part = known[start : start + EMBED_BATCH]
                _store(key, [i for i, _ in part], np.stack([hits[t] for _, t in part]))
            todo = [(i, t) for i, t in zip(ids, texts, strict=True) if t not in hits]
            counts.append(len(todo) if cache else len(ids))
            resolved = spec or settings.TSUMIKI_ENCODER
            for start in range(0, len(todo), EMBED_BATCH):
                part = todo[start : start + EMBED_BATCH]
                jobs.append((resolved, [t for _, t in part]))
                owners.append((n, [i for i, _ in part]))
        total, done = sum(len(t) for _, t in jobs), 0
        for number, vecs in encode_parallel(jobs, workers=workers, threads=settings.TSUMIKI_TORCH_THREADS):
            n, ids = owners[number]
            _store(model_key(specs[n]), ids, vecs)
            if stores[n] is not None:
                stores[n].put(zip(jobs[number][1], vecs, strict=True))
            done += len(ids)
            if progress:
                progress(done, total)
    finally:
        for store in stores:
            if store is not None:
                store.close()
    return counts


def _load_stored(phrase_ids: Sequence[int], spec: str | None) -> dict[int, np.ndarray]:
    """The process cache of ``spec``'s vectors, with the stored vectors of ``phrase_ids`` loaded into it."""
    key = model_key(spec)
    store = _cache.setdefault(key, {})
    need = sorted(i for i in set(phrase_ids) if i not in store)
    # a process building the taxonomy index loads ~100k vectors per encoder
    table = connection.ops.quote_name(PhraseVector._meta.db_table)
    sql = f"SELECT phrase_id, vector FROM {table} WHERE model = %s AND phrase_id IN ({{marks}})"  # noqa: S608
    for pid, blob in select_in(sql, (key,), need):
        store[pid] = np.frombuffer(bytes(blob), dtype=np.float32)
    return store


def phrase_vectors(*, phrase_ids: Sequence[int], spec: str | None = None) -> np.ndarray:
    """The stored vectors of ``phrase_ids`` in order, as one (n, dim) float32 matrix. Phrases without
    a vector for the current encoder (or the one ``spec`` names) are embedded first."""
    store = _load_stored(phrase_ids, spec)
    if any(i not in store for i in phrase_ids):
        vectors_ensure(phrase_ids=[i for i in phrase_ids if i not in store], spec=spec)
    if not phrase_ids:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([store[i] for i in phrase_ids])


def vectors_load(*, phrase_ids: Iterable[int], spec: str | None = None) -> None:
    """Bring the vectors of ``phrase_ids`` into the process cache: the stored ones read at once, the
    others embedded and stored (what vectors_ensure would embed, in the same batches). A caller about to
    score every phrase of a pool reads each vector once instead of first asking which ones are missing."""
    ids = list(dict.fromkeys(phrase_ids))
    store = _load_stored(ids, spec)
    todo = [i for i in ids if i not in store]
    if todo:
        vectors_ensure(phrase_ids=todo, spec=spec)


def stored_vectors(*, phrase_ids: Sequence[int], spec: str | None = None) -> np.ndarray | None:
    """Like ``phrase_vectors`` but never embeds: None unless every phrase already has a stored vector
    (the normalizer's auxiliary vectors are embedded by taxonomy_import, never on a request)."""
    store = _load_stored(phrase_ids, spec)
    if not phrase_ids or any(i not in store for i in phrase_ids):
        return None
    return np.stack([store[i] for i in phrase_ids])


# Texts encoded on requests (extraction's units, clauses and n-grams; autocomplete queries), per model key,
# least recently used first. Job ads repeat their phrases ("python", "sql", "experience", "team"), and a
# re-submitted description repeats all of them. A vector is what the encoder gives for the text, whatever
# the batch (apps.skills.encoders), so a cached one is the one encoding would give again.
TEXT_CACHE_SIZE = 20_000  # per encoder: ~30 MB for MiniLM and USE together
_text_cache: dict[str, OrderedDict[str, np.ndarray]] = {}
_text_lock = threading.Lock()


def encode_known(
    texts: Sequence[str],
    *,
    spec: str | None = None,
    known_rows: Mapping[str, int] | None = None,
    known_vecs: np.ndarray | None = None,
) -> np.ndarray:
    """Vectors of ``texts`` (normalized phrases) under the configured encoder (or ``spec``'s), as one
    (n, dim) float32 matrix in order, encoding only what is neither a known phrase nor cached.

    ``known_rows`` maps a phrase to its row of ``known_vecs``: the taxonomy index's label rows, which hold
    the stored vectors of the label phrases (a text that is a label is encoded already). Everything else
    goes through the process cache of recently encoded texts, then the encoder in one call."""
    enc = encoder(spec)
    if not texts:
        return np.zeros((0, enc.dim), dtype=np.float32)
    key = model_key(spec)
    out = np.empty((len(texts), enc.dim), dtype=np.float32)
    todo: dict[str, list[int]] = {}
    with _text_lock:
        cache = _text_cache.setdefault(key, OrderedDict())
        for i, t in enumerate(texts):
            row = known_rows.get(t) if known_rows is not None and known_vecs is not None else None
            if row is not None:
                out[i] = known_vecs[row]
            elif (vec := cache.get(t)) is not None:
                cache.move_to_end(t)
                out[i] = vec
            else:
                todo.setdefault(t, []).append(i)
    if todo:
        new = list(todo)
        vecs = enc.encode(new)
        with _text_lock:
            for t, v in zip(new, vecs, strict=True):
                out[todo[t]] = v
                cache[t] = v.copy()  # not a view: an evicted entry must not keep the batch alive
            while len(cache) > TEXT_CACHE_SIZE:
                cache.popitem(last=False)
    return out


def clear_text_cache() -> None:
    """Forget the recently encoded texts (bench/extraction_speed.py times extraction without them)."""
    with _text_lock:
        _text_cache.clear()


def clear_cache() -> None:
    """Forget cached vectors (tests that switch databases call this)."""
    _cache.clear()
    clear_text_cache()
