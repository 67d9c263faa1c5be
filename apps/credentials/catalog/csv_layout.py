"""The catalog CSV layout: parsing and validating offerings (no Django).

Columns (docs/architecture.md, the ``pathway`` contract): ``id,title,provider,level_framework,level_value,hours,skills``
with skills separated by ``;``; optional ``cost,delivery_mode,url,review_date``; other columns are
ignored. Every row is validated before anything is returned, and an error names the row (its line in
the file, the header being row 1, as a spreadsheet shows it) and the column, so a bad register export
is reported precisely and nothing is half-imported (apps.credentials.services.catalog_import_csv);
parse_catalog_rows reports each bad row and keeps the good ones.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from apps.skills.text import normalize_phrase

from ..levels import tables, to_eqf

REQUIRED_COLUMNS = ("id", "title", "provider", "level_framework", "level_value", "hours", "skills")
OPTIONAL_COLUMNS = ("cost", "delivery_mode", "url", "review_date")
SKILL_SEPARATOR = ";"
# Field sizes mirror apps.credentials.models.CatalogOffering, so a valid row always fits the table.
_MAX_LEN = {"id": 100, "title": 300, "provider": 300, "level_framework": 20, "delivery_mode": 30, "url": 200}
_MAX_SKILL_LEN = 500


class CatalogError(ValueError):
    """A catalog file that does not follow the layout; ``row`` is the 1-based line of the record."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None):
        self.message, self.row, self.column = message, row, column
        where = f"row {row}: " if row is not None else ""
        what = f"{column}: " if column else ""
        super().__init__(f"{where}{what}{message}")


@dataclass(frozen=True)
class Offering:
    """One validated catalog row."""

    id: str
    title: str
    provider: str
    hours: int
    skills: list[str] = field(default_factory=list)
    level_framework: str = ""
    level_value: int | None = None
    cost: Decimal | None = None
    delivery_mode: str = ""
    url: str = ""
    review_date: date | None = None
    row: int = 0

    @property
    def eqf(self) -> int | None:
        """The EQF-equivalent level, None when the level or its framework is unknown."""
        return to_eqf(self.level_framework, self.level_value) if self.level_framework else None


def _text(raw: dict[str, str], col: str, row: int, *, required: bool) -> str:
    value = (raw.get(col) or "").strip()
    if required and not value:
        raise CatalogError("must not be empty", row=row, column=col)
    limit = _MAX_LEN.get(col)
    if limit and len(value) > limit:
        raise CatalogError(f"is {len(value)} characters long; at most {limit} allowed", row=row, column=col)
    return value


def _whole(raw: dict[str, str], col: str, row: int, *, required: bool, minimum: int = 0) -> int | None:
    value = (raw.get(col) or "").strip()
    if not value:
        if required:
            raise CatalogError("must not be empty", row=row, column=col)
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise CatalogError(f"{value!r} is not a whole number", row=row, column=col) from None
    # "60.0" from a spreadsheet export is still sixty hours; "60.5" is not a whole number.
    if not number.is_finite() or number != number.to_integral_value():
        raise CatalogError(f"{value!r} is not a whole number", row=row, column=col)
    if number < minimum:
        raise CatalogError(f"must be at least {minimum}, got {value}", row=row, column=col)
    return int(number)


def _level(raw: dict[str, str], row: int) -> tuple[str, int | None]:
    framework = _text(raw, "level_framework", row, required=False).upper()
    value = _whole(raw, "level_value", row, required=False, minimum=1)
    if value is not None and not framework:
        raise CatalogError("is required when level_value is given (e.g. EQF, NZQF)", row=row, column="level_framework")
    if framework and value is None:
        raise CatalogError(f"is required when level_framework is given ({framework})", row=row, column="level_value")
    levels = tables().get(framework)
    # Unknown frameworks (a national one we have no mapping for) are kept as written, without an
    # EQF equivalent; known ones must use a level that exists in them.
    if levels is not None and value not in levels:
        raise CatalogError(
            f"{framework} has levels {min(levels)}-{max(levels)}, got {value}", row=row, column="level_value"
        )
    return framework, value


def _skills(raw: dict[str, str], row: int) -> list[str]:
    out: dict[str, str] = {}
    for part in (raw.get("skills") or "").split(SKILL_SEPARATOR):
        text = part.strip()
        if not text:
            continue
        if len(text) > _MAX_SKILL_LEN:
            raise CatalogError(
                f"skill {text[:40]!r}… is longer than {_MAX_SKILL_LEN} characters", row=row, column="skills"
            )
        out.setdefault(normalize_phrase(text), text)  # "SQL;sql" is one skill
    if not out:
        raise CatalogError(
            f"needs at least one skill (separate several with {SKILL_SEPARATOR!r})", row=row, column="skills"
        )
    return list(out.values())


def _cost(raw: dict[str, str], row: int) -> Decimal | None:
    value = (raw.get("cost") or "").strip()
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise CatalogError(f"{value!r} is not a number", row=row, column="cost") from None
    if not number.is_finite() or number < 0:
        raise CatalogError(f"must be a non-negative number, got {value!r}", row=row, column="cost")
    if number != number.quantize(Decimal("0.01")) or number >= Decimal("1e8"):
        raise CatalogError(f"{value!r} has more than 2 decimal places or 8 digits", row=row, column="cost")
    return number


