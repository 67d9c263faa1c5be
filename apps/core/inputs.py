"""The one gate every outside value passes before the rest of Tsumiki reads it (no Django).

API bodies (apps.api.parsers), import lines (apps.core.interchange.iter_candidates_jsonl), CLI files
(``rank``, ``pathway``) and query strings (apps.api.middleware) are read with the functions here, so the
same rules hold everywhere:

- JSON is RFC 8259 as I-JSON (RFC 7493) restricts it: no ``NaN``/``Infinity`` tokens, every number
  finite, every integer within ±2**53 (larger ones lose precision in most clients and overflow database
  columns; a float's own range is checked by the field that reads it, e.g. a job weight's 0 to 100);
  nesting at most ``MAX_DEPTH`` levels (json.loads would otherwise recurse until RecursionError).
- Text is valid Unicode without NUL: no lone surrogate (``"\\ud83d"``: SQLite and PostgreSQL cannot
  store one), no U+0000 (PostgreSQL refuses it in text columns).
- Bytes are UTF-8 (a BOM is allowed); the error names the line and the byte.

Every refusal is an ``InputError`` naming the field path (``skills[0].weight``) and, for JSON lines,
the 1-based line, so callers can answer a 400 (API) or a one-line message (CLI) that points at it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from typing import Any

MAX_DEPTH = 32
# The largest integer a JSON number can hold exactly in an IEEE double (I-JSON, RFC 7493 section 2.2).
MAX_SAFE_INTEGER = 2**53 - 1
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")


class InputError(ValueError):
    """Input that breaks a rule; ``field`` is a path such as ``credentials[0].hours``, ``line`` 1-based."""

    def __init__(self, message: str, *, line: int | None = None, field: str | None = None):
        self.message, self.line, self.field = message, line, field
        where = f"line {line}: " if line is not None else ""
        what = f"{field}: " if field else ""
        super().__init__(f"{where}{what}{message}")


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as text (a NUL or a lone surrogate), or None."""
    bad = _BAD_TEXT.search(value)
    if bad is None:
        return None
    if bad.group() == "\x00":
        return "must not contain NUL (U+0000) characters"
    return f"must be valid Unicode (lone surrogate U+{ord(bad.group()):04X} at position {bad.start()})"


def check_text(value: str, *, field: str | None = None, line: int | None = None) -> str:
    """``value`` unchanged, or InputError if it holds a NUL or a lone surrogate."""
    problem = text_problem(value)
    if problem:
        raise InputError(problem, field=field, line=line)
    return value


