"""Gap analysis, pathways, stacking and jobs within reach, from documents or from the database.

The computation is apps.pathways.gaps (no Django); this module gathers its inputs: phrases and their
vectors, taxonomy concepts and hierarchy links (the same way apps.matching.services.candidates_score
does, so scores agree with match runs), the catalog, and the qualifications offerings stack towards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from apps.candidates.models import Candidate
from apps.core.interchange import CandidateDoc, JobDoc
from apps.credentials.catalog import Offering
from apps.credentials.levels import to_eqf
from apps.credentials.models import (
    CatalogOffering,
    CatalogOfferingSkill,
    Credential,
    CredentialKind,
    Qualification,
    QualificationComponent,
    VerificationStatus,
)
from apps.jobs.models import Job
from apps.matching.engine import CandidateSpec, MatchParams, RequiredSpec
from apps.matching.selectors import job_required_specs, pool_specs
from apps.pathways.gaps import GapReport, OfferingSkill, OfferingSpec, analyse
from apps.skills.selectors import related_pairs
from apps.skills.services import phrases_resolve
from apps.skills.text import normalize_phrase
from apps.skills.vocabulary import phrase_vectors, phrases_ensure

DEFAULT_TOLERANCE = 0.10  # alternatives within 10% of the optimum's hours
DEFAULT_ALTERNATIVES = 3


def _params(params: MatchParams | None) -> MatchParams:
    from apps.matching.services import default_params

    return params or default_params()


@dataclass
class _Context:
    vectors: dict
    related: set[tuple[int, int]]


def _prepare(
    *,
    required_sets: Sequence[list[RequiredSpec]],
    candidate: CandidateSpec,
    offerings: list[OfferingSpec],
    texts: dict[int, str],
) -> tuple[list[list[RequiredSpec]], CandidateSpec, list[OfferingSpec], _Context]:
    """Resolve every phrase to a taxonomy concept where confident (only where none is known yet, as
    candidates_score does), fetch vectors, and collect the hierarchy links among the concepts.
    ``texts`` maps every phrase id involved to its text (only the ids are needed today)."""
    concepts = phrases_resolve(phrase_ids=list(texts))
    reqs = [
        [r if r.concept is not None else replace(r, concept=concepts.get(r.phrase_id)) for r in rs]
        for rs in required_sets
    ]
    cand = CandidateSpec(
        key=candidate.key,
        evidence=[
            e if e.concept is not None else replace(e, concept=concepts.get(e.phrase_id)) for e in candidate.evidence
        ],
    )
    offs = [
        replace(
            o, skills=[s if s.concept is not None else replace(s, concept=concepts.get(s.phrase_id)) for s in o.skills]
        )
        for o in offerings
    ]
    used = (
        {r.concept for rs in reqs for r in rs}
        | {e.concept for e in cand.evidence}
        | {s.concept for o in offs for s in o.skills}
    ) - {None}
    ids = sorted(texts)
    vectors = dict(zip(ids, phrase_vectors(phrase_ids=ids), strict=True)) if ids else {}
    return reqs, cand, offs, _Context(vectors=vectors, related=related_pairs(skill_ids=used))  # type: ignore[arg-type]


# --- documents (the stateless ``pathway`` command) ----------------------------------------------------


def _doc_specs(job: JobDoc, candidate: CandidateDoc, ids: dict[str, int]) -> tuple[list[RequiredSpec], CandidateSpec]:
    """Engine specs from interchange documents, exactly as the ``rank`` command builds them."""
    from apps.matching.services import document_specs

    required, (spec,) = document_specs(job=job, candidates=[candidate], ids=ids)
    return required, spec


def pathway_for_documents(
    *,
    job: JobDoc,
    candidate: CandidateDoc,
    offerings: Sequence[Offering],
    params: MatchParams | None = None,
    alternatives: int = DEFAULT_ALTERNATIVES,
    tolerance: float = DEFAULT_TOLERANCE,
) -> GapReport:
    """Gap analysis and pathway for interchange documents and parsed catalog rows; stores nothing but
    new phrases in the shared vocabulary (like the ``rank`` command)."""
    params = _params(params)
    texts = [s.name for s in job.skills]
    texts += [s for cr in candidate.credentials for s in cr.skills] + list(candidate.skills)
    texts += [s for o in offerings for s in o.skills]
    ids = phrases_ensure(texts=texts)
    phrase_text = {ids[normalize_phrase(t)]: t for t in texts if normalize_phrase(t)}
    required, cand = _doc_specs(job, candidate, ids)
    offs = [
        OfferingSpec(
            key=o.id,
            title=o.title,
            hours=o.hours,
            provider=o.provider,
            eqf=o.eqf,
            url=o.url,
            level_framework=o.level_framework,
            level_value=o.level_value,
            skills=[OfferingSkill(text=s, phrase_id=ids[normalize_phrase(s)]) for s in o.skills],
        )
        for o in offerings
    ]
    (required,), cand, offs, ctx = _prepare(required_sets=[required], candidate=cand, offerings=offs, texts=phrase_text)
    return analyse(
        required=required,
        candidate=cand,
        offerings=offs,
        vectors=ctx.vectors,
        params=params,
        related=ctx.related,
        alternatives=alternatives,
        tolerance=tolerance,
    )


# --- the database -------------------------------------------------------------------------------------


def catalog_offering_specs(
    *, offerings: QuerySet[CatalogOffering] | None = None
) -> tuple[list[OfferingSpec], dict[int, str]]:
    """The catalog as OfferingSpecs (two queries) and {phrase id: text} of their skills."""
    qs = offerings if offerings is not None else CatalogOffering.objects.all()
    qs = qs.order_by("external_id").prefetch_related(
        Prefetch("skills", queryset=CatalogOfferingSkill.objects.order_by("id"))
    )
    out, texts = [], {}
    for o in qs:
        skills = [OfferingSkill(text=s.text, phrase_id=s.phrase_id) for s in o.skills.all()]
        texts.update({s.phrase_id: s.text for s in skills})
        out.append(
            OfferingSpec(
                key=o.external_id,
                title=o.title,
                hours=o.hours,
                provider=o.provider,
                eqf=to_eqf(o.level_framework, o.level_value) if o.level_framework else None,
                url=o.url,
                level_framework=o.level_framework,
                level_value=o.level_value,
                skills=skills,
            )
        )
    return out, texts


def _candidate_spec(candidate: Candidate) -> tuple[CandidateSpec, dict[int, str]] | None:
    specs, texts = pool_specs(organization_id=candidate.organization_id, candidate_ids=[candidate.id])
    return (specs[0], texts) if specs else None


def pathway_for_candidate(
    *,
    job: Job,
    candidate: Candidate,
    params: MatchParams | None = None,
    alternatives: int = DEFAULT_ALTERNATIVES,
    tolerance: float = DEFAULT_TOLERANCE,
) -> GapReport | None:
    """Gap analysis and pathway for a stored candidate and job against the whole catalog. None when the
    candidate cannot be matched (no consent to matching) or the job lists no required skills."""
    required = job_required_specs(job=job)
    got = _candidate_spec(candidate)
    if not required or got is None:
        return None
    spec, texts = got
    offs, off_texts = catalog_offering_specs()
    texts = {**texts, **off_texts, **{r.phrase_id: r.name for r in required}}
    (required,), spec, offs, ctx = _prepare(required_sets=[required], candidate=spec, offerings=offs, texts=texts)
    return analyse(
        required=required,
        candidate=spec,
        offerings=offs,
        vectors=ctx.vectors,
        params=_params(params),
        related=ctx.related,
        alternatives=alternatives,
        tolerance=tolerance,
    )


@dataclass
class Reach:
    """A job and how far the seeker is from covering every required skill."""

    job: Job
    offerings_away: int  # 0: already covers everything
    report: GapReport

    def as_dict(self) -> dict:
        return {
            "job": {"id": self.job.pk, "external_id": self.job.external_id, "title": self.job.title},
            "offerings_away": self.offerings_away,
            "score_now": self.report.score_now,
            "score_after": self.report.pathway.score_after,
            "missing": self.report.missing_names,
            "pathway": self.report.pathway.as_dict(),
        }


def jobs_within_reach(
    *,
    candidate: Candidate,
    jobs: QuerySet[Job] | None = None,
    max_offerings: int = 2,
    include_ready: bool = False,
    params: MatchParams | None = None,
) -> list[Reach]:
    """Jobs whose every missing skill the seeker can close with at most ``max_offerings`` catalog
    offerings (the cheapest such set, in hours), fewest offerings then fewest hours first. A job with a
    skill no offering teaches is out of reach. ``jobs`` defaults to the candidate's organization's open
    jobs; ``include_ready`` adds the jobs already fully covered (0 offerings away)."""
    from apps.jobs.models import JobStatus

    if jobs is None:
        jobs = Job.objects.filter(organization_id=candidate.organization_id, status=JobStatus.OPEN)
    jobs = jobs.prefetch_related("required_skills").order_by("title", "id")
    got = _candidate_spec(candidate)
    if got is None:
        return []
    spec, texts = got
    job_list = [j for j in jobs]
    req_sets = [job_required_specs(job=j) for j in job_list]
    offs, off_texts = catalog_offering_specs()
    texts = {**texts, **off_texts, **{r.phrase_id: r.name for rs in req_sets for r in rs}}
    req_sets, spec, offs, ctx = _prepare(required_sets=req_sets, candidate=spec, offerings=offs, texts=texts)
    params = _params(params)
    out = []
    for job, required in zip(job_list, req_sets, strict=True):
        if not required:
            continue
        report = analyse(
            required=required,
            candidate=spec,
            offerings=offs,
            vectors=ctx.vectors,
            params=params,
            related=ctx.related,
            alternatives=0,
            max_offerings=max_offerings,
        )
        if report.method == "out_of_reach" or report.uncoverable_names:
            continue
        away = len(report.pathway.steps)
        if away == 0 and not include_ready:
            continue
        out.append(Reach(job=job, offerings_away=away, report=report))
    out.sort(
        key=lambda r: (
            r.offerings_away,
            r.report.pathway.total_hours,
            -r.report.pathway.score_after,
            r.job.title,
            r.job.pk,
        )
    )
    return out


# --- stacking ----------------------------------------------------------------------------------------


@dataclass
class QualificationProgress:
    """How held credentials and a pathway add up towards a qualification (credit-bank style)."""

    qualification: Qualification
    required: Decimal
    earned: Decimal  # from offerings the candidate already holds
    planned: Decimal  # from the pathway's offerings
    held: list[str] = field(default_factory=list)  # offering ids
    in_pathway: list[str] = field(default_factory=list)
    mandatory_outstanding: list[str] = field(default_factory=list)  # titles of mandatory components still to do

    @property
    def after(self) -> Decimal:
        return self.earned + self.planned

    @property
    def remaining(self) -> Decimal:
        return max(Decimal(0), self.required - self.after)

    @property
    def complete_after(self) -> bool:
        return self.remaining == 0 and not self.mandatory_outstanding

    @property
    def percent_after(self) -> float:
        return float(min(Decimal(100), 100 * self.after / self.required)) if self.required else 100.0

    def as_dict(self) -> dict:
        q = self.qualification
        return {
            "id": q.external_id,
            "title": q.title,
            "awarding_body": q.awarding_body,
            "level": {"framework": q.level_framework, "value": q.level_value} if q.level_framework else None,
            "unit": q.credit_unit,
            "required": float(self.required),
            "earned": float(self.earned),
            "planned": float(self.planned),
            "remaining": float(self.remaining),
            "complete_after": self.complete_after,
            "held": self.held,
            "in_pathway": self.in_pathway,
            "mandatory_outstanding": self.mandatory_outstanding,
        }


def held_offering_ids(*, candidate: Candidate) -> set[str]:
    """Catalog offerings the candidate already holds: a credential, not failed/revoked, whose title is
    the offering's and whose issuer (when known) is its provider. Credentials carry no catalog id, so
    the title is the link a register and a badge share."""
    creds = (
        Credential.objects.filter(candidate=candidate)
        .exclude(kind=CredentialKind.DEGREE)
        .exclude(verification_status__in=[VerificationStatus.FAILED, VerificationStatus.REVOKED])
        .values_list("title", "issuer__name")
    )
    held = {(normalize_phrase(t), normalize_phrase(i or "")) for t, i in creds}
    titles = {t for t, _ in held}
    if not titles:
        return set()
    out = set()
    for ext, title, provider in CatalogOffering.objects.values_list("external_id", "title", "provider"):
        t = normalize_phrase(title)
        if t in titles and ((t, normalize_phrase(provider)) in held or (t, "") in held):
            out.add(ext)
    return out


def qualification_progress(*, offering_ids: Sequence[str], held: set[str] | None = None) -> list[QualificationProgress]:
    """Every qualification that one of ``offering_ids`` (a pathway) or ``held`` counts towards, with
    credits earned, planned and remaining; closest to completion first."""
    held = held or set()
    wanted = set(offering_ids) | held
    if not wanted:
        return []
    comps = (
        QualificationComponent.objects.filter(qualification__components__offering__external_id__in=wanted)
        .select_related("qualification", "offering")
        .distinct()
    )
    by_q: dict[int, list[QualificationComponent]] = {}
    for c in comps:
        by_q.setdefault(c.qualification_id, []).append(c)
    out = []
    for parts in by_q.values():
        q = parts[0].qualification
        prog = QualificationProgress(
            qualification=q, required=q.credits_required, earned=Decimal(0), planned=Decimal(0)
        )
        for c in parts:
            key = c.offering.external_id
            if key in held:
                prog.earned += c.value
                prog.held.append(key)
            elif key in offering_ids:
                prog.planned += c.value
                prog.in_pathway.append(key)
            elif c.mandatory:
                prog.mandatory_outstanding.append(c.offering.title)
        if prog.held or prog.in_pathway:
            out.append(prog)
    out.sort(key=lambda p: (not p.complete_after, p.remaining, p.qualification.title))
    return out
