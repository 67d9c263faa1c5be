"""A persistent cache of phrase vectors outside the database, keyed by encoder and text (no Django).

``import_esco`` embeds every label of a release: minutes of encoder time, the same for every database
the release is imported into (a fresh evaluation database, a test server, a re-created development
database). The vector a text gets is a function of the encoder (``model_key``: name and version) and
the normalized text alone, so it is kept here once computed, one SQLite file per encoder, and an import
of a release seen before encodes nothing. The normalizer's fit, a function of the label index's contents
and the fitting code, is kept beside them (``fits/``, JSON), so that such an import fits nothing either.

The folder is the setting ``TSUMIKI_VECTOR_CACHE`` (default ``$XDG_CACHE_HOME/tsumiki/vectors``, i.e.
``~/.cache/tsumiki/vectors``; empty turns the cache off). The cache only ever saves work: a folder that
cannot be written, a damaged file or a row of the wrong size reads as a miss, and the phrase is
encoded as it would have been without it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)
_CHUNK = 900  # under SQLite's smallest limit on query parameters


def _file_name(key: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", key)[:80]
    return f"{safe}-{hashlib.sha256(key.encode()).hexdigest()[:12]}.sqlite3"


class VectorCache:
    """The cached vectors of one encoder (``key``, e.g. ``all-MiniLM-L6-v2@0.1.0``) in ``folder``."""

    def __init__(self, folder: str | os.PathLike[str], key: str) -> None:
        self.key = key
        self.path = Path(folder) / _file_name(key)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, timeout=30)
        # a new file's pages hold several 1.5-2 KiB vectors each (4 KiB pages held two)
        self._conn.execute("PRAGMA page_size = 16384")
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        self._conn.execute("CREATE TABLE IF NOT EXISTS vectors (text TEXT PRIMARY KEY, vector BLOB NOT NULL)")
        self._conn.execute("INSERT OR IGNORE INTO meta VALUES ('model', ?)", (key,))
        self._conn.commit()
        stored = self._conn.execute("SELECT value FROM meta WHERE name = 'model'").fetchone()
        if stored is None or stored[0] != key:  # two keys that share a file name: never mix them
            raise sqlite3.DatabaseError(f"{self.path} holds vectors of {stored[0] if stored else '?'}, not {key}")

    def get(self, texts: Sequence[str], dim: int | None = None) -> dict[str, np.ndarray]:
        """{text: vector} for the texts among ``texts`` that are cached (rows of another ``dim`` are
        left out, as misses; an unreadable cache is all misses)."""
        out: dict[str, np.ndarray] = {}
        wanted = list(dict.fromkeys(texts))
        try:
            for i in range(0, len(wanted), _CHUNK):
                chunk = wanted[i : i + _CHUNK]
                marks = ",".join("?" * len(chunk))
                for text, blob in self._conn.execute(
                    f"SELECT text, vector FROM vectors WHERE text IN ({marks})",  # noqa: S608
                    chunk,
                ):
                    if isinstance(blob, bytes) and len(blob) % 4 == 0 and (dim is None or len(blob) == 4 * dim):
                        out[text] = np.frombuffer(blob, dtype=np.float32)
        except sqlite3.Error as e:
            log.warning("vector cache %s not read: %s", self.path, e)
            return {}
        return out

    def put(self, items: Iterable[tuple[str, np.ndarray]]) -> None:
        """Keep these vectors (a cache that cannot be written is left as it is)."""
        rows = [(t, np.ascontiguousarray(v, dtype=np.float32).tobytes()) for t, v in items]
        try:
            with self._conn:
                self._conn.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", rows)
        except sqlite3.Error as e:
            log.warning("vector cache %s not written: %s", self.path, e)

    def close(self) -> None:
        self._conn.close()


def open_cache(folder: str | None, key: str) -> VectorCache | None:
    """The cache of encoder ``key`` in ``folder``, or None when the cache is off or cannot be opened
    (the caller then encodes everything, as without a cache)."""
    if not folder:
        return None
    try:
        return VectorCache(folder, key)
    except (OSError, sqlite3.Error) as e:
        log.warning("vector cache in %s not used: %s", folder, e)
        return None


def cached_encode(
    texts: Sequence[str],
    encode: Callable[[list[str]], np.ndarray],
    cache: VectorCache | None,
    *,
    dim: int | None = None,
) -> tuple[np.ndarray, int]:
    """(vectors of ``texts`` in order, how many were encoded): cached ones read, the others encoded
    with ``encode`` (a function of a list of texts, called at most once) and added to the cache."""
    hits = cache.get(texts, dim) if cache is not None else {}
    misses = list(dict.fromkeys(t for t in texts if t not in hits))
    if misses:
        new = dict(zip(misses, encode(misses), strict=True))
        if cache is not None:
            cache.put(new.items())
        hits.update(new)
    if not texts:
        return np.zeros((0, dim or 0), dtype=np.float32), 0
    return np.stack([hits[t] for t in texts]).astype(np.float32, copy=False), len(misses)


def fit_get(folder: str, key: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(params, metrics) of a normalizer fit stored under ``key`` (apps.skills.services._fit_key), or None."""
    import json

    try:
        stored = json.loads((Path(folder) / "fits" / f"{key}.json").read_text(encoding="utf-8"))
        return stored["params"], stored["metrics"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def fit_put(folder: str, key: str, params: dict[str, Any], metrics: dict[str, Any]) -> None:
    """Keep a fit under ``key`` (written whole, then renamed: a reader never sees half a file)."""
    import json

    target = Path(folder) / "fits" / f"{key}.json"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"params": params, "metrics": metrics}), encoding="utf-8")
        tmp.replace(target)
    except OSError as e:
        log.warning("normalizer fit not cached in %s: %s", folder, e)