def check_number(value: float, *, field: str | None = None, line: int | None = None) -> float:
    """A finite number, or InputError; an integer also within ±MAX_SAFE_INTEGER (a float's range is
    left to the field that reads it, whose bounds make the clearer message)."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InputError("must be a finite number (1e999 and the like overflow)", field=field, line=line)
        return value
    if abs(value) > MAX_SAFE_INTEGER:
        raise InputError(f"must be between -{MAX_SAFE_INTEGER} and {MAX_SAFE_INTEGER}", field=field, line=line)
    return value


def _path(parent: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else key


def check_value(value: Any, *, line: int | None = None, max_depth: int = MAX_DEPTH, field: str = "") -> Any:
    """Walk a decoded JSON value (iteratively: the walk must not be what overflows the stack) and apply
    the rules above to every string, key and number; returns ``value`` unchanged."""
    stack: list[tuple[Any, str, int]] = [(value, field, 1)]
    while stack:
        node, path, depth = stack.pop()
        if isinstance(node, dict | list) and depth > max_depth:
            raise InputError(f"is nested deeper than {max_depth} levels", field=path or None, line=line)
        if isinstance(node, _Constant):
            raise InputError(f"{node} is not a JSON number (numbers must be finite)", field=path or None, line=line)
        if isinstance(node, str):
            check_text(node, field=path or None, line=line)
        elif isinstance(node, bool) or node is None:
            continue
        elif isinstance(node, int | float):
            check_number(node, field=path or None, line=line)
        elif isinstance(node, dict):
            for k, v in node.items():
                if isinstance(k, str) and (problem := text_problem(k)):
                    raise InputError(f"key {k!r} {problem}", field=path or None, line=line)
                stack.append((v, _path(path, str(k)), depth + 1))
        elif isinstance(node, list | tuple):
            stack.extend((v, _path(path, i), depth + 1) for i, v in enumerate(node))
    return value


class _Constant(str):
    """``NaN``, ``Infinity`` or ``-Infinity`` as Python's json module would accept them: kept as a marker
    so that the walk can refuse them naming the field."""


def _constant(token: str) -> _Constant:
    return _Constant(token)


# One decoder for every document: json.loads with an option builds a new JSONDecoder per call, which
# a file of 100,000 lines paid for 100,000 times.
_DECODER = json.JSONDecoder(parse_constant=_constant)


def loads(text: str | bytes, *, line: int | None = None, max_depth: int = MAX_DEPTH) -> Any:
    """Parse one JSON document under the rules above; InputError (naming line and field) otherwise."""
    if isinstance(text, bytes | bytearray):
        text = decode(bytes(text), line=line)
    try:
        if text.startswith("\ufeff"):  # json.loads refuses a BOM left in text; say it the same way
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        value = _DECODER.decode(text)
    except json.JSONDecodeError as e:
        where = f" at column {e.colno}" if line is not None else f" at line {e.lineno} column {e.colno}"
        raise InputError(f"invalid JSON ({e.msg}{where})", line=line) from None
    except RecursionError:
        raise InputError(f"invalid JSON (nested deeper than {max_depth} levels)", line=line) from None
    except ValueError as e:  # an integer of over 4300 digits
        raise InputError(f"invalid JSON ({e})", line=line) from None
    if _plainly_valid(text, max_depth):
        return value
    return check_value(value, line=line, max_depth=max_depth)


# Anything in JSON text that could decode to a value check_value refuses: an escape (\u0000, a lone
# \ud83d), an exponent or 16 digits in a row (a non-finite float, an integer past 2**53), a NaN or
# Infinity token. It may match inside a string too; then the walk decides.
_RISKY = re.compile(r"\\u|[0-9][eE]|[0-9]{16}|NaN|Infinity")


def _plainly_valid(text: str, max_depth: int) -> bool:
    """True when the JSON ``text`` cannot hold anything check_value refuses, seen from the text alone
    (C-speed scans instead of a walk over every decoded value: an import of 100,000 candidate lines
    spent most of its reading time in the walk). The decoded strings are the text's characters or its
    escapes, so no NUL or surrogate in the text and no \\u escape means none in any string or key; no
    more opening brackets than ``max_depth`` means no deeper nesting."""
    return (
        _BAD_TEXT.search(text) is None
        and text.count("[") + text.count("{") <= max_depth
        and _RISKY.search(text) is None
    )


def check_nesting(text: str, limit: int = MAX_DEPTH) -> None:
    """Refuse JSON text nested deeper than ``limit`` before json.loads recurses into it (CPython raises
    RecursionError at about 1,000 levels, or crashes on deeper C stacks)."""
    depth = 0
    in_str = esc = False
    for ch in text:
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                raise InputError(f"JSON nested deeper than {limit} levels; refused")
        elif ch in "]}":
            depth -= 1


def decode(data: bytes, *, line: int | None = None) -> str:
    """UTF-8 bytes (a leading BOM allowed) as text; InputError naming the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        if line is None and b"\n" in data:  # several lines: say which one, and where in it
            line = data.count(b"\n", 0, e.start) + 1
            offset = e.start - (data.rfind(b"\n", 0, e.start) + 1)
            raise InputError(
                f"is not UTF-8 text (invalid byte 0x{data[e.start]:02x} at column {offset + 1})", line=line
            ) from None
        raise InputError(
            f"is not UTF-8 text (invalid byte 0x{data[e.start]:02x} at offset {e.start})", line=line
        ) from None


