"""The organization admins' page for their own skills (settings/skills/): the list, a form to add one
(name, description, optionally the ESCO concept it means) and an upload of a Rich Skill Descriptor
export. The writes are apps.skills.org_skills; a bad file is told in plain words, in the page's
language, and nothing of it is stored. Routes are appended to apps.dashboard.urls."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from apps.skills.models import OrganizationSkill
from apps.skills.org_skills import OrgSkillError, org_skill_create, org_skills_import_rsd, own_uri
from apps.skills.rsd import MAX_BYTES, RsdError

from .access import org_admin_required

# What a bad RSD file is told, by apps.skills.rsd.RsdError.code; %(where)s is "skill 3" or "the skill".
RSD_MESSAGES = {
    "too_big": gettext_lazy("The file is larger than %(limit)s MB."),
    "not_text_file": gettext_lazy("This is not a text file. A Rich Skill Descriptor export is a JSON file."),
    "empty": gettext_lazy("The file is empty."),
    "too_deep": gettext_lazy("The file is nested too deeply to be a Rich Skill Descriptor export."),
    "not_json": gettext_lazy("The file is not valid JSON. A Rich Skill Descriptor export is a JSON file."),
    "not_rsd": gettext_lazy("The file does not hold Rich Skill Descriptors."),
    "no_skills": gettext_lazy("The file holds no skills."),
    "too_many": gettext_lazy("The file holds more than %(limit)s skills; split it into smaller files."),
    "not_object": gettext_lazy("In %(where)s: a skill must be a JSON object."),
    "wrong_type": gettext_lazy("In %(where)s: this is not a Rich Skill Descriptor (its type is different)."),
    "reference_only": gettext_lazy(
        "In %(where)s: the file lists the skill only by its link. Export the collection with the skills' details."
    ),
    "no_name": gettext_lazy("In %(where)s: the skill has no name (skillName)."),
    "not_text": gettext_lazy("In %(where)s: %(field)s must be text."),
    "too_long": gettext_lazy("In %(where)s: %(field)s is longer than %(limit)s characters."),
    "not_list": gettext_lazy("In %(where)s: %(field)s must be a list."),
    "too_many_words": gettext_lazy("In %(where)s: more than %(limit)s %(field)s."),
    "bad_alignment": gettext_lazy("In %(where)s: each alignment must be an object with a link."),
    "bad_id": gettext_lazy("In %(where)s: the id must be a link (URL)."),
    "repeated": gettext_lazy("In %(where)s: the same skill as skill %(other)s."),
    "same_name": gettext_lazy("Two skills in the file have the same name."),
    "name_taken": gettext_lazy("“%(name)s” is already the name of another of your skills."),
}


def rsd_message(err: RsdError) -> str:
    """The page's words for a bad RSD file (its English message when the code is not known here)."""
    template = RSD_MESSAGES.get(err.code)
    if template is None:
        return err.message
    n = err.params.get("skill")
    where = _("skill %(n)s") % {"n": n} if n else _("the skill")
    params = {"where": where, "limit": "", "field": "", "other": "", "name": "", **err.params}
    return str(template) % params


class OwnSkillForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=300)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    esco_uri = forms.CharField(
        label=gettext_lazy("ESCO concept it means (URI, optional)"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": "http://data.europa.eu/esco/skill/…"}),
    )


class RsdUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Rich Skill Descriptor file (JSON)"))


def _page(request: HttpRequest, *, form=None, upload=None, upload_error: str = "", status: int = 200) -> HttpResponse:
    rows = (
        OrganizationSkill.objects.filter(organization=request.organization)
        .select_related("concept", "organization")
        .order_by("name", "id")
    )
    skills = [{"row": r, "uri": own_uri(r)} for r in rows[:1000]]
    return render(
        request,
        "dashboard/settings_skills.html",
        {
            "skills": skills,
            "count": rows.count(),
            "form": form or OwnSkillForm(),
            "upload": upload or RsdUploadForm(),
            "upload_error": upload_error,
        },
        status=status,
    )


@org_admin_required
def own_skills(request: HttpRequest) -> HttpResponse:
    """GET: the page. POST: add one skill (the form's ``name``...)."""
    if request.method != "POST":
        return _page(request)
    form = OwnSkillForm(request.POST)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    d = form.cleaned_data
    try:
        row = org_skill_create(
            organization=request.organization,
            name=d["name"],
            description=d["description"],
            esco_uri=d["esco_uri"] or None,
        )
    except OrgSkillError as e:
        text = str(e)
        if "already has a skill" in text:
            text = _("Your organization already has a skill named “%(name)s”.") % {"name": " ".join(d["name"].split())}
            form.add_error("name", text)
        elif "not a concept" in text:
            form.add_error("esco_uri", _("This is not a concept of the imported taxonomy."))
        else:
            form.add_error("name", _("Give the skill a name made of letters or digits."))
        return _page(request, form=form, status=400)
    messages.success(request, _("Skill “%(name)s” added.") % {"name": row.name})
    return redirect("dashboard:own_skills")


@org_admin_required
def own_skills_import(request: HttpRequest) -> HttpResponse:
    """POST: an RSD file; every skill of it is stored, or none."""
    if request.method != "POST":
        return redirect("dashboard:own_skills")
    upload = RsdUploadForm(request.POST, request.FILES)
    if not upload.is_valid():
        return _page(request, upload=upload, upload_error=_("Choose a file to import."), status=400)
    f = upload.cleaned_data["file"]
    if f.size > MAX_BYTES:
        err = RsdError("too big", "too_big", limit=MAX_BYTES // (1024 * 1024))
        return _page(request, upload=upload, upload_error=rsd_message(err), status=400)
    try:
        report = org_skills_import_rsd(organization=request.organization, data=f.read())
    except RsdError as e:
        return _page(request, upload=upload, upload_error=rsd_message(e), status=400)
    done = ngettext(
        "Imported %(n)s skill (%(created)s new, %(updated)s updated, %(mapped)s mapped to ESCO).",
        "Imported %(n)s skills (%(created)s new, %(updated)s updated, %(mapped)s mapped to ESCO).",
        len(report.skills),
    ) % {"n": len(report.skills), "created": report.created, "updated": report.updated, "mapped": report.mapped}
    messages.success(request, done)
    return redirect("dashboard:own_skills")


org_skill_urlpatterns = [
    path("settings/skills/", own_skills, name="own_skills"),
    path("settings/skills/import/", own_skills_import, name="own_skills_import"),
]
