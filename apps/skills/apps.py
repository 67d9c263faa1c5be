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
        from django.db.models.signals import post_delete, post_save

        from .models import SkillLabel
        from .selectors import taxonomy_key_forget

        # a label saved or deleted one by one (admin, cascades) changes the label set's key at once;
        # import_esco's bulk writes call taxonomy_key_forget themselves
        post_save.connect(taxonomy_key_forget, sender=SkillLabel, dispatch_uid="skills-label-key-save")
        post_delete.connect(taxonomy_key_forget, sender=SkillLabel, dispatch_uid="skills-label-key-delete")
        # Warm start (apps.skills.warmup): a background thread, so startup never waits for the model.
        # gunicorn/uwsgi start it from config.wsgi, Celery workers from config.celery_app.
        if _serving_runserver(sys.argv):
            from .warmup import warmup_start

            warmup_start()
