"""The scorecard form of the candidate panel: a recruiter records how a candidate did on one of the
job's skills in a structured interview, a work sample or an exam (apps.matching.services.assessment_record)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.matching.models import AssessmentMethod
from apps.matching.services import AssessmentError, assessment_score_from_scale


class AssessmentForm(forms.Form):
    """One scorecard line. The skill is chosen from the job's required skills (so the line is evidence
    for a skill the job asks for, by name); the score is given on 0-1 or as a 1-5 rating."""

    # Our own (translated) labels for the values of apps.matching.models.AssessmentMethod.
    METHOD_CHOICES = [
        (AssessmentMethod.STRUCTURED_INTERVIEW, _("Structured interview")),
        (AssessmentMethod.WORK_SAMPLE, _("Work sample")),
        (AssessmentMethod.EXAM, _("Exam")),
    ]
    SCALE_CHOICES = [("1-5", _("rating 1 to 5")), ("0-1", _("score 0 to 1"))]

    skill = forms.ChoiceField(label=_("Skill"))
    method = forms.ChoiceField(label=_("Method"), choices=METHOD_CHOICES)
    score = forms.FloatField(label=_("Result"))
    scale = forms.ChoiceField(label=_("Scale"), choices=SCALE_CHOICES, initial="1-5")
    assessor = forms.CharField(label=_("Assessor"), max_length=200, required=False)
    assessed_on = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, skill_names: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].choices = [(n, n) for n in skill_names]

    def clean(self):
        data = super().clean()
        if "score" in data and data.get("scale") in ("0-1", "1-5"):
            try:
                data["unit_score"] = assessment_score_from_scale(data["score"], data["scale"])
            except AssessmentError:
                message = _("Give a rating from 1 to 5.") if data["scale"] == "1-5" else _("Give a score from 0 to 1.")
                self.add_error("score", message)
        return data

    def line(self) -> dict:
        """The valid form as the keyword arguments of apps.matching.services.assessment_record_once."""
        d = self.cleaned_data
        return {k: d[k] for k in ("skill", "method", "assessor", "assessed_on")} | {"score": d["unit_score"]}
