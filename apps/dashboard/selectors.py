"""Reads for the dashboard pages. Every recruiter read is scoped to one organization; ids that belong to
another organization raise Http404 (never 403), so the dashboard does not reveal that they exist."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from apps.accounts.models import Organization
from apps.candidates.models import Candidate
from apps.credentials.models import Credential, CredentialKind
from apps.jobs.models import Job, JobStatus
from apps.matching.coverage import COVERED, MISSING, PARTIAL, coverage_status
from apps.matching.models import CandidateNote, MatchRun, MatchScore, RevealLog, RunStatus, ShortlistDecision
from apps.matching.selectors import run_must_first, run_rows, visible_at


def org_jobs(*, organization: Organization) -> QuerySet[Job]:
    return Job.objects.filter(organization=organization)


def job_get(*, organization: Organization, job_id: int) -> Job:
    return get_object_or_404(org_jobs(organization=organization), id=job_id)


def candidate_get(*, organization: Organization, candidate_id: int) -> Candidate:
    return get_object_or_404(Candidate.objects.filter(organization=organization), id=candidate_id)


def run_get(*, job: Job, run_id: int) -> MatchRun:
    return get_object_or_404(MatchRun.objects.filter(job=job), id=run_id)


def finished_run_get(*, job: Job, run_id) -> MatchRun | None:
    """One of ``job``'s finished runs by id (None when it is not one, or ``run_id`` is not an id)."""
    try:
        rid = int(run_id)
    except (TypeError, ValueError):
        return None
    if not 0 < rid < 2**63:
        return None
    run = MatchRun.objects.filter(job=job, id=rid, status=RunStatus.SUCCEEDED).first()
    if run is not None:
        run.job = job
    return run


def jobs_with_latest_run(*, organization: Organization, search: str = "") -> list[Job]:
    """The organization's jobs, each with ``latest_run`` (or None) carrying ``top_score``; ``search``
    keeps the jobs whose title or external id contains it (case-insensitive).

    Two queries whatever the number of jobs: the jobs annotated with their latest run's id, then those
    runs annotated with their best score (rank 1). The jobs list view relies on this budget."""
    latest = MatchRun.objects.filter(job=OuterRef("pk")).order_by("-created_at", "-id").values("id")[:1]
    qs = org_jobs(organization=organization)
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(external_id__icontains=search))
    jobs = list(
        qs.annotate(latest_run_id=Subquery(latest), skill_count=Count("required_skills", distinct=True)).order_by(
            "status", "title", "id"
        )
    )
    run_ids = [j.latest_run_id for j in jobs if j.latest_run_id]
    # rank 1 of the run's order (apps.matching.selectors.run_order): the best score among the candidates
    # meeting every must-have when the run ranks them first (the default), else the best score
    # each run's own rows: a rescore run reads its full run's rows as they stood at its id
    scores = MatchScore.objects.filter(run_id=Coalesce(OuterRef("rows_from_id"), OuterRef("pk"))).filter(
        visible_at(OuterRef("pk"))
    )
    top_first = scores.order_by("-must_have_met", "-score", "candidate_id").values("score")[:1]
    top_any = scores.order_by("-score", "-must_have_met", "candidate_id").values("score")[:1]
    runs = {}
    if run_ids:
        runs = {
            r.id: r
            for r in MatchRun.objects.filter(id__in=run_ids).annotate(
                top_first=Subquery(top_first), top_any=Subquery(top_any)
            )
        }
    for r in runs.values():
        r.top_score = r.top_first if run_must_first(r) else r.top_any
    for j in jobs:
        j.latest_run = runs.get(j.latest_run_id)
    return jobs


def job_recent_runs(*, job: Job, limit: int = 5) -> list[MatchRun]:
    return list(job.match_runs.order_by("-created_at", "-id")[:limit])


def run_is_finished(run: MatchRun) -> bool:
    return run.status in (RunStatus.SUCCEEDED, RunStatus.FAILED)


