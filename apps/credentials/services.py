"""Writes for credentials: the catalog of offerings (CSV import)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from apps.skills.text import normalize_phrase
from apps.skills.vocabulary import phrases_ensure

from .catalog import Offering, parse_catalog, read_catalog
from .models import CatalogOffering, CatalogOfferingSkill

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
