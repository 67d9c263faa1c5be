"""Talent-pool search (apps.matching.pool_search) against the database, and saved searches.

The search goes through the same scoring path as match runs (services.pool_score): the pool's
evidence read in bulk (selectors.pool_arrays), narrowed by the query's conditions, scored and explained
by the engine. Nothing is stored but the phrases of skills new to the vocabulary."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.skills import warmup
from apps.skills.text import normalize_phrase
from apps.skills.vocabulary import model_key, phrases_ensure

from .engine import MatchParams, RequiredSpec
from .models import SavedSearch
from .pool_search import PoolHit, PoolQuery, evidence_mask, pool_subset, select_hits
from .selectors import pool_arrays

# Full explanations (which credential, issuer, date) for the best hits; the rest keep score and coverage.
EXPLAIN_TOP = 200
FULL_EXPLAIN_LIMIT = 20_000


class PoolSearchError(ValueError):
    """A search that cannot run, with a message for the person who asked."""


class SkillModelLoading(PoolSearchError):
    """A searched skill is new to the vocabulary and the encoder is still loading (apps.skills.warmup)."""


@dataclass
class PoolSearchResult:
    query: PoolQuery
    hits: list[PoolHit]
    pool_size: int  # consenting candidates in the organization
    as_of: str
    params: dict = field(default_factory=dict)


def covered_threshold(params: MatchParams) -> float:
    """The credit at which a searched skill counts as covered: the engine's must-have threshold, the same
    line the shortlist draws between covered and partial."""
    return params.must_have_threshold


def pool_label(candidate_id: int) -> str:
    """A stable pseudonym for a candidate in pool search results (degree-blind: no name, no rank, no id
    to guess from), the same in every search."""
    digest = hashlib.blake2s(f"pool:{candidate_id}".encode(), key=settings.SECRET_KEY.encode()[:32]).hexdigest()
    return f"P-{digest[:6].upper()}"


def _has_vectors(phrase_ids: list[int]) -> bool:
    from apps.skills.vocabulary import stored_vectors

    return stored_vectors(phrase_ids=phrase_ids) is not None


def pool_search_run(*, organization_id: int, query: PoolQuery, explain_top: int = EXPLAIN_TOP) -> PoolSearchResult:
    """Rank the organization's consenting candidates for ``query``: the hits, best first, explained."""
    from .services import default_params, pool_score

    names = list(dict.fromkeys(s.strip() for s in query.skills if s.strip()))
    if not names:
        raise PoolSearchError(_("Name at least one skill."))
    # the skills as a job's required skills: new phrases get a vector only if the encoder is ready, so a
    # search never loads the model on the request path
    ids = phrases_ensure(texts=names, embed=False)
    missing = [n for n in names if normalize_phrase(n) not in ids]
    if missing:
        raise PoolSearchError(_("These skills could not be read: %(skills)s") % {"skills": ", ".join(missing)})
    phrase_ids = [ids[normalize_phrase(n)] for n in names]
    if not _has_vectors(phrase_ids):
        if not warmup.model_ready():
            raise SkillModelLoading("The skill model is still loading; search again in a few seconds.")
        phrases_ensure(texts=names)
    required = [
        RequiredSpec(name=n, phrase_id=pid, weight=1.0, must_have=query.mode == "all")
        for n, pid in zip(names, phrase_ids, strict=True)
    ]
    params = default_params()
    pool = pool_arrays(organization_id=organization_id)
    narrowed = pool_subset(pool, evidence_mask(pool, query, date.fromisoformat(params.as_of)))
    # Hits are a subset of the engine's order, so explaining only its first K could leave a hit unexplained:
    # explain everyone in a pool of ordinary size, the first FULL_EXPLAIN_LIMIT in a huge one.
    top = None if narrowed.size <= FULL_EXPLAIN_LIMIT else FULL_EXPLAIN_LIMIT
    results = pool_score(required=required, pool=narrowed, params=params, explain_top=top)
    hits = select_hits(results, skills=names, mode=query.mode, covered_threshold=covered_threshold(params))
    for h in hits[explain_top:]:  # keep the detail only where a page can show it
        h.result.matches = []
    return PoolSearchResult(
        query=PoolQuery.from_dict({**query.as_dict(), "skills": names}),
        hits=hits,
        pool_size=pool.size,
        as_of=params.as_of,
        params={**params.as_dict(), "model": model_key(), "covered_threshold": covered_threshold(params)},
    )


def saved_search_create(*, organization, owner, name: str, query: PoolQuery, seen_ids: list[int]) -> SavedSearch:
    """Keep ``query`` under ``name`` for ``owner``; the current result counts as seen."""
    name = " ".join(name.split())[:120]
    if not name:
        raise PoolSearchError(_("Give the search a name."))
    try:
        with transaction.atomic():
            return SavedSearch.objects.create(
                organization=organization,
                owner=owner,
                name=name,
                query=query.as_dict(),
                seen_ids=sorted(set(seen_ids)),
                last_viewed_at=timezone.now(),
            )
    except IntegrityError as e:
        raise PoolSearchError(_("You already have a saved search with this name.")) from e


def saved_search_visit(*, search: SavedSearch, result_ids: list[int], record: bool = True) -> tuple[set[int], object]:
    """A visit: returns (the candidates new since the last visit, when that visit was); with ``record``
    the current result becomes the seen one (later pages of the same visit pass False)."""
    previous = set(search.seen_ids or [])
    last = search.last_viewed_at
    new = set(result_ids) - previous
    if record:
        SavedSearch.objects.filter(id=search.id).update(seen_ids=sorted(set(result_ids)), last_viewed_at=timezone.now())
    return new, last


def saved_search_delete(*, search: SavedSearch) -> None:
    search.delete()
