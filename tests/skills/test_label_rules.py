"""Rewrite rules learned from a taxonomy's own label variants."""

import numpy as np

from apps.skills.label_rules import LabelRules, word_seq

LANGS = ("swedish", "danish", "finnish")


def _rules(concepts: list[list[str]]) -> tuple[LabelRules, dict[str, int]]:
    seqs, owner, first = [], [], {}
    for c, labels in enumerate(concepts):
        first[labels[0]] = c
        for text in labels:
            seqs.append(word_seq(text))
            owner.append(c)
    return LabelRules(seqs, np.asarray(owner)), first


def _language_taxonomy(with_finnish_alts: bool = False) -> tuple[LabelRules, dict[str, int]]:
    concepts = []
    for lang in LANGS:
        concepts.append(
            [f"understand written {lang}"]
            + ([f"comprehend written {lang}"] if lang != "finnish" or with_finnish_alts else [])
        )
        concepts.append([f"understand spoken {lang}", f"comprehend spoken {lang}"])
        concepts.append(
            [lang]
            + (
                [f"ability to read and write {lang} and to speak {lang}", f"competent in {lang}"]
                if lang != "finnish"
                else []
            )
        )
    return _rules(concepts)


def test_a_substitution_seen_in_other_concepts_rewrites_the_query_into_the_right_label():
    rules, first = _language_taxonomy()
    hits = rules.hits(word_seq("Comprehend written Finnish"))
    # "comprehend X" -> "understand X" is exhibited by written swedish and danish and by the three
    # spoken concepts (support 5); the spoken Finnish concept is not a rewrite of the query
    assert hits == {first["understand written finnish"]: np.log1p(5)}


def test_slot_templates_and_deletions_point_at_the_bare_language():
    rules, first = _language_taxonomy()
    assert first["finnish"] in rules.hits(word_seq("ability to read and write Finnish and to speak Finnish"))
    assert first["finnish"] in rules.hits(word_seq("competent in Finnish"))


def test_a_rule_exhibited_by_one_concept_only_is_not_learned():
    rules, _ = _rules([["mend toys", "repair toys"], ["repair boats"], ["polish stone"]])
    assert rules.hits(word_seq("mend boats")) == {}


def test_masking_a_label_discounts_its_own_concept_and_hides_the_label():
    rules, first = _language_taxonomy(with_finnish_alts=True)
    row = next(r for r, s in enumerate(rules.row_concept) if s == first["understand written finnish"]) + 1
    assert rules.hits(word_seq("comprehend written finnish")) == {first["understand written finnish"]: np.log1p(6)}
    # leave-one-out: the hidden label's concept no longer lends its own support
    assert rules.hits(word_seq("comprehend written finnish"), masked_row=row) == {
        first["understand written finnish"]: np.log1p(5)
    }
    # and a rewrite that lands on the hidden label itself finds nothing
    assert rules.hits(word_seq("understand written finnish"), masked_row=row) == {}


def test_no_rule_no_hit_and_long_texts_do_not_explode():
    rules, _ = _language_taxonomy()
    assert rules.hits(word_seq("install tile flooring")) == {}
    assert rules.hits(word_seq(" ".join(["word"] * 500))) == {}


def test_exported_rules_give_the_same_hits_as_learned_ones():
    import json

    learned, _ = _language_taxonomy()
    stored = LabelRules(_seqs_in_row_order(learned), learned.row_concept, json.loads(json.dumps(learned.export())))
    assert stored.rule_count == learned.rule_count
    for q in (
        "comprehend written finnish",
        "competent in finnish",
        "ability to read and write finnish and to speak finnish",
        "understand spoken danish",
    ):
        assert stored.hits(word_seq(q)) == learned.hits(word_seq(q))


def _seqs_in_row_order(rules: LabelRules) -> list:
    seqs = [()] * len(rules.row_concept)
    for seq, rows in rules.exact.items():
        for r in rows:
            seqs[r] = seq
    return seqs
