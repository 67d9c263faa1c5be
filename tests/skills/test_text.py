"""Phrase normalization: the vocabulary key every phrase is stored and looked up under."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from apps.skills.text import normalize_phrase


@given(st.text(max_size=80))
def test_the_key_is_trimmed_single_spaced_and_the_same_every_time(text):
    key = normalize_phrase(text)
    assert key == key.strip() and "  " not in key and "\n" not in key and "\t" not in key
    assert normalize_phrase(text) == key  # remembered keys are the keys computed the first time
    assert normalize_phrase(text + " ") == key
    assert key == " ".join(unicodedata.normalize("NFKC", text).replace("’", "'").casefold().split())


def test_case_width_and_apostrophes_fold_to_one_key():
    assert normalize_phrase("  SQL’s   Data ") == normalize_phrase("sql's data") == "sql's data"
    assert normalize_phrase("ＳＱＬ") == "sql"  # full-width letters (NFKC)
    assert normalize_phrase(None) == normalize_phrase("") == ""
