"""A CV's bytes to a draft profile (no Django): who, contact, experience, education, certifications
and skills, each skill with the taxonomy concept it was normalized to, the section and span it came
from and a confidence.

The taxonomy is reached only through two callables, so this module runs (and is tested) without a
database: ``extract(text)`` finds skills in free text (apps.skills.services.skills_extract) and
``resolve(phrases)`` normalizes a list of short phrases (apps.skills.services.normalize).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from . import sections as sx
from .readers import Document, ResumeError, read

Extract = Callable[[str], list[dict]]
Resolve = Callable[[Sequence[str]], list[dict | None]]

SOURCES = ("skills", "experience", "summary", "education", "certifications")
# A listed skill the extractor does not find is kept as it was written; it gets a concept only when the
# normalizer is this sure of it (the normalizer's own threshold for resolving a phrase).
RESOLVE_MIN = 0.6
MAX_ITEM_WORDS = 6  # a skills-list item longer than this is prose: only the extractor reads it
# Prose (roles, summary, education, certification titles) is read by the extractor at its own threshold
# (0.8) and then kept only at this confidence: a CV's sentences hold many spans that are near some skill
# without naming one ("board" → scaffolding components). Listed skills keep the extractor's threshold.
# Chosen with bench/resume_eval.py on its self-written CVs (docs/quality.md), so optimistic.
PROSE_MIN_CONFIDENCE = 0.9
SKILLS_PER_TEXT = 40  # skills the extractor may propose per section or role
_PRIORITY = {s: i for i, s in enumerate(SOURCES)}


@dataclass
class Skill:
    """A proposed skill: the words of the CV, the concept (or None), where it was found and how sure."""

    phrase: str
    uri: str | None
    label: str | None
    source: str
    span: list[int] | None
    confidence: float
    context: str = ""


@dataclass
class ExperienceEntry:
    title: str
    organization: str
    start: str | None
    end: str | None
    skills: list[Skill] = field(default_factory=list)
    description: str = ""


@dataclass
class CredentialEntry:
    title: str
    issuer: str | None
    issued: str | None
    url: str | None


@dataclass
class EducationEntry:
    title: str
    institution: str
    start: str | None
    end: str | None


@dataclass
class Draft:
    """What a CV says, for a person to confirm: nothing here is evidence until confirmed."""

    file: str
    format: str | None
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    skills: list[Skill] = field(default_factory=list)
    experience: list[ExperienceEntry] = field(default_factory=list)
    education: list[EducationEntry] = field(default_factory=list)
    credentials: list[CredentialEntry] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    text: str = ""

    def as_dict(self, *, with_text: bool = False) -> dict[str, Any]:
        """The stateless contract's JSON object (docs/resume.md)."""

        def skill(s: Skill, *, top: bool = True) -> dict[str, Any]:
            d = {"phrase": s.phrase, "uri": s.uri, "label": s.label, "source": s.source, "span": s.span}
            d["confidence"] = round(s.confidence, 3)
            if not top:
                d.pop("source")
            return d

        out: dict[str, Any] = {
            "file": self.file,
            "format": self.format,
            "name": self.name,
            "email": self.email,
            "phone": self.phone,
            "skills": [skill(s) for s in self.skills],
            "experience": [
                {
                    "title": e.title,
                    "organization": e.organization,
                    "start": e.start,
                    "end": e.end,
                    "skills": [skill(s, top=False) for s in e.skills],
                }
                for e in self.experience
            ],
            "education": [asdict(e) for e in self.education],
            "credentials": [asdict(c) for c in self.credentials],
            "errors": list(self.errors),
        }
        if with_text:
            out["text"] = self.text
        return out


def parse(data: bytes, filename: str, *, extract: Extract, resolve: Resolve, max_bytes: int | None = None) -> Draft:
    """The draft of one CV file. Never raises on bad input: what cannot be read is in ``errors``."""
    try:
        doc = read(data, filename, **({"max_bytes": max_bytes} if max_bytes else {}))
    except ResumeError as exc:
        return Draft(file=filename, format=None, errors=[str(exc)])
    except (RecursionError, MemoryError) as exc:
        return Draft(file=filename, format=None, errors=[f"unreadable file ({type(exc).__name__})"])
    return from_document(doc, filename, extract=extract, resolve=resolve)


def from_document(doc: Document, filename: str, *, extract: Extract, resolve: Resolve) -> Draft:
    draft = Draft(file=filename, format=doc.format, errors=list(doc.notes))
    if doc.data is not None:
        from .structured import fill_from_json

        fill_from_json(draft, doc.format, doc.data, extract=extract, resolve=resolve)
    else:
        _fill_from_text(draft, doc.text, extract=extract, resolve=resolve)
    draft.skills = dedupe(draft.skills)
    return draft


# --- text CVs --------------------------------------------------------------------------------------


def _context(text: str, start: int, end: int) -> str:
    """The line around a span (what the confirm page shows beside the skill)."""
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", end)
    b = len(text) if b < 0 else b
    line = text[a:b].strip()
    return line[:240]


