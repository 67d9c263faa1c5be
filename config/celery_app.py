"""The Celery application.

Without ``CELERY_BROKER_URL`` the settings turn on eager mode, so the embedded default runs every
task in-process; with a broker, ``celery -A config worker`` runs them.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("tsumiki")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
