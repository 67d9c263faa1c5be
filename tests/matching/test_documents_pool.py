"""``rank``'s pool straight from documents (apps.matching.documents.PoolLayout) is the pool the engine's
specs give (pool_from_specs), array for array and explanation for explanation; the kernel's argmax for
many candidates at once and unique_inverse agree with their one-at-a-time forms."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.core.interchange import parse_candidate
from apps.matching import kernel
from apps.matching.documents import PoolLayout, document_spec, evidence_groups
from apps.matching.engine import pool_from_specs, unique_inverse

TODAY = date(2026, 12, 3)
DOCS = [
    {
        "id": "a",
        "credentials": [
            {
                "title": "Badge A",
                "kind": "badge",
                "issuer": "Bench Institute",
                "issued": "2024-05-01",
                "expires": "2027-01-01",
                "verified": True,
                "level": {"framework": "NZQF", "value": 7},
                "hours": 40,
                "quality_assured": False,
                "assessment": "portfolio",
                "endorsements": 2,
                "skills": ["SQL", "Python"],
            },
            {"title": "Course B", "kind": "course", "ects": 5, "skills": ["SQL"]},
            {"title": "BSc", "kind": "degree", "skills": ["statistics"]},
            {"title": "Empty", "skills": []},
        ],
        "degrees": [{"title": "MSc", "expires": "2030-01-01", "skills": ["data mining"]}],
        "experience": [
            {"title": "Engineer", "start": "2020-01-01", "end": "2023-06-30", "skills": ["SQL", "Go"]},
            {"title": "Lead", "start": "2023-07-01", "skills": ["mentoring"]},
            {"title": "Intern", "skills": ["filing"]},
        ],
        "assessments": [{"skill": "SQL", "method": "exam", "score": 0.75, "date": "2025-01-01"}],
        "skills": ["Python", "Excel"],
        "resume": {
            "skills": ["Excel", "Rust", {"phrase": "golang", "uri": "http://x/go", "label": "Go"}],
            "experience": [{"title": "Analyst", "skills": ["R"]}],
        },
    },
    {"id": "b"},
    {"id": "c", "credentials": [{"title": "Badge A", "kind": "badge", "issuer": "Bench Institute",
                                 "issued": "2024-05-01", "verified": True, "skills": ["Excel"]}]},
]  # fmt: skip


def _pools(docs):
    cands = [parse_candidate(d) for d in docs]
    ids: dict[str, int] = {}
    layout = PoolLayout(evidence_groups(c, TODAY) for c in cands)
    for t in layout.texts:
        ids.setdefault(t, 100 + len(ids))
    new = layout.pool([c.id for c in cands], ids)
    old = pool_from_specs([document_spec(c, ids.__getitem__, TODAY) for c in cands])
    return new, old


def test_the_layout_makes_the_specs_pool():
    new, old = _pools(DOCS)
    assert list(new.keys) == list(old.keys)
    for name in ("offsets", "phrase", "source", "issued", "expires", "revoked", "level", "concept", "hours",
                 "ects", "days", "quality_assured", "assessment", "endorsements", "score", "job"):  # fmt: skip
        a, b = getattr(new, name), getattr(old, name)
        assert a.dtype == b.dtype and np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), name
    items = np.arange(len(old.phrase))
    assert new.describe(items) == old.describe(items)
    # a: 2 + 1 credential skills, 1 + 1 degree outcomes, 4 role skills, 1 assessment, 2 own skills, 3 of the
    # CV (Excel is declared already); b: none; c: 1
    assert list(np.diff(new.offsets)) == [15, 0, 1]


def test_the_layout_refuses_keys_that_do_not_fit():
    layout = PoolLayout([[]])
    with pytest.raises(ValueError, match="2 keys for 1 candidates"):
        layout.pool(["a", "b"], {})


@settings(max_examples=200, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 5), min_size=1, max_size=12),
    m=st.integers(1, 4),
    data=st.data(),
)
def test_argmax_of_every_segment_at_once_is_the_loop(sizes, m, data):
    t = sum(sizes)
    values = data.draw(st.lists(st.sampled_from([0.0, 0.25, 0.5, 1.0, np.nan]), min_size=t * m, max_size=t * m))
    credit = np.array(values, dtype=np.float32).reshape(t, m)
    starts = np.r_[0, np.cumsum(sizes)[:-1]].astype(np.int64)
    ends = np.cumsum(sizes).astype(np.int64)
    best = np.maximum.reduceat(credit, starts, axis=0)
    items = np.arange(t, dtype=np.int64) * 3 + 1
    loop = np.array(
        [np.where(best[r] > 0, items[starts[r] + np.argmax(credit[starts[r] : ends[r]], axis=0)], -1)
         for r in range(len(sizes))]
    )  # fmt: skip
    assert np.array_equal(kernel._first_argmax(credit, starts, ends, best, items), loop)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-3, 10**7), max_size=50) | st.lists(st.integers(0, 60), max_size=50))
def test_unique_inverse_is_np_unique(values):
    arr = np.array(values, dtype=np.int64)
    want, got = np.unique(arr, return_inverse=True), unique_inverse(arr)
    assert np.array_equal(want[0], got[0]) and np.array_equal(want[1], got[1])
    assert got[0].dtype == want[0].dtype