def found_in(text: str, start: int, end: int, source: str, extract: Extract) -> list[Skill]:
    """Skills the extractor finds in ``text[start:end]``, spans shifted into ``text``."""
    chunk = text[start:end]
    if not chunk.strip():
        return []
    out = []
    for hit in extract(chunk):
        if float(hit.get("confidence", 1.0)) < PROSE_MIN_CONFIDENCE:
            continue
        s, e = hit["span"]
        out.append(
            Skill(
                phrase=hit.get("text") or chunk[s:e],
                uri=hit.get("uri"),
                label=hit.get("label"),
                source=source,
                span=[start + s, start + e],
                confidence=float(hit.get("confidence", 1.0)),
                context=_context(text, start + s, start + e),
            )
        )
    return out


def listed(
    items: Sequence[tuple[str, list[int] | None, str]], source: str, *, extract: Extract, resolve: Resolve
) -> list[Skill]:
    """Skills from a list of (item text, its span or None, context): the extractor's concepts inside each
    item; an item in which it finds none is normalized whole, and kept as written (no concept) when the
    normalizer is not sure."""
    out: list[Skill] = []
    leftover: list[tuple[str, list[int] | None, str]] = []
    for item, span, context in items:
        hits = extract(item)
        if not hits:
            if len(item.split()) <= MAX_ITEM_WORDS:
                leftover.append((item, span, context))
            continue
        for hit in hits:
            s, e = hit["span"]
            out.append(
                Skill(
                    phrase=hit.get("text") or item[s:e],
                    uri=hit.get("uri"),
                    label=hit.get("label"),
                    source=source,
                    span=[span[0] + s, span[0] + e] if span else None,
                    confidence=float(hit.get("confidence", 1.0)),
                    context=context or item,
                )
            )
    if leftover:
        answers = resolve([t for t, _, _ in leftover])
        found = {s.uri for s in out if s.uri}
        for (item, span, context), ans in zip(leftover, answers, strict=True):
            sure = ans is not None and float(ans.get("confidence", 0)) >= RESOLVE_MIN
            # another item of the list names that concept in so many words: this one is something else
            # ("Communication" is not "English" because the normalizer finds them close)
            sure = sure and ans is not None and ans.get("uri") not in found
            out.append(
                Skill(
                    phrase=item,
                    uri=ans["uri"] if sure and ans else None,
                    label=ans["label"] if sure and ans else None,
                    source=source,
                    span=span,
                    confidence=float(ans["confidence"]) if sure and ans else 0.0,
                    context=context or item,
                )
            )
    return out


def _fill_from_text(draft: Draft, text: str, *, extract: Extract, resolve: Resolve) -> None:
    draft.text = text
    parts = sx.split_sections(text)
    header = "\n".join(text[p.start : p.end] for p in parts if p.kind == "header")
    draft.name = sx.find_name(header or text[:500])
    draft.email = sx.find_email(header) or sx.find_email(text)
    draft.phone = sx.find_phone(header) or sx.find_phone(text)
    if not any(p.kind in SOURCES for p in parts):
        # no heading at all: read the whole text as a summary, so a plain letter still yields skills
        draft.skills += found_in(text, 0, len(text), "summary", extract)
        return
    # the items of every skills section are read together, so that no item is taken for a concept
    # that another one names (listed)
    items = [
        (ln.text, [ln.start, ln.end], _context(text, ln.start, ln.end))
        for part in parts
        if part.kind == "skills"
        for ln in sx.skill_items(text, part)
    ]
    draft.skills += listed(items, "skills", extract=extract, resolve=resolve)
    for part in parts:
        if part.kind == "experience":
            entries = sx.parse_entries(text, part)
            if not entries:
                draft.skills += found_in(text, part.start, part.end, "experience", extract)
            for e in entries:
                found: list[Skill] = []
                if e.body:
                    found = found_in(text, e.body[0].start, e.body[-1].end, "experience", extract)
                draft.experience.append(
                    ExperienceEntry(
                        title=e.title,
                        organization=e.organization,
                        start=e.start,
                        end=e.end,
                        skills=found,
                        description=text[e.body[0].start : e.body[-1].end] if e.body else "",
                    )
                )
                draft.skills += found
        elif part.kind == "education":
            for e in sx.parse_entries(text, part):
                draft.education.append(EducationEntry(e.title, e.organization, e.start, e.end))
            draft.skills += found_in(text, part.start, part.end, "education", extract)
        elif part.kind == "certifications":
            for c in sx.certification_lines(text, part):
                draft.credentials.append(CredentialEntry(c["title"], c["issuer"], c["issued"], c["url"]))
                ln = c["line"]
                at = text.find(c["title"], ln.start, ln.end)
                if at >= 0:
                    draft.skills += found_in(text, at, at + len(c["title"]), "certifications", extract)
        elif part.kind == "summary":
            draft.skills += found_in(text, part.start, part.end, "summary", extract)


def dedupe(skills: list[Skill]) -> list[Skill]:
    """One proposal per concept (per written phrase when there is no concept), keeping the one from the
    most telling section: a skill listed under Skills before the same skill named in a role."""
    best: dict[str, Skill] = {}
    order: list[str] = []
    for s in skills:
        key = s.uri or "phrase:" + re.sub(r"\s+", " ", s.phrase.casefold()).strip()
        if key not in best:
            best[key] = s
            order.append(key)
        elif (_PRIORITY[s.source], -s.confidence) < (_PRIORITY[best[key].source], -best[key].confidence):
            best[key] = s
    return [best[k] for k in order]
