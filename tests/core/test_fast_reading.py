"""The fast ways of reading candidates give what the plain ways give: apps.core.inputs.iter_json_buffer
(a whole file's bytes) the values and errors of iter_json_lines (line by line), and the records' Field.fast
the documents and errors of Field.parse alone."""

from __future__ import annotations

import contextlib
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.core import interchange
from apps.core.inputs import InputError, iter_json_buffer, iter_json_lines
from apps.core.interchange import SLOW, iter_candidates_jsonl, parse_candidate

_FIELDS = [
    interchange.Text,
    interchange.Choice,
    interchange.Number,
    interchange.Integer,
    interchange.Boolean,
    interchange.OptionalBoolean,
    interchange.Date,
    interchange.Phrases,
    interchange.Nested,
    interchange.Many,
]
_RECORDS = [v for v in vars(interchange).values() if isinstance(v, interchange.Record)]


@contextlib.contextmanager
def parse_only():
    """Every field read by its parse method alone (no fast path)."""
    saved = {cls: cls.__dict__["fast"] for cls in _FIELDS if "fast" in cls.__dict__}
    try:
        for cls in _FIELDS:
            cls.fast = lambda self, value: SLOW
        for record in _RECORDS:
            record.__dict__.pop("_plan_cache", None)
        yield
    finally:
        for cls in _FIELDS:
            if cls in saved:
                cls.fast = saved[cls]
            else:
                del cls.fast
        for record in _RECORDS:
            record.__dict__.pop("_plan_cache", None)


def _outcome(fn):
    try:
        return "ok", fn()
    except InputError as e:
        return type(e).__name__, str(e), e.line, e.field


def _lines_of(data: bytes):
    return (raw.rstrip(b"\r\n") for raw in data.split(b"\n"))


# Pieces of JSON lines that exercise every rule the scan and the decoder's hooks stand in for.
_pieces = st.sampled_from(
    [
        '{"a": 1}',
        '{"a": 1.5e3}',
        '{"a": 1e999}',
        '{"a": -1e400}',
        '{"a": 123456789012345}',
        '{"a": 9007199254740993}',
        '{"a": -90071992547409930}',
        '{"a": NaN}',
        '{"a": [Infinity]}',
        '{"s": "\\u00e9t\\u00e9"}',
        '{"s": "\\ud83d"}',
        '{"s": "a\\u0000"}',
        '{"a\\u0000": 1}',
        '{"s": "caf\u00e9 \u2028"}',
        "[" * 32 + "]" * 32,
        "[" * 33 + "]" * 33,
        '{"s": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}',
        "{not json",
        '"just a string"',
        "",
        "   ",
        "\u2028",
        "\ufeff{}",
        "\ufeff\ufeff{}",
        '{"x": "\ufeff"}',
        "1" + "0" * 5000,
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    lines=st.lists(_pieces, max_size=6),
    ends=st.lists(st.sampled_from(["\n", "\r\n", "\r\r\n", "\n\n"]), min_size=6, max_size=6),
    junk=st.sampled_from([b"", b"\xff", b"\xc3", b"\x00", b"\r"]),
    where=st.integers(0, 6),
)
def test_a_buffer_reads_as_its_lines_do(lines, ends, junk, where):
    parts = [(line + end).encode() for line, end in zip(lines, ends, strict=False)]
    parts.insert(min(where, len(parts)), junk)
    data = b"".join(parts)
    assert _outcome(lambda: list(iter_json_buffer(data))) == _outcome(lambda: list(iter_json_lines(_lines_of(data))))


_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=4), c, max_size=3),
    max_leaves=8,
)
_field = st.sampled_from(
    [
        "id",
        "name",
        "title",
        "kind",
        "issuer",
        "issued",
        "expires",
        "end",
        "start",
        "verified",
        "level",
        "hours",
        "ects",
        "skills",
        "quality_assured",
        "assessment",
        "endorsements",
        "method",
        "score",
        "skill",
        "framework",
        "value",
        "phrase",
        "uri",
        "label",
        "weight",
    ]
)
_plain = st.sampled_from(
    [
        "x",
        " padded ",
        "",
        "   ",
        "a\x00b",
        "\ud800",
        "y" * 501,
        "2024-05-01",
        "2024-05-01T10:00",
        "yesterday",
        "badge",
        "degree",
        "exam",
        "EQF",
        0,
        5,
        5.0,
        5.5,
        -1,
        10**6,
        0.5,
        1.5,
        True,
        False,
        None,
        [],
        ["SQL", " Python ", ""],
        ["ok", 3],
        ["z" * 501],
        {"framework": "NZQF", "value": 7},
    ]
)
_record = st.dictionaries(_field, _plain | _values, max_size=6)
_candidate = st.fixed_dictionaries(
    {"id": st.sampled_from(["a", " b ", "", "c" * 101, 7])},
    optional={
        "name": _plain,
        "skills": _plain,
        "credentials": st.lists(_record, max_size=3) | _plain,
        "degrees": st.lists(_record, max_size=2),
        "experience": st.lists(_record, max_size=2),
        "assessments": st.lists(_record, max_size=2),
        "resume": st.fixed_dictionaries(
            {},
            optional={
                "skills": st.lists(_record | _plain, max_size=2),
                "experience": st.lists(st.dictionaries(st.sampled_from(["title", "skills"]), _plain), max_size=2),
            },
        )
        | _plain,
    },
)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(docs=st.lists(_candidate, min_size=1, max_size=4))
def test_the_fast_path_reads_candidates_as_parse_does(docs):
    text = [json.dumps(d) for d in docs]
    fast = _outcome(lambda: list(iter_candidates_jsonl("\n".join(text).encode())))
    fast_objects = _outcome(lambda: [parse_candidate(d) for d in docs])  # as Python callers pass them
    with parse_only():
        slow = _outcome(lambda: list(iter_candidates_jsonl(text)))
        slow_objects = _outcome(lambda: [parse_candidate(d) for d in docs])
    assert fast == slow
    assert fast_objects == slow_objects
