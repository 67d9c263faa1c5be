"""The label index's snapshot: written by the import, mapped by later processes, never read stale."""

from __future__ import annotations

import json
import os
import time

import numpy as np
import pytest
from django.test import override_settings

from apps.skills import index_snapshot, selectors, vocabulary
from apps.skills.models import Skill
from apps.skills.services import normalize, taxonomy_import

from .conftest import write_esco
from .test_vector_cache import FITTED

QUERIES = ["repair doors", "installing roof", "fix a broken window", "stair repairing", "gutters"]


def _fresh_process() -> None:
    """What a new process starts with: no index and no vectors in memory."""
    selectors._index = None
    vocabulary.clear_cache()


def _answers() -> list[list[tuple[str, float]]]:
    return [[(m.uri, m.score) for m in ms] for ms in normalize(texts=QUERIES, top_k=5)]


@pytest.fixture
def imported(db, tmp_path):
    folder = tmp_path / "snapshots"
    with override_settings(TSUMIKI_INDEX_SNAPSHOTS=str(folder)):
        taxonomy_import(root=write_esco(tmp_path / "esco", skills=FITTED))
        yield folder


def _built_from_database():
    with override_settings(TSUMIKI_INDEX_SNAPSHOTS=""):
        _fresh_process()
        index = selectors.taxonomy_index()
        return index, _answers()


def test_the_import_stores_the_index_and_a_new_process_maps_the_same_index(imported):
    assert len(list(imported.glob("index-*"))) == 1
    built, answers = _built_from_database()
    _fresh_process()
    mapped = selectors.taxonomy_index()
    assert isinstance(mapped.label_vecs, np.memmap) and not isinstance(built.label_vecs, np.memmap)
    for name in index_snapshot.ARRAYS:
        a, b = getattr(built, name), getattr(mapped, name)
        assert (a is None) == (b is None), name
        if a is not None:
            assert a.dtype == b.dtype and np.array_equal(a, b), name
    for name in index_snapshot.TEXTS:
        assert getattr(built, name) == getattr(mapped, name), name
    assert mapped.key == built.key and mapped.fusion is not None
    assert _answers() == answers and answers[0]


def test_a_concept_edited_after_the_import_is_never_read_from_the_older_snapshot(imported):
    skill = Skill.objects.filter(is_group=False).order_by("id").first()
    skill.preferred_label = "renamed after the import"
    skill.save(update_fields=["preferred_label"])
    _fresh_process()
    index = selectors.taxonomy_index()
    assert "renamed after the import" in index.labels
    assert not isinstance(index.label_vecs, np.memmap)  # built from the database, and stored anew
    assert len(list(imported.glob("index-*"))) == 2


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: (d / "label_vecs.npy").write_bytes((d / "label_vecs.npy").read_bytes()[:1000]),
        lambda d: (d / "texts.json").write_text("{not json"),
        lambda d: (d / "meta.json").write_text(json.dumps({"key": "another", "format": 1, "arrays": {}})),
        lambda d: (d / "aux_vecs.npy").unlink(),
        lambda d: (d / "texts.json").write_text(json.dumps({"label_tokens": [], "label_seqs": []})),
    ],
    ids=["truncated-array", "broken-json", "foreign-meta", "missing-array", "short-texts"],
)
def test_a_damaged_snapshot_is_a_miss_and_never_an_error(imported, damage):
    (where,) = imported.glob("index-*")
    built, answers = _built_from_database()
    damage(where)
    _fresh_process()
    index = selectors.taxonomy_index()
    assert not isinstance(index.label_vecs, np.memmap)
    assert index.labels == built.labels and _answers() == answers


def test_a_snapshot_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    fields = {
        "skill_ids": np.arange(3),
        "seg_starts": np.arange(3),
        "label_vecs": np.eye(3, dtype=np.float32),
        "gloss_vecs": None,
        "aux_vecs": None,
        "aux_gloss_vecs": None,
        "uris": ["a", "b", "c"],
        "labels": ["a", "b", "c"],
        "label_tokens": [frozenset({"a"}), frozenset({"b"}), frozenset()],
        "label_seqs": [("a",), ("b",), ()],
        "exact": {"a": 0},
        "phrase_rows": {"a": 0},
    }

    def fail(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(index_snapshot.json, "dumps", fail)
    assert index_snapshot.save(tmp_path, "k1", fields) is None
    assert list(tmp_path.iterdir()) == []  # no partial folder left behind
    monkeypatch.undo()
    assert index_snapshot.save(tmp_path, "k1", fields) is not None
    got = index_snapshot.load(tmp_path, "k1")
    assert got["label_tokens"] == fields["label_tokens"] and got["label_seqs"] == fields["label_seqs"]
    assert got["gloss_vecs"] is None and np.array_equal(got["label_vecs"], fields["label_vecs"])
    assert index_snapshot.load(tmp_path, "k2") is None
    with pytest.raises(ValueError):
        got["label_vecs"][0, 0] = 2.0  # mapped read-only: no process can change what the others read


def test_the_key_covers_the_code_that_derives_the_contents(tmp_path):
    code = tmp_path / "code.py"
    code.write_text("x = 1\n")
    first = index_snapshot.snapshot_key(identity=("enc", "1:1"), code=[code])
    assert index_snapshot.snapshot_key(identity=("enc", "1:1"), code=[code]) == first
    assert index_snapshot.snapshot_key(identity=("enc", "1:2"), code=[code]) != first
    code.write_text("x = 2\n")
    assert index_snapshot.snapshot_key(identity=("enc", "1:1"), code=[code]) != first


def test_pruning_keeps_the_most_recently_used_snapshots(tmp_path):
    now = time.time()
    for i in range(5):
        d = tmp_path / f"index-{i}"
        d.mkdir()
        os.utime(d, (now - 100 * i, now - 100 * i))
    stale = tmp_path / ".partial-x"
    stale.mkdir()
    os.utime(stale, (now - 7200, now - 7200))
    fresh = tmp_path / ".partial-y"
    fresh.mkdir()  # another process may be writing it
    index_snapshot.prune(tmp_path, keep=3)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".partial-y", "index-0", "index-1", "index-2"]
