"""Turn a verified (or at least parsed) credential into Credential + CredentialSkill rows for a candidate.

Skills come from the credential's alignments and learning outcomes: ESCO URIs link straight to the imported
``Skill`` with that URI; everything else becomes a vocabulary phrase resolved through normalization
(``apps.skills.services.phrases_resolve``). A CLR contributes each inner credential with its own status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from apps.skills.models import Skill
from apps.skills.services import phrases_resolve
from apps.skills.text import normalize_phrase
from apps.skills.vocabulary import phrases_ensure

from .levels import HOURS_PER_ECTS, LEVEL_FRAMEWORKS, read_level, to_eqf
from .models import Credential, CredentialKind, CredentialSkill, Issuer
from .services import issuer_get_or_create
from .signals import credentials_imported
from .verify import VerificationResult
from .verify.dates import parse_datetime
from .verify.summary import ESCO_PREFIX

_LEVEL_FRAMEWORKS = LEVEL_FRAMEWORKS


def _date(value: str | None) -> date | None:
    parsed = parse_datetime(value)
    return parsed.date() if parsed else None


def _kind(result: VerificationResult) -> str:
    if result.format.startswith(("ob2", "ob3")):
        return CredentialKind.BADGE
    if result.format == "edc":
        micro = (
            "micro" in (result.title or "").lower()
            or "micro" in str((result.credential or {}).get("credentialProfiles", "")).lower()
        )
        return CredentialKind.MICROCREDENTIAL if micro else CredentialKind.CERTIFICATE
    return CredentialKind.CERTIFICATE


def _level(result: VerificationResult) -> tuple[str, int | None, int | None, str]:
    """(framework, value, EQF-equivalent, source text) from an EDC level or an alignment to a level framework.

    The source text is kept as the credential states it; the EQF equivalent comes from apps.credentials.levels
    (numeric tables, operator tables, and the provisional ISCED-derived mapping of Japanese qualification types)."""
    lvl = result.level
    if lvl and (lvl.get("value") is not None or lvl.get("framework")):
        fw = str(lvl.get("framework") or "EQF")
        source = str(lvl.get("national") or lvl.get("source") or "")
        value = int(lvl["value"]) if lvl.get("value") is not None else None
        # A national level (EDC nqfLevel, e.g. JQF) is read from its label: number and/or qualification type.
        reading = read_level(fw, source) if fw.upper() != "EQF" else None
        if reading is not None and (value is None or reading.value == value):
            return reading.framework, reading.value, reading.eqf, source[:300]
        if value is not None:
            return fw, value, to_eqf(fw, value), source[:300]
    for s in result.skills:
        reading = read_level(s.framework, s.name)
        if reading is not None:
            return reading.framework, reading.value, reading.eqf, f"{s.framework}: {s.name}"[:300]
    return "", None, None, ""


def _is_level_statement(skill) -> bool:
    """An alignment that states a level (EQF 6, JQF 学士) rather than a skill: not imported as a skill."""
    return skill.framework in _LEVEL_FRAMEWORKS or read_level(skill.framework, skill.name) is not None


def _issuer(result: VerificationResult) -> Issuer | None:
    return issuer_get_or_create(name=result.issuer or result.issuer_id or "", identifier=result.issuer_id or "")


def _flatten(result: VerificationResult) -> list[VerificationResult]:
    """A CLR with inner credentials stands for them; anything else stands for itself."""
    if result.format.startswith("clr2") and result.inner:
        return [r for inner in result.inner for r in _flatten(inner)]
    return [result]


@dataclass(frozen=True)
class Replacement:
    """A credential of the candidate that importing ``incoming`` would replace (same credential id)."""

    existing: Credential
    incoming: VerificationResult

    @property
    def changes(self) -> list[tuple[str, str, str]]:
        """(field, now, after) for what would change: verification status, title, issued, expires."""
        old, new = self.existing, self.incoming
        pairs = [
            ("status", old.verification_status, new.status),
            ("title", old.title, (new.title or "Untitled credential")[:500]),
            ("issued", old.issued_on.isoformat() if old.issued_on else "", str(_date(new.issued) or "")),
            ("expires", old.expires_on.isoformat() if old.expires_on else "", str(_date(new.expires) or "")),
        ]
        return [(f, a, b) for f, a, b in pairs if a != b]


def credential_replacements(*, candidate, result: VerificationResult) -> list[Replacement]:
    """The candidate's stored credentials that :func:`credential_import` of ``result`` would replace,
    because they carry the same credential id: what an upload must confirm before it replaces anything."""
    incoming = {str((r.credential or {}).get("id") or "")[:500]: r for r in _flatten(result)}
    incoming.pop("", None)
    if not incoming:
        return []
    existing = Credential.objects.filter(candidate=candidate, external_id__in=list(incoming)).order_by("id")
    return [Replacement(existing=c, incoming=incoming[c.external_id]) for c in existing]


def credential_import(*, candidate, result: VerificationResult, source_url: str = "") -> list[Credential]:
    """Store the credential(s) in ``result`` for ``candidate``; re-importing the same credential id replaces it.
    ``source_url``: the address the credential was fetched from (a badge shared by its URL)."""
    results = _flatten(result)
    skill_names = [s.name[:500] for r in results for s in r.skills if not _is_level_statement(s)]
    # Embed outside the write transaction (SQLite stays unlocked while the model runs).
    phrase_ids = phrases_ensure(texts=skill_names)
    resolved = phrases_resolve(phrase_ids=list(phrase_ids.values())) if phrase_ids else {}
    esco_uris = {s.uri for r in results for s in r.skills if s.uri and s.uri.startswith(ESCO_PREFIX)}
    esco = dict(Skill.objects.filter(uri__in=esco_uris).values_list("uri", "id")) if esco_uris else {}
    created = []
    with transaction.atomic():
        for r in results:
            ext_id = str((r.credential or {}).get("id") or "")[:500]
            if ext_id:
                Credential.objects.filter(candidate=candidate, external_id=ext_id).delete()
            fw, value, eqf, source = _level(r)
            hours = int(round(r.hours)) if r.hours else (int(round(r.ects * HOURS_PER_ECTS)) if r.ects else None)
            cred = Credential.objects.create(
                candidate=candidate,
                issuer=_issuer(r),
                kind=_kind(r),
                title=(r.title or "Untitled credential")[:500],
                issued_on=_date(r.issued),
                expires_on=_date(r.expires),
                level_framework=fw,
                level_value=value,
                eqf_level=eqf,
                level_source=source,
                hours=hours,
                ects=Decimal(str(round(r.ects, 1))) if r.ects is not None else None,
                verification_status=r.status,
                verification_checks=[c.__dict__ for c in r.checks],
                format=r.format[:20],
                raw_payload=r.credential,
                external_id=ext_id,
                source_url=source_url[:1000],
            )
            rows, seen = [], set()
            for s in r.skills:
                key = normalize_phrase(s.name[:500])
                if _is_level_statement(s) or not key or key in seen or key not in phrase_ids:
                    continue
                seen.add(key)
                pid = phrase_ids[key]
                skill_id = esco.get(s.uri or "") or resolved.get(pid)
                rows.append(CredentialSkill(credential=cred, phrase_id=pid, text=s.name[:500], skill_id=skill_id))
            CredentialSkill.objects.bulk_create(rows)
            created.append(cred)
        # new evidence: subscribers (matching rescores, webhooks notify) act once it is committed
        transaction.on_commit(
            lambda: credentials_imported.send_robust(sender=Credential, candidate=candidate, credentials=created)
        )
    return created
