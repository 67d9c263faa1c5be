"""Production: secrets only from the environment (or ``<NAME>_FILE``), secure cookies and headers.

Passes ``manage.py check --deploy --fail-level WARNING`` (tests/ops/test_settings.py). Every variable
read here must be provided by docker/compose.yml (tests/ops/test_compose.py checks both ways).
"""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.cache import cache_settings, is_shared

from .base import *  # noqa: F401,F403
from .base import DATABASES, env


def secret(name: str, *, required: bool = True, default: str = "") -> str:
    """``name`` from the environment, or the contents of the file named by ``<name>_FILE`` (Docker and
    Kubernetes secrets mount files). A missing required secret stops the process at import, naming
    the variable, rather than starting with an empty key."""
    environ = env.ENVIRON  # django-environ's view of os.environ (tests/ops records reads through it)
    path = environ.get(f"{name}_FILE", "")
    if path:
        try:
            value = Path(path).read_text(encoding="utf-8").strip()
        except OSError as e:
            raise ImproperlyConfigured(f"{name}_FILE={path!r} cannot be read: {e.strerror}") from None
        if not value and required:
            raise ImproperlyConfigured(f"{name}_FILE={path!r} is empty")
        return value
    value = environ.get(name, "")
    if not value and required:
        raise ImproperlyConfigured(f"Set {name} (or {name}_FILE, a file holding it): production needs it.")
    return value or default


DEBUG = False
SECRET_KEY = secret("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")  # no default: fails loudly when missing
# The database URL carries a password, so it is a secret too; production never falls back to SQLite.
DATABASES["default"] = {
    **env.db_url_config(secret("DATABASE_URL")),
    "ATOMIC_REQUESTS": False,
    "CONN_MAX_AGE": env.int("DJANGO_CONN_MAX_AGE", default=60),
    "CONN_HEALTH_CHECKS": True,
}
# Production needs a broker: without one every task would run inside the web request that sent it
# (a 100k-candidate match run in a request). A one-box deployment may opt in to that explicitly.
INPROCESS_TASKS = env.bool("TSUMIKI_INPROCESS_TASKS", default=False)
CELERY_BROKER_URL = secret("CELERY_BROKER_URL", required=not INPROCESS_TASKS)
CELERY_TASK_ALWAYS_EAGER = INPROCESS_TASKS and not CELERY_BROKER_URL
# Redis is only the broker here; a refused connection must not make a request hang for long
# (apps.api.broker checks availability with its own short timeout before a run is started).
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# The shared cache (config.cache; API rate limits and the shortlist cache): TSUMIKI_CACHE_URL (a secret: the
# URL may carry a password), else the broker's Redis when the broker is Redis (keys prefixed "tsumiki:",
# beside Celery's; give the cache its own Redis or database if you cap its memory with an eviction policy,
# which would otherwise evict queued tasks too). Neither: per-process memory, the shortlist cache off.
_CACHE_URL = secret("TSUMIKI_CACHE_URL", required=False) or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else ""
)
CACHES = {"default": cache_settings(_CACHE_URL)}
TSUMIKI_SHORTLIST_CACHE_SECONDS = (
    env.int("TSUMIKI_SHORTLIST_CACHE_SECONDS", default=300) if is_shared(CACHES["default"]) else 0
)

# --- HTTPS, cookies, headers (django.core.checks.security) -------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Off only behind a proxy that already redirects; /healthz and /readyz are probed over plain HTTP.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=60 * 60 * 12)
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True  # the dashboard reads the token from the page (base.html), never the cookie
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
