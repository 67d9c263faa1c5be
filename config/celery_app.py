"""The Celery application.

Without ``CELERY_BROKER_URL`` the settings turn on eager mode, so the embedded default runs every
task in-process; with a broker, ``celery -A config worker`` runs them.
"""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("tsumiki")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def _warm_start(**kwargs) -> None:
    """Each worker process loads the skill model in the background as it starts (apps.skills.warmup), so
    the first import that embeds new phrases does not wait for it."""
    from apps.skills.warmup import warmup_after_fork

    warmup_after_fork()
