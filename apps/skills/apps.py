import os
import sys

from django.apps import AppConfig


def _serving_runserver(argv: list[str]) -> bool:
    """``manage.py runserver`` in the process that serves requests: the autoreloader's child (RUN_MAIN),
    or the only process with --noreload. Never migrate, test runs, shells or other commands."""
    if len(argv) < 2 or argv[1] != "runserver":
        return False
    return os.environ.get("RUN_MAIN") == "true" or "--noreload" in argv


class SkillsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "apps.skills"
    label = "skills"

    def ready(self) -> None:
        # Warm start (apps.skills.warmup): a background thread, so startup never waits for the model.
        # gunicorn/uwsgi start it from config.wsgi, Celery workers from config.celery_app.
        if _serving_runserver(sys.argv):
            from .warmup import warmup_start

            warmup_start()
