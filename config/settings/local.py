"""Embedded default: SQLite, eager tasks, debug on, a development secret key."""

from .base import *  # noqa: F401,F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
TSUMIKI_CHROME_MEMO = not DEBUG  # templates edited while runserver runs show at once
SECRET_KEY = env("DJANGO_SECRET_KEY", default="tsumiki-local-development-key-not-for-production")
# DEBUG shows the site's own 404 page (apps.dashboard.middleware) so that the demo never shows Django's
# technical one; TSUMIKI_DEBUG_404=1 brings Django's back while developing URL patterns.
TSUMIKI_DEBUG_404 = env.bool("TSUMIKI_DEBUG_404", default=False)
