"""The candidate's own evidence: the seeker's "My profile" page (self-declared skills and the roles they
held, added, corrected and removed), CV upload → draft → confirmation for the seeker and for a recruiter
on a candidate of their organization, and the recruiter's view of a profile saying who entered what.

An uploaded CV is kept as a private, short-lived parse job (apps.candidates.models.ResumeParseJob) that a
Celery task reads into a draft, so the upload's request does not wait for the reading; the job's page
polls until the draft is there. The confirm page carries the draft (apps.dashboard.resume_forms) and only
what the person keeps is stored, skills as self-declared and roles as experience
(apps.candidates.services); the job is deleted then.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.accounts.audit import CANDIDATE_VIEWED, audit_record
from apps.candidates.models import (
    Candidate,
    CandidateSkill,
    EnteredBy,
    EvidenceSource,
    Experience,
    ExperienceSource,
    ResumeParseStatus,
)
from apps.candidates.resume import Draft
from apps.candidates.selectors import resume_parse_job_get
from apps.candidates.services import (
    EvidenceError,
    ExperienceInput,
    candidate_skill_add,
    candidate_skill_remove,
    candidate_skill_update,
    experience_remove,
    experience_save,
    resume_confirm,
    resume_parse_job_create,
    resume_parse_job_discard,
    resume_parse_job_lost,
)
from apps.skills import warmup

from .. import selectors as sel
from ..resume_forms import draft_rows, month_date, problem_words, read_confirmation
from .access import recruiter_required, seeker_required


def _limit() -> int:
    return int(getattr(settings, "CREDENTIALS_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))


def _own_profile(request: HttpRequest) -> Candidate | None:
    return Candidate.objects.filter(user=request.user, organization=request.organization).order_by("id").first()


def _evidence(candidate: Candidate) -> dict:
    skills = list(
        CandidateSkill.objects.filter(candidate=candidate, source=EvidenceSource.SELF_DECLARED).order_by("text", "id")
    )
    roles = [
        {
            "id": e.id,
            "prefix": f"r{e.id}-",
            "title": e.title,
            "organization": e.organization,
            "start": e.start.strftime("%Y-%m") if e.start else "",
            "end": e.end.strftime("%Y-%m") if e.end else "",
            "skills": ", ".join(s.text for s in e.skills.all()),
            "skill_list": [s.text for s in e.skills.all()],
            "source": e.source,
            "source_label": _source_words(e.source),
            "entered_by": e.entered_by,
        }
        for e in _roles_newest_first(Experience.objects.filter(candidate=candidate).prefetch_related("skills"))
    ]
    return {"skills": skills, "roles": roles}


def _roles_newest_first(roles) -> list[Experience]:
    """Ongoing roles first (databases disagree on where a NULL end sorts), then by end, then start."""
    return sorted(roles, key=lambda e: (e.end is not None, -(e.end or e.start or date.min).toordinal(), e.id))


def _source_words(source: str) -> str:
    return {
        ExperienceSource.SELF: _("entered by hand"),
        ExperienceSource.RESUME: _("read from a CV"),
        ExperienceSource.IMPORT: _("imported"),
    }.get(source, source)


# --- the seeker's own profile ---------------------------------------------------------------------


@seeker_required
@require_GET
def seeker_skill_suggest(request: HttpRequest) -> HttpResponse:
    """The same taxonomy autocomplete as the job editor's, for the seeker's own skills."""
    from .editor import skill_options

    return skill_options(request)


@seeker_required
@require_http_methods(["GET", "POST"])
def seeker_profile(request: HttpRequest) -> HttpResponse:
    """GET: my skills and roles with forms to add, correct and remove them. POST: one of those actions
    (``action``), then back to the page."""
    profile = _own_profile(request)
    if request.method == "POST" and profile is not None:
        try:
            note = _profile_action(request, profile)
        except EvidenceError as exc:
            messages.error(request, _evidence_error_words(str(exc)))
        except ValueError:
            messages.error(request, _("A date is not a month (YYYY-MM)."))
        else:
            if note:
                messages.success(request, note)
        return redirect("dashboard:seeker_profile")
    context = {"profile": profile, **(_evidence(profile) if profile else {})}
    return render(request, "dashboard/seeker_profile.html", context)


def _evidence_error_words(message: str) -> str:
    if "end before" in message:
        return _("A role cannot end before it starts.")
    if "needs a title" in message:
        return _("A role needs a title.")
    if "at most" in message:
        return _("That entry is too long.")
    return _("A skill needs a name.")


def _role_input(post, prefix: str) -> ExperienceInput:
    skills = [s.strip() for s in (post.get(f"{prefix}skills") or "").replace("、", ",").split(",") if s.strip()]
    return ExperienceInput(
        title=post.get(f"{prefix}title", ""),
        organization=post.get(f"{prefix}organization", ""),
        start=month_date(post.get(f"{prefix}start", "")),
        end=month_date(post.get(f"{prefix}end", "")),
        skills=skills,
    )


def _profile_action(request: HttpRequest, profile: Candidate) -> str:
    post, action = request.POST, request.POST.get("action", "")
    if action == "skill-add":
        added = candidate_skill_add(candidate=profile, text=post.get("skill", ""))
        return _("Skill added.") if added else _("That skill is already on your profile.")
    if action in ("skill-edit", "skill-remove"):
        skill = get_object_or_404(
            CandidateSkill, candidate=profile, source=EvidenceSource.SELF_DECLARED, id=post.get("id") or 0
        )
        if action == "skill-remove":
            candidate_skill_remove(skill=skill)
            return _("Skill removed.")
        candidate_skill_update(skill=skill, text=post.get("skill", ""))
        return _("Skill updated.")
    if action == "role-add":
        experience_save(candidate=profile, data=_role_input(post, "new-"))
        return _("Role added.")
    if action in ("role-edit", "role-remove"):
        role = get_object_or_404(Experience, candidate=profile, id=post.get("id") or 0)
        if action == "role-remove":
            experience_remove(experience=role)
            return _("Role removed.")
        experience_save(candidate=profile, data=_role_input(post, f"r{role.id}-"), experience=role, source=role.source)
        return _("Role updated.")
    return ""


# --- CV upload, draft and confirmation ------------------------------------------------------------


def _resume_page(request: HttpRequest, *, candidate: Candidate | None, urls: dict, entered_by: str) -> HttpResponse:
    """GET: the upload form. POST with a file: the file kept as a private parse job, read by a task, and
    a redirect to the job's page (which shows "Reading your CV…" until the draft is there); or, at
    once, why the file cannot be taken."""
    context: dict = {"candidate": candidate, "limit_mb": _limit() // (1024 * 1024), **urls}
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["problems"] = [_("Choose a CV file.")]
            status = 400
        elif upload.size > _limit():
            context["problems"] = [_("The file is larger than the upload limit.")]
            status = 400
        elif not warmup.model_ready():
            # reading skills embeds text: never load the model on this request (nor in-process tasks)
            context["model_loading"] = True
            status = 503
        else:
            job = resume_parse_job_create(
                organization=request.organization,
                user=request.user,
                candidate=candidate,
                data=upload.read(_limit() + 1),
                filename=upload.name or "cv",
            )
            return redirect(urls["job_url"](job.pk))
    return render(request, "dashboard/resume.html", context, status=status)


def _resume_job_page(request: HttpRequest, *, candidate: Candidate | None, urls: dict, job_id: str) -> HttpResponse:
    """A parse job's page: "Reading your CV…" while it waits (the reading partial polls this page through
    htmx and reloads it once the job is over), then the draft to confirm, or why the file could not be
    read. Another person's job, or an expired one, is a 404."""
    job = resume_parse_job_get(job_id=job_id, user=request.user, organization=request.organization)
    if job is not None and job.candidate_id != (candidate.pk if candidate else None):
        job = None
    lost = job is not None and resume_parse_job_lost(job)
    waiting = job is not None and job.status in (ResumeParseStatus.QUEUED, ResumeParseStatus.RUNNING) and not lost
    if request.htmx:
        if waiting:
            return render(request, "dashboard/_resume_reading.html", {"poll_url": request.path})
        # over (or gone: expired, erased while the page waited): the whole page then shows the draft,
        # the problem or the 404, and the polling stops
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    if job is None:
        raise Http404
    context: dict = {
        "candidate": candidate,
        "limit_mb": _limit() // (1024 * 1024),
        "job": job,
        "reading": waiting,
        "poll_url": request.path,
        **urls,
    }
    if lost:
        context["problems"] = [_("Reading the CV took too long. Upload it again.")]
    elif job.status == ResumeParseStatus.FAILED:
        context["problems"] = problem_words(job.errors)
    elif job.status == ResumeParseStatus.DONE and job.draft is not None:
        draft = Draft.from_json(job.draft)
        context["problems"] = problem_words(draft.errors)
        context["draft"] = draft
        context.update(draft_rows(draft))
    return render(request, "dashboard/resume.html", context)


