"""The shortlist cache: the blind shortlist page below its heading (dashboard) and serialized shortlist
pages (API).

A shortlist of 100k scores is read far more often than it changes, and rendering 50 rows of chips
(or serializing 50 explained scores) is most of a request's CPU (docs/benchmarks.md, "Load").
The degree-blind, user-independent part is cached in Django's default cache, which must be shared
by every process (Redis, config.cache): ``TSUMIKI_SHORTLIST_CACHE_SECONDS`` is 0 (off) otherwise.

An entry's key (``lookup``) holds a digest of the code, templates and translations (``code_version``),
the organization, the job (id and creation time), the run (id, status, pool size, finish time) and a
digest of everything else the content depends on (language, the full request path with its filters,
sort and page, the host for the API's absolute links, ...). Its value carries the two version tokens
it was made under: one per organization and one per job, kept in the cache. ``bump_*`` replaces a
token with a new random one, so entries made under the old one are never read again (they expire after
the TTL). Versions and entry come in one round trip. Bumps happen at once and again when the
surrounding transaction commits (a reader that saw the new token before the commit may have stored
pre-commit rows under it; the second token orphans them).

What changes a cached shortlist, and what bumps:

- a new finished run: the run is part of the key (and ``match_run_completed`` bumps the job);
- a rescore (apps.matching.services.candidate_rescore sends ``candidate_rescored``): each new run's job;
- a decision (``ShortlistDecision`` saved or deleted): the job;
- a pipeline stage renamed, added or removed (``PipelineStage`` saved or deleted): the organization;
- a candidate edited or erased (``Candidate`` saved or deleted; erasure also changes pool_size):
  the organization;
- the job or its required skills edited (``Job``, ``RequiredSkill`` saved or deleted; the page key
  also holds the job's ``updated_at``): the job;
- a score saved one at a time (admin, shell): the job of its run.

Never cached, read on every request: who the recruiter revealed (per person) and the revealed rows
(names, degrees), the issuers the filter offers (part of the page key), the heading (job title, run,
"finished ... ago"), the user menu, messages and CSRF tokens. Writers that bypass the ORM's
save/delete for the rows above (bulk SQL on scores outside the services named) must call
``bump_job``/``bump_org`` themselves.

Cache errors never fail a request: the backend reads them as misses (config.cache). An invalidation
lost to a Redis outage while Redis still holds entries is bounded by the TTL.
"""

from __future__ import annotations

import hashlib
import secrets
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

SCHEMA = 1
VERSION_TTL = 24 * 3600  # a lost version token only means new keys


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the code, templates and compiled translations that render what is cached: processes
    running other code (a deploy, a rolling restart) never read each other's entries, whose shape or
    wording may differ. Content, not modification times, so that every host of one release agrees."""
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256(str(SCHEMA).encode())
    for pattern in ("apps/**/*.py", "templates/**/*.html", "locale/**/*.mo"):
        for path in sorted(base.glob(pattern)):
            digest.update(str(path.relative_to(base)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _prefix() -> str:
    return f"shortlist:{code_version()}"


def timeout() -> int:
    return int(getattr(settings, "TSUMIKI_SHORTLIST_CACHE_SECONDS", 0) or 0)


def enabled() -> bool:
    return timeout() > 0


def _org_version_key(org_id: int) -> str:
    return f"shortlist:v:org:{org_id}"  # versions outlive a deploy: they say what changed, not how it looks


def _job_version_key(job_id: int) -> str:
    return f"shortlist:v:job:{job_id}"


def _token() -> str:
    return secrets.token_hex(8)


def _stamp(dt) -> str:
    return f"{dt.timestamp():.6f}" if dt else "-"


class Slot:
    """Where ``lookup`` found (or did not find) an entry, and the versions it read: ``store`` files the
    new entry under them."""

    __slots__ = ("key", "versions")

    def __init__(self, key: str, versions: str) -> None:
        self.key, self.versions = key, versions


def lookup(kind: str, *, job, run, parts: tuple = ()) -> tuple[Slot | None, object]:
    """The cached ``kind`` ("page", "api") of ``job``'s shortlist from ``run`` for ``parts`` (everything
    else the content depends on): ``(slot, value)``, value None on a miss; slot None when the shortlist
    cache is off or not answering (then do not ``store``). One round trip: the entry is read with the
    organization's and the job's version tokens and counts only when it was stored under the same ones.
    Call it *before* reading the rows the entry will hold."""
    if not enabled():
        return None, None
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]
    entry_key = (
        f"{_prefix()}:{kind}:{job.organization_id}:{job.id}.{_stamp(job.created_at)}:"
        f"{run.id}.{run.status}.{run.pool_size}.{_stamp(run.finished_at)}:{digest}"
    )
    version_keys = [_org_version_key(job.organization_id), _job_version_key(job.id)]
    got = cache.get_many([*version_keys, entry_key])
    for k in version_keys:
        if k not in got:
            cache.add(k, _token(), VERSION_TTL)
            got[k] = cache.get(k)
            if got[k] is None:
                return None, None  # the cache is not answering: do not cache
    versions = ".".join(got[k] for k in version_keys)
    entry = got.get(entry_key)
    value = entry[1] if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == versions else None
    return Slot(entry_key, versions), value


def store(slot: Slot | None, value) -> None:
    if slot is not None:
        cache.set(slot.key, (slot.versions, value), timeout())


# The issuer filter's choices (every issuer of the organization's candidates' credentials) are read on
# every shortlist request and take part in the cached page's key; in a pool of 100k candidates holding
# credentials that read costs PostgreSQL ~90 ms (a join over every credential). The list of choices is
# kept this long per organization instead: a new issuer appears in the filter within a minute. Nothing
# else depends on it (the scores, the rows and an issuer filter's results are read afresh).
ISSUER_CHOICES_SECONDS = 60


def _issuers_key(org_id: int) -> str:
    return f"{_prefix()}:issuers:{org_id}"


def issuer_choices_get(org_id: int) -> list[tuple[int, str]] | None:
    """The organization's cached issuer choices as (id, name) pairs, or None (a miss, or no shared cache)."""
    if not enabled():
        return None
    got = cache.get(_issuers_key(org_id))
    return got if isinstance(got, list) else None


