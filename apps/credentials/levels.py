"""Qualification levels and their EQF equivalents (no Django).

Numeric tables (``FRAMEWORKS``): EQF has 8 levels; NZQF and AQF have 10; AQRF has 8. The mapping follows the
published referencing reports in spirit (bachelor: EQF 6 = NZQF 7 = AQF 7; master: EQF 7 = NZQF 9 = AQF 9;
doctorate: EQF 8 = 10).

Japan's qualifications framework (JQF, approved 2025) has no published EQF referencing yet, and no official
source for its numeric levels is bundled here. So:

* a numeric JQF level ("JQF level 6") is kept as the source level; its EQF equivalent comes only from an
  operator-supplied table (below), and is unknown (None) until one is loaded;
* a Japanese qualification TYPE (学士, 修士, 専門士…, or its English name) is mapped to an EQF equivalent through
  its ISCED 2011 level, from UNESCO's ISCED 2011 mapping for Japan (UNESCO Institute for Statistics):
  高等学校卒業 upper secondary = ISCED 3 → EQF 4; 専門士 (specialized training college diploma), 短期大学士
  (associate, junior college) and 準学士 (college of technology) = ISCED 5 → EQF 5; 学士 bachelor = ISCED 6 →
  EQF 6; 修士 / 専門職学位 master / professional degree = ISCED 7 → EQF 7; 博士 doctorate = ISCED 8 → EQF 8.
  These ISCED-derived mappings are PROVISIONAL: ISCED classifies programmes, EQF levels learning outcomes, and
  the two agree only roughly. They give way to the official JQF referencing once an operator loads it.

Operator tables: ``configure(spec)`` (Django: the ``TSUMIKI_LEVEL_REFERENCING`` setting, a JSON file path or a
JSON string) adds frameworks or replaces a built-in framework's table, e.g.
``{"JQF": {"1": 1, "2": 2, ...}}``. A table is validated when first used and a bad one raises
``LevelReferencingError`` naming the problem; it is never silently ignored.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# One ECTS credit is 25-30 hours of learning (ECTS Users' Guide 2015); the low end is the one conversion
# everywhere hours are derived from ECTS (importers, catalog formats, the engine's volume factor through
# apps.matching.engine.MatchParams.hours_per_ects), so a credential never counts two ways.
HOURS_PER_ECTS = 25.0

_TEN_TO_EQF = {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 5, 7: 6, 8: 7, 9: 7, 10: 8}
FRAMEWORKS: dict[str, dict[int, int]] = {
    "EQF": {i: i for i in range(1, 9)},
    "NZQF": _TEN_TO_EQF,
    "AQF": _TEN_TO_EQF,
    "AQRF": {i: i for i in range(1, 9)},
}
JQF = "JQF"
# Level frameworks recognised in credentials even without a numeric table (JQF: qualification types only).
LEVEL_FRAMEWORKS: tuple[str, ...] = (*FRAMEWORKS, JQF)
SETTING = "TSUMIKI_LEVEL_REFERENCING"
ISCED_SOURCE = "UNESCO ISCED 2011 mapping for Japan (provisional)"


class LevelReferencingError(ValueError):
    """An operator-supplied referencing table that cannot be used; the message says where and why."""


# ---------------------------------------------------------------- operator tables

_spec_source: Callable[[], Any] | None = None


def configure(source: Callable[[], Any] | None) -> None:
    """Where operator tables come from: a callable returning the spec (Django wires the setting in
    ``apps.credentials.apps``). The spec is parsed once per distinct value and cached."""
    global _spec_source
    _spec_source = source


def _current_spec() -> Any:
    return _spec_source() if _spec_source is not None else None


def parse_referencing(spec: Any) -> dict[str, dict[int, int]]:
    """Validate an operator spec — a mapping, a JSON string, or a path to a JSON file — into
    ``{FRAMEWORK: {level: eqf}}``; raise LevelReferencingError on anything wrong."""
    if spec is None or (isinstance(spec, str) and not spec.strip()):
        return {}
    if isinstance(spec, Mapping):
        try:
            text = json.dumps(spec, sort_keys=True, ensure_ascii=False)
        except (TypeError, ValueError) as exc:
            raise LevelReferencingError(f"{SETTING} cannot be read as JSON: {exc}") from exc
        return _parse_text(text, "the setting")
    if isinstance(spec, str | Path):
        text = str(spec).strip()
        if text.startswith(("{", "[")):
            return _parse_text(text, "the setting")
        return _parse_file(text)
    raise LevelReferencingError(
        f"{SETTING} must be a JSON object, a JSON string or a file path, not {type(spec).__name__}"
    )


@functools.lru_cache(maxsize=16)
def _parse_file(path: str) -> dict[str, dict[int, int]]:
    try:
        text = Path(path).expanduser().read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise LevelReferencingError(
            f"{SETTING}: cannot read the table file {path!r} ({exc.strerror or exc}); "
            "give a JSON file path or a JSON object"
        ) from exc
    return _parse_text(text, path)


@functools.lru_cache(maxsize=16)
def _parse_text(text: str, origin: str) -> dict[str, dict[int, int]]:
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise LevelReferencingError(f"{SETTING} ({origin}) is not valid JSON: {exc}") from exc
    if not isinstance(raw, dict):
        raise LevelReferencingError(
            f'{SETTING} ({origin}) must be a JSON object {{"FRAMEWORK": {{"level": eqf_level, ...}}}}'
        )
    out: dict[str, dict[int, int]] = {}
    for name, table in raw.items():
        if name.startswith("_"):
            continue  # "_source", "_comment": notes for people
        where = f"{SETTING}[{name!r}]"
        fw = name.strip().upper()
        if not re.fullmatch(r"[A-Z][A-Z0-9_-]{0,19}", fw):
            raise LevelReferencingError(
                f"{where}: a framework name is 1-20 letters, digits, '-' or '_', starting with a letter (e.g. JQF)"
            )
        if fw == "EQF":
            raise LevelReferencingError(f"{where}: EQF is what levels are referenced to; its table cannot change")
        if fw in out:
            raise LevelReferencingError(f"{where}: framework {fw} is given twice")
        if not isinstance(table, dict) or not table:
            raise LevelReferencingError(f"{where}: must be a non-empty object {{level: EQF level}}")
        levels: dict[int, int] = {}
        for key, eqf in table.items():
            if not re.fullmatch(r"\s*\d{1,3}\s*", str(key)) or int(key) < 1:
                raise LevelReferencingError(f"{where}: level {key!r} is not a whole number of at least 1")
            if isinstance(eqf, bool) or not isinstance(eqf, int) or not 1 <= eqf <= 8:
                raise LevelReferencingError(f"{where}[{key!r}]: EQF level must be a whole number 1-8, got {eqf!r}")
            if int(key) in levels:
                raise LevelReferencingError(f"{where}: level {int(key)} is given twice")
            levels[int(key)] = eqf
        ordered = sorted(levels.items())
        for (lo, lo_eqf), (hi, hi_eqf) in zip(ordered, ordered[1:], strict=False):
            if hi_eqf < lo_eqf:
                raise LevelReferencingError(
                    f"{where}: level {hi} maps to EQF {hi_eqf}, below level {lo} "
                    f"(EQF {lo_eqf}); a referencing table never goes down"
                )
        out[fw] = levels
    return out


def operator_tables() -> dict[str, dict[int, int]]:
    """The operator's tables (validated; raises LevelReferencingError on a bad one)."""
    return parse_referencing(_current_spec())


