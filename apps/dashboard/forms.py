"""Forms for the dashboard: shortlist filters (GET) and recruiter decisions (POST)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.matching.models import Decision


class ShortlistFilterForm(forms.Form):
    """Filters for a run's shortlist; they map one to one onto apps.matching.selectors.run_scores.

    There is deliberately no degree filter (docs/architecture.md: a recruiter never needs one)."""

    # "rank" is the run's stored order (must-haves met first, then score: MatchParams.must_have_first)
    SORT_CHOICES = [
        ("rank", _("Must-haves met first, then score")),
        ("score", _("Score alone (best first)")),
        ("must_haves", _("Most must-haves covered")),
        ("fresh", _("Freshest evidence")),
        ("label", _("Blind label (A–Z)")),
        ("verified", _("Verified share (highest first)")),
    ]
    MUST_HAVE_CHOICES = [
        ("", _("Any")),
        ("yes", _("All must-haves met")),
        ("no", _("Some must-have missing")),
    ]

    min_score = forms.FloatField(label=_("Minimum score"), required=False, min_value=0, max_value=100)
    must_have = forms.ChoiceField(label=_("Must-haves"), required=False, choices=MUST_HAVE_CHOICES)
    verified_only = forms.BooleanField(label=_("Verified credentials only"), required=False)
    has_skill = forms.ChoiceField(label=_("Has skill"), required=False)
    issuer = forms.TypedChoiceField(label=_("Issuer"), required=False, coerce=int, empty_value=None)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, skill_names: list[str], issuers: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["has_skill"].choices = [("", _("Any skill"))] + [(n, n) for n in skill_names]
        self.fields["issuer"].choices = [("", _("Any issuer"))] + [(str(i.id), i.name) for i in issuers or []]

    def issuer_id(self) -> int | None:
        """The issuer filter (candidates holding a credential from that issuer), None when unset/invalid."""
        return self.cleaned_data.get("issuer") if self.is_valid() else None

    def ordering(self) -> str:
        """One of SORT_CHOICES' values; ``"rank"`` (the run's own order) when unset or invalid."""
        return (self.cleaned_data.get("sort") or "rank") if self.is_valid() else "rank"

    def selector_kwargs(self) -> dict:
        """Keyword arguments for run_scores; empty when the form is invalid (invalid filters are shown
        as errors and the unfiltered list is kept)."""
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        return {
            "min_score": d.get("min_score"),
            "must_have_met": {"yes": True, "no": False}.get(d.get("must_have") or ""),
            "verified_only": bool(d.get("verified_only")),
            "has_skill": d.get("has_skill") or None,
        }


class DecisionForm(forms.Form):
    """A recruiter's decision about one candidate for one job: a move to one of the organization's
    pipeline stages, with a reason (required for a rejecting stage; apps.matching.pipeline_services
    checks it). ``decision`` (shortlist, reject, contact) is still accepted in place of ``stage``: it
    moves the candidate to the first stage with that meaning. dashboard/_decision_form.html renders it."""

    # Our own (translated) labels for the same values as apps.matching.models.Decision.
    DECISION_CHOICES = [
        (Decision.SHORTLIST, _("Shortlist")),
        (Decision.REJECT, _("Reject")),
        (Decision.CONTACT, _("Contact")),
    ]

    stage = forms.TypedChoiceField(
        label=_("Move to stage"),
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the stages offered.")},
    )
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=DECISION_CHOICES,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the decisions offered.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("Why (required when rejecting)")}),
    )

    def __init__(self, *args, stages: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.stages = {s.pk: s for s in stages}
        self.fields["stage"].choices = [("", "")] + [(str(s.pk), s.name) for s in stages]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data.get("stage") is None and not data.get("decision"):
            raise forms.ValidationError(_("Choose a stage to move the candidate to."))
        return data

    def chosen_stage(self):
        """The stage chosen by id, or None when the form named a decision value instead."""
        return self.stages.get(self.cleaned_data.get("stage"))


BULK_MAX = 500  # rows a bulk action takes at once (a shortlist page shows 50)


class BulkStageForm(forms.Form):
    """The shortlist's bulk actions on the ticked rows: move them to a stage (a rejecting stage needs a
    reason) or export them as CSV."""

    ACTIONS = [("move", _("Move selected")), ("export", _("Export selected as CSV"))]

    action = forms.ChoiceField(choices=ACTIONS)
    stage = forms.TypedChoiceField(label=_("Move to stage"), coerce=int, empty_value=None, required=False)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)

    def __init__(self, *args, stages: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.stages = {s.pk: s for s in stages}
        self.fields["stage"].choices = [("", "")] + [(str(s.pk), s.name) for s in stages]
        self.candidate_ids: list[int] = []
        self.bad_ids = False
        if self.data:
            raw = self.data.getlist("candidate") if hasattr(self.data, "getlist") else self.data.get("candidate", [])
            # the rows' checkboxes; anything but ids is an error, not a 500
            self.candidate_ids = [int(v) for v in map(str, raw) if v.isascii() and v.isdigit() and len(v) < 19]
            self.bad_ids = len(self.candidate_ids) != len(raw) or len(raw) > BULK_MAX

    def clean(self):
        data = super().clean()
        if self.bad_ids:
            raise forms.ValidationError(_("Some selected candidates are not on this shortlist."))
        if not self.candidate_ids:
            raise forms.ValidationError(_("Select at least one candidate."))
        if not self.errors and data.get("action") == "move" and data.get("stage") is None:
            raise forms.ValidationError(_("Choose a stage to move the selected candidates to."))
        return data

    def chosen_stage(self):
        return self.stages.get(self.cleaned_data.get("stage"))


class StageAddForm(forms.Form):
    """A new stage for the organization's pipeline (dashboard/settings_pipeline.html)."""

    MEANING_CHOICES = [
        ("", _("No decision yet")),
        (Decision.SHORTLIST, _("Shortlisted")),
        (Decision.CONTACT, _("Moved forward (contacted)")),
        (Decision.REJECT, _("Rejected (reason required)")),
    ]

    name = forms.CharField(
        label=_("Stage name"), max_length=60, error_messages={"required": _("Give the stage a name.")}
    )
    decision = forms.ChoiceField(
        label=_("A move to this stage means"), choices=MEANING_CHOICES, required=False, initial=Decision.CONTACT
    )


