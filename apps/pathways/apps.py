from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    """Which catalog micro-credentials close a seeker's gap for a job, in the fewest learning hours."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.pathways"
    label = "pathways"
