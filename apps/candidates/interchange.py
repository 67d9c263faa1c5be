"""The interchange format (docs/architecture.md): parsing and validating jobs and candidates, no Django.

Errors name the line (for JSON-lines input) and the field, so a bad record is reported precisely
and nothing is half-imported.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from apps.credentials.levels import to_eqf

CREDENTIAL_KINDS = ("microcredential", "badge", "certificate", "course", "license", "degree")


class InterchangeError(ValueError):
    """A record that does not follow the interchange format; ``line`` is 1-based where known."""

    def __init__(self, message: str, *, line: int | None = None, field: str | None = None):
        self.message, self.line, self.field = message, line, field
        where = f"line {line}: " if line is not None else ""
        what = f"{field}: " if field else ""
        super().__init__(f"{where}{what}{message}")


@dataclass
class Level:
    framework: str
    value: int

    @property
    def eqf(self) -> int | None:
        return to_eqf(self.framework, self.value)


@dataclass
class SkillReq:
    name: str
    uri: str | None = None
    weight: float = 1.0
    required: bool = False
    min_level: int | None = None


@dataclass
class JobDoc:
    id: str
    title: str
    description: str = ""
    skills: list[SkillReq] = field(default_factory=list)


@dataclass
class CredentialDoc:
    title: str
    kind: str = "microcredential"
    issuer: str = ""
    issued: date | None = None
    expires: date | None = None
    verified: bool = False
    level: Level | None = None
    hours: int | None = None
    skills: list[str] = field(default_factory=list)


@dataclass
class CandidateDoc:
    id: str
    name: str = ""
    credentials: list[CredentialDoc] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    degrees: list[CredentialDoc] = field(default_factory=list)


def _str(v: Any, name: str, *, required: bool = False, line: int | None = None) -> str:
    if v is None:
        if required:
            raise InterchangeError("is required", line=line, field=name)
        return ""
    if isinstance(v, int | float) and not isinstance(v, bool):
        return str(v)
    if not isinstance(v, str):
        raise InterchangeError(f"must be a string, got {type(v).__name__}", line=line, field=name)
    if required and not v.strip():
        raise InterchangeError("must not be empty", line=line, field=name)
    return v.strip()


def _date(v: Any, name: str, line: int | None) -> date | None:
    if v in (None, ""):
        return None
    if not isinstance(v, str):
        raise InterchangeError("must be an ISO date string (YYYY-MM-DD)", line=line, field=name)
    try:
        return date.fromisoformat(v[:10])
    except ValueError:
        raise InterchangeError(f"{v!r} is not an ISO date (YYYY-MM-DD)", line=line, field=name) from None


def _num(v: Any, name: str, line: int | None, *, integer: bool = False, minimum: float | None = 0):
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise InterchangeError(f"must be a number, got {v!r}", line=line, field=name)
    if minimum is not None and v < minimum:
        raise InterchangeError(f"must be at least {minimum}, got {v}", line=line, field=name)
    return int(v) if integer else float(v)


def _level(v: Any, name: str, line: int | None) -> Level | None:
    if v is None:
        return None
    if isinstance(v, int) and not isinstance(v, bool):
        return Level("EQF", v)
    if not isinstance(v, dict):
        raise InterchangeError('must be {"framework": "EQF", "value": 5}', line=line, field=name)
    fw = _str(v.get("framework", "EQF"), f"{name}.framework", line=line) or "EQF"
    val = _num(v.get("value"), f"{name}.value", line, integer=True, minimum=0)
    if val is None:
        raise InterchangeError("is required", line=line, field=f"{name}.value")
    return Level(fw.upper(), val)


def _phrases(v: Any, name: str, line: int | None) -> list[str]:
    if v is None:
        return []
    if not isinstance(v, list):
        raise InterchangeError("must be a list of strings", line=line, field=name)
    out = []
    for i, s in enumerate(v):
        if not isinstance(s, str):
            raise InterchangeError(f"item {i} must be a string, got {s!r}", line=line, field=name)
        if s.strip():
            out.append(s.strip())
    return out


def parse_job(obj: Any) -> JobDoc:
    """Validate a job object; raises InterchangeError naming the field."""
    if not isinstance(obj, dict):
        raise InterchangeError("a job must be a JSON object")
    skills_raw = obj.get("skills")
    if not isinstance(skills_raw, list) or not skills_raw:
        raise InterchangeError("a job needs a non-empty list of required skills", field="skills")
    skills = []
    for i, s in enumerate(skills_raw):
        f = f"skills[{i}]"
        if isinstance(s, str):
            s = {"name": s}
        if not isinstance(s, dict):
            raise InterchangeError("must be an object with a name", field=f)
        weight = _num(s.get("weight", 1.0), f"{f}.weight", None)
        if weight is None or weight <= 0:
            raise InterchangeError("must be a positive number", field=f"{f}.weight")
        req = s.get("required", False)
        if not isinstance(req, bool):
            raise InterchangeError("must be true or false", field=f"{f}.required")
        skills.append(
            SkillReq(
                name=_str(s.get("name"), f"{f}.name", required=True),
                uri=_str(s.get("uri"), f"{f}.uri") or None,
                weight=weight,
                required=req,
                min_level=_num(s.get("min_level"), f"{f}.min_level", None, integer=True),
            )
        )
    return JobDoc(
        id=_str(obj.get("id"), "id") or "job",
        title=_str(obj.get("title"), "title") or _str(obj.get("id"), "id") or "Untitled job",
        description=_str(obj.get("description"), "description"),
        skills=skills,
    )


def _credential(c: Any, name: str, line: int | None, *, default_kind: str) -> CredentialDoc:
    if not isinstance(c, dict):
        raise InterchangeError("must be an object", line=line, field=name)
    kind = _str(c.get("kind", default_kind), f"{name}.kind", line=line) or default_kind
    if kind not in CREDENTIAL_KINDS:
        raise InterchangeError(
            f"unknown kind {kind!r}; one of {', '.join(CREDENTIAL_KINDS)}", line=line, field=f"{name}.kind"
        )
    verified = c.get("verified", False)
    if not isinstance(verified, bool):
        raise InterchangeError("must be true or false", line=line, field=f"{name}.verified")
    return CredentialDoc(
        title=_str(c.get("title"), f"{name}.title", required=True, line=line),
        kind=kind,
        issuer=_str(c.get("issuer"), f"{name}.issuer", line=line),
        issued=_date(c.get("issued"), f"{name}.issued", line),
        expires=_date(c.get("expires"), f"{name}.expires", line),
        verified=verified,
        level=_level(c.get("level"), f"{name}.level", line),
        hours=_num(c.get("hours"), f"{name}.hours", line, integer=True),
        skills=_phrases(c.get("skills"), f"{name}.skills", line),
    )


def parse_candidate(obj: Any, *, line: int | None = None) -> CandidateDoc:
    if not isinstance(obj, dict):
        raise InterchangeError("a candidate must be a JSON object", line=line)
    cid = _str(obj.get("id"), "id", required=True, line=line)
    creds = obj.get("credentials") or []
    if not isinstance(creds, list):
        raise InterchangeError("must be a list", line=line, field="credentials")
    degrees = obj.get("degrees") or []
    if not isinstance(degrees, list):
        raise InterchangeError("must be a list", line=line, field="degrees")
    return CandidateDoc(
        id=cid,
        name=_str(obj.get("name"), "name", line=line),
        credentials=[
            _credential(c, f"credentials[{i}]", line, default_kind="microcredential") for i, c in enumerate(creds)
        ],
        skills=_phrases(obj.get("skills"), "skills", line),
        degrees=[_credential(d, f"degrees[{i}]", line, default_kind="degree") for i, d in enumerate(degrees)],
    )


def iter_candidates_jsonl(lines: Iterable[str]) -> Iterator[CandidateDoc]:
    """Parse JSON lines; blank lines are skipped; a bad line raises InterchangeError naming it.
    Duplicate ids are an error too, since every candidate must appear exactly once in a ranking."""
    seen: set[str] = set()
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as e:
            raise InterchangeError(f"invalid JSON ({e.msg} at column {e.colno})", line=n) from None
        doc = parse_candidate(obj, line=n)
        if doc.id in seen:
            raise InterchangeError(f"duplicate candidate id {doc.id!r}", line=n, field="id")
        seen.add(doc.id)
        yield doc