def tables() -> dict[str, dict[int, int]]:
    """Every numeric table in force: the built-in ones, with the operator's added or replacing them."""
    return {**FRAMEWORKS, **operator_tables()}


def known_frameworks() -> tuple[str, ...]:
    return tuple(dict.fromkeys((*LEVEL_FRAMEWORKS, *operator_tables())))


# ---------------------------------------------------------------- Japanese qualification types


@dataclass(frozen=True)
class QualificationType:
    """A Japanese qualification type with its ISCED 2011 level and the EQF equivalent derived from it."""

    key: str
    name_ja: str
    name_en: str
    isced: int
    eqf: int


JQF_TYPES = {
    "upper-secondary": QualificationType("upper-secondary", "高等学校卒業", "upper secondary school graduation", 3, 4),
    "specialized-diploma": QualificationType(
        "specialized-diploma", "専門士", "diploma (specialized training college)", 5, 5
    ),
    "associate": QualificationType("associate", "短期大学士 / 準学士", "associate degree", 5, 5),
    "bachelor": QualificationType("bachelor", "学士", "bachelor's degree", 6, 6),
    "master": QualificationType("master", "修士 / 専門職学位", "master's or professional degree", 7, 7),
    "doctorate": QualificationType("doctorate", "博士", "doctorate", 8, 8),
}
# Tried in order: a longer name that contains a shorter one comes first (高度専門士 ⊃ 専門士, 準学士 ⊃ 学士,
# 法務博士 is a professional degree, not a doctorate). ``None``: recognised, deliberately NOT mapped, because
# the ISCED source used here does not cover it.
_JQF_PATTERNS: list[tuple[re.Pattern[str], str | None]] = [
    (re.compile(p, re.IGNORECASE), k)
    for p, k in [
        (r"高度専門士|\badvanced\s+diploma\b|k[oō]do\s*senmonshi", None),
        (r"程度認定", None),  # 高等学校卒業程度認定: an equivalency examination, not a school completion
        (r"専門職学位|法務博士|教職修士|\bprofessional\s+(?:degree|master)|\bjuris\s+doctor\b", "master"),
        (r"博士|\bdoctor(?:ate|al)?\b|\bph\.?\s?d\b|\bhakushi\b", "doctorate"),
        (r"修士|\bmaster(?:'?s)?\b|\bshushi\b", "master"),
        (
            r"準学士|短期大学|高等専門学校|\bassociate\b|\bjunior\s+college\b|\bcollege\s+of\s+technology\b"
            r"|\bjun[\s-]?gakushi\b|\btanki[\s-]?daigakushi\b",
            "associate",
        ),
        (r"高等学校卒業|高校卒業|\bupper[\s-]+secondary\b|\bhigh[\s-]+school\b", "upper-secondary"),
        (r"専門士|\bdiploma\b|\bsenmonshi\b", "specialized-diploma"),
        (r"学士|\bbachelor(?:'?s)?\b|\bgakushi\b", "bachelor"),
    ]
]