# --- job editor ----------------------------------------------------------------------------------------

EQF_LEVEL_CHOICES = [("", _("Any level"))] + [(str(n), _("EQF %(level)s") % {"level": n}) for n in range(1, 9)]


class JobForm(forms.Form):
    """A job's own fields; its required skills are SkillRowForm rows (apps.dashboard.views.editor)."""

    STATUS_CHOICES = [("open", _("Open")), ("closed", _("Closed"))]

    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, initial="open")

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Give the job a title."))
        return title


class SkillRowForm(forms.Form):
    """One required skill in the job editor. Rows use the prefix ``skills-<key>``; a row whose name is
    blank is ignored (the editor always offers an empty row to type into)."""

    name = forms.CharField(label=_("Skill"), max_length=500, required=False)
    weight = forms.FloatField(label=_("Weight"), min_value=0.1, max_value=10, required=False)
    must_have = forms.BooleanField(label=_("Must-have"), required=False)
    min_level = forms.TypedChoiceField(
        label=_("Minimum level (EQF)"),
        choices=EQF_LEVEL_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )

    def clean_name(self) -> str:
        return " ".join((self.cleaned_data.get("name") or "").split())

    def clean(self):
        data = super().clean()
        if data.get("name") and data.get("weight") is None and "weight" not in self.errors:
            data["weight"] = 1.0
        return data

    @property
    def is_blank(self) -> bool:
        return not (self.data.get(self.add_prefix("name")) or "").strip()
