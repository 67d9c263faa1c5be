"""Date handling for validity windows (no Django)."""
from __future__ import annotations

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


def window(result: Any, *, start: Any, end: Any, now: datetime, start_name: str, end_name: str,
           start_required: bool = True) -> None:
    """Add the ``validity`` check: issued not in the future, not expired, end not before start."""
    begin, finish = parse_datetime(start), parse_datetime(end)
    problems = []
    if start is not None and begin is None:
        problems.append(f"{start_name} {start!r} is not a valid date")
    if end is not None and finish is None:
        problems.append(f"{end_name} {end!r} is not a valid date")
    if start is None and start_required:
        problems.append(f"{start_name} is missing")
    if begin and begin > now:
        problems.append(f"{start_name} {start} is in the future (not yet valid)")
    if begin and finish and finish < begin:
        problems.append(f"{end_name} {end} is before {start_name} {start}")
    if problems:
        result.add("validity", False, "; ".join(problems))
        return
    if finish and finish < now:
        result.expired = True
        result.add("validity", True, f"issued {start}; EXPIRED on {end}")
        return
    result.add("validity", True, f"issued {start}" + (f", valid until {end}" if end else ", no expiry"))