def revealed_ids(*, job: Job, user, candidate_ids: Iterable[int] | None = None) -> set[int]:
    """Candidates whose identity ``user`` has revealed for ``job``. Reveal is per recruiter: each
    person who wants to see a name leaves their own trace in RevealLog."""
    qs = RevealLog.objects.filter(job=job, user=user)
    if candidate_ids is not None:
        qs = qs.filter(candidate_id__in=list(candidate_ids))
    return set(qs.values_list("candidate_id", flat=True))


def latest_decisions(*, job: Job, candidate_ids: Iterable[int]) -> dict[int, ShortlistDecision]:
    """{candidate id: their most recent decision for ``job``}, in one query."""
    out: dict[int, ShortlistDecision] = {}
    rows = ShortlistDecision.objects.filter(job=job, candidate_id__in=list(candidate_ids)).select_related("stage")
    for d in rows.order_by("-created_at", "-id"):
        out.setdefault(d.candidate_id, d)
    return out


def decision_history(*, job: Job, candidate: Candidate) -> QuerySet[ShortlistDecision]:
    return (
        ShortlistDecision.objects.filter(job=job, candidate=candidate)
        .select_related("decided_by", "stage")
        .order_by("-created_at", "-id")
    )


def candidate_notes(*, job: Job, candidate: Candidate) -> QuerySet[CandidateNote]:
    """Recruiters' notes about the candidate for the job, newest first, with their authors."""
    notes = CandidateNote.objects.filter(job=job, candidate=candidate).select_related("author")
    return notes.order_by("-created_at", "-id")


def degrees_by_candidate(*, candidate_ids: Iterable[int]) -> dict[int, list[Credential]]:
    """Degrees of the given candidates (only ever asked for revealed ones), in one query."""
    out: dict[int, list[Credential]] = {}
    ids = list(candidate_ids)
    if not ids:
        return out
    rows = Credential.objects.filter(candidate_id__in=ids, kind=CredentialKind.DEGREE)
    for c in rows.order_by("-issued_on", "id"):
        out.setdefault(c.candidate_id, []).append(c)
    return out


def candidate_credentials(*, candidate: Candidate, include_degrees: bool) -> list[Credential]:
    """A candidate's credentials with issuer and attested skills (three queries)."""
    qs = Credential.objects.filter(candidate=candidate).select_related("issuer").prefetch_related("skills")
    if not include_degrees:
        qs = qs.exclude(kind=CredentialKind.DEGREE)
    return list(qs.order_by("-issued_on", "title", "id"))


def candidate_score(*, run: MatchRun | None, candidate: Candidate) -> MatchScore | None:
    if run is None:
        return None
    return run_rows(run).filter(candidate=candidate).first()


# --- seeker -------------------------------------------------------------------------------------------


def seeker_profiles(*, user) -> list[Candidate]:
    """The candidate profiles linked to a seeker account, with credentials, issuers, attested skills and
    declared skills prefetched (a fixed number of queries)."""
    creds = Credential.objects.select_related("issuer").prefetch_related("skills")
    creds = creds.order_by("-issued_on", "title", "id")
    return list(
        Candidate.objects.filter(user=user)
        .select_related("organization")
        .prefetch_related(Prefetch("credentials", queryset=creds), "declared_skills")
        .order_by("organization__name", "id")
    )


def open_jobs(*, organization: Organization) -> QuerySet[Job]:
    return (
        org_jobs(organization=organization)
        .filter(status=JobStatus.OPEN)
        .annotate(skill_count=Count("required_skills"))
        .order_by("title", "id")
    )


