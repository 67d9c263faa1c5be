"""The persistent vector cache: a release imported again, into any database, encodes nothing."""

from __future__ import annotations

import numpy as np
import pytest
from django.test import override_settings

from apps.skills import vocabulary
from apps.skills.models import NormalizerFit, Phrase, PhraseVector, Skill, SkillLabel
from apps.skills.services import normalizer_fit, taxonomy_import
from apps.skills.vector_cache import VectorCache, cached_encode, open_cache

# enough concepts for the normalizer to be fitted (services.normalizer_fit needs 20)
TRADES = "tile wall floor roof pipe wire door window stair fence deck gutter beam brick glass lamp sink tap".split()
FITTED = [
    (f"{t}-{v}", f"{v} {t}s", [f"{v}ing {t}s", f"{t} {v}ing"], None) for t in TRADES[:12] for v in ("install", "repair")
]


def _vectors() -> dict[tuple[str, str], bytes]:
    return {(t, m): bytes(v) for t, m, v in PhraseVector.objects.values_list("phrase__text", "model", "vector")}


def _forget_taxonomy() -> None:
    """What a fresh database holds: nothing (the cache folder is outside it)."""
    SkillLabel.objects.all().delete()
    Skill.objects.all().delete()
    NormalizerFit.objects.all().delete()
    Phrase.objects.all().delete()
    vocabulary.clear_cache()


def _no_encoder(monkeypatch) -> None:
    def refuse(spec=None):
        raise AssertionError(f"encoder {spec or 'primary'} loaded")

    monkeypatch.setattr(vocabulary, "encoder", refuse)


def test_a_release_imported_into_a_fresh_database_takes_every_vector_and_the_fit_from_the_cache(
    db, tmp_path, monkeypatch
):
    from apps.skills import services

    from .conftest import write_esco

    root = write_esco(tmp_path / "esco", skills=FITTED)
    with override_settings(TSUMIKI_VECTOR_CACHE=str(tmp_path / "cache")):
        taxonomy_import(root=root)
        first, fit = _vectors(), NormalizerFit.objects.values_list("params", "metrics").get()
        _forget_taxonomy()
        _no_encoder(monkeypatch)
        monkeypatch.setattr(services, "fit_fusion", lambda *a, **k: pytest.fail("fitted again"))
        again = taxonomy_import(root=root)
    assert _vectors() == first and len(first) == 2 * Phrase.objects.count()
    assert again.phrases_embedded == Phrase.objects.count()  # new to this database, encoded by no one
    assert NormalizerFit.objects.values_list("params", "metrics").get() == fit


def test_an_unchanged_release_imported_again_keeps_its_fit_and_encodes_nothing(db, tmp_path, monkeypatch):
    from .conftest import write_esco

    root = write_esco(tmp_path / "esco", skills=FITTED)
    taxonomy_import(root=root)
    fit = NormalizerFit.objects.get()
    _no_encoder(monkeypatch)
    rep = taxonomy_import(root=root)
    assert (rep.labels_created, rep.labels_removed, rep.phrases_embedded) == (0, 0, 0)
    assert list(NormalizerFit.objects.values_list("id", flat=True)) == [fit.id]
    assert rep.fit_metrics == fit.metrics
    monkeypatch.undo()
    changed = [*FITTED, ("paint", "paint walls", [], None)]
    taxonomy_import(root=write_esco(tmp_path / "changed", skills=changed))
    assert NormalizerFit.objects.count() == 2  # a changed release is fitted again


def test_a_damaged_cache_is_a_miss_and_never_an_error(tmp_path):
    folder = tmp_path / "cache"
    cache = open_cache(str(folder), "enc@1")
    assert cache is not None
    cache.put([("sql", np.ones(4, dtype=np.float32)), ("odd", np.ones(3, dtype=np.float32))])
    assert set(cache.get(["sql", "odd", "none"], dim=4)) == {"sql"}  # a row of another size is a miss
    cache.close()
    cache.path.write_bytes(b"not a database at all" * 100)
    assert open_cache(str(folder), "enc@1") is None  # encodes everything, as without a cache
    assert open_cache("", "enc@1") is None  # off


def test_cached_encode_encodes_each_miss_once_and_keeps_order(tmp_path):
    cache = VectorCache(tmp_path, "enc@1")
    calls: list[list[str]] = []

    def encode(texts):
        calls.append(list(texts))
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)

    vecs, n = cached_encode(["ab", "c", "ab"], encode, cache)
    assert n == 2 and calls == [["ab", "c"]] and vecs[:, 0].tolist() == [2, 1, 2]
    vecs, n = cached_encode(["c", "def"], encode, cache)
    assert n == 1 and calls[-1] == ["def"] and vecs[:, 0].tolist() == [1, 3]
    # one file per encoder: another encoder's vectors are never read
    assert VectorCache(tmp_path, "enc@2").get(["ab"]) == {}
    with pytest.raises(Exception, match="holds vectors of"):
        other = VectorCache(tmp_path, "enc@1")
        other._conn.execute("UPDATE meta SET value = 'enc@9'")
        other._conn.commit()
        VectorCache(tmp_path, "enc@1")


def test_a_fit_cached_by_other_fitting_code_is_not_taken(db, tmp_path, monkeypatch):
    """The cache key covers the fitting code's source: a changed feature computation fits again."""
    from apps.skills import services

    from .conftest import write_esco

    code = tmp_path / "normalizer.py"
    code.write_text("one version of the features")
    monkeypatch.setattr(services, "_FIT_CODE", (code,))
    root = write_esco(tmp_path / "esco", skills=FITTED)
    fits = []
    real_fit = services.fit_fusion
    monkeypatch.setattr(services, "fit_fusion", lambda *a, **k: fits.append(1) or real_fit(*a, **k))
    with override_settings(TSUMIKI_VECTOR_CACHE=str(tmp_path / "cache")):
        taxonomy_import(root=root)
        assert len(fits) == 1
        normalizer_fit()  # the same code: the cached fit
        assert len(fits) == 1
        code.write_text("another version of the features")
        normalizer_fit()
    assert len(fits) == 2
    assert len(list((tmp_path / "cache" / "fits").glob("*.json"))) == 2