def _url(raw: dict[str, str], row: int) -> str:
    value = _text(raw, "url", row, required=False)
    if value and not value.lower().startswith(("http://", "https://")):
        raise CatalogError(f"{value!r} is not an http(s) URL", row=row, column="url")
    return value


def _date(raw: dict[str, str], col: str, row: int) -> date | None:
    value = (raw.get(col) or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CatalogError(f"{value!r} is not an ISO date (YYYY-MM-DD)", row=row, column=col) from None


def parse_row(raw: dict[str, str], *, row: int) -> Offering:
    """Validate one record (a csv.DictReader row with lower-case column names)."""
    framework, value = _level(raw, row)
    return Offering(
        id=_text(raw, "id", row, required=True),
        title=_text(raw, "title", row, required=True),
        provider=_text(raw, "provider", row, required=True),
        hours=_whole(raw, "hours", row, required=True, minimum=1),  # type: ignore[arg-type]
        skills=_skills(raw, row),
        level_framework=framework,
        level_value=value,
        cost=_cost(raw, row),
        delivery_mode=_text(raw, "delivery_mode", row, required=False),
        url=_url(raw, row),
        review_date=_date(raw, "review_date", row),
        row=row,
    )


def _columns(reader: Any) -> list[str]:
    """The header's column names, lower-case; a bad header raises, since no row can be read without it."""
    try:
        header = next(reader)
    except StopIteration:
        raise CatalogError("the file is empty; expected a header row: " + ",".join(REQUIRED_COLUMNS)) from None
    except csv.Error as e:
        raise CatalogError(f"unreadable CSV ({e})", row=1) from None
    columns = [c.strip().lstrip("\ufeff").lower() for c in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise CatalogError(
            f"missing column(s) {', '.join(missing)}; the header must include " + ",".join(REQUIRED_COLUMNS), row=1
        )
    dupes = sorted({c for c in columns if c and columns.count(c) > 1})
    if dupes:
        raise CatalogError(f"duplicate column(s) {', '.join(dupes)}", row=1)
    return columns


_END = object()  # no more records


def _record(reader: Any, columns: list[str], seen: dict[str, int], row: int) -> Offering | object | None:
    """The next record as an Offering, None for a blank line, or _END; a bad record raises CatalogError."""
    try:
        cells = next(reader)
    except StopIteration:
        return _END
    except csv.Error as e:
        raise CatalogError(f"unreadable CSV ({e})", row=row) from None
    if not any(c.strip() for c in cells):
        return None
    if len(cells) > len(columns):
        raise CatalogError(
            f"has {len(cells)} cells but the header has {len(columns)} columns (quote cells that contain commas)",
            row=row,
        )
    offering = parse_row(dict(zip(columns, cells, strict=False)), row=row)
    if offering.id in seen:
        raise CatalogError(f"duplicate id {offering.id!r} (first on row {seen[offering.id]})", row=row, column="id")
    return offering


def _read(lines: Iterable[str] | str, errors: list[CatalogError] | None) -> list[Offering]:
    """The one CSV reader. With ``errors`` None the first bad row raises; otherwise each bad row is
    appended to ``errors`` and skipped (a repeated id keeps the first row)."""
    if isinstance(lines, str):
        lines = io.StringIO(lines)
    reader = csv.reader(lines)
    columns = _columns(reader)
    offerings: list[Offering] = []
    seen: dict[str, int] = {}
    while True:
        row = reader.line_num + 1  # the line the next record starts on
        try:
            record = _record(reader, columns, seen, row)
        except CatalogError as e:
            if errors is None:
                raise
            errors.append(e)
            continue
        if record is _END:
            return offerings
        if isinstance(record, Offering):
            seen[record.id] = row
            offerings.append(record)


def parse_catalog(lines: Iterable[str] | str) -> list[Offering]:
    """Parse and validate a whole catalog; raises CatalogError on the first problem.

    ``lines`` is a text file object or any iterable of lines (a str is treated as the file's text).
    Blank lines are skipped; ids must be unique within the file."""
    return _read(lines, None)


def parse_catalog_rows(lines: Iterable[str] | str) -> tuple[list[Offering], list[CatalogError]]:
    """Like parse_catalog, but a bad row is reported and skipped instead of failing the file:
    (good offerings, one CatalogError per bad row, naming its line). A bad header still raises."""
    errors: list[CatalogError] = []
    return _read(lines, errors), errors


def read_catalog(path: str | Path) -> list[Offering]:
    """Parse a catalog CSV file (UTF-8, with or without a byte-order mark)."""
    with Path(path).open(encoding="utf-8-sig", newline="") as f:
        return parse_catalog(f)


def read_catalog_rows(path: str | Path) -> tuple[list[Offering], list[CatalogError]]:
    """parse_catalog_rows over a file (UTF-8, with or without a byte-order mark)."""
    with Path(path).open(encoding="utf-8-sig", newline="") as f:
        return parse_catalog_rows(f)


def offerings_to_csv(offerings: Sequence[Offering]) -> str:
    """The offerings in the documented CSV layout (with the optional columns)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([*REQUIRED_COLUMNS, "cost", "delivery_mode", "url", "review_date"])
    for o in offerings:
        w.writerow(
            [
                o.id,
                o.title,
                o.provider,
                o.level_framework,
                "" if o.level_value is None else o.level_value,
                o.hours,
                ";".join(s.replace(";", ",") for s in o.skills),
                "" if o.cost is None else o.cost,
                o.delivery_mode,
                o.url,
                o.review_date.isoformat() if o.review_date else "",
            ]
        )
    return buf.getvalue()
