"""Date handling for validity windows (no Django)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any


def parse_datetime(value: Any) -> datetime | None:
    """An aware datetime from an ISO-8601 string or a Unix timestamp (JWT); None when absent or malformed."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def iso(moment: datetime) -> str:
    """A UTC timestamp as ISO 8601 with a Z, to the second (how JWT NumericDates are shown)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def numeric_date(value: Any) -> datetime | None:
    """A JWT NumericDate (RFC 7519: a JSON number of seconds since the epoch) as a datetime; None when it is
    not one (a string, a boolean, NaN, out of range)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        if not math.isfinite(float(value)):
            return None
    except OverflowError:
        return None
    return parse_datetime(value)


def _same_second(a: datetime, b: datetime) -> bool:
    return math.floor(a.timestamp()) == math.floor(b.timestamp())


def window(
    result: Any,
    *,
    start: Any,
    end: Any,
    now: datetime,
    start_name: str,
    end_name: str,
    start_required: bool = True,
    claims: Mapping[str, datetime] | None = None,
) -> None:
    """Add the ``validity`` check: issued not in the future, not expired, end not before start.

    ``claims`` are a VC-JWT's ``nbf`` and ``exp`` (already parsed): ``nbf`` stands for the start and ``exp`` for
    the end (VC-JWT), so they bound the window too — the later start and the earlier end apply — and where they
    disagree with the credential's own dates the detail says so."""
    claims = claims or {}
    nbf, exp = claims.get("nbf"), claims.get("exp")
    begin, finish = parse_datetime(start), parse_datetime(end)
    problems, notes = [], []
    if start is not None and begin is None:
        problems.append(f"{start_name} {start!r} is not a valid date")
    if end is not None and finish is None:
        problems.append(f"{end_name} {end!r} is not a valid date")
    if start is None and start_required and nbf is None:
        problems.append(f"{start_name} is missing")
    if begin and begin > now:
        problems.append(f"{start_name} {start} is in the future (not yet valid)")
    if begin and finish and finish < begin:
        problems.append(f"{end_name} {end} is before {start_name} {start}")
    if nbf is not None:
        if nbf > now:
            problems.append(f"JWT nbf {iso(nbf)} is in the future (not yet valid)")
        if begin and not _same_second(nbf, begin):
            notes.append(f"JWT nbf {iso(nbf)} disagrees with {start_name} {start}")
    if exp is not None:
        if nbf is not None and exp < nbf:
            problems.append(f"JWT exp {iso(exp)} is before JWT nbf {iso(nbf)}")
        if finish and not _same_second(exp, finish):
            notes.append(f"JWT exp {iso(exp)} disagrees with {end_name} {end}")
    note = f"; {'; '.join(notes)} (the later start and the earlier end apply)" if notes else ""
    if problems:
        result.add("validity", False, "; ".join(problems) + note)
        return
    issued = start if start is not None else (f"{iso(nbf)} (JWT nbf)" if nbf is not None else None)
    ends = [(f"{end}", finish)] if finish else []
    if exp is not None:
        ends.append((f"{iso(exp)} (JWT exp)", exp))
    past = [label for label, moment in sorted(ends, key=lambda e: e[1]) if moment < now]
    if past:
        result.expired = True
        result.add("validity", True, f"issued {issued}; EXPIRED on {past[0]}" + note)
        return
    until = min(ends, key=lambda e: e[1])[0] if ends else None
    result.add("validity", True, f"issued {issued}" + (f", valid until {until}" if until else ", no expiry") + note)
