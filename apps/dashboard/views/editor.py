"""Recruiter job editor: create a job, edit its title, description, status and required skills.

Required skills are a dynamic list of rows, each a SkillRowForm with the prefix ``skills-<key>``; rows are
read in the order the browser sends them (document order), so adding and removing rows needs no index
bookkeeping. Everything works without JavaScript (the "Add a skill", "Remove" and "Suggest skills" buttons
submit the form, which is shown again); with htmx those buttons fetch or drop one row in place, and the
skill name fields get taxonomy suggestions as the recruiter types (skill_suggest)."""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass, field

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from apps.core.interchange import JobDoc, SkillReq
from apps.jobs.models import Job
from apps.jobs.services import job_create, job_set_skills, job_update
from apps.skills import warmup
from apps.skills.selectors import skill_labels_matching

from .. import selectors as sel
from ..forms import EQF_LEVEL_CHOICES, JobForm, SkillRowForm
from .access import recruiter_required

log = logging.getLogger(__name__)

ROW_NAME = re.compile(r"^skills-([A-Za-z0-9]{1,24})-name$")
MAX_ROWS = 60
SUGGEST_TOP_K = 8
SUGGEST_MIN_SCORE = 0.3
EXTRACT_TOP_K = 12


@dataclass
class SkillRow:
    """What the row template prints (apps/dashboard templates: dashboard/_skill_row.html)."""

    key: str
    name: str = ""
    weight: str = "1"
    must_have: bool = False
    min_level: str = ""
    errors: list[str] = field(default_factory=list)
    form: SkillRowForm | None = None


def _new_key() -> str:
    return secrets.token_hex(4)


def _row_keys(data) -> list[str]:
    keys: list[str] = []
    for k in data.keys():
        m = ROW_NAME.match(k)
        if m and m.group(1) not in keys:
            keys.append(m.group(1))
    return keys[:MAX_ROWS]


def _bound_rows(data) -> list[SkillRow]:
    rows = []
    for key in _row_keys(data):
        form = SkillRowForm(data, prefix=f"skills-{key}")
        p = form.add_prefix
        errors = [] if form.is_blank or form.is_valid() else [e for errs in form.errors.values() for e in errs]
        rows.append(
            SkillRow(
                key=key,
                name=(data.get(p("name")) or "").strip(),
                weight=data.get(p("weight")) or "1",
                must_have=bool(data.get(p("must_have"))),
                min_level=data.get(p("min_level")) or "",
                errors=errors,
                form=form,
            )
        )
    return rows


def _rows_from_job(job: Job) -> list[SkillRow]:
    return [
        SkillRow(
            key=_new_key(), name=r.name, weight=f"{r.weight:g}", must_have=r.must_have, min_level=str(r.min_level or "")
        )
        for r in job.required_skills.all()
    ]


def _editor_context(
    *, job: Job | None, form: JobForm, rows: list[SkillRow], errors: list[str] | None = None, note: str = ""
) -> dict:
    return {
        "job": job,
        "form": form,
        "rows": rows,
        "skill_errors": errors or [],
        "levels": EQF_LEVEL_CHOICES,
        "note": note,
    }


def _validate_skills(rows: list[SkillRow]) -> tuple[list[SkillReq], list[str]]:
    """The SkillReqs of the non-blank rows, or the errors that stop saving them."""
    skills: list[SkillReq] = []
    errors: list[str] = []
    seen: set[str] = set()
    for row in rows:
        if row.form is None or row.form.is_blank:
            continue
        if row.errors:
            errors.append(_("Check the skill “%(name)s”.") % {"name": row.name})
            continue
        d = row.form.cleaned_data
        folded = d["name"].casefold()
        if folded in seen:
            row.errors.append(_("This skill is listed twice."))
            errors.append(_("“%(name)s” is listed twice.") % {"name": d["name"]})
            continue
        seen.add(folded)
        skills.append(
            SkillReq(name=d["name"], weight=float(d["weight"]), required=bool(d["must_have"]), min_level=d["min_level"])
        )
    if not skills and not errors:
        errors.append(_("Add at least one required skill."))
    return skills, errors


def _keep_uris(job: Job | None, skills: list[SkillReq]) -> None:
    """Keep the taxonomy concept of skills that were already on the job (the API may have set one)."""
    if job is None:
        return
    uris = {r.name.casefold(): r.skill.uri for r in job.required_skills.select_related("skill") if r.skill_id}
    for s in skills:
        s.uri = uris.get(s.name.casefold())


