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
    """A recruiter's decision about one candidate for one job (dashboard/_decision_form.html renders it as
    a labelled select and a reason field)."""

    # Our own (translated) labels for the same values as apps.matching.models.Decision.
    DECISION_CHOICES = [
        (Decision.SHORTLIST, _("Shortlist")),
        (Decision.REJECT, _("Reject")),
        (Decision.CONTACT, _("Contact")),
    ]

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=DECISION_CHOICES,
        error_messages={
            "required": _("Choose a decision."),
            "invalid_choice": _("Choose one of the decisions offered."),
        },
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("Why (required when rejecting)")}),
    )

    def clean(self):
        data = super().clean()
        # A rejection without a reason cannot be reviewed later for fairness.
        if data.get("decision") == Decision.REJECT and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason when rejecting a candidate."))
        return data


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
