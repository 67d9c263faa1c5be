"""Phrase resolution at pool scale: labels by lookup (exact and near-exact), the search for the rest,
answers stored per phrase."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.skills import selectors
from apps.skills.models import Phrase, Skill, SkillLabel
from apps.skills.services import _search_resolve, phrases_resolve, resolution_key, taxonomy_import
from apps.skills.text import normalize_phrase
from apps.skills.vocabulary import phrases_ensure

from .conftest import SKILLS, URI, write_esco

# two concepts share the alternative label "floor tiling"; "grout" is an alternative label of one and
# the preferred label of another (the preferred label wins); "tile-work" and "tile work" differ only in
# punctuation but belong to different concepts, so neither is a near-exact answer
SHARED = [
    *SKILLS,
    ("tile-a", "lay wall tiles", ["floor tiling", "grout", "tile-work"], None),
    ("tile-b", "fit ceramic tiles", ["floor tiling", "tile work"], None),
    ("grout", "grout", [], None),
]


@pytest.fixture
def shared_taxonomy(db, tmp_path):
    return taxonomy_import(root=write_esco(tmp_path / "esco", skills=SHARED))


def _concept(suffix: str) -> int:
    return Skill.objects.get(uri=URI + suffix).id


def test_label_lookup_gives_the_index_answer_for_every_label(shared_taxonomy):
    """The lookup and the label index share one rule, so an exact label means the same concept to both
    (and to the search, which ranks an exact label's concept first)."""
    index = selectors.taxonomy_index()
    lookup = selectors.label_lookup()
    assert lookup.exact == {t: int(index.skill_ids[c]) for t, c in index.exact.items()}
    assert lookup.exact["floor tiling"] == _concept("tile-a")  # the lower-ordered concept, as the index
    assert lookup.exact["grout"] == _concept("grout")  # a preferred label wins over an alternative one
    texts = sorted({normalize_phrase(t) for t in SkillLabel.objects.values_list("text", flat=True)})
    ids = phrases_ensure(texts=texts)
    searched = dict(_search_resolve({ids[t]: t for t in texts}))
    assert phrases_resolve(phrase_ids=list(ids.values())) == {ids[t]: searched[ids[t]] for t in texts}


def test_labels_resolve_without_the_index_or_the_encoders(shared_taxonomy):
    from apps.skills import encoders

    ids = phrases_ensure(texts=["Lay Wall Tiles", "structured query language", "Python-programming."])
    selectors._index = None
    encoders._encoders.clear()
    out = phrases_resolve(phrase_ids=list(ids.values()))
    assert out == {
        ids["lay wall tiles"]: _concept("tile-a"),
        ids["structured query language"]: _concept("sql"),
        ids["python-programming."]: _concept("py"),  # near-exact: "python programming" but for punctuation
    }
    assert selectors._index is None and not encoders._encoders
    assert set(Phrase.objects.filter(id__in=ids.values()).values_list("resolved_key", flat=True)) == {resolution_key()}


def test_a_near_key_of_two_concepts_is_searched(shared_taxonomy):
    lookup = selectors.label_lookup()
    assert lookup.concept_of("tile work") == _concept("tile-b")  # exact
    assert lookup.concept_of("tile-work") == _concept("tile-a")  # exact
    assert lookup.concept_of("tile/work") is None  # near both: left to the search
    assert lookup.concept_of("lay wall-tiles!") == _concept("tile-a")


def test_stored_resolutions_are_read_back_and_a_new_key_resolves_again(shared_taxonomy):
    ids = phrases_ensure(texts=["grout", "giving patients their medicine", "qqq zzz unrelated"])
    first = phrases_resolve(phrase_ids=list(ids.values()))
    assert first[ids["grout"]] == _concept("grout")
    # a stored answer is returned as stored, even one the lookup would give differently now
    Phrase.objects.filter(id=ids["grout"]).update(concept_id=_concept("sql"))
    assert phrases_resolve(phrase_ids=list(ids.values()))[ids["grout"]] == _concept("sql")
    Phrase.objects.filter(id=ids["grout"]).update(resolved_key="another key")
    assert phrases_resolve(phrase_ids=list(ids.values())) == first
    stored = dict(Phrase.objects.filter(id__in=ids.values()).values_list("id", "concept_id"))
    assert {pid: c for pid, c in stored.items() if c is not None} == first


def _variant(label: str, seps: list[str], upper: bool) -> str:
    words = label.split(" ")
    out = words[0]
    for w, sep in zip(words[1:], seps, strict=False):
        out += sep + w
    return out.upper() if upper else out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    label=st.sampled_from(
        ["install tile flooring", "give medicines to patients", "manage databases", "lay floor tiles"]
    ),
    seps=st.lists(st.sampled_from([" ", "  ", "-", " - ", "/", "_"]), min_size=3, max_size=3),
    upper=st.booleans(),
    tail=st.sampled_from(["", ".", "!", " ;", ")"]),
)
def test_case_space_and_punctuation_variants_of_a_label_mean_that_label(taxonomy, label, seps, upper, tail):
    text = _variant(label, seps, upper) + tail
    lookup = selectors.label_lookup()
    assert lookup.concept_of(normalize_phrase(text)) == lookup.exact[label]
    ids = phrases_ensure(texts=[text])
    assert phrases_resolve(phrase_ids=list(ids.values())) == {ids[normalize_phrase(text)]: lookup.exact[label]}


def test_the_import_resolves_every_label_so_a_first_pool_of_labels_reads_no_label(shared_taxonomy, monkeypatch):
    from apps.skills import services

    phrase_ids = SkillLabel.objects.filter(skill__is_group=False).values("phrase_id")
    rows = list(Phrase.objects.filter(id__in=phrase_ids).values_list("id", "text", "concept_id", "resolved_key"))
    lookup = selectors.label_lookup()
    assert rows and {rk for *_, rk in rows} == {resolution_key()}
    assert {pid: c for pid, _, c, _ in rows} == {pid: lookup.concept_of(t) for pid, t, _, _ in rows}

    def refuse(**kwargs):
        raise AssertionError("the labels were read again")

    monkeypatch.setattr(services, "label_lookup", refuse)
    monkeypatch.setattr(services, "taxonomy_index", refuse)
    assert phrases_resolve(phrase_ids=[pid for pid, *_ in rows]) == {pid: c for pid, _, c, _ in rows}
    assert services.labels_resolve() == 0  # nothing new to the key: a re-import resolves nothing again