def _unchanged(job: Job, skills: list[SkillReq]) -> bool:
    old = [(r.name, float(r.weight), r.must_have, r.min_level) for r in job.required_skills.all()]
    return old == [(s.name, float(s.weight), s.required, s.min_level) for s in skills]


def _extract(description: str) -> list[str]:
    """Taxonomy skill labels found in a job description, best first.

    apps.skills.services.skills_extract does the work; when it is unavailable (an older checkout), fall
    back to normalizing the description's comma/line/semicolon-separated phrases one by one."""
    from apps.skills import services as skill_services

    text = (description or "").strip()
    if not text:
        return []
    extract = getattr(skill_services, "skills_extract", None)
    if extract is not None:
        found = extract(text=text, top_k=EXTRACT_TOP_K, suggested_only=True)
        return [f["label"] if isinstance(f, dict) else f.label for f in found]
    phrases = [p.strip() for p in re.split(r"[,;\n•·]+|\.\s", text) if 2 <= len(p.strip()) <= 80][:40]
    labels = []
    for matches in skill_services.normalize(texts=phrases, top_k=1) if phrases else []:
        if matches and matches[0].score >= 0.6 and matches[0].label not in labels:
            labels.append(matches[0].label)
    return labels[:EXTRACT_TOP_K]


class ModelNotReady(Exception):
    """The skill model is still loading in the background (apps.skills.warmup); ask again shortly."""


def _loading_note() -> str:
    st = warmup.state()
    if st.status == warmup.FAILED:
        return _("The skill model could not be loaded on this server, so skills cannot be suggested. Add them by hand.")
    return _("Loading the skill model, %(n)s s so far… Suggestions follow in a moment.") % {"n": int(st.seconds())}


def _suggested_rows(description: str, rows: list[SkillRow]) -> tuple[list[SkillRow], str]:
    """New rows for the skills found in ``description``; raises ModelNotReady rather than loading the model
    on this request."""
    have = {r.name.casefold() for r in rows if r.name}
    if (description or "").strip() and not warmup.model_ready():
        raise ModelNotReady
    try:
        labels = _extract(description)
    except Exception:  # the model or taxonomy is unavailable: say so rather than fail the page
        log.exception("skill extraction failed")
        return [], _("Skills could not be suggested right now.")
    new = [SkillRow(key=_new_key(), name=label) for label in labels if label.casefold() not in have]
    if not (description or "").strip():
        note = _("Write a description first, then ask for suggestions.")
    elif not new:
        note = _("No further skills found in the description.")
    else:
        note = ngettext(
            "Added %(n)s suggested skill. Check it, and remove it if you do not need it.",
            "Added %(n)s suggested skills. Check them, then remove any you do not need.",
            len(new),
        ) % {"n": len(new)}
    return new, note


def _editor(request: HttpRequest, job: Job | None) -> HttpResponse:
    template = "dashboard/job_form.html"
    if request.method == "GET":
        if job is None:
            form, rows = JobForm(), [SkillRow(key=_new_key())]
        else:
            form = JobForm(initial={"title": job.title, "description": job.description, "status": job.status})
            rows = _rows_from_job(job) or [SkillRow(key=_new_key())]
        return render(request, template, _editor_context(job=job, form=form, rows=rows))

    form = JobForm(request.POST)
    rows = _bound_rows(request.POST)
    # The buttons that only change the list of rows (the no-JavaScript path; htmx does them in place).
    if "add_row" in request.POST:
        return render(request, template, _editor_context(job=job, form=form, rows=[*rows, SkillRow(key=_new_key())]))
    if "remove" in request.POST:
        gone = request.POST["remove"]
        rows = [r for r in rows if r.key != gone] or [SkillRow(key=_new_key())]
        return render(request, template, _editor_context(job=job, form=form, rows=rows))
    if "suggest" in request.POST:
        try:
            new, note = _suggested_rows(request.POST.get("description", ""), rows)
        except ModelNotReady:
            new, note = [], _loading_note()
        rows = [r for r in rows if r.name] + new or [SkillRow(key=_new_key())]
        return render(request, template, _editor_context(job=job, form=form, rows=rows, note=note))

    skills, skill_errors = _validate_skills(rows)
    if not form.is_valid() or skill_errors:
        ctx = _editor_context(job=job, form=form, rows=rows, errors=skill_errors)
        return render(request, template, ctx, status=400)
    d = form.cleaned_data
    if job is None:
        external_id = f"{slugify(d['title'])[:50] or 'job'}-{secrets.token_hex(3)}"
        doc = JobDoc(id=external_id, title=d["title"], description=d["description"], skills=skills)
        with transaction.atomic():
            job = job_create(organization=request.organization, doc=doc, created_by=request.user)
            if d["status"] != job.status:
                job_update(job=job, status=d["status"])
        messages.success(request, _("Job created. Run a match to see its shortlist."))
        return redirect("dashboard:job", job_id=job.id)

    _keep_uris(job, skills)
    skills_changed = not _unchanged(job, skills)
    rerun = skills_changed and job.match_runs.exists()
    try:
        with transaction.atomic():
            job_update(job=job, title=d["title"], description=d["description"], status=d["status"])
            if skills_changed:
                job_set_skills(job=job, skills=skills)  # starts a new run itself when the job has runs
    except Exception:
        # In eager mode the new run executes in the on-commit hook of this request: the job is saved and
        # the run records its own failure, so show the job rather than a 500.
        log.exception("rerun after editing job %s failed", job.id)
    if rerun:
        messages.success(request, _("Job saved. Its required skills changed, so a new match run was started."))
    else:
        messages.success(request, _("Job saved."))
    return redirect("dashboard:job", job_id=job.id)


