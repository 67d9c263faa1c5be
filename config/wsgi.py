"""WSGI entry point (gunicorn config.wsgi -c config/gunicorn_conf.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
application = get_wsgi_application()

# Load the encoder and the taxonomy index in the background as the web process starts (apps.skills.warmup);
# a preloading gunicorn master forks workers, which start again in post_fork (config/gunicorn_conf.py).
from apps.skills.warmup import warmup_start  # noqa: E402 - needs the settings configured above

warmup_start()
