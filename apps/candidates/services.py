"""Writes for candidates: creation from the interchange format, bulk JSON-lines import (at once, or in
the background: CandidateImport), CV drafts and the candidate's own skills and experience."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.accounts.audit import CANDIDATE_VIEWED, audit_record
from apps.accounts.models import Organization
from apps.core.heartbeat import beating
from apps.core.inputs import InputError, loads
from apps.core.interchange import (
    CandidateDoc,
    CredentialDoc,
    InterchangeError,
    iter_candidates_jsonl,
    parse_candidate,
    resume_evidence,
)
from apps.credentials.levels import to_eqf
from apps.credentials.models import Credential, CredentialKind, CredentialSkill, Issuer, VerificationStatus
from apps.credentials.services import issuer_get_or_create
from apps.skills.text import normalize_phrase
from apps.skills.vocabulary import phrases_ensure

from .models import (
    Candidate,
    CandidateImport,
    CandidateSkill,
    EnteredBy,
    EvidenceSource,
    Experience,
    ExperienceSkill,
    ExperienceSource,
    ImportStatus,
    ResumeParseJob,
    ResumeParseStatus,
)
from .signals import candidate_evidence_changed, candidates_stored

log = logging.getLogger(__name__)


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def _issuer(name: str, cache: dict[str, Issuer | None]) -> Issuer | None:
    if name not in cache:  # one query per issuer name per import
        cache[name] = issuer_get_or_create(name=name)
    return cache[name]


def _credential(candidate: Candidate, c: CredentialDoc, issuers: dict[str, Issuer | None]) -> Credential:
    return Credential(
        candidate=candidate,
        issuer=_issuer(c.issuer, issuers),
        kind=c.kind if c.kind in CredentialKind.values else CredentialKind.MICROCREDENTIAL,
        title=c.title[:500],
        issued_on=c.issued,
        expires_on=c.expires,
        level_framework=c.level.framework if c.level else "",
        level_value=c.level.value if c.level else None,
        eqf_level=to_eqf(c.level.framework, c.level.value) if c.level else None,
        hours=c.hours,
        ects=Decimal(str(round(c.ects, 1))) if c.ects is not None else None,
        quality_assured=c.quality_assured,
        assessment=c.assessment,
        endorsements=c.endorsements,
        verification_status=VerificationStatus.VERIFIED if c.verified else VerificationStatus.UNVERIFIED,
        format="interchange",
    )


@transaction.atomic
def candidates_create(*, organization: Organization, docs: Sequence[CandidateDoc], user=None) -> list[Candidate]:
    """Create or replace candidates (by external id) with their credentials, degrees, declared
    skills, experience and assessments, all in one transaction: either every record is stored or none.
    Assessments arriving this way carry no job, so they count for every job of the organization."""
    phrase_ids = phrases_ensure(
        texts=[s for d in docs for c in (*d.credentials, *d.degrees) for s in c.skills]
        + [s for d in docs for s in d.skills]
        + [s for d in docs for e in d.experience for s in e.skills]
        + [a.skill for d in docs for a in d.assessments]
        + [t for d in docs for t, _ in resume_evidence(d)]
    )
    existing = {
        c.external_id: c
        for c in Candidate.objects.filter(organization=organization, external_id__in=[d.id for d in docs])
    }
    if existing:
        Credential.objects.filter(candidate__in=existing.values()).delete()
        CandidateSkill.objects.filter(candidate__in=existing.values()).delete()
        Experience.objects.filter(candidate__in=existing.values()).delete()
    issuers: dict[str, Issuer | None] = {}
    out = []
    cred_rows: list[tuple[Credential, list[str]]] = []
    declared: list[CandidateSkill] = []
    roles: list[tuple[Experience, list[str]]] = []
    for d in docs:
        cand = existing.get(d.id)
        if cand is None:
            cand = Candidate.objects.create(organization=organization, external_id=d.id, name=d.name, user=user)
        elif cand.name != d.name:
            cand.name = d.name
            cand.save(update_fields=["name", "updated_at"])
        out.append(cand)
        for c in (*d.credentials, *d.degrees):
            cred_rows.append((_credential(cand, c, issuers), c.skills))
        # a CV nobody confirmed (``resume``): each of its skills is self-declared too, as rank counts it
        stated = [(s, "") for s in d.skills]
        stated += [(t, f"CV: {role}" if role else "CV") for t, role in resume_evidence(d)]
        declared += [
            CandidateSkill(
                candidate=cand,
                phrase_id=phrase_ids[normalize_phrase(s)],
                text=s[:500],
                source=EvidenceSource.SELF_DECLARED,
                context=context[:300],
            )
            for s, context in stated
        ]
        roles += [
            (
                Experience(
                    candidate=cand,
                    title=e.title[:300],
                    organization=e.organization[:300],
                    start=e.start,
                    end=e.end,
                    source=ExperienceSource.IMPORT,
                ),
                e.skills,
            )
            for e in d.experience
        ]
    Credential.objects.bulk_create([c for c, _ in cred_rows], batch_size=1000)
    CredentialSkill.objects.bulk_create(
        [
            CredentialSkill(credential=c, phrase_id=phrase_ids[normalize_phrase(s)], text=s[:500])
            for c, skills in cred_rows
            for s in skills
        ],
        batch_size=2000,
    )
    CandidateSkill.objects.bulk_create(declared, batch_size=2000)
    Experience.objects.bulk_create([e for e, _ in roles], batch_size=1000)
    ExperienceSkill.objects.bulk_create(
        [
            ExperienceSkill(experience=e, phrase_id=phrase_ids[normalize_phrase(s)], text=s[:500])
            for e, skills in roles
            for s in skills
        ],
        batch_size=2000,
    )
    # matching stores the documents' employer assessments (a layer above), in this same transaction
    candidates_stored.send(sender=Candidate, candidates=out, docs=list(docs), phrase_ids=phrase_ids)
    return out


@dataclass
class ImportResult:
    created: int
    candidates: list[Candidate]


def candidates_import_jsonl(*, organization: Organization, lines: Iterable[str]) -> ImportResult:
    """Validate every line first (InterchangeError names the bad one), then store all in one go."""
    docs = list(iter_candidates_jsonl(lines))
    cands = candidates_create(organization=organization, docs=docs)
    return ImportResult(created=len(cands), candidates=cands)


# --- background candidate import -------------------------------------------------------------
MAX_IMPORT_ERRORS = 50


def candidate_import_create(*, organization: Organization, text: str) -> CandidateImport:
    """Store a JSON-lines body and queue its import (runs after commit)."""
    total = sum(1 for line in text.split("\n") if line.strip())
    job = CandidateImport.objects.create(organization=organization, source=text, total=total)
    from . import tasks

    transaction.on_commit(lambda: tasks.candidate_import_run.delay(job.pk), robust=True)
    return job


def _validate_lines(lines: Iterable[str]) -> tuple[list[CandidateDoc], list[dict]]:
    """Every candidate of the body, or the errors of the first bad lines (line, field, message)."""
    docs: list[CandidateDoc] = []
    errors: list[dict] = []
    seen: set[str] = set()
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            doc = parse_candidate(loads(raw, line=n), line=n)
            if doc.id in seen:
                raise InterchangeError(f"duplicate candidate id {doc.id!r}", line=n, field="id")
        except InputError as e:
            errors.append({"line": n, "field": e.field, "message": e.message})
        else:
            seen.add(doc.id)
            docs.append(doc)
        if len(errors) >= MAX_IMPORT_ERRORS:
            break
    return docs, errors


def candidate_import_run(*, import_id: int) -> CandidateImport | None:
    """Run a queued import: validate every line (nothing is stored if one is bad), then store the
    candidates in chunks, recording progress. Claimed with a conditional UPDATE; None if taken. Its
    heartbeat moves while it runs (apps.core.heartbeat), so candidate_imports_sweep tells a slow
    import from a lost one."""
    claimed = CandidateImport.objects.filter(pk=import_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now()
    )
    if not claimed:
        return None
    running = CandidateImport.objects.filter(pk=import_id, status=ImportStatus.RUNNING)
    with beating(lambda: running.update(heartbeat_at=timezone.now())):
        _import_run(import_id)
    return CandidateImport.objects.get(pk=import_id)


def _import_run(import_id: int) -> None:
    job = CandidateImport.objects.select_related("organization").get(pk=import_id)
    chunk = int(_setting("TSUMIKI_IMPORT_CHUNK_SIZE", 500))
    try:
        docs, errors = _validate_lines(job.source.split("\n"))
        if errors:
            CandidateImport.objects.filter(pk=import_id).update(
                status=ImportStatus.FAILED, errors=errors, finished_at=timezone.now()
            )
        else:
            created = 0
            for start in range(0, len(docs), chunk):
                part = docs[start : start + chunk]
                created += len(candidates_create(organization=job.organization, docs=part))
                CandidateImport.objects.filter(pk=import_id).update(processed=start + len(part), created=created)
            CandidateImport.objects.filter(pk=import_id).update(
                status=ImportStatus.SUCCEEDED, source="", finished_at=timezone.now()
            )
    except Exception as e:
        log.exception("candidate import %s failed", import_id)
        CandidateImport.objects.filter(pk=import_id).update(
            status=ImportStatus.FAILED,
            errors=[{"line": None, "field": None, "message": f"internal error: {type(e).__name__}"}],
            finished_at=timezone.now(),
        )
        raise


# An import queued this recently was probably just sent by candidate_import_create: candidate_imports_sweep leaves it.
IMPORT_RESEND_SECONDS = 30


def candidate_imports_sweep(*, stale_after: float | None = None, lost_after: float | None = None) -> int:
    """Re-send background imports that no worker is doing: queued ones whose task was lost (sent while the
    broker was down: candidate_import_create's publish failed quietly), and running ones whose worker
    stopped writing its heartbeat for ``lost_after`` seconds (TSUMIKI_CHUNK_STALE_SECONDS; killed or lost
    with its machine). Safe to send twice: an import is claimed with a conditional UPDATE, and a re-run
    stores the same candidates again (each replaces the one with its id). Returns how many were sent.

    A queued import is re-sent once IMPORT_RESEND_SECONDS old while the broker answers, then at most once
    per ``stale_after`` (TSUMIKI_STALE_RUN_SECONDS) while it stays queued (e.g. behind a busy queue); its
    ``heartbeat_at`` records the last re-send. Workers run this every TSUMIKI_WORKER_SWEEP_SECONDS
    (config.celery_app), and beat too."""
    from apps.api.broker import broker_available

    from . import tasks

    now = timezone.now()
    stale = now - timedelta(
        seconds=stale_after if stale_after is not None else _setting("TSUMIKI_STALE_RUN_SECONDS", 600)
    )
    lost = now - timedelta(
        seconds=lost_after if lost_after is not None else _setting("TSUMIKI_CHUNK_STALE_SECONDS", 30)
    )
    sent = 0
    # running, but the worker's heartbeat stopped: back to queued (claimed once), then sent like a queued one
    dead = CandidateImport.objects.filter(status=ImportStatus.RUNNING, heartbeat_at__lt=lost)
    for import_id in list(dead.values_list("pk", flat=True)):
        if dead.filter(pk=import_id).update(status=ImportStatus.QUEUED, heartbeat_at=None, processed=0, created=0):
            log.warning("candidate import %s lost its worker (no heartbeat): queued again", import_id)
    queued = CandidateImport.objects.filter(status=ImportStatus.QUEUED)
    fresh = Q(created_at__lt=now - timedelta(seconds=IMPORT_RESEND_SECONDS), heartbeat_at__isnull=True)
    due = Q(heartbeat_at__lt=stale)
    if queued.filter(fresh).exists() and broker_available():
        due |= fresh
    for import_id in list(queued.filter(due).order_by("created_at", "pk").values_list("pk", flat=True)):
        if queued.filter(due, pk=import_id).update(heartbeat_at=timezone.now()):
            tasks.candidate_import_run.delay(import_id)
            sent += 1
    return sent


def candidates_blind_for_person(*, organization, user, candidates: list[Candidate], data: list[dict]) -> list[dict]:
    """The API's serialized ``candidates`` as a person (a session, not an API key) may see them: the
    dashboard's degree-blind rule (name and degrees only for candidates this person revealed, a
    logged act) and its audit trail (one ``candidate.viewed`` event per candidate shown)."""
    # RevealLog belongs to apps.matching (above this app); it is read through Candidate.reveals.
    revealed = set(
        Candidate.objects.filter(pk__in=[c.pk for c in candidates], reveals__user=user).values_list("pk", flat=True)
    )
    out = []
    for candidate, item in zip(candidates, data, strict=True):
        shown = candidate.pk in revealed
        if not shown:
            item = {
                **item,
                "name": "",
                "credentials": [c for c in item["credentials"] if c.get("kind") != CredentialKind.DEGREE],
            }
        out.append(item)
        audit_record(
            organization=organization,
            actor=user,
            action=CANDIDATE_VIEWED,
            obj=candidate,
            details={"via": "api", "revealed": shown},
        )
    return out


def resume_parse(*, data: bytes, filename: str, max_bytes: int | None = None):
    """A CV file's draft (apps.candidates.resume.Draft), its skills normalized to the imported taxonomy:
    free text through the skill extractor (as the job editor's "Suggest skills"), listed skills through
    the normalizer. Nothing is stored; bad files come back with ``errors``."""
    from apps.skills.normalizer import concept_words
    from apps.skills.selectors import taxonomy_index
    from apps.skills.services import normalize, skills_extract_many

    from .resume import parse
    from .resume.draft import SKILLS_PER_TEXT

    class Extractor:
        """The extractor for the draft: a text's hits, or (``many``) several texts' read together.
        Each answer carries the word stems of its concept's labels (the draft compares one-word skills
        with them: apps.candidates.resume.draft.resembles)."""

        def __call__(self, text: str) -> list[dict]:
            return self.many([text])[0]

        def many(self, texts: Sequence[str]) -> list[list[dict]]:
            index = taxonomy_index()
            found = skills_extract_many(texts=texts, top_k=SKILLS_PER_TEXT, suggested_only=True)
            return [[{**h, "words": concept_words(index, h["uri"])} for h in one] for one in found]

    extract = Extractor()

    def resolve(phrases) -> list[dict | None]:
        index = taxonomy_index()
        out: list[dict | None] = []
        for matches in normalize(texts=list(phrases), top_k=1):
            m = matches[0] if matches else None
            words = concept_words(index, m.uri) if m else []
            out.append({"uri": m.uri, "label": m.label, "confidence": m.score, "words": words} if m else None)
        return out

    return parse(data, filename, extract=extract, resolve=resolve, max_bytes=max_bytes)


# --- CV parse jobs: the dashboard's upload read in the background ------------------------------------

# An unconfirmed draft is kept this long, then purged (resume_parse_jobs_purge).
RESUME_JOB_TTL_SECONDS = 3600
# A job not read after this long is reported as failed: its task was lost (a broker down when it was
# sent, a worker killed), and the person should upload the file again rather than wait.
RESUME_JOB_TIMEOUT_SECONDS = 300
# what a failed job says when the reading itself broke (never an exception's text: it may quote the CV)
RESUME_JOB_INTERNAL_ERROR = "internal error"
RESUME_JOB_LOST = "the reading took too long"


def resume_parse_job_create(
    *,
    organization: Organization,
    candidate: Candidate | None,
    data: bytes,
    filename: str,
    user=None,
    api_key=None,
) -> ResumeParseJob:
    """Keep an uploaded CV as a private parse job of ``user`` (or ``api_key``) and queue its reading (sent
    after commit; in-process tasks read it then, before the upload's response). Expired jobs are purged on the way,
    so a deployment without beat does not keep them either."""
    resume_parse_jobs_purge()
    ttl = int(_setting("TSUMIKI_RESUME_JOB_TTL_SECONDS", RESUME_JOB_TTL_SECONDS))
    job = ResumeParseJob.objects.create(
        organization=organization,
        user=user,
        api_key=api_key,
        candidate=candidate,
        filename=(filename or "cv")[:255],
        data=data,
        expires_at=timezone.now() + timedelta(seconds=ttl),
    )
    from . import tasks

    transaction.on_commit(lambda: tasks.resume_parse_job_run.delay(str(job.pk)), robust=True)
    return job


def resume_parse_job_run(*, job_id) -> ResumeParseJob | None:
    """Read a queued job's file into its draft (resume_parse). Claimed with a conditional UPDATE (None if
    another worker has it, or it is gone); the outcome is written in one UPDATE with the file's bytes
    dropped: done with the draft, or failed with the reader's errors (a file that is no CV) or
    RESUME_JOB_INTERNAL_ERROR (the reading broke, logged)."""
    claimed = ResumeParseJob.objects.filter(pk=job_id, status=ResumeParseStatus.QUEUED).update(
        status=ResumeParseStatus.RUNNING
    )
    if not claimed:
        return None
    job = ResumeParseJob.objects.filter(pk=job_id).only("filename", "data").first()
    if job is None:  # confirmed or erased meanwhile
        return None
    limit = int(_setting("CREDENTIALS_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))
    try:
        draft = resume_parse(data=bytes(job.data), filename=job.filename, max_bytes=limit)
    except Exception:
        log.exception("CV parse job %s failed", job_id)
        outcome: dict[str, Any] = {"status": ResumeParseStatus.FAILED, "errors": [RESUME_JOB_INTERNAL_ERROR]}
    else:
        if draft.format is None:
            outcome = {"status": ResumeParseStatus.FAILED, "errors": list(draft.errors)}
        else:
            outcome = {"status": ResumeParseStatus.DONE, "draft": draft.to_json(), "errors": list(draft.errors)}
    ResumeParseJob.objects.filter(pk=job_id, status=ResumeParseStatus.RUNNING).update(
        data=b"", finished_at=timezone.now(), **outcome
    )
    return ResumeParseJob.objects.filter(pk=job_id).first()


def resume_parse_job_lost(job: ResumeParseJob) -> bool:
    """Whether a job still waiting has waited longer than RESUME_JOB_TIMEOUT_SECONDS (its task is lost)."""
    if job.status not in (ResumeParseStatus.QUEUED, ResumeParseStatus.RUNNING):
        return False
    timeout = float(_setting("TSUMIKI_RESUME_JOB_TIMEOUT_SECONDS", RESUME_JOB_TIMEOUT_SECONDS))
    return job.created_at < timezone.now() - timedelta(seconds=timeout)


def resume_parse_job_discard(*, job: ResumeParseJob) -> None:
    """Delete a job whose draft was confirmed (or abandoned): nothing of the upload stays."""
    ResumeParseJob.objects.filter(pk=job.pk).delete()


def resume_parse_jobs_purge() -> int:
    """Delete expired parse jobs (drafts nobody confirmed in time). Returns how many."""
    deleted, _ = ResumeParseJob.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted


# --- the candidate's own skills and experience ---------------------------------------------------

MAX_OWN_SKILL_CHARS = 200
MAX_EXPERIENCE_SKILLS = 50


class EvidenceError(ValueError):
    """An entry that cannot be stored as given (the message says why, for the form)."""


@dataclass
class ExperienceInput:
    """A role as a person enters it (or confirms it from a CV)."""

    title: str
    organization: str = ""
    start: date | None = None
    end: date | None = None
    skills: Sequence[str] = ()


def _clean_skill(text: str) -> str:
    text = " ".join((text or "").split())
    if not normalize_phrase(text):
        raise EvidenceError("A skill needs a name.")
    if len(text) > MAX_OWN_SKILL_CHARS:
        raise EvidenceError(f"A skill name is at most {MAX_OWN_SKILL_CHARS} characters.")
    return text


def _clean_experience(data: ExperienceInput) -> ExperienceInput:
    title = " ".join((data.title or "").split())[:300]
    if not title:
        raise EvidenceError("A role needs a title.")
    if data.start and data.end and data.end < data.start:
        raise EvidenceError("A role cannot end before it starts.")
    skills = list(dict.fromkeys(_clean_skill(s) for s in data.skills if normalize_phrase(s or "")))
    if len(skills) > MAX_EXPERIENCE_SKILLS:
        raise EvidenceError(f"A role lists at most {MAX_EXPERIENCE_SKILLS} skills.")
    return ExperienceInput(title, " ".join((data.organization or "").split())[:300], data.start, data.end, skills)


def _evidence_changed(candidate: Candidate) -> None:
    transaction.on_commit(lambda: candidate_evidence_changed.send(sender=Candidate, candidate=candidate))


def candidate_skill_add(
    *, candidate: Candidate, text: str, entered_by: str = EnteredBy.CANDIDATE
) -> CandidateSkill | None:
    """Declare a skill (self-declared strength). None when the profile already declares that phrase."""
    text = _clean_skill(text)
    key = normalize_phrase(text)
    with transaction.atomic():
        pid = phrases_ensure(texts=[text])[key]
        if CandidateSkill.objects.filter(
            candidate=candidate, phrase_id=pid, source=EvidenceSource.SELF_DECLARED
        ).exists():
            return None
        skill = CandidateSkill.objects.create(
            candidate=candidate, phrase_id=pid, text=text, source=EvidenceSource.SELF_DECLARED, entered_by=entered_by
        )
        _evidence_changed(candidate)
    return skill


def candidate_skill_update(
    *, skill: CandidateSkill, text: str, entered_by: str = EnteredBy.CANDIDATE
) -> CandidateSkill:
    """Rename a declared skill (a correction); it stays self-declared."""
    text = _clean_skill(text)
    with transaction.atomic():
        skill.phrase_id = phrases_ensure(texts=[text])[normalize_phrase(text)]
        skill.text = text
        skill.entered_by = entered_by
        skill.save(update_fields=["phrase", "text", "entered_by"])
        _evidence_changed(skill.candidate)
    return skill


def candidate_skill_remove(*, skill: CandidateSkill) -> None:
    with transaction.atomic():
        candidate = skill.candidate
        skill.delete()
        _evidence_changed(candidate)


def experience_save(
    *,
    candidate: Candidate,
    data: ExperienceInput,
    experience: Experience | None = None,
    source: str = ExperienceSource.SELF,
    entered_by: str = EnteredBy.CANDIDATE,
) -> Experience:
    """Add a role, or replace one's fields and skills. Its skills are evidence at the engine's
    "experience" strength (apps.matching.engine)."""
    data = _clean_experience(data)
    with transaction.atomic():
        ids = phrases_ensure(texts=list(data.skills))
        if experience is None:
            experience = Experience(candidate=candidate, source=source)
        experience.title, experience.organization = data.title, data.organization
        experience.start, experience.end, experience.entered_by = data.start, data.end, entered_by
        experience.save()
        experience.skills.all().delete()
        ExperienceSkill.objects.bulk_create(
            [ExperienceSkill(experience=experience, phrase_id=ids[normalize_phrase(s)], text=s) for s in data.skills]
        )
        _evidence_changed(candidate)
    return experience


def experience_remove(*, experience: Experience) -> None:
    with transaction.atomic():
        candidate = experience.candidate
        experience.delete()
        _evidence_changed(candidate)


@dataclass
class ResumeConfirmed:
    skills_added: int
    experiences_added: int


def resume_confirm(
    *,
    candidate: Candidate,
    skills: Sequence[str],
    experiences: Sequence[ExperienceInput],
    entered_by: str,
) -> ResumeConfirmed:
    """Store what a person confirmed from a CV draft, in one transaction: each skill as self-declared
    (a CV is the candidate's own statement; nothing read from it counts for more), each role as an
    Experience read from a CV with the skills it names. A phrase the profile already declares is not
    declared twice. EvidenceError (nothing stored) when an entry is invalid."""
    clean_skills = list(dict.fromkeys(_clean_skill(s) for s in skills if normalize_phrase(s or "")))
    clean_roles = [_clean_experience(e) for e in experiences]
    with transaction.atomic():
        ids = phrases_ensure(texts=clean_skills + [s for e in clean_roles for s in e.skills])
        have = set(
            CandidateSkill.objects.filter(candidate=candidate, source=EvidenceSource.SELF_DECLARED).values_list(
                "phrase_id", flat=True
            )
        )
        new = []
        for s in clean_skills:
            pid = ids[normalize_phrase(s)]
            if pid not in have:
                have.add(pid)
                new.append(
                    CandidateSkill(
                        candidate=candidate,
                        phrase_id=pid,
                        text=s,
                        source=EvidenceSource.SELF_DECLARED,
                        entered_by=entered_by,
                    )
                )
        CandidateSkill.objects.bulk_create(new)
        for e in clean_roles:
            role = Experience.objects.create(
                candidate=candidate,
                title=e.title,
                organization=e.organization,
                start=e.start,
                end=e.end,
                source=ExperienceSource.RESUME,
                entered_by=entered_by,
            )
            ExperienceSkill.objects.bulk_create(
                [ExperienceSkill(experience=role, phrase_id=ids[normalize_phrase(s)], text=s) for s in e.skills]
            )
        _evidence_changed(candidate)
    return ResumeConfirmed(skills_added=len(new), experiences_added=len(clean_roles))