def issuer_choices_store(org_id: int, choices: list[tuple[int, str]]) -> None:
    if enabled():
        cache.set(_issuers_key(org_id), choices, min(ISSUER_CHOICES_SECONDS, timeout()))


def _bump(version_key: str) -> None:
    cache.set(version_key, _token(), VERSION_TTL)
    if connection.in_atomic_block:
        transaction.on_commit(lambda: cache.set(version_key, _token(), VERSION_TTL), robust=True)


def bump_job(job_id: int | None) -> None:
    """Forget every cached shortlist of the job."""
    if job_id is not None and enabled():
        _bump(_job_version_key(job_id))


def bump_org(org_id: int | None) -> None:
    """Forget every cached shortlist of the organization."""
    if org_id is not None and enabled():
        _bump(_org_version_key(org_id))


# ---- receivers (connected by apps.matching.apps.MatchingConfig.ready) ------------------------------


def _on_decision(sender, instance, **kwargs) -> None:
    bump_job(instance.job_id)


def _on_stage(sender, instance, raw=False, **kwargs) -> None:
    # the rows show each decision's stage by its current name
    if not raw:
        bump_org(instance.organization_id)


def _on_job_saved(sender, instance, raw=False, **kwargs) -> None:
    # title and required skills (apps.jobs.services.job_set_skills saves the job after replacing them)
    if not raw:
        bump_job(instance.pk)


def _on_required_skill(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        bump_job(instance.job_id)


def _on_candidate_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    # a new candidate is in no run's scores until a rescore or a new run, which bump on their own
    if not created and not raw:
        bump_org(instance.organization_id)


def _on_candidate_deleted(sender, instance, **kwargs) -> None:
    bump_org(instance.organization_id)


def _on_score_saved(sender, instance, raw=False, **kwargs) -> None:
    # one score saved on its own (admin, shell); bulk writes go through the services that signal.
    # No post_delete receiver: it would make Django delete a run's 100k scores one by one.
    if raw or not enabled():
        return
    from .models import MatchRun

    bump_job(MatchRun.objects.filter(pk=instance.run_id).values_list("job_id", flat=True).first())


def _on_rescored(sender, candidate=None, runs=None, **kwargs) -> None:
    if runs is None:  # a sender that names no runs: any of the organization's pages may show the candidate
        if candidate is not None:
            bump_org(candidate.organization_id)
        return
    for job_id in {run.job_id for run in runs}:
        bump_job(job_id)


def _on_run_completed(sender, run=None, **kwargs) -> None:
    if run is not None:
        bump_job(run.job_id)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from apps.candidates.models import Candidate
    from apps.jobs.models import Job, RequiredSkill

    from .models import MatchScore, PipelineStage, ShortlistDecision
    from .signals import candidate_rescored, match_run_completed

    uid = "matching.shortlist_cache"
    post_save.connect(_on_decision, sender=ShortlistDecision, dispatch_uid=f"{uid}.decision_saved")
    post_delete.connect(_on_decision, sender=ShortlistDecision, dispatch_uid=f"{uid}.decision_deleted")
    post_save.connect(_on_stage, sender=PipelineStage, dispatch_uid=f"{uid}.stage_saved")
    post_delete.connect(_on_stage, sender=PipelineStage, dispatch_uid=f"{uid}.stage_deleted")
    post_save.connect(_on_candidate_saved, sender=Candidate, dispatch_uid=f"{uid}.candidate_saved")
    post_delete.connect(_on_candidate_deleted, sender=Candidate, dispatch_uid=f"{uid}.candidate_deleted")
    post_save.connect(_on_job_saved, sender=Job, dispatch_uid=f"{uid}.job_saved")
    post_save.connect(_on_required_skill, sender=RequiredSkill, dispatch_uid=f"{uid}.required_saved")
    post_delete.connect(_on_required_skill, sender=RequiredSkill, dispatch_uid=f"{uid}.required_deleted")
    post_save.connect(_on_score_saved, sender=MatchScore, dispatch_uid=f"{uid}.score_saved")
    candidate_rescored.connect(_on_rescored, dispatch_uid=f"{uid}.rescored")
    match_run_completed.connect(_on_run_completed, dispatch_uid=f"{uid}.run_completed")
