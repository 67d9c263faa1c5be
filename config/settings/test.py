"""Test settings: fast hashing, eager tasks unless a test brings its own broker."""

from .base import *  # noqa: F401,F403
from .base import CELERY_TASK_ALWAYS_EAGER, env

SECRET_KEY = env("DJANGO_SECRET_KEY", default="tsumiki-test-key")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# The shortlist cache on with the per-process memory cache when tasks run in the test process (eagerly), so
# every shortlist test also exercises its invalidation (apps.matching.shortlist_cache). Integration tests
# bring a broker and worker processes, which a per-process cache cannot hear from: off there.
TSUMIKI_SHORTLIST_CACHE_SECONDS = 300 if CELERY_TASK_ALWAYS_EAGER else 0
# No vectors shared across test databases through the persistent cache (its own tests give it a folder).
TSUMIKI_VECTOR_CACHE = ""
TSUMIKI_INDEX_SNAPSHOTS = ""  # tests/skills/test_index_snapshot.py turns it on in a temporary folder
# Imports embed in the test process, with the model it loaded once (a worker process would load its own:
# seconds per import); tests/skills/test_encode_pool.py drives the worker processes.
TSUMIKI_IMPORT_WORKERS = 1
# Tests load the model where they use it (apps.skills.warmup is tested with this turned on).
TSUMIKI_WARM_START = False
# tests roll back labels without signals; every test counts them afresh (tests/skills sets it where it
# tests the memo itself)
TSUMIKI_TAXONOMY_KEY_SECONDS = 0.0
# No outbound network use unless a test turns it on (with TSUMIKI_FETCH_ALLOWED_HOSTS naming its local
# fixture server: tests/fixture_server.py).
TSUMIKI_FETCH_ENABLED = False
# Every {% memo %} hit is rendered again and compared, so a key that misses a variable fails the test that
# renders the page for a second user (apps.dashboard.templatetags.chrome).
TSUMIKI_CHROME_MEMO_VERIFY = True
# Login throttling off: tests log in as they please; the lockout's own tests turn it on (override_settings).
AXES_ENABLED = False
