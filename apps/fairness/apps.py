from django.apps import AppConfig


class FairnessConfig(AppConfig):
    """The adverse-impact report of a job's shortlist decisions, from consented self-reported data."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.fairness"
    label = "fairness"
