"""apps.core.inputs: the rules every outside value passes (cases, then properties)."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.core.inputs import MAX_DEPTH, MAX_SAFE_INTEGER, InputError, check_lines, decode, iter_json_lines, loads


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"w": 1e999}', "w: must be a finite number"),
        ('{"w": -1e999}', "w: must be a finite number"),
        ('{"w": NaN}', "w: NaN is not a JSON number"),
        ('{"w": [-Infinity]}', r"w\[0\]: -Infinity is not a JSON number"),
        ('{"w": 1' + "0" * 5000 + "}", "invalid JSON"),
        ('{"w": 9007199254740993}', "must be between"),
        ('{"name": "\\ud83d"}', r"lone surrogate U\+D83D"),
        ('{"name": "a\\u0000b"}', "NUL"),
        ('{"a\\u0000": 1}', "NUL"),
        ("[" * 1000 + "]" * 1000, "nested deeper"),
        ("[" * 100000, "invalid JSON"),
        ("{not json", "invalid JSON"),
    ],
)
def test_refused_documents_name_the_problem(text, message):
    with pytest.raises(InputError, match=message):
        loads(text)


def test_the_error_names_the_field_path():
    with pytest.raises(InputError) as e:
        loads('{"skills": [{"name": "SQL"}, {"name": "x\\u0000"}]}')
    assert e.value.field == "skills[1].name"
    with pytest.raises(InputError) as e:
        loads('{"a": [[{"b": 2e308}]]}')
    assert e.value.field == "a[0][0].b"
    with pytest.raises(InputError) as e:
        loads('{"a": [0, {"b": 9007199254740993}]}')
    assert e.value.field == "a[1].b"


def test_depth_limit_is_exact():
    ok = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert loads(ok) is not None
    with pytest.raises(InputError, match="nested deeper"):
        loads("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))


def test_valid_documents_pass_unchanged():
    doc = {"a": [1, 2.5, -MAX_SAFE_INTEGER, True, None, "😀 日本語 \u2028"], "b": {"c": ""}}
    assert loads(json.dumps(doc)) == doc
    assert loads(json.dumps(doc).encode("utf-8-sig")) == doc  # a BOM is allowed


def test_bytes_that_are_not_utf8_name_line_and_column():
    with pytest.raises(InputError) as e:
        decode(b'{"id": "a"}\n{"id": "\xff"}\n')
    assert e.value.line == 2 and "0xff at column 9" in e.value.message
    with pytest.raises(InputError, match="line 3"):
        list(iter_json_lines([b"{}", b"", b'{"x": "\xc3"}']))


def test_json_lines_name_the_line_and_skip_blanks():
    assert [n for n, _ in iter_json_lines(["{}", "  ", '{"a": 1}'])] == [1, 3]
    with pytest.raises(InputError) as e:
        list(iter_json_lines(["{}", '{"a": 1e999}']))
    assert e.value.line == 2
    with pytest.raises(InputError) as e:
        check_lines('{"a": 1}\n{"b": "\x00"}')
    assert e.value.line == 2


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=30,
)


def _acceptable(value, depth=1) -> bool:
    """The rules, restated independently of the implementation."""
    if isinstance(value, bool) or value is None:
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, int):
        return abs(value) <= MAX_SAFE_INTEGER
    if isinstance(value, str):
        return "\x00" not in value and not any(0xD800 <= ord(c) <= 0xDFFF for c in value)
    if depth > MAX_DEPTH:
        return False
    if isinstance(value, list):
        return all(_acceptable(v, depth + 1) for v in value)
    return all(_acceptable(k) and _acceptable(v, depth + 1) for k, v in value.items())


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_loads_accepts_exactly_what_the_rules_allow(value):
    text = json.dumps(value)  # Python writes NaN/Infinity and lone surrogates as escapes
    if _acceptable(value):
        assert loads(text) == value
    else:
        with pytest.raises(InputError):
            loads(text)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_parse_or_raise_input_error(data):
    try:
        loads(data)
    except InputError:
        pass


@settings(max_examples=300, deadline=None)
@given(json_values, st.booleans())
def test_the_text_scan_never_lets_through_what_the_walk_refuses(value, ascii_only):
    """loads skips the walk over the decoded value when a scan of the text shows nothing it could refuse;
    with raw (not escaped) non-ASCII text, surrogates and NaN tokens the scan is what decides."""
    from apps.core.inputs import _constant, _plainly_valid, check_value

    text = json.dumps(value, ensure_ascii=ascii_only)
    if _plainly_valid(text, MAX_DEPTH):
        check_value(json.loads(text, parse_constant=_constant))  # raises if the scan was wrong
    if _acceptable(value):
        assert loads(text) == value
    else:
        with pytest.raises(InputError):
            loads(text)
