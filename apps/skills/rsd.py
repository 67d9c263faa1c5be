"""Reader of Rich Skill Descriptors (Open Skills Network RSD JSON, as the Open Skills Management Tool
exports them), Django-free: bytes in, a list of :class:`RsdSkill` out, or :class:`RsdError` with a
message a person can act on. Nothing is stored here (apps.skills.org_skills does that, all or nothing).

Accepted shapes (docs/skills.md): one RSD object (``"type": "RichSkillDescriptor"``, ``skillName``,
``skillStatement``), a JSON list of them, or a collection (``"type": "RichSkillCollection"``) whose
``skills`` are full RSDs. Of an RSD we read ``id`` (its URL), ``skillName``, ``skillStatement``,
``keywords``, ``categories`` (or the older single ``category``) and ``alignments``: an alignment whose
``id`` (or ``targetNode`` / ``alignmentUrl``, older exports) is an ESCO concept URI maps the skill to
that concept. Every other key is ignored."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from apps.core.inputs import InputError, check_nesting

MAX_BYTES = 5 * 1024 * 1024
MAX_SKILLS = 5000
MAX_NAME = 300
MAX_STATEMENT = 5000
MAX_KEYWORDS = 50
MAX_KEYWORD = 200
MAX_URL = 500
ESCO_URI = re.compile(r"^https?://data\.europa\.eu/esco/(skill|isced-f|occupation)/[A-Za-z0-9._-]+$")


class RsdError(ValueError):
    """A file that is not a usable RSD export; ``message`` says what is wrong and where, in English
    words; ``code`` and ``params`` (``skill``: its number in the file, ``field``, ``limit``) let a page
    say the same in its own language (apps.dashboard.views.org_skills)."""

    def __init__(self, message: str, code: str = "invalid", **params: Any) -> None:
        super().__init__(message)
        self.message, self.code, self.params = message, code, params


@dataclass(frozen=True)
class RsdSkill:
    """One skill read from an RSD: its name and statement, its URL (``uri``, may be empty), keywords and
    categories, and the ESCO concept URIs its alignments name (first one is the mapping used)."""

    name: str
    statement: str = ""
    uri: str = ""
    keywords: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    esco_uris: tuple[str, ...] = field(default=())


def _where(n: int) -> str:
    return f"skill {n}" if n else "the skill"


def _text(value: Any, n: int, what: str, limit: int, *, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise RsdError(f"{_where(n)}: {what} must be text.", "not_text", skill=n, field=what)
    text = " ".join(value.split())
    if required and not text:
        raise RsdError(f"{_where(n)}: the skill has no {what}.", "no_name", skill=n, field=what)
    if len(text) > limit:
        raise RsdError(
            f"{_where(n)}: {what} is longer than {limit} characters.", "too_long", skill=n, field=what, limit=limit
        )
    return text


def _texts(value: Any, n: int, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):  # older exports: a single string
        value = [value]
    if not isinstance(value, list):
        raise RsdError(f"{_where(n)}: {what} must be a list of words.", "not_list", skill=n, field=what)
    if len(value) > MAX_KEYWORDS:
        raise RsdError(
            f"{_where(n)}: more than {MAX_KEYWORDS} {what}.", "too_many_words", skill=n, field=what, limit=MAX_KEYWORDS
        )
    out = []
    for v in value:
        if isinstance(v, dict):  # some exports give {"name": ...}
            v = v.get("name")
        word = _text(v, n, what, MAX_KEYWORD)
        if word and word not in out:
            out.append(word)
    return tuple(out)


def _esco_uris(value: Any, n: int) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise RsdError(f"{_where(n)}: alignments must be a list.", "not_list", skill=n, field="alignments")
    found = []
    for a in value[:MAX_KEYWORDS]:
        if not isinstance(a, dict):
            raise RsdError(
                f"{_where(n)}: each alignment must be an object with an id.",
                "bad_alignment",
                skill=n,
                field="alignments",
            )
        for key in ("id", "targetNode", "alignmentUrl", "targetUrl"):
            url = a.get(key)
            if isinstance(url, str) and ESCO_URI.match(url.strip()) and url.strip() not in found:
                found.append(url.strip())
    return tuple(found)


def _skill(obj: Any, n: int) -> RsdSkill:
    w = _where(n)
    if not isinstance(obj, dict):
        raise RsdError(f"{w}: a skill must be a JSON object.", "not_object", skill=n)
    kind = obj.get("type")
    if kind is not None and kind != "RichSkillDescriptor":
        raise RsdError(f"{w}: type is {str(kind)[:60]!r}, not a RichSkillDescriptor.", "wrong_type", skill=n)
    if "skillName" not in obj:
        if obj and set(obj) <= {"id", "uuid", "name"}:
            raise RsdError(
                f"{w}: the skill is only a reference (its id); export the collection with its skills' details.",
                "reference_only",
                skill=n,
            )
        raise RsdError(f"{w}: the skill has no skillName.", "no_name", skill=n, field="skillName")
    uri = _text(obj.get("id"), n, "id", MAX_URL)
    if uri and not re.match(r"^(https?://|urn:)\S+$", uri):
        raise RsdError(f"{w}: id must be a URL.", "bad_id", skill=n, field="id")
    return RsdSkill(
        name=_text(obj.get("skillName"), n, "skillName", MAX_NAME, required=True),
        statement=_text(obj.get("skillStatement"), n, "skillStatement", MAX_STATEMENT),
        uri=uri,
        keywords=_texts(obj.get("keywords"), n, "keywords"),
        categories=_texts(obj.get("categories", obj.get("category")), n, "categories"),
        esco_uris=_esco_uris(obj.get("alignments"), n),
    )


def read_rsd(data: bytes | str) -> list[RsdSkill]:
    """The skills of an RSD file, in file order. Raises RsdError for anything else: not UTF-8, not JSON,
    too big, too deep, no skills, a skill without a name, the same skill twice, wrong types."""
    too_big = RsdError(
        f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.", "too_big", limit=MAX_BYTES // (1024 * 1024)
    )
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise too_big
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise RsdError("The file is not UTF-8 text; an RSD export is a JSON file.", "not_text_file") from None
    else:
        text = data
        if len(text) > MAX_BYTES:
            raise too_big
    if not text.strip():
        raise RsdError("The file is empty.", "empty")
    try:
        check_nesting(text)
    except InputError:
        raise RsdError("The file is nested too deeply to be an RSD export.", "too_deep") from None
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise RsdError("The file is not valid JSON; an RSD export is a JSON file.", "not_json") from None
    numbered = True
    items: list[Any]
    if isinstance(doc, list):
        items = doc
    elif isinstance(doc, dict) and doc.get("type") == "RichSkillCollection":
        listed = doc.get("skills")
        if not isinstance(listed, list):
            raise RsdError("The collection has no list of skills.", "no_skills")
        items = listed
    elif isinstance(doc, dict):
        items, numbered = [doc], False
    else:
        raise RsdError("The file holds a single value, not a Rich Skill Descriptor.", "not_rsd")
    if not items:
        raise RsdError("The file holds no skills.", "no_skills")
    if len(items) > MAX_SKILLS:
        raise RsdError(f"The file holds more than {MAX_SKILLS} skills; split it.", "too_many", limit=MAX_SKILLS)
    out: list[RsdSkill] = []
    seen: dict[str, int] = {}
    for n, obj in enumerate(items, start=1):
        skill = _skill(obj, n if numbered else 0)
        key = skill.uri or skill.name.casefold()
        if key in seen:
            raise RsdError(
                f"skill {n} repeats skill {seen[key]} ({skill.name!r}).", "repeated", skill=n, other=seen[key]
            )
        seen[key] = n
        out.append(skill)
    return out
