"""A stored copy of the label index's contents outside the database, memory-mapped on load (no Django).

Building the taxonomy index (apps.skills.selectors.taxonomy_index) reads ~113k label rows, their vectors
under two encoders (~400 MB) and the concepts' definitions from the database, and splits every label into
words: about 5 s of a cold ``rank`` or a worker's first request, repeated by every process. What it reads
is fixed once an import has finished, so the first process to build it writes it here, and every later
process (any database holding the same import, e.g. a copy made for an evaluation) maps it instead: the
vectors as ``.npy`` files opened with ``mmap_mode="r"`` (read-only pages the OS shares between the web and
worker processes of one machine), the words and labels as JSON. Nothing is unpickled: a damaged or foreign
file is a miss, never code.

A snapshot is found by its key (:func:`snapshot_key`): the label set's identity, the fit that the import
stored with it (its id and time of creation, which a copy of the database keeps and another import does
not), both encoders, a digest of the concept and label rows (apps.skills.selectors._rows_digest) and the
source of the code that derives the contents. The folder is
``TSUMIKI_INDEX_SNAPSHOTS`` (default beside the vector cache; empty turns it off); the newest
:data:`KEEP` snapshots are kept.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

FORMAT = 1
KEEP = 3  # snapshots kept in the folder (each is ~0.5 GB for the full English release)
ARRAYS = ("skill_ids", "seg_starts", "label_vecs", "gloss_vecs", "aux_vecs", "aux_gloss_vecs")
# what __post_init__ of TaxonomyIndex derives the rest from; label_tokens and label_seqs are stored as lists
TEXTS = ("uris", "labels", "label_tokens", "label_seqs", "exact", "phrase_rows")
FIELDS = ARRAYS + TEXTS


def snapshot_key(*, identity: Iterable[object], code: Iterable[Path]) -> str:
    """A hex digest of ``identity`` (label set, fit, encoders) and the bytes of the ``code`` files."""
    h = hashlib.sha256(f"format {FORMAT}|numpy {np.__version__}|".encode())
    for part in identity:
        h.update(f"{part!r}\x1f".encode())
    for path in code:
        h.update(path.read_bytes())
    return h.hexdigest()


def _dir(folder: str | os.PathLike[str], key: str) -> Path:
    return Path(folder) / f"index-{key[:40]}"


def load(folder: str | os.PathLike[str], key: str) -> dict[str, Any] | None:
    """The fields stored under ``key`` (arrays memory-mapped read-only, label words as frozensets and
    tuples), or None when there is no complete, readable snapshot of that key."""
    if not folder or not key:
        return None
    where = _dir(folder, key)
    try:
        meta = json.loads((where / "meta.json").read_text(encoding="utf-8"))
        if meta.get("key") != key or meta.get("format") != FORMAT:
            return None
        texts = json.loads((where / "texts.json").read_text(encoding="utf-8"))
        out: dict[str, Any] = {}
        for name in ARRAYS:
            shape = meta["arrays"].get(name)
            if shape is None:
                out[name] = None
                continue
            arr = np.load(where / f"{name}.npy", mmap_mode="r", allow_pickle=False)
            if list(arr.shape) != shape:
                return None
            out[name] = arr
        n = len(texts["label_tokens"])
        if out["label_vecs"] is None or out["label_vecs"].shape[0] != n or len(texts["label_seqs"]) != n:
            return None
        out.update({name: texts[name] for name in TEXTS})
        out["label_tokens"] = [frozenset(t) for t in texts["label_tokens"]]
        out["label_seqs"] = [tuple(s) for s in texts["label_seqs"]]
    except (OSError, ValueError, KeyError, TypeError) as e:
        if not isinstance(e, FileNotFoundError):
            log.warning("index snapshot %s unreadable (%s): building the index from the database", where, e)
        return None
    try:
        os.utime(where)  # newest use first when pruning
    except OSError:
        pass
    return out


def save(folder: str | os.PathLike[str], key: str, fields: dict[str, Any]) -> Path | None:
    """Store ``fields`` (ARRAYS and TEXTS of a built index) under ``key``, atomically: written into a
    temporary folder, then renamed. Returns where, or None when the folder cannot be written (the index
    is then built from the database next time as well)."""
    if not folder or not key:
        return None
    where = _dir(folder, key)
    if (where / "meta.json").exists():
        return where
    tmp: Path | None = None
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".partial-", dir=folder))
        tmp.chmod(0o755)  # as a folder made by mkdir: readable by the machine's other service users
        shapes: dict[str, list[int] | None] = {}
        for name in ARRAYS:
            arr = fields.get(name)
            if arr is None:
                shapes[name] = None
                continue
            np.save(tmp / f"{name}.npy", np.ascontiguousarray(arr), allow_pickle=False)
            shapes[name] = list(arr.shape)
        texts = {
            "uris": list(fields["uris"]),
            "labels": list(fields["labels"]),
            "label_tokens": [sorted(t) for t in fields["label_tokens"]],
            "label_seqs": [list(s) for s in fields["label_seqs"]],
            "exact": dict(fields["exact"]),
            "phrase_rows": dict(fields["phrase_rows"]),
        }
        (tmp / "texts.json").write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        # meta last: a folder without it is incomplete and never read
        (tmp / "meta.json").write_text(json.dumps({"key": key, "format": FORMAT, "arrays": shapes}), encoding="utf-8")
        try:
            os.rename(tmp, where)
        except OSError:
            if not (where / "meta.json").exists():  # not another process's complete snapshot: a failure
                raise
            shutil.rmtree(tmp, ignore_errors=True)
        tmp = None
        prune(folder)
        return where
    except OSError as e:
        log.warning("could not store the index snapshot in %s (%s)", folder, e)
        return None
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def prune(folder: str | os.PathLike[str], keep: int = KEEP) -> list[Path]:
    """Remove all but the ``keep`` most recently used snapshots (and partial folders older than an hour,
    left by a process that died while writing). Returns what was removed."""
    root = Path(folder)
    done = sorted((p for p in root.glob("index-*") if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    gone = done[keep:]
    gone += [p for p in root.glob(".partial-*") if p.is_dir() and time.time() - p.stat().st_mtime > 3600]
    for p in gone:
        shutil.rmtree(p, ignore_errors=True)
    return gone