@dataclass
class SkillCoverage:
    """One required skill of a job, seen from a job seeker's side."""

    name: str
    weight: float
    must_have: bool
    min_level: int | None
    match: dict | None = None  # an engine explanation entry (apps.matching.engine.candidate_result)
    credential: Credential | None = None

    @property
    def status(self) -> str:
        """covered, partial or missing: apps.matching.coverage's words, the shortlist's too."""
        return coverage_status(self.match.get("credit") if self.match else 0.0)

    @property
    def covered(self) -> bool:
        return self.status == COVERED


@dataclass
class JobFit:
    score: float
    must_have_met: bool
    skills: list[SkillCoverage] = field(default_factory=list)

    @property
    def covered(self) -> list[SkillCoverage]:
        return [s for s in self.skills if s.covered]

    @property
    def partial(self) -> list[SkillCoverage]:
        """Some evidence, below the covered threshold: not covered, and never listed as covered."""
        return [s for s in self.skills if s.status == PARTIAL]

    @property
    def missing(self) -> list[SkillCoverage]:
        return [s for s in self.skills if s.status == MISSING]


def job_fit(*, job: Job, candidate: Candidate) -> JobFit | None:
    """Which of ``job``'s required skills ``candidate`` covers, and with which credential.

    Runs the same scoring path as match runs (apps.matching.services.candidates_score), so it may embed
    phrases that lack a vector and load the model: only the seeker's job page calls it. Returns None
    when the candidate cannot be matched (no consent) or the job has no required skills."""
    from apps.matching.selectors import job_required_specs, pool_specs
    from apps.matching.services import candidates_score, default_params

    required = job_required_specs(job=job)
    if not required:
        return None
    specs, texts = pool_specs(organization_id=candidate.organization_id, candidate_ids=[candidate.id])
    if not specs:
        return None
    texts.update({r.phrase_id: r.name for r in required})
    result = candidates_score(required=required, candidates=specs, texts=texts, params=default_params(), job_id=job.id)[
        0
    ]
    by_required = {m["required"]: m for m in result.matches}
    cred_ids = {m["credential_id"] for m in result.matches if m.get("credential_id")}
    creds = Credential.objects.select_related("issuer").in_bulk(list(cred_ids)) if cred_ids else {}
    rows = []
    for r in job.required_skills.all():
        m = by_required.get(r.name)
        rows.append(
            SkillCoverage(
                name=r.name,
                weight=r.weight,
                must_have=r.must_have,
                min_level=r.min_level,
                match=m,
                credential=creds.get(m.get("credential_id")) if m else None,
            )
        )
    return JobFit(score=result.score, must_have_met=result.must_have_met, skills=rows)


# --- shortlist: issuer filter, sorting, scarcity ----------------------------------------------------------


def pool_issuers(*, organization: Organization) -> list:
    """Issuers of the organization's candidates' credentials, for the shortlist's issuer filter (one query)."""
    from apps.credentials.models import Issuer

    return list(
        Issuer.objects.filter(credentials__candidate__organization=organization)
        .exclude(name="")
        .distinct()
        .order_by("name", "id")
    )


def shortlist_scores(
    *, run: MatchRun, filters: dict, issuer_id: int | None = None, ordering: str = "rank"
) -> QuerySet[MatchScore]:
    """The run's scores with the shortlist's filters (apps.matching.selectors.run_scores), an issuer filter
    (candidates holding a credential from that issuer, as a subquery: no duplicate rows) and an order
    (SHORTLIST_ORDERINGS; the run's own order breaks ties, so every order is total and pages never overlap)."""
    from apps.matching.selectors import run_order, run_scores

    qs = run_scores(run=run, **filters)
    if issuer_id is not None:
        holders = Credential.objects.filter(issuer_id=issuer_id).values("candidate_id")
        qs = qs.filter(candidate_id__in=holders)
    order = SHORTLIST_ORDERINGS.get(ordering)
    if order is not None:
        qs = qs.order_by(*order, *run_order(run))
    return qs


