"""The CV draft as a form: the rows the confirm page shows (each skill beside the words it came from) and
what a person sends back (skills kept or corrected, roles edited or added). The form carries the whole
draft, so nothing is stored between the upload and the confirmation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from apps.candidates.resume import NO_TEXT_LAYER, Draft
from apps.candidates.services import RESUME_JOB_INTERNAL_ERROR, ExperienceInput

MAX_ROWS = 200  # skill rows read from one confirmation
MAX_ROLES = 50
_SKILL_KEY = re.compile(r"^skills-([A-Za-z0-9]{1,24})-name$")
_ROLE_KEY = re.compile(r"^exp-([A-Za-z0-9]{1,24})-title$")
_MONTH = re.compile(r"^((?:19|20)\d\d)(?:-(0[1-9]|1[0-2]))?$")


def month_value(value: str | None) -> str:
    """A draft date ("2019-04" or "2019") as an ``<input type="month">`` value."""
    m = _MONTH.match(value or "")
    if not m:
        return ""
    return f"{m.group(1)}-{m.group(2) or '01'}"


def month_date(value: str) -> date | None:
    """The first day of a posted month ("2019-04"); None when empty. ValueError when malformed."""
    value = (value or "").strip()
    if not value:
        return None
    m = _MONTH.match(value)
    if not m:
        raise ValueError(value)
    return date(int(m.group(1)), int(m.group(2) or 1), 1)


def source_label(source: str) -> str:
    return {
        "skills": _("Skills section"),
        "experience": _("Experience"),
        "summary": _("Summary"),
        "education": _("Education"),
        "certifications": _("Certifications"),
    }.get(source, source)


def problem_words(errors: list[str]) -> list[str]:
    """The reader's messages in plain, translated words."""
    out = []
    for e in errors:
        if e == NO_TEXT_LAYER:
            out.append(_("This PDF has no text layer (scanned?). Upload a PDF with selectable text, or a DOCX."))
        elif "-byte limit" in e:
            out.append(_("The file is larger than the upload limit."))
        elif e.startswith("only the first") or e.startswith("reading stopped") or "could not be read" in e:
            out.append(_("Only part of the file could be read: check the draft against your CV."))
        elif "password-protected" in e:
            out.append(_("The PDF is password-protected."))
        elif e == RESUME_JOB_INTERNAL_ERROR:
            out.append(_("Something went wrong while reading the CV. Nothing was saved: upload it again."))
        else:
            out.append(
                _("This file could not be read as a CV. Use a PDF, DOCX, plain text, JSON Resume or LER-RS file.")
            )
    return list(dict.fromkeys(out))


def _split_context(context: str, phrase: str) -> tuple[str, str, str]:
    at = context.find(phrase)
    if at < 0:
        return context, "", ""
    return context[:at], phrase, context[at + len(phrase) :]


def draft_rows(draft: Draft) -> dict:
    """Template rows for a draft: ``skills`` (key, phrase, label, uri, section, confidence, and the words
    around it split as before/mark/after) and ``roles`` (key, fields as the form shows them)."""
    skills = []
    for i, s in enumerate(draft.skills[:MAX_ROWS]):
        before, mark, after = _split_context(s.context or s.phrase, s.phrase)
        skills.append(
            {
                "key": f"s{i}",
                "phrase": s.phrase,
                "label": s.label,
                "uri": s.uri,
                "section": source_label(s.source),
                "confidence": s.confidence,
                "span": s.span,
                "before": before,
                "mark": mark,
                "after": after,
            }
        )
    roles = [
        {
            "key": f"e{i}",
            "title": e.title,
            "organization": e.organization,
            "start": month_value(e.start),
            "end": month_value(e.end),
            "skills": ", ".join(dict.fromkeys(s.label or s.phrase for s in e.skills)),
        }
        for i, e in enumerate(draft.experience[:MAX_ROLES])
    ]
    return {"skills": skills, "roles": roles}


@dataclass
class Confirmation:
    """What the person confirmed: skill names, roles, and the problems found in the form."""

    skills: list[str] = field(default_factory=list)
    roles: list[ExperienceInput] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def read_confirmation(post) -> Confirmation:
    """The confirmed draft from a POST: a skill row counts when its "keep" box is ticked (the blank
    "add a skill" rows count when filled in); a role when its "keep" box is ticked, or when it is the
    blank "add a job you held" row and has a title."""
    out = Confirmation()
    for key in list(post.keys())[: MAX_ROWS * 4]:
        m = _SKILL_KEY.match(key)
        if not m:
            continue
        k = m.group(1)
        name = " ".join((post.get(key) or "").split())
        if name and (k.startswith("new") or post.get(f"skills-{k}-keep") == "on"):
            out.skills.append(name)
    for key in list(post.keys())[: MAX_ROLES * 12]:
        m = _ROLE_KEY.match(key)
        if not m:
            continue
        k = m.group(1)
        title = " ".join((post.get(key) or "").split())
        if not title or not (k.startswith("new") or post.get(f"exp-{k}-keep") == "on"):
            continue
        try:
            start = month_date(post.get(f"exp-{k}-start", ""))
            end = month_date(post.get(f"exp-{k}-end", ""))
        except ValueError:
            out.errors.append(_("“%(title)s”: a date is not a month (YYYY-MM).") % {"title": title})
            continue
        if start and end and end < start:
            out.errors.append(_("“%(title)s”: the role cannot end before it starts.") % {"title": title})
            continue
        skills = [s.strip() for s in re.split(r"[,、\n]", post.get(f"exp-{k}-skills", "")) if s.strip()]
        org = post.get(f"exp-{k}-organization", "")
        out.roles.append(ExperienceInput(title=title, organization=org, start=start, end=end, skills=skills))
    out.skills = out.skills[:MAX_ROWS]
    out.roles = out.roles[:MAX_ROLES]
    return out
