"""What a credential says, whether or not it verifies: issuer, title, dates, skills, level, hours (no Django)."""

from __future__ import annotations

import re
from typing import Any

from ..levels import framework_of
from .result import Skill, VerificationResult

ESCO_PREFIX = "http://data.europa.eu/esco/"
_EQF_URI = re.compile(r"data\.europa\.eu/snb/eqf/(\d)")
_ISO_DURATION = re.compile(
    r"^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one: optional members read with ``.get``."""
    return value if isinstance(value, dict) else {}


def text(value: Any, lang: str = "en") -> str | None:
    """A display string from a plain string, a language map ({"en": ...}) or a JSON-LD value object."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        for v in value:
            t = text(v, lang)
            if t:
                return t
        return None
    if isinstance(value, dict):
        if "@value" in value:
            return text(value["@value"], lang)
        if lang in value:
            return text(value[lang], lang)
        for v in value.values():
            t = text(v, lang)
            if t:
                return t
    return None


def node_id(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    ident = value.get("id") if isinstance(value, dict) else None
    return ident if isinstance(ident, str) else None


def duration_hours(value: Any) -> float | None:
    """Hours in an ISO-8601 duration (PT60H → 60; P2M etc. are calendar spans, not learning hours: None)."""
    if not isinstance(value, str):
        return None
    m = _ISO_DURATION.match(value.strip())
    if not m or not value.startswith("PT") and not m.group(4):
        return None
    y, mo, w, d, h, mi, s = (float(g) if g else 0.0 for g in m.groups())
    if y or mo or w:
        return None
    return round(d * 24 + h + mi / 60 + s / 3600, 1) or None


def _alignment_skills(items: Any) -> list[Skill]:
    skills = []
    for a in as_list(items):
        if not isinstance(a, dict):
            continue
        name = text(a.get("targetName")) or text(a.get("targetDescription"))
        url = a.get("targetUrl") if isinstance(a.get("targetUrl"), str) else None
        if name:
            skills.append(Skill(name=name, uri=url, framework=text(a.get("targetFramework"))))
    return skills


def summarize_vc(cred: dict[str, Any], result: VerificationResult) -> None:
    """Fill the summary fields of ``result`` from an OB 3.0 / CLR 2.0 / generic VC."""
    issuer = cred.get("issuer")
    result.issuer_id = node_id(issuer)
    result.issuer = (text(issuer.get("name")) if isinstance(issuer, dict) else None) or result.issuer_id
    result.issued = cred.get("validFrom") or cred.get("issuanceDate") or cred.get("awardedDate")
    result.expires = cred.get("validUntil") or cred.get("expirationDate")
    subjects = [s for s in as_list(cred.get("credentialSubject")) if isinstance(s, dict)]
    achievement = next((s.get("achievement") for s in subjects if isinstance(s.get("achievement"), dict)), None)
    result.title = (text(achievement.get("name")) if achievement else None) or text(cred.get("name"))
    if achievement:
        result.description = text(achievement.get("description"))
        skills = _alignment_skills(achievement.get("alignment") or achievement.get("alignments"))
        for rd in as_list(achievement.get("resultDescription")):
            if isinstance(rd, dict):
                skills += _alignment_skills(rd.get("alignment"))
        result.skills = _dedupe(skills)
        credits = achievement.get("creditsAvailable")
        if isinstance(credits, int | float) and not isinstance(credits, bool):
            result.ects = float(credits)
        hours = duration_hours(achievement.get("volumeOfLearning"))
        if hours:
            result.hours = hours
    if result.ects is None:
        for s in subjects:
            if isinstance(s.get("creditsEarned"), int | float) and not isinstance(s.get("creditsEarned"), bool):
                result.ects = float(s["creditsEarned"])


def summarize_ob2(
    assertion: dict[str, Any], badge: dict[str, Any] | None, issuer: dict[str, Any] | None, result: VerificationResult
) -> None:
    """Fill the summary fields from an OB 2.0 assertion and (when available) its BadgeClass and Issuer."""
    result.issued = assertion.get("issuedOn") if isinstance(assertion.get("issuedOn"), str) else None
    result.expires = assertion.get("expires") if isinstance(assertion.get("expires"), str) else None
    if badge:
        result.title = text(badge.get("name"))
        result.description = text(badge.get("description"))
        # ``alignments`` is a common misspelling of ``alignment`` in issued badges; accept both.
        result.skills = _dedupe(_alignment_skills(badge.get("alignment")) + _alignment_skills(badge.get("alignments")))
        for tag in as_list(badge.get("tags")):
            if isinstance(tag, str) and tag.strip():
                result.skills.append(Skill(name=tag.strip(), framework="tag"))
        result.skills = _dedupe(result.skills)
    else:
        result.title = node_id(assertion.get("badge"))
    if issuer:
        result.issuer_id = node_id(issuer)
        result.issuer = text(issuer.get("name")) or result.issuer_id
    elif badge:
        result.issuer_id = node_id(badge.get("issuer"))
        result.issuer = result.issuer_id


def summarize_edc(cred: dict[str, Any], result: VerificationResult) -> None:
    """Fill the summary fields from an ELM v3 European Digital Credential."""
    issuer = as_dict(cred.get("issuer"))
    result.issuer_id = node_id(cred.get("issuer"))
    result.issuer = text(issuer.get("legalName")) or text(issuer.get("prefLabel")) or result.issuer_id
    result.issued = cred.get("validFrom") or cred.get("issuanceDate") or cred.get("issued")
    result.expires = cred.get("validUntil") or cred.get("expirationDate")
    skills: list[Skill] = []
    titles: list[str] = []
    for subject in as_list(cred.get("credentialSubject")):
        if not isinstance(subject, dict):
            continue
        for claim in as_list(subject.get("hasClaim")):
            if not isinstance(claim, dict):
                continue
            if text(claim.get("title")):
                titles.append(text(claim.get("title")))  # type: ignore[arg-type]
            spec = as_dict(claim.get("specifiedBy"))
            _edc_spec(spec, result, skills)
            for part in as_list(claim.get("hasPart")):
                if isinstance(part, dict) and isinstance(part.get("specifiedBy"), dict):
                    _edc_spec(part["specifiedBy"], result, skills)
    display = as_dict(cred.get("displayParameter"))
    result.title = (titles[0] if titles else None) or text(display.get("title")) or text(cred.get("title"))
    result.skills = _dedupe(skills)


def _edc_spec(spec: dict[str, Any], result: VerificationResult, skills: list[Skill]) -> None:
    for level_key in ("eqfLevel",):
        lid = node_id(spec.get(level_key))
        m = _EQF_URI.search(lid or "")
        # An EQF level stated by the issuer wins over one read from a national framework (below).
        if m and (result.level is None or result.level.get("framework") != "EQF"):
            result.level = {"framework": "EQF", "value": int(m.group(1)), "source": lid}
    nqf = spec.get("nqfLevel")
    if result.level is not None and nqf:
        result.level["national"] = text(as_list(nqf)[0].get("prefLabel")) if isinstance(as_list(nqf)[0], dict) else None
    elif result.level is None and nqf:
        result.level = _national_level(nqf)
    for cp in as_list(spec.get("creditPoint")):
        if isinstance(cp, dict) and "European Credit Transfer" in (
            text(as_dict(cp.get("framework")).get("prefLabel")) or ""
        ):
            point: Any = cp.get("point")
            try:
                result.ects = float(point)
            except (TypeError, ValueError):
                pass
    hours = duration_hours(spec.get("volumeOfLearning"))
    if hours and result.hours is None:
        result.hours = hours
    for outcome in as_list(spec.get("learningOutcome")):
        if not isinstance(outcome, dict):
            continue
        linked = False
        for key in ("relatedESCOSkill", "relatedSkill"):
            for s in as_list(outcome.get(key)):
                sid = node_id(s)
                label = text(s.get("prefLabel")) if isinstance(s, dict) else None
                if sid and (label or text(outcome.get("title"))):
                    skills.append(
                        Skill(
                            name=label or text(outcome.get("title")) or sid,
                            uri=sid,
                            framework="ESCO" if sid.startswith(ESCO_PREFIX) else None,
                        )
                    )
                    linked = True
        if not linked and text(outcome.get("title")):
            skills.append(Skill(name=text(outcome.get("title")) or ""))


def _national_level(nqf: Any) -> dict[str, Any] | None:
    """A level in a national framework we can reference (e.g. JQF) when the EDC states no EQF level:
    {"framework", "value" (its own numeric level or None), "source" (the label as stated)}."""
    for concept in as_list(nqf):
        if not isinstance(concept, dict):
            continue
        label = text(concept.get("prefLabel")) or text(concept.get("notation")) or node_id(concept) or ""
        scheme = concept.get("inScheme")
        scheme_text = " ".join(
            t
            for t in (
                text(scheme.get("prefLabel")) if isinstance(scheme, dict) else None,
                node_id(scheme),
                text(concept.get("notation")),
            )
            if t
        )
        framework = framework_of(scheme_text) or framework_of(label)
        if framework and label:
            number = re.search(r"(\d+)", label)
            return {"framework": framework, "value": int(number.group(1)) if number else None, "source": label}
    return None


def _dedupe(skills: list[Skill]) -> list[Skill]:
    seen: set[tuple[str, str | None]] = set()
    out = []
    for s in skills:
        key = (s.name.lower(), s.uri)
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out
