from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from apps.skills.models import Phrase, PhraseVector, Skill, SkillLabel
from apps.skills.services import normalize, taxonomy_import
from apps.skills.text import gloss, normalize_phrase
from apps.skills.vocabulary import aux_model_key, model_key

from .conftest import URI, write_esco


def test_import_creates_concepts_labels_hierarchy_and_vectors(taxonomy):
    assert Skill.objects.count() == 6
    sql = Skill.objects.get(uri=URI + "sql")
    assert list(sql.broader.values_list("uri", flat=True)) == [URI + "db"]
    assert set(sql.labels.values_list("lang", "text")) == {
        ("en", "SQL"),
        ("en", "structured query language"),
        ("fr", "langage SQL"),
    }
    # every label phrase and every concept's definition (first sentence) has exactly one vector per
    # encoder: the primary one and the normalizer's auxiliary one
    glosses = {
        normalize_phrase(gloss(d)) for d in Skill.objects.filter(is_group=False).values_list("description", flat=True)
    } - {""}
    assert Phrase.objects.count() == SkillLabel.objects.count() + len(glosses)
    for key in (model_key(), aux_model_key()):
        assert PhraseVector.objects.filter(model=key).count() == Phrase.objects.count()
    assert PhraseVector.objects.count() == 2 * Phrase.objects.count()
    assert set(Phrase.objects.values_list("text", flat=True)) >= glosses


def test_reimport_is_idempotent_and_applies_changes(taxonomy, tmp_path):
    labels = SkillLabel.objects.count()
    again = taxonomy_import(root=write_esco(tmp_path / "again", fr={"sql": "langage SQL"}))
    assert (again.skills_created, again.labels_created, again.phrases_embedded) == (0, 0, 0)
    assert SkillLabel.objects.count() == labels and Skill.objects.count() == 6
    changed = [("sql", "SQL", ["SQL querying"], "db")]
    rep = taxonomy_import(root=write_esco(tmp_path / "changed", skills=changed))
    assert rep.labels_created == 1 and rep.labels_removed == 2
    assert set(Skill.objects.get(uri=URI + "sql").labels.values_list("text", flat=True)) == {"SQL", "SQL querying"}


def test_normalize_exact_alt_label_and_paraphrase(taxonomy):
    exact, alt, para = normalize(texts=["sql", "Structured Query Language", "giving patients their medicine"], top_k=3)
    assert exact[0].uri == URI + "sql" and exact[0].score == 1.0
    assert alt[0].uri == URI + "sql"
    assert para[0].uri == URI + "nurse" and 0 < para[0].score < 1


def test_normalize_skills_command_contract(taxonomy, tmp_path):
    f = tmp_path / "q.txt"
    f.write_text("sql\n\nlay floor tiles\n")
    out = io.StringIO()
    call_command("normalize_skills", "--top", "2", "--input", str(f), stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["input"] for r in rows] == ["sql", "", "lay floor tiles"]
    assert rows[1]["matches"] == []
    assert rows[2]["matches"][0]["uri"] == URI + "tile-install" and len(rows[2]["matches"]) == 2
    assert set(rows[0]["matches"][0]) == {"uri", "label", "score"}


def test_import_esco_command_errors_on_missing_dir(db, tmp_path):
    with pytest.raises(CommandError, match="not a directory"):
        call_command("import_esco", str(tmp_path / "nope"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(CommandError, match="skills_en.csv"):
        call_command("import_esco", str(tmp_path / "empty"))


def test_labels_are_stored_in_file_order_whatever_the_hash_seed(tmp_path, db):
    # the normalizer's index orders a concept's labels by id and its fit samples them: ids must follow
    # the release file, not the iteration order of a set of strings
    alts = ["zeta label", "alpha label", "mid label", "beta label"]
    taxonomy_import(root=write_esco(tmp_path / "esco", skills=[("x", "the concept", alts, None)]))
    stored = list(SkillLabel.objects.filter(skill__uri=URI + "x").order_by("id").values_list("text", flat=True))
    assert stored == ["the concept", *alts]


def test_a_pool_phrase_that_is_a_label_resolves_by_lookup_and_embeds_nothing(taxonomy):
    """At pool scale most evidence phrases are labels; resolving them must not run the encoder or the
    fused normalizer (a 10k-candidate pool of labels used to spend minutes there)."""
    from apps.skills import selectors
    from apps.skills.models import Phrase, PhraseVector, Skill
    from apps.skills.services import phrases_resolve, resolution_key
    from apps.skills.vocabulary import clear_cache, phrases_ensure

    ids = phrases_ensure(texts=["lay floor tiles", "tiling floors in bathrooms"])
    label_id, free_id = ids["lay floor tiles"], ids["tiling floors in bathrooms"]
    selectors.taxonomy_index()  # the index is built from the stored label vectors first
    PhraseVector.objects.filter(phrase_id=label_id).delete()  # had it been embedded, a row would come back
    clear_cache()
    out = phrases_resolve(phrase_ids=[label_id, free_id])
    assert out[label_id] == Skill.objects.get(uri__endswith="/tile-install").id
    assert not PhraseVector.objects.filter(phrase_id=label_id).exists()
    assert PhraseVector.objects.filter(phrase_id=free_id).exists()  # a free phrase still goes through search
    assert set(Phrase.objects.filter(id__in=[label_id, free_id]).values_list("resolved_key", flat=True)) == {
        resolution_key()
    }
