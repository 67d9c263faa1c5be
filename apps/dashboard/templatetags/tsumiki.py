"""Template helpers for the dashboard: score bars, coverage chips, percentages."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.credentials import trust
from apps.matching.coverage import COVERED_AT, MISSING, PARTIAL, coverage_status

from .evidence import evidence_source

register = template.Library()

# Each evidence kind gets a colour AND a text label and symbol, so chips never rely on colour alone.
SOURCE_LABELS = {
    "verified": _("verified credential"),
    "intact": _("intact credential, issuer not confirmed"),
    "unverified": _("unverified credential"),
    "experience": _("experience"),
    "self": _("self-declared"),
    "assessment": _("employer assessment"),
    "degree": _("degree learning outcome"),
}
DECISION_LABELS = {"shortlist": _("Shortlisted"), "reject": _("Rejected"), "contact": _("Contacted")}
VERIFICATION_LABELS = {
    "verified": _("Verified"),
    "intact": _("Intact, issuer not confirmed"),
    "unverified": _("Unverified"),
    "failed": _("Verification failed"),
    "expired": _("Expired"),
    "revoked": _("Revoked"),
}
KIND_LABELS = {
    "microcredential": _("Micro-credential"),
    "badge": _("Open Badge"),
    "certificate": _("Certificate"),
    "course": _("Course"),
    "license": _("Licence"),
    "degree": _("Degree"),
}
RUN_STATUS_LABELS = {
    "queued": _("Queued"),
    "running": _("Running"),
    "succeeded": _("Succeeded"),
    "failed": _("Failed"),
}
SHORT_SOURCE_LABELS = {
    "verified": _("verified"),
    "intact": _("issuer not confirmed"),
    "unverified": _("unverified"),
    "experience": _("experience"),
    "self": _("self"),
    "assessment": _("assessed"),
    "degree": _("degree"),
}
STATUS_SYMBOLS = {
    "verified": "✓",
    "intact": "◒",
    "unverified": "◐",
    "experience": "◑",
    "self": "○",
    "assessment": "★",
    "degree": "◇",
    "missing": "✗",
    "covered": "●",
    "partial": "◔",
}
# Chips of rows without a full explanation (large pools explain only their best rows; see
# apps.matching.engine.candidate_result) come from the per-skill credit alone.
COVERAGE_LABELS = {"covered": (_("covered"), _("covered")), "partial": (_("partial"), _("partial"))}
# Below this credit a skill counts as partly covered (apps.matching.coverage, the one threshold).
PARTIAL_BELOW = COVERED_AT


@register.filter
def pct(value, digits: int = 0) -> str:
    """0.834 -> '83%'; None -> '–'."""
    if value is None or value == "":
        return "–"
    try:
        return f"{float(value) * 100:.{int(digits)}f}%"
    except (TypeError, ValueError):
        return "–"


@register.simple_tag
def covered_at() -> str:
    """The covered threshold as a percentage ("50%"), for sentences that explain partial chips."""
    return pct(COVERED_AT)


@register.filter
def isodate(value):
    """ "2025-06-01" (as stored in explanations) -> a date, so templates can localize it; other values pass."""
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return value
    return value


@register.filter
def source_label(kind: str) -> str:
    return str(SOURCE_LABELS.get(kind, kind or ""))


@register.filter
def status_symbol(kind: str) -> str:
    return STATUS_SYMBOLS.get(kind, "•")


@register.filter
def decision_label(value: str) -> str:
    return str(DECISION_LABELS.get(value, value or ""))


@register.filter
def verification_label(value: str) -> str:
    return str(VERIFICATION_LABELS.get(value, value or ""))


@register.filter
def issuer_shown(obj) -> str:
    """The issuer of a Credential or of a VerificationResult, as far as verification confirmed it
    (apps.credentials.trust): a confirmed name plainly; a did:key issuer as its key, with the name it
    gives itself as a claim; any other name as what the file claims, "issuer not confirmed"."""
    if obj is None or obj == "":
        return ""
    if hasattr(obj, "verification_status"):  # a stored Credential
        issuer = obj.issuer
        name, ident, status = (issuer.name, issuer.identifier, obj.verification_status) if issuer else ("", "", "")
    else:  # a VerificationResult on the upload page
        name, ident, status = obj.issuer, obj.issuer_id, obj.status
    shown = trust.issuer_shown(name=name, identifier=ident, status=status)
    if shown.label and shown.claimed_name is None:
        return format_html('<span class="issuer-confirmed">{}</span>', shown.label)
    if shown.label:
        return format_html(
            '<span class="issuer-key" title="{}">{}</span> <span class="issuer-claim">{}</span>',
            ident,
            shown.label,
            _("calls itself “%(name)s” (not confirmed)") % {"name": shown.claimed_name},
        )
    if shown.claimed_name:
        return format_html(
            '<span class="issuer-claim">{}</span>',
            _("“%(name)s” (issuer not confirmed)") % {"name": shown.claimed_name},
        )
    return ""


@register.filter
def kind_label(value: str) -> str:
    return str(KIND_LABELS.get(value, value or ""))


@register.filter
def run_status_label(value: str) -> str:
    return str(RUN_STATUS_LABELS.get(value, value or ""))


@register.inclusion_tag("dashboard/_score_bar.html")
def score_bar(score, label: str = "") -> dict:
    """A horizontal bar for a 0–100 score, with the number written out beside it."""
    value = max(0.0, min(100.0, float(score or 0)))
    band = "high" if value >= 70 else "mid" if value >= 40 else "low"
    return {"value": value, "band": band, "label": label, "width": width_class(value)}


@register.filter
def width_class(percent) -> int:
    """A 0–100 value as the whole percent of a ``w-N`` class (static/css/tsumiki.css): bars get their width
    from a class, not a style attribute, which the Content-Security-Policy refuses."""
    try:
        value = float(percent or 0)
    except (TypeError, ValueError):
        return 0
    return 0 if value != value else round(max(0.0, min(100.0, value)))


@lru_cache(maxsize=16)
def _chip_labels(language: str | None) -> dict[str, tuple[str, str]]:
    """{kind: (label, short label)} translated into ``language`` (the active one), evaluated once per
    language rather than twice per chip: a shortlist page has 50 rows of chips."""
    kinds = [*SOURCE_LABELS, "missing"]
    missing = _("missing")
    labels = {k: (str(SOURCE_LABELS.get(k, missing)), str(SHORT_SOURCE_LABELS.get(k, missing))) for k in kinds}
    labels.update({k: (str(long), str(short)) for k, (long, short) in COVERAGE_LABELS.items()})
    return labels


def _credit_kind(credit) -> str:
    return coverage_status(credit)


def coverage_chips(explanation: dict, required: list) -> list[dict]:
    """One chip per required skill (in the job's order) from a MatchScore.explanation. ``required`` holds
    RequiredSkill rows. ``status`` is apps.matching.coverage's word for the credit (covered, partial,
    missing); ``kind`` picks the chip's look: the evidence's source when covered, "partial" when the
    credit is below the covered threshold (whatever its source: a weak verified match is not a tick),
    "missing" without evidence. ``title`` and ``text`` are the chip's tooltip and visible words.

    A row without ``matches`` (only the best rows of a large pool carry them) falls back to the stored
    per-skill ``coverage``: covered / partial / missing, without the credential detail."""
    explanation = explanation or {}
    matches = {m.get("required"): m for m in explanation.get("matches", [])}
    coverage = (explanation.get("coverage") or {}) if not matches else {}
    must_missing = set(explanation.get("must_have_missing", []))
    labels = _chip_labels(get_language())
    chips = []
    for r in required:
        m = matches.get(r.name)
        if m:
            credit = m.get("credit")
            status = coverage_status(credit)
            source = m.get("source_kind") or "unverified"
            kind = source if status != PARTIAL else PARTIAL
        else:
            credit = coverage.get(r.name, 0.0) or 0.0
            status = coverage_status(credit)
            source = ""
            kind = status
        label, short = labels.get(kind) or labels[MISSING]
        if kind == PARTIAL and source:
            # the words say partial and what the evidence was, not only the colour
            src_label, src_short = labels.get(source) or labels[MISSING]
            text = f"{short} {pct(credit)} · {src_short}"
            title = f"{label} · {src_label} · {evidence_source(m)}"
        else:
            text = f"{short} {pct(credit)}" if kind != MISSING else short
            title = f"{label} · {evidence_source(m)}" if m else label
        chips.append(
            {
                "name": r.name,
                "kind": kind,
                "status": status,
                "source_kind": source,
                "symbol": STATUS_SYMBOLS.get(kind, "•"),
                "label": label,
                "short": short,
                "credit": credit,
                "must_have": r.must_have,
                "must_have_missing": r.name in must_missing,
                "match": m,
                "title": title,
                "text": text,
            }
        )
    return chips
