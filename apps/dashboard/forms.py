"""Forms for the dashboard: shortlist filters (GET) and recruiter decisions (POST)."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.matching.models import Decision


class ShortlistFilterForm(forms.Form):
    """Filters for a run's shortlist; they map one to one onto apps.matching.selectors.run_scores.

    There is deliberately no degree filter (DESIGN.md: a recruiter never needs one)."""

    MUST_HAVE_CHOICES = [
        ("", _("Any")), ("yes", _("All must-haves met")), ("no", _("Some must-have missing")),
    ]

    min_score = forms.FloatField(label=_("Minimum score"), required=False, min_value=0, max_value=100)
    must_have = forms.ChoiceField(label=_("Must-haves"), required=False, choices=MUST_HAVE_CHOICES)
    verified_only = forms.BooleanField(label=_("Verified credentials only"), required=False)
    has_skill = forms.ChoiceField(label=_("Has skill"), required=False)

    def __init__(self, *args, skill_names: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["has_skill"].choices = [("", _("Any skill"))] + [(n, n) for n in skill_names]

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
    # Our own (translated) labels for the same values as apps.matching.models.Decision.
    DECISION_CHOICES = [(Decision.SHORTLIST, _("Shortlist")), (Decision.REJECT, _("Reject")),
                        (Decision.CONTACT, _("Contact"))]

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISION_CHOICES)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("Why (required when rejecting)")}),
    )

    def clean(self):
        data = super().clean()
        # A rejection without a reason cannot be reviewed later for fairness.
        if data.get("decision") == Decision.REJECT and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give a reason when rejecting a candidate."))
        return data