def jqf_qualification_type(statement: str | None) -> QualificationType | None:
    """The Japanese qualification type named in ``statement`` (Japanese or English), or None."""
    if not statement:
        return None
    for pattern, key in _JQF_PATTERNS:
        if pattern.search(statement):
            return JQF_TYPES[key] if key else None
    return None


# ---------------------------------------------------------------- reading a level statement

_ACRONYM = re.compile(r"(?<![A-Za-z])([A-Za-z]{3,5})(?![A-Za-z])")
_FULL_NAMES = [
    (re.compile(r"european\s+qualifications?\s+framework", re.I), "EQF"),
    (re.compile(r"new\s+zealand\s+qualifications?", re.I), "NZQF"),
    (re.compile(r"australian\s+qualifications?\s+framework", re.I), "AQF"),
    (re.compile(r"asean\s+qualifications?\s+reference\s+framework", re.I), "AQRF"),
    (
        re.compile(
            r"japan(?:ese|'s)?\b.*\b(?:qualifications?|framework)|日本.*(?:資格|枠組)|^\s*(?:japan|日本)\s*$", re.I
        ),
        JQF,
    ),
]
_NUMBER = re.compile(r"(?<!\d)(\d{1,3})(?!\d)")  # a level, not a year or an id


def framework_of(text: str | None) -> str | None:
    """The level framework a framework name or code stands for ('JQF', 'Japan Qualifications Framework',
    'European Qualifications Framework (EQF)' …), or None when it is not a level framework we know."""
    if not text:
        return None
    known = set(known_frameworks())
    for m in _ACRONYM.finditer(text):
        if m.group(1).upper() in known:
            return m.group(1).upper()
    for pattern, fw in _FULL_NAMES:
        if pattern.search(text):
            return fw
    return None


@dataclass(frozen=True)
class LevelReading:
    """A level as a credential states it: framework, its own numeric level (if any), the EQF equivalent (if
    known) and how that equivalent was found."""

    framework: str
    value: int | None
    eqf: int | None
    basis: str


def read_level(framework: str | None, statement: str | None) -> LevelReading | None:
    """Read a level statement (an alignment's name, an EDC national level label) in a level framework.

    A number is the framework's own level; its EQF equivalent comes from the table in force. In JQF, a
    qualification type (学士, 'Bachelor of Engineering'…) gives a provisional ISCED-derived equivalent, used
    where no table gives one. None when the framework is not a level framework or nothing is readable."""
    fw = framework_of(framework) or (
        framework.strip().upper() if framework and framework.strip().upper() in known_frameworks() else None
    )
    if fw is None or not statement:
        return None
    number = _NUMBER.search(statement)
    value = int(number.group(1)) if number else None
    if value is not None:
        table = tables().get(fw)
        if table is not None and value in table:
            source = "operator table" if fw in operator_tables() else f"{fw} referencing table"
            return LevelReading(fw, value, table[value], source)
    if fw == JQF:
        qtype = jqf_qualification_type(statement)
        if qtype is not None:
            return LevelReading(fw, value, qtype.eqf, f"{qtype.name_ja}: ISCED {qtype.isced} ({ISCED_SOURCE})")
    if value is not None:
        return LevelReading(fw, value, None, f"no EQF referencing for {fw} level {value}")
    return None


def to_eqf(framework: str, value: int | str | None) -> int | None:
    """The EQF-equivalent level, or None if the framework or value is unknown.

    ``value`` is a numeric level (looked up in the table in force), or, for JQF, a qualification type such as
    '学士' (provisional, ISCED-derived; see the module docstring)."""
    if value is None:
        return None
    fw = (framework or "EQF").strip().upper()
    if isinstance(value, str) and not value.strip().isdigit():
        qtype = jqf_qualification_type(value) if fw == JQF else None
        return qtype.eqf if qtype else None
    try:
        level = int(value)
    except (TypeError, ValueError):
        return None
    return tables().get(fw, {}).get(level)