def _confirm(request: HttpRequest, *, candidate: Candidate, entered_by: str, done_url: str, urls: dict):
    job = resume_parse_job_get(job_id=request.POST.get("job", ""), user=request.user, organization=request.organization)
    if job is not None and job.candidate_id != candidate.pk:
        job = None
    # back to the draft when the form cannot be stored as sent (the job still holds it)
    again = urls["job_url"](job.pk) if job is not None else urls["upload_url"]
    confirmation = read_confirmation(request.POST)
    if confirmation.errors:
        for e in confirmation.errors:
            messages.error(request, e)
        return redirect(again)
    try:
        stored = resume_confirm(
            candidate=candidate, skills=confirmation.skills, experiences=confirmation.roles, entered_by=entered_by
        )
    except EvidenceError as exc:
        messages.error(request, _evidence_error_words(str(exc)))
        return redirect(again)
    if job is not None:
        resume_parse_job_discard(job=job)
    messages.success(
        request,
        _("Saved from the CV: %(skills)s new skills and %(roles)s roles.")
        % {"skills": stored.skills_added, "roles": stored.experiences_added},
    )
    return redirect(done_url)


def _seeker_urls() -> dict:
    return {
        "suggest_url": reverse("dashboard:seeker_skill_suggest"),
        "upload_url": reverse("dashboard:seeker_resume"),
        "confirm_url": reverse("dashboard:seeker_resume_confirm"),
        "back_url": reverse("dashboard:seeker_profile"),
        "job_url": lambda job_id: reverse("dashboard:seeker_resume_job", args=[job_id]),
    }


