"""An organization's own skills (apps.skills.models.OrganizationSkill): writes (add one, import Rich
Skill Descriptors, all or nothing), and their part in normalization: the normalizer's answers for an
organization are the taxonomy's plus that organization's own skills, never another's (docs/skills.md).

How an own skill is found for a typed text: its name or one of its keywords equals the text
(normalized) → score 1.0; the text is a word-start prefix of its name (autocomplete: "kaiz" for "Kaizen
facilitation") → 0.9; else the cosine of the two phrases' embeddings, when at least OWN_MIN_COSINE."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.db import IntegrityError, transaction

from .models import OrganizationSkill, OrgSkillSource, Skill
from .rsd import RsdError, RsdSkill, read_rsd
from .text import normalize_phrase
from .vocabulary import encoder, phrase_vectors, phrases_ensure

OWN_MIN_COSINE = 0.6
PREFIX_SCORE = 0.9
MAX_DESCRIPTION = 5000


class OrgSkillError(ValueError):
    """An own skill that cannot be stored, with a message for the person who entered it."""


@dataclass(frozen=True)
class OwnMatch:
    """One of the organization's own skills as a normalizer answer."""

    org_skill_id: int
    uri: str
    label: str
    score: float
    concept_uri: str | None  # the ESCO concept it is mapped to, if any


def own_uri(skill: OrganizationSkill) -> str:
    """The skill's identifier: the RSD's URL, else ours."""
    return skill.uri or f"urn:tsumiki:org:{skill.organization.slug}:skill:{skill.pk}"


def _concept(esco_uri: str | None) -> Skill | None:
    if not esco_uri:
        return None
    concept = Skill.objects.filter(uri=esco_uri.strip()).first()
    if concept is None:
        raise OrgSkillError(f"{esco_uri.strip()[:300]} is not a concept of the imported taxonomy.")
    return concept


def org_skill_create(
    *, organization, name: str, description: str = "", esco_uri: str | None = None
) -> OrganizationSkill:
    """Add an own skill. Raises OrgSkillError for an empty or too long name, a name the organization
    already has, or an ESCO URI that is not in the imported taxonomy."""
    name = " ".join((name or "").split())
    description = (description or "").strip()
    if not name or len(name) > 300:
        raise OrgSkillError("Give the skill a name (at most 300 characters).")
    if len(description) > MAX_DESCRIPTION:
        raise OrgSkillError(f"The description is longer than {MAX_DESCRIPTION} characters.")
    concept = _concept(esco_uri)
    key = normalize_phrase(name)
    if not key:
        raise OrgSkillError("Give the skill a name made of letters or digits.")
    ids = phrases_ensure(texts=[name])
    try:
        with transaction.atomic():
            return OrganizationSkill.objects.create(
                organization=organization, name=name, description=description, phrase_id=ids[key], concept=concept
            )
    except IntegrityError:
        raise OrgSkillError(f"Your organization already has a skill named {name!r}.") from None


@dataclass
class RsdImportReport:
    created: int
    updated: int
    mapped: int  # skills mapped to an ESCO concept of the imported taxonomy
    skills: list[OrganizationSkill]


def org_skills_import_rsd(*, organization, data: bytes | str) -> RsdImportReport:
    """Import the skills of an RSD file as own skills, all or nothing: the whole file is read and checked
    first (RsdError says what is wrong and where), then stored in one transaction. A skill already
    imported (same RSD URL) or already present (same name) is updated, not duplicated. An alignment to
    an ESCO concept that the imported taxonomy holds maps the skill to it; others are ignored."""
    found = read_rsd(data)
    return _store(organization, found)