@recruiter_required
@require_http_methods(["GET", "POST"])
def job_new(request: HttpRequest) -> HttpResponse:
    return _editor(request, None)


@recruiter_required
@require_http_methods(["GET", "POST"])
def job_edit(request: HttpRequest, job_id: int) -> HttpResponse:
    return _editor(request, sel.job_get(organization=request.organization, job_id=job_id))


@recruiter_required
@require_GET
def skill_row(request: HttpRequest) -> HttpResponse:
    """One empty skill row (htmx "Add a skill")."""
    return render(
        request,
        "dashboard/_skill_row.html",
        {"row": SkillRow(key=_new_key()), "levels": EQF_LEVEL_CHOICES, "autofocus": True},
    )


@recruiter_required
@require_GET
def skill_suggest(request: HttpRequest) -> HttpResponse:
    """The job editor's and the pool search's autocomplete (skill_options)."""
    return skill_options(request)


def skill_options(request: HttpRequest) -> HttpResponse:
    """Taxonomy suggestions for what is typed in a skill field, as ``<option>`` elements for its
    ``<datalist>``. The text comes as ``q`` or as the field itself (``skills-<key>-name``), which is what
    htmx sends from the input. While the embedding model is still loading (apps.skills.warmup) the
    suggestions come from a label search instead."""
    from apps.skills.services import normalize

    text = request.GET.get("q", "") or request.GET.get("skill", "")  # "skill": the pool search's inputs
    if not text:
        text = next((v for k, v in request.GET.items() if ROW_NAME.match(k)), "")
    text = " ".join(text.split())[:200]
    from apps.skills.org_skills import own_skills_labels_matching

    # the organization's own skills are suggested beside the taxonomy's, to that organization only
    organization = getattr(request, "organization", None)
    labels: list[str] = []
    if len(text) >= 2 and not warmup.model_ready():
        # the model is still loading: label search (plain SQL) answers meanwhile
        labels = own_skills_labels_matching(organization=organization, text=text, limit=SUGGEST_TOP_K)
        labels += skill_labels_matching(text=text, limit=SUGGEST_TOP_K)
    elif len(text) >= 2:
        try:
            found = normalize(texts=[text], top_k=SUGGEST_TOP_K, organization=organization)[0]
            # the best suggestion always, the others only when they are not far-fetched
            labels = [m.label for i, m in enumerate(found) if i == 0 or m.score >= SUGGEST_MIN_SCORE]
        except Exception:
            log.exception("skill suggestions failed")
    return render(request, "dashboard/_skill_options.html", {"labels": list(dict.fromkeys(labels))})


@recruiter_required
@require_POST
def skills_from_description(request: HttpRequest) -> HttpResponse:
    """htmx "Suggest skills from the description": new rows for the skills found in the posted description
    that the posted rows do not list yet, and a status line (out of band) saying what happened."""
    try:
        new, note = _suggested_rows(request.POST.get("description", ""), _bound_rows(request.POST))
    except ModelNotReady:
        # answered at once; the partial asks again by itself in two seconds (dashboard/_skill_rows_added.html)
        return render(
            request,
            "dashboard/_skill_rows_added.html",
            {"rows": [], "levels": EQF_LEVEL_CHOICES, "note": _loading_note(), "retry": True},
        )
    return render(request, "dashboard/_skill_rows_added.html", {"rows": new, "levels": EQF_LEVEL_CHOICES, "note": note})
