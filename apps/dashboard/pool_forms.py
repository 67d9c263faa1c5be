"""The talent-pool search form (GET, so a search is a link) and the form that saves one."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.matching.pool_search import MAX_SKILLS, PoolQuery

from .forms import EQF_LEVEL_CHOICES


class PoolSearchForm(forms.Form):
    """Skills come as repeated ``skill`` values (one input each, with the job editor's autocomplete)."""

    MODE_CHOICES = [("all", _("All of these skills")), ("any", _("Any of these skills"))]

    mode = forms.ChoiceField(label=_("Match"), choices=MODE_CHOICES, required=False, widget=forms.RadioSelect)
    verified_only = forms.BooleanField(label=_("Verified credentials only"), required=False)
    min_level = forms.TypedChoiceField(
        label=_("Minimum level"), choices=EQF_LEVEL_CHOICES, coerce=int, empty_value=None, required=False
    )
    within_years = forms.IntegerField(label=_("Issued within (years)"), min_value=1, max_value=50, required=False)

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        raw = data.getlist("skill") if data is not None and hasattr(data, "getlist") else []
        self.skills = list(dict.fromkeys(" ".join(s.split())[:200] for s in raw if s.strip()))

    def clean(self):
        cleaned = super().clean()
        if not self.skills:
            raise forms.ValidationError(_("Name at least one skill."))
        if len(self.skills) > MAX_SKILLS:
            raise forms.ValidationError(_("Search for at most %(n)s skills at once.") % {"n": MAX_SKILLS})
        return cleaned

    def query(self) -> PoolQuery:
        d = self.cleaned_data
        return PoolQuery(
            skills=tuple(self.skills),
            mode=d.get("mode") or "all",
            verified_only=bool(d.get("verified_only")),
            min_level=d.get("min_level"),
            within_years=d.get("within_years"),
        )


class SaveSearchForm(forms.Form):
    name = forms.CharField(label=_("Name this search"), max_length=120)