def _store(organization, found: Sequence[RsdSkill]) -> RsdImportReport:
    names = {normalize_phrase(s.name) for s in found}
    if "" in names:
        raise RsdError("A skill's name has no letters or digits.", "no_name")
    if len(names) < len(found):
        raise RsdError("Two skills of the file have the same name.", "same_name")
    wanted = {u for s in found for u in s.esco_uris}
    concepts = dict(Skill.objects.filter(uri__in=wanted).values_list("uri", "id")) if wanted else {}
    ids = phrases_ensure(texts=[s.name for s in found])
    created = updated = mapped = 0
    out = []
    with transaction.atomic():
        existing = list(OrganizationSkill.objects.select_for_update().filter(organization=organization))
        by_uri = {o.uri: o for o in existing if o.uri}
        by_phrase = {o.phrase_id: o for o in existing}
        for s in found:
            phrase_id = ids[normalize_phrase(s.name)]
            concept_id = next((concepts[u] for u in s.esco_uris if u in concepts), None)
            mapped += concept_id is not None
            row = by_uri.get(s.uri) if s.uri else None
            row = row or by_phrase.get(phrase_id)
            if row is not None and row.phrase_id != phrase_id and phrase_id in by_phrase:
                # renamed in the file to a name another own skill has
                raise RsdError(f"{s.name!r} is already the name of another of your skills.", "name_taken", name=s.name)
            fields = {
                "name": s.name,
                "description": s.statement,
                "phrase_id": phrase_id,
                "concept_id": concept_id,
                "uri": s.uri,
                "keywords": list(s.keywords),
                "categories": list(s.categories),
                "source": OrgSkillSource.RSD,
            }
            if row is None:
                row = OrganizationSkill.objects.create(organization=organization, **fields)
                created += 1
            else:
                by_phrase.pop(row.phrase_id, None)
                for k, v in fields.items():
                    setattr(row, k, v)
                row.save()
                updated += 1
            by_phrase[phrase_id] = row
            if s.uri:
                by_uri[s.uri] = row
            out.append(row)
    return RsdImportReport(created=created, updated=updated, mapped=mapped, skills=out)


def own_skills_match(*, organization, texts: Sequence[str], top_k: int = 5) -> list[list[OwnMatch]]:
    """Per text, the organization's own skills it names, best first (module docstring). Empty lists
    when the organization has none (one query); another organization's skills are never read."""
    if organization is None:
        return [[] for _ in texts]
    rows = list(
        OrganizationSkill.objects.filter(organization=organization)
        .select_related("concept", "organization")
        .order_by("id")
    )
    if not rows:
        return [[] for _ in texts]
    keys = [normalize_phrase(t) for t in texts]
    names = [normalize_phrase(r.name) for r in rows]
    words = [{normalize_phrase(k) for k in (r.keywords or []) if isinstance(k, str)} for r in rows]
    sims = None
    need = [k for k in keys if k]
    if need:
        # the typed text is encoded, not stored: an autocomplete must not add "kaiz" to the vocabulary
        q = encoder().encode(need)
        own = phrase_vectors(phrase_ids=[r.phrase_id for r in rows])
        sims = dict(zip(need, (q @ own.T).astype(np.float64), strict=True))
    out = []
    for key in keys:
        scored: list[tuple[float, int]] = []
        for i in range(len(rows)):
            if not key:
                continue
            if key == names[i] or key in words[i]:
                score = 1.0
            elif len(key) >= 2 and any(w.startswith(key) for w in [names[i], *names[i].split()]):
                score = PREFIX_SCORE
            else:
                score = float(sims[key][i]) if sims is not None else 0.0
                if score < OWN_MIN_COSINE:
                    continue
            scored.append((min(1.0, max(0.0, score)), i))
        scored.sort(key=lambda t: (-t[0], rows[t[1]].name))
        out.append(
            [
                OwnMatch(
                    org_skill_id=rows[i].pk,
                    uri=own_uri(rows[i]),
                    label=rows[i].name,
                    score=round(s, 4),
                    concept_uri=rows[i].concept.uri if rows[i].concept_id else None,
                )
                for s, i in scored[:top_k]
            ]
        )
    return out


def own_skills_labels_matching(*, organization, text: str, limit: int = 8) -> list[str]:
    """Names of the organization's own skills containing ``text`` (plain SQL: the autocomplete while the
    embedding model is still loading)."""
    if organization is None or not text:
        return []
    rows = OrganizationSkill.objects.filter(organization=organization, name__icontains=text).order_by("name")
    return list(rows.values_list("name", flat=True)[:limit])


def own_skill_concepts(*, organization, names: Sequence[str], uris: Sequence[str]) -> dict[str, int | None]:
    """For a job's required skills: {name or uri: mapped ESCO concept id} of those that are own skills of
    the organization (named by their name, or by their uri), so that a required own skill mapped to
    ESCO counts evidence of that concept as the same concept."""
    if organization is None:
        return {}
    rows = list(OrganizationSkill.objects.filter(organization=organization).select_related("organization"))
    if not rows:
        return {}
    by_name = {normalize_phrase(r.name): r.concept_id for r in rows}
    by_uri = {own_uri(r): r.concept_id for r in rows}
    out: dict[str, int | None] = {}
    for n in names:
        if normalize_phrase(n) in by_name:
            out[n] = by_name[normalize_phrase(n)]
    for u in uris:
        if u in by_uri:
            out[u] = by_uri[u]
    return out
