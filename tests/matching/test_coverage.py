"""The one covered threshold (apps.matching.coverage): its words for a credit, and that the engine's
must-have threshold is the same number."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from apps.matching.coverage import (
    COVERED_AT,
    coverage_status,
    explanation_statuses,
    is_covered,
    names_with,
)
from apps.matching.engine import MatchParams


def test_the_engine_flags_must_haves_at_the_covered_threshold():
    assert MatchParams().must_have_threshold == COVERED_AT == 0.5


def test_words_at_the_edges():
    assert coverage_status(0.0) == "missing"
    assert coverage_status(0.01) == "partial"
    assert coverage_status(0.14) == "partial"
    assert coverage_status(0.4999) == "partial"
    assert coverage_status(0.5) == "covered"
    assert coverage_status(1.0) == "covered"
    for bad in (None, "x", float("nan"), float("inf") * -1, {}, -0.3):
        assert coverage_status(bad) == "missing"


@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.none(), st.text(max_size=5), st.integers()))
def test_every_input_gets_exactly_one_word(credit):
    word = coverage_status(credit)
    assert word in ("covered", "partial", "missing")
    try:
        c = float(credit)
    except (TypeError, ValueError):
        c = math.nan
    if math.isfinite(c):
        assert (word == "covered") == (c >= COVERED_AT)
        assert (word == "missing") == (c <= 0)
    else:
        assert word == "missing"
    assert is_covered(credit) == (word == "covered")


@given(st.floats(0, 1), st.floats(0, 1))
def test_more_credit_never_reads_as_less_covered(a, b):
    order = {"missing": 0, "partial": 1, "covered": 2}
    lo, hi = sorted((a, b))
    assert order[coverage_status(lo)] <= order[coverage_status(hi)]


def test_statuses_from_a_stored_explanation():
    exp = {
        "matches": [{"required": "SQL", "credit": 0.14}, {"required": "Python", "credit": 0.82}],
        "coverage": {"SQL": 0.14, "Python": 0.82, "R": 0.0},
    }
    st_ = explanation_statuses(exp, ["SQL", "Python", "R", "Go"])
    assert st_ == {"SQL": "partial", "Python": "covered", "R": "missing", "Go": "missing"}
    assert names_with(st_, "partial") == ["SQL"]
    # rows of a large pool keep coverage only
    assert explanation_statuses({"coverage": {"A": 0.6, "B": 0.2}}) == {"A": "covered", "B": "partial"}
    assert explanation_statuses(None, ["A"]) == {"A": "missing"}
    assert explanation_statuses({"matches": "junk", "coverage": []}, ["A"]) == {"A": "missing"}