# sort value -> the keys of the shortlist's ORDER BY before the run's own order (run_order), which breaks
# ties; "rank" is the run's order alone (run_scores' default)
SHORTLIST_ORDERINGS: dict[str, tuple] = {
    "rank": (),
    "score": ("-score",),
    "must_haves": ("-must_haves_covered", "-score"),
    "fresh": (F("freshest_evidence").desc(nulls_last=True),),
    # blind labels are codes that say nothing about the candidate: an order a recruiter can find a row by
    "label": ("blind_code", "candidate_id"),
    "verified": ("-verified_share",),
}


@dataclass
class SkillScarcity:
    name: str
    must_have: bool
    covered: int
    total: int

    @property
    def share(self) -> float:
        return self.covered / self.total if self.total else 0.0

    @property
    def percent(self) -> float:
        return round(100 * self.share, 1)

    @property
    def band(self) -> str:
        """ "scarce" under 20% of the pool, "common" from 60%; the page prints the word, not only a colour."""
        return "scarce" if self.share < 0.2 else "common" if self.share >= 0.6 else "some"


def skill_scarcity(*, run: MatchRun, required: list) -> list[SkillScarcity]:
    """For each required skill (RequiredSkill rows), how many of the run's candidates cover it at all, scarcest
    first. One aggregate query over MatchScore.covered_skills ("|sql|python|"), whatever the pool size."""
    from django.db.models import Q

    if not required:
        return []
    aggregates = {
        f"s{i}": Count("id", filter=Q(covered_skills__contains=f"|{r.name.strip().casefold()}|"))
        for i, r in enumerate(required)
    }
    counts = run_rows(run).aggregate(total=Count("id"), **aggregates)
    rows = [
        SkillScarcity(name=r.name, must_have=r.must_have, covered=counts[f"s{i}"] or 0, total=counts["total"] or 0)
        for i, r in enumerate(required)
    ]
    return sorted(rows, key=lambda s: (s.share, s.name.casefold()))


# --- seeker: jobs that fit me best -------------------------------------------------------------------------


@dataclass
class JobFitRow:
    """One open job seen by a job seeker: their score in the job's latest finished run (None: not scored)."""

    job: Job
    score: MatchScore | None = None

    @property
    def missing(self) -> list[str]:
        return list((self.score.explanation or {}).get("missing", [])) if self.score else []

    @property
    def must_have_missing(self) -> list[str]:
        return list((self.score.explanation or {}).get("must_have_missing", [])) if self.score else []


def seeker_job_fits(*, organization: Organization, candidate: Candidate | None) -> list[JobFitRow]:
    """The organization's open jobs, best fit for ``candidate`` first, jobs without a score last.

    Reads what match runs (and the incremental rescoring after a credential import) stored: the candidate's
    MatchScore in each open job's latest succeeded run. Two queries whatever the number of jobs; nothing
    is scored here, so the page never loads the embedding model."""
    jobs = list(open_jobs(organization=organization))
    by_job: dict[int, MatchScore] = {}
    if candidate is not None and jobs:
        latest = MatchRun.objects.filter(job=OuterRef("run__job_id"), status=RunStatus.SUCCEEDED).order_by(
            "-created_at", "-id"
        )
        # the row of the latest run: stored under it, or under the full run it reads (a rescore run
        # written as changes) and belonging to its version (apps.matching.selectors.run_rows)
        scores = (
            MatchScore.objects.filter(candidate=candidate, run__job__in=[j.id for j in jobs])
            .annotate(
                version=Subquery(latest.values("id")[:1]),
                root=Subquery(latest.annotate(root=Coalesce("rows_from_id", "id")).values("root")[:1]),
            )
            .filter(run_id=F("root"))
            .filter(visible_at(F("version")))
            .select_related("run")
        )
        by_job = {s.run.job_id: s for s in scores}
    rows = [JobFitRow(job=j, score=by_job.get(j.id)) for j in jobs]
    return sorted(rows, key=lambda r: (r.score is None, -(r.score.score if r.score else 0.0), r.job.title.casefold()))
