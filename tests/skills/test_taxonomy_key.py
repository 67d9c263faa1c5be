"""The label set's key (apps.skills.selectors.taxonomy_key), remembered per process for a few seconds."""

from __future__ import annotations

import pytest

from apps.skills.models import Skill, SkillLabel
from apps.skills.selectors import taxonomy_index, taxonomy_key, taxonomy_key_forget
from apps.skills.services import normalize, taxonomy_import

from .conftest import SKILLS, URI, write_esco


@pytest.fixture(autouse=True)
def _remembered(settings):
    settings.TSUMIKI_TAXONOMY_KEY_SECONDS = 600
    taxonomy_key_forget()
    yield
    taxonomy_key_forget()


def _label(text: str) -> SkillLabel:
    """A new label of SQL (on an existing phrase: the key counts labels, not what they say)."""
    skill = Skill.objects.get(uri=URI + "sql")
    return SkillLabel(skill=skill, text=text, lang="en", kind="alternative", phrase=skill.labels.first().phrase)


def test_a_bulk_write_is_not_seen_until_forgotten(taxonomy):
    before = taxonomy_key()
    SkillLabel.objects.bulk_create([_label("SQL scripting")])  # no signal, as a raw bulk write
    assert taxonomy_key() == before  # remembered: no count for this process's next requests
    taxonomy_key_forget()
    assert taxonomy_key() != before


def test_a_label_saved_or_deleted_one_by_one_is_seen_at_once(taxonomy):
    before = taxonomy_key()
    label = _label("SQL scripting")
    label.save()
    added = taxonomy_key()
    assert added != before
    label.delete()
    assert taxonomy_key() != added


def test_an_import_in_this_process_is_seen_by_the_next_request(taxonomy, tmp_path):
    assert normalize(texts=["SQL querying"], top_k=1)[0][0].label == "SQL"
    before, index = taxonomy_key(), taxonomy_index()
    # labels only added: bulk inserts, no deletion (whose signals would forget the key anyway)
    added = [("sql", "SQL", ["structured query language", "SQL querying"], "db"), *SKILLS[1:]]
    taxonomy_import(root=write_esco(tmp_path / "changed", skills=added, fr={"sql": "langage SQL"}))
    assert taxonomy_key() != before
    assert taxonomy_index() is not index  # rebuilt over the new labels, not served from the old key
    assert {m.label for m in normalize(texts=["SQL querying"], top_k=1)[0]} == {"SQL"}


def test_without_a_memo_every_call_counts(taxonomy, settings):
    settings.TSUMIKI_TAXONOMY_KEY_SECONDS = 0
    before = taxonomy_key()
    SkillLabel.objects.bulk_create([_label("SQL scripting")])
    assert taxonomy_key() != before
