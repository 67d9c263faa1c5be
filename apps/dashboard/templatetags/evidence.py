"""Template helpers for the evidence model in the candidate panel: a credit written out as the product
of its named factors (apps.matching.engine.match_factors), and a candidate's employer assessments."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

register = template.Library()

# The strength factor is named by how the evidence is known: "strength 0.90" says nothing to a recruiter.
STRENGTH_LABELS = {
    "verified": _("verified credential"),
    "intact": _("unconfirmed issuer"),
    "unverified": _("unverified credential"),
    "experience": _("work experience, not a credential"),
    "self": _("self-declared"),
    "assessment": _("employer assessment"),
    "degree": _("degree learning outcome"),
}
FACTOR_LABELS = {
    "match": _("skill match"),
    "volume": _("small learning volume"),
    "level": _("below the required level"),
    "quality": _("assessment method / quality assurance"),
    "assessment_score": _("assessment score"),
}
# In the order of the product: the match first, then what the evidence itself is worth.
FACTOR_ORDER = ("strength", "volume", "level", "quality", "freshness", "assessment_score")
# A factor at or above this is shown as not having reduced the credit (stored factors are rounded to 4 places).
FULL = 0.995


def _years(issued, as_of: date) -> int | None:
    try:
        then = date.fromisoformat(str(issued)[:10])
    except (TypeError, ValueError):
        return None
    return max(0, int((as_of - then).days // 365.25))


def _as_of(run) -> date:
    """The date the run scored on: its stored ``as_of`` parameter, else the day it was created."""
    params = getattr(run, "parameters", None) or {}
    try:
        if params.get("as_of"):
            return date.fromisoformat(str(params["as_of"]))
    except (TypeError, ValueError, AttributeError):
        pass
    created = getattr(run, "created_at", None)
    return created.date() if created else date.today()


def _label(name: str, value: float, match: dict, as_of: date) -> str:
    kind = match.get("source_kind") or ""
    if name == "strength":
        return str(STRENGTH_LABELS.get(kind, kind))
    if name == "volume" and kind == "experience":
        return str(_("short experience"))
    if name == "freshness":
        if value <= 0:
            return str(_("expired or revoked"))
        years = _years(match.get("issued"), as_of) if match.get("issued") else None
        if years is None:
            return str(_("age of the evidence"))
        return ngettext("%(years)s-year-old evidence", "%(years)s-year-old evidence", years) % {"years": years}
    return str(FACTOR_LABELS.get(name, name))


# The explanation stores its evidence's source in machine words (for the API, the CSV and ``rank``):
# these are the words a person reads instead, in the page's language. A credential's or a role's
# title is the holder's own text and is shown as written.
SOURCE_WORDS = {
    "self-declared": _("self-declared"),
    "experience": _("experience"),
    "degree learning outcome": _("degree learning outcome"),
}
# Our own (translated) names of apps.matching.models.AssessmentMethod's values.
METHOD_WORDS = {
    "structured interview": _("Structured interview"),
    "work sample": _("Work sample"),
    "exam": _("Exam"),
}


@register.filter
def evidence_source(match: dict | None) -> str:
    """What a match's evidence is, for a person: an employer assessment's method in the page's
    language (with its assessor), the fixed words for self-declared skills, experience and a degree's
    learning outcomes translated, and a credential's or a role's title as the holder wrote it."""
    match = match or {}
    source = str(match.get("source") or "")
    if match.get("source_kind") == "assessment":
        method, sep, assessor = source.partition(": ")
        if method in METHOD_WORDS:
            return f"{METHOD_WORDS[method]}: {assessor}" if sep else str(METHOD_WORDS[method])
        return source
    words = SOURCE_WORDS.get(source)
    return str(words) if words is not None else source


@register.filter
def evidence_date_label(match: dict | None) -> str:
    """The word before a match's date: an assessment is held on its date, a role ends on it (experience
    is dated by its end), a credential is issued."""
    kind = (match or {}).get("source_kind")
    if kind == "assessment":
        return str(_("assessed on"))
    if kind == "experience" and (match or {}).get("source") != "experience":
        return str(_("until"))
    return str(_("issued"))


@register.simple_tag
def credit_terms(match: dict | None, run=None) -> list[dict]:
    """The terms of a match's credit, for "credit 82% = skill match 1.00 × unconfirmed issuer 0.90 ×
    4-year-old evidence 0.91": the match, then every factor below 1 in words, then what other evidence
    for the same skill added ("+ ..."). Each term is {"name", "label", "value", "op"}. Empty when the
    match predates factors (an explanation stored before the evidence model)."""
    factors = (match or {}).get("factors")
    if not isinstance(factors, dict) or "match" not in factors:
        return []
    as_of = _as_of(run)
    terms = [
        {"name": "match", "label": str(FACTOR_LABELS["match"]), "value": f"{float(factors['match']):.2f}", "op": ""}
    ]
    for name in FACTOR_ORDER:
        value = factors.get(name)
        if value is None or float(value) >= FULL:
            continue
        value = float(value)
        terms.append({"name": name, "label": _label(name, value, match, as_of), "value": f"{value:.2f}", "op": "×"})
    extra = float(factors.get("corroboration") or 0.0)
    if extra >= 0.005:
        terms.append(
            {
                "name": "corroboration",
                "label": str(_("other evidence for this skill")),
                "value": f"{extra:.2f}",
                "op": "+",
            }
        )
    return terms


@register.simple_tag
def scorecard(job, candidate) -> dict:
    """The panel's employer-assessment section: the lines that count for ``job`` and an empty form whose
    skills are the job's required skills (ids unique per candidate, the panel may show several)."""
    from apps.matching.selectors import candidate_assessments

    from ..assessment_forms import AssessmentForm

    form = AssessmentForm(
        skill_names=[r.name for r in job.required_skills.all()], auto_id=f"assessment-{candidate.id}-%s"
    )
    methods = dict(AssessmentForm.METHOD_CHOICES)
    rows = [
        {"line": a, "method": str(methods.get(a.method, a.method))}
        for a in candidate_assessments(candidate=candidate, job=job)[:50]
    ]
    return {"rows": rows, "form": form}


def credit_formula(match: dict | None) -> str:
    """One match's credit as a formula of its stored factors, for the CSV export (machine words, not
    translated): "SQL: 0.23 = match 1.00 × strength (unverified) 0.80 × volume 0.54 × freshness 0.76".
    Factors at 1 are left out; "" when the match predates factors."""
    factors = (match or {}).get("factors")
    if not isinstance(factors, dict) or "match" not in factors:
        return ""
    terms = [f"match {float(factors['match']):.2f}"]
    for name in FACTOR_ORDER:
        value = factors.get(name)
        if value is None or float(value) >= FULL:
            continue
        label = f"strength ({match.get('source_kind') or 'unknown'})" if name == "strength" else name
        terms.append(f"{label} {float(value):.2f}")
    text = " × ".join(terms)
    extra = float(factors.get("corroboration") or 0.0)
    if extra >= 0.005:
        text += f" + corroboration {extra:.2f}"
    return f"{match.get('required', '')}: {float(match.get('credit') or 0.0):.2f} = {text}"