@seeker_required
@require_http_methods(["GET", "POST"])
def seeker_resume(request: HttpRequest) -> HttpResponse:
    return _resume_page(request, candidate=_own_profile(request), urls=_seeker_urls(), entered_by=EnteredBy.CANDIDATE)


@seeker_required
@require_GET
def seeker_resume_job(request: HttpRequest, job_id: str) -> HttpResponse:
    return _resume_job_page(request, candidate=_own_profile(request), urls=_seeker_urls(), job_id=job_id)


@seeker_required
@require_POST
def seeker_resume_confirm(request: HttpRequest) -> HttpResponse:
    profile = _own_profile(request)
    if profile is None:
        messages.error(request, _("No candidate profile is linked to your account: nothing was saved."))
        return redirect("dashboard:seeker_resume")
    return _confirm(
        request,
        candidate=profile,
        entered_by=EnteredBy.CANDIDATE,
        done_url=reverse("dashboard:seeker_profile"),
        urls=_seeker_urls(),
    )


def _recruiter_urls(candidate: Candidate) -> dict:
    return {
        "suggest_url": reverse("dashboard:skill_suggest"),
        "upload_url": reverse("dashboard:candidate_resume", args=[candidate.id]),
        "confirm_url": reverse("dashboard:candidate_resume_confirm", args=[candidate.id]),
        "back_url": reverse("dashboard:candidate_profile", args=[candidate.id]),
        "job_url": lambda job_id: reverse("dashboard:candidate_resume_job", args=[candidate.id, job_id]),
    }


@recruiter_required
@require_http_methods(["GET", "POST"])
def candidate_resume(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = sel.candidate_get(organization=request.organization, candidate_id=candidate_id)
    return _resume_page(
        request, candidate=candidate, urls=_recruiter_urls(candidate), entered_by=EnteredBy.ORGANIZATION
    )


@recruiter_required
@require_GET
def candidate_resume_job(request: HttpRequest, candidate_id: int, job_id: str) -> HttpResponse:
    candidate = sel.candidate_get(organization=request.organization, candidate_id=candidate_id)
    return _resume_job_page(request, candidate=candidate, urls=_recruiter_urls(candidate), job_id=job_id)


@recruiter_required
@require_POST
def candidate_resume_confirm(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = sel.candidate_get(organization=request.organization, candidate_id=candidate_id)
    return _confirm(
        request,
        candidate=candidate,
        entered_by=EnteredBy.ORGANIZATION,
        done_url=reverse("dashboard:candidate_profile", args=[candidate.id]),
        urls=_recruiter_urls(candidate),
    )


@recruiter_required
@require_GET
def candidate_profile(request: HttpRequest, candidate_id: int) -> HttpResponse:
    """A candidate's own skills and roles, each saying who entered it (the candidate, or the
    organization). Degree-blind like the shortlist: the candidate is shown by their reference."""
    candidate = sel.candidate_get(organization=request.organization, candidate_id=candidate_id)
    audit_record(
        organization=request.organization,
        actor=request.user,
        action=CANDIDATE_VIEWED,
        obj=candidate,
        details={"page": "profile"},
    )
    return render(request, "dashboard/candidate_profile.html", {"candidate": candidate, **_evidence(candidate)})