def check_lines(text: str) -> str:
    """``text`` (JSON lines) unchanged, or InputError naming the first line with a NUL character
    (inside a JSON string a NUL is an escape, checked when the line is parsed; a raw one is refused here,
    before the text is stored anywhere)."""
    where = text.find("\x00")
    if where >= 0:
        raise InputError("must not contain NUL (U+0000) characters", line=text.count("\n", 0, where) + 1)
    return text


def iter_json_lines(lines: Iterable[str | bytes], *, max_depth: int = MAX_DEPTH) -> Iterator[tuple[int, Any]]:
    """(line number, value) for each non-blank line; InputError names the first bad line."""
    for n, raw in enumerate(lines, start=1):
        if isinstance(raw, bytes | bytearray):
            raw = decode(bytes(raw), line=n)
        if not raw.strip():
            continue
        yield n, loads(raw, line=n, max_depth=max_depth)


def iter_json_buffer(data: bytes, *, max_depth: int = MAX_DEPTH) -> Iterator[tuple[int, Any]]:
    """:func:`iter_json_lines` over a whole JSON-lines file's bytes, split on "\\n" (each line's trailing
    "\\r" and "\\n" dropped, a BOM allowed at the start of any line), with the same values and the same
    errors, at a fraction of the cost (100,000 candidate lines spent seconds in per-line decodes and
    regular-expression scans). The bytes are decoded once. A line is parsed directly when nothing in it
    can break a rule: no escape ``\\u`` and no NUL (so no string holds a NUL or a lone surrogate, as
    valid UTF-8 encodes none), no more opening brackets than ``max_depth``, and, seen by the decoder's
    own hooks, no NaN or Infinity, no non-finite number and no integer of over 15 digits. Any other line,
    and any line that does not parse, goes through :func:`loads`, which applies every rule and names
    the problem."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:  # the lines say which one is not UTF-8 (an earlier bad line first)
        yield from iter_json_lines((raw.rstrip(b"\r\n") for raw in data.split(b"\n")), max_depth=max_depth)
        return
    risky = _lines_holding(text, ("\\u", "\x00"))
    flagged: list[str] = []

    def number(token: str) -> float:
        value = float(token)
        if not math.isfinite(value):
            flagged.append(token)
        return value

    def integer(token: str) -> int:
        if len(token.lstrip("-")) > 15:  # may be past MAX_SAFE_INTEGER, or too long for int()
            flagged.append(token)
            return 0
        return int(token)

    def constant(token: str) -> None:
        flagged.append(token)

    decode = json.JSONDecoder(parse_float=number, parse_int=integer, parse_constant=constant).decode
    for n, raw in enumerate(text.split("\n"), start=1):
        if raw.startswith("\ufeff"):  # as decode() of the line alone would drop it
            raw = raw[1:]
        raw = raw.rstrip("\r\n")
        if not raw.strip():
            continue
        value: Any = _UNREAD
        if n not in risky and raw.count("[") + raw.count("{") <= max_depth and not raw.startswith("\ufeff"):
            try:
                value = decode(raw)
            except ValueError:
                pass  # loads says why, in its words
            if flagged:
                flagged.clear()
                value = _UNREAD
        yield n, (loads(raw, line=n, max_depth=max_depth) if value is _UNREAD else value)


_UNREAD = object()


def _lines_holding(text: str, needles: Iterable[str]) -> set[int]:
    """The 1-based numbers of the lines of ``text`` that hold any of ``needles`` (none holds a "\\n")."""
    where = []
    for needle in needles:
        at = text.find(needle)
        while at >= 0:
            where.append(at)
            at = text.find(needle, at + 1)
    lines: set[int] = set()
    n, pos = 1, 0
    for at in sorted(where):
        n += text.count("\n", pos, at)
        pos = at
        lines.add(n)
    return lines


def read_json_file(path, *, max_bytes: int | None = None) -> Any:
    """One JSON document from a file (UTF-8, optional BOM); OSError is left to the caller."""
    with open(path, "rb") as f:
        data = f.read() if max_bytes is None else f.read(max_bytes + 1)
    if max_bytes is not None and len(data) > max_bytes:
        raise InputError(f"is larger than {max_bytes} bytes")
    return loads(data)
