"""Writes for credentials: the catalog of offerings and qualifications, from every catalog format."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from apps.skills.text import normalize_phrase
from apps.skills.vocabulary import phrases_ensure

from .catalog import (
    FormatError,
    Offering,
    QualificationDoc,
    offerings_to_csv,
    parse_catalog,
    parse_ctdl,
    parse_ob3_achievements,
    parse_qualifications,
    read_catalog,
)
from .models import CatalogOffering, CatalogOfferingSkill, Issuer, Qualification, QualificationComponent

_FIELDS = (
    "title",
    "provider",
    "level_framework",
    "level_value",
    "hours",
    "cost",
    "delivery_mode",
    "url",
    "review_date",
)


@dataclass
class CatalogImportResult:
    created: int
    updated: int
    unchanged: int
    skills: int  # CatalogOfferingSkill rows written

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def issuer_get_or_create(*, name: str, identifier: str = "") -> Issuer | None:
    """The issuer called ``name`` with ``identifier`` (URL, DID or register id; "" when unknown), made
    on first sight; None without a name. Both are cut to their columns' lengths; a web identifier is
    also the issuer's URL. One writer for every way credentials arrive (verified files, interchange)."""
    name = (name or "").strip()[:300]
    if not name:
        return None
    ident = (identifier or "").strip()[:500]
    issuer, _ = Issuer.objects.get_or_create(
        name=name, identifier=ident, defaults={"url": ident if ident.startswith(("http://", "https://")) else ""}
    )
    return issuer


def _values(o: Offering) -> dict:
    return {
        "title": o.title,
        "provider": o.provider,
        "level_framework": o.level_framework,
        "level_value": o.level_value,
        "hours": o.hours,
        "cost": o.cost,
        "delivery_mode": o.delivery_mode,
        "url": o.url,
        "review_date": o.review_date,
    }


def catalog_import_csv(*, path: str | Path | None = None, lines: Iterable[str] | None = None) -> CatalogImportResult:
    """Import a catalog CSV (apps.credentials.catalog layout) from ``path`` or ``lines``.

    Every row is validated first (CatalogError names the row and column); then offerings are upserted
    by external id and their skills replaced, all in one transaction, so a bad file writes nothing.
    Offerings absent from the file are kept: a register may be imported in parts."""
    if (path is None) == (lines is None):
        raise ValueError("give exactly one of path or lines")
    offerings = read_catalog(path) if path is not None else parse_catalog(lines)  # type: ignore[arg-type]
    # Embed new skill phrases before the write transaction so SQLite is not locked while the model
    # runs; phrases are a shared vocabulary, so keeping them if the write fails is harmless.
    phrase_ids = phrases_ensure(texts=[s for o in offerings for s in o.skills])
    external_ids = [o.id for o in offerings]
    with transaction.atomic():
        mine = CatalogOffering.objects.filter(external_id__in=external_ids)
        existing = {o.external_id: o for o in mine.select_for_update()}
        created, changed, unchanged = [], [], 0
        for o in offerings:
            values = _values(o)
            cur = existing.get(o.id)
            if cur is None:
                created.append(CatalogOffering(external_id=o.id, **values))
            elif any(getattr(cur, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(cur, k, v)
                changed.append(cur)
            else:
                unchanged += 1
        CatalogOffering.objects.bulk_create(created, batch_size=500)
        if changed:
            CatalogOffering.objects.bulk_update(changed, list(_FIELDS), batch_size=500)
        ids = dict(mine.values_list("external_id", "id"))
        CatalogOfferingSkill.objects.filter(offering_id__in=list(ids.values())).delete()
        rows = [
            CatalogOfferingSkill(offering_id=ids[o.id], phrase_id=phrase_ids[normalize_phrase(s)], text=s)
            for o in offerings
            for s in o.skills
        ]
        CatalogOfferingSkill.objects.bulk_create(rows, batch_size=2000)
    return CatalogImportResult(created=len(created), updated=len(changed), unchanged=unchanged, skills=len(rows))


# --- the other catalog formats (apps.credentials.catalog.ctdl, .ob3, .qualifications) -----------------


@dataclass
class FormatImportResult:
    offerings: int  # offerings written (created or updated or unchanged)
    qualifications: int
    errors: list[FormatError]


def _json_load(path: str | Path | None, data: Any) -> Any:
    if (path is None) == (data is None):
        raise ValueError("give exactly one of path or data")
    if path is not None:
        try:
            return json.loads(Path(path).read_text(encoding="utf-8-sig"))
        except json.JSONDecodeError as e:
            raise ValueError(f"{path}: invalid JSON ({e.msg} at line {e.lineno} column {e.colno})") from None
    return data


def catalog_import_offerings(*, offerings: Sequence[Offering]) -> int:
    """Upsert parsed offerings through the CSV import (one validation, one write path)."""
    if not offerings:
        return 0
    return catalog_import_csv(lines=io.StringIO(offerings_to_csv(offerings))).total


def qualifications_import(*, docs: Sequence[QualificationDoc]) -> tuple[int, list[FormatError]]:
    """Upsert qualifications by external id, replacing their components; a qualification naming an
    offering that is not in the catalog is reported and skipped."""
    errors: list[FormatError] = []
    ids = dict(
        CatalogOffering.objects.filter(external_id__in={c.offering for d in docs for c in d.components}).values_list(
            "external_id", "id"
        )
    )
    written = 0
    with transaction.atomic():
        for d in docs:
            unknown = [c.offering for c in d.components if c.offering not in ids]
            if unknown:
                errors.append(FormatError(f"qualification {d.id}", f"unknown offering(s) {', '.join(unknown)}"))
                continue
            q, _ = Qualification.objects.update_or_create(
                external_id=d.id,
                defaults={
                    "title": d.title,
                    "awarding_body": d.awarding_body,
                    "credit_unit": d.unit,
                    "credits_required": d.credits_required,
                    "url": d.url if d.url.startswith(("http://", "https://")) else "",
                    "level_framework": d.level[0] if d.level else "",
                    "level_value": d.level[1] if d.level else None,
                },
            )
            q.components.all().delete()
            QualificationComponent.objects.bulk_create(
                [
                    QualificationComponent(
                        qualification=q, offering_id=ids[c.offering], credits=c.credits, mandatory=c.mandatory
                    )
                    for c in d.components
                ]
            )
            written += 1
    return written, errors


def catalog_import_ctdl(*, path: str | Path | None = None, data: Any = None) -> FormatImportResult:
    offerings, quals, errors = parse_ctdl(_json_load(path, data))
    n = catalog_import_offerings(offerings=offerings)
    q, qerr = qualifications_import(docs=quals)
    return FormatImportResult(offerings=n, qualifications=q, errors=errors + qerr)


def catalog_import_ob3(
    *, path: str | Path | None = None, data: Any = None, hours_per_credit: float = 25.0, provider: str = ""
) -> FormatImportResult:
    offerings, errors = parse_ob3_achievements(
        _json_load(path, data), hours_per_credit=hours_per_credit, provider=provider
    )
    return FormatImportResult(offerings=catalog_import_offerings(offerings=offerings), qualifications=0, errors=errors)


def qualifications_import_json(*, path: str | Path | None = None, data: Any = None) -> FormatImportResult:
    docs, errors = parse_qualifications(_json_load(path, data))
    q, qerr = qualifications_import(docs=docs)
    return FormatImportResult(offerings=0, qualifications=q, errors=errors + qerr)
