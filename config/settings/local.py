"""Embedded default: SQLite, eager tasks, debug on, a development secret key."""

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
TSUMIKI_CHROME_MEMO = not DEBUG  # templates edited while runserver runs show at once
SECRET_KEY = env("DJANGO_SECRET_KEY", default="tsumiki-local-development-key-not-for-production")
