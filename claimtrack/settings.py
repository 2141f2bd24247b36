"""ClaimTrack settings: everything that differs between machines comes from the environment.

See `.env.example` for the variables. With none set, the app runs on the embedded
default: a SQLite file in the project folder and Celery tasks run in-process.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from claimtrack.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    # Kept for its migrations only: claims' migration 0014 hashes its plain-text keys
    # into knox's table and empties it; nothing authenticates against it any more.
    "rest_framework.authtoken",
    "knox",  # API tokens stored hashed (claimtrack.authentication)
    "axes",  # sign-in lockout (see "Sign-in lockout" below)
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",  # django-csp: the Content-Security-Policy header (see Security below)
    "articles",
    "claims",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files get the policy too (an SVG opened directly is a page).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag on every GET answer, and 304 for a matching If-None-Match.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The database away (restart, failover): 503 with Retry-After, not a stack trace.
    "claimtrack.db_unavailable.DatabaseUnavailableMiddleware",
    # Last: turns a sign-in that django-axes locked out into the lockout answer (429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "claimtrack.urls"
WSGI_APPLICATION = "claimtrack.wsgi.application"

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
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# SQLite: IMMEDIATE transactions take the write lock at BEGIN, so two writers queue up
# behind `timeout` instead of failing half-way; WAL lets readers run beside a writer.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
    # A file, not memory, so other threads and processes in tests see the same data; one
    # per test run (by process id), so two runs side by side never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f"test-db-{os.getpid()}.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# --- Sign-in lockout (django-axes) and API tokens (knox) -------------------------------
# Every sign-in (the login page, the admin's, POST /api/v1/auth/token/) goes through
# authenticate(); AxesStandaloneBackend refuses it while that username is locked out from
# that address. CLAIMTRACK_LOGIN_FAILURE_LIMIT failures lock it for
# CLAIMTRACK_LOGIN_COOLOFF_MINUTES (0: until an admin unlocks it); a success resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "claimtrack.auth_backends.OneQueryModelBackend",
]
AXES_ENABLED = env_bool("CLAIMTRACK_LOGIN_LOCKOUT", default=True)
AXES_FAILURE_LIMIT = env_int("CLAIMTRACK_LOGIN_FAILURE_LIMIT", 5)
CLAIMTRACK_LOGIN_COOLOFF_MINUTES = env_int("CLAIMTRACK_LOGIN_COOLOFF_MINUTES", 15)
if AXES_FAILURE_LIMIT < 1 or CLAIMTRACK_LOGIN_COOLOFF_MINUTES < 0:
    raise ImproperlyConfigured(
        "CLAIMTRACK_LOGIN_FAILURE_LIMIT must be at least 1, "
        "CLAIMTRACK_LOGIN_COOLOFF_MINUTES 0 or more."
    )
_COOLOFF = CLAIMTRACK_LOGIN_COOLOFF_MINUTES
AXES_COOLOFF_TIME = timedelta(minutes=_COOLOFF) if _COOLOFF else None
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "claimtrack.lockout.lockout_response"
AXES_VERBOSE = False  # logs name only the lockout parameters, masked
# Behind N reverse proxies that append to X-Forwarded-For, the client is the Nth address
# from the right (anything further left was written by the client itself).
CLAIMTRACK_LOGIN_TRUSTED_PROXIES = env_int("CLAIMTRACK_LOGIN_TRUSTED_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "claimtrack.lockout.client_address"
# API tokens: the ones POST /api/v1/auth/token/ issues expire after this many days (0:
# never); each user keeps at most this many (a new one drops the oldest). Knox's own
# expiry is off: claims.tokens sets each token's.
CLAIMTRACK_API_TOKEN_DAYS = env_int("CLAIMTRACK_API_TOKEN_DAYS", 30)
CLAIMTRACK_API_TOKENS_PER_USER = env_int("CLAIMTRACK_API_TOKENS_PER_USER", 10)
if CLAIMTRACK_API_TOKEN_DAYS < 0 or CLAIMTRACK_API_TOKENS_PER_USER < 1:
    raise ImproperlyConfigured(
        "CLAIMTRACK_API_TOKEN_DAYS must be 0 or more, CLAIMTRACK_API_TOKENS_PER_USER at least 1."
    )
REST_KNOX = {"TOKEN_TTL": None, "AUTH_HEADER_PREFIX": "Token", "AUTO_REFRESH": False}

# --- Email: only password resets send any ----------------------------------------------
# Without EMAIL_HOST nothing is sent, and the password-reset pages say to ask an
# administrator (`manage.py changepassword`) instead of promising an email that cannot
# leave. A mail server that hangs costs a request EMAIL_TIMEOUT at most; Django logs a
# failed send rather than raising it.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "claimtrack@localhost"

# --- Security (production defaults; each can be relaxed from the environment) ----------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# --- Browser hardening: referrer, opener, Content Security Policy --------------------
# No referrer leaves the site (a claim's address says what the newsroom is checking), and no
# other site's window may keep a handle on ours.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Everything the pages load is served from here: no inline script, no eval, no inline
# style (htmx's indicator style lives in claimtrack.css, see base.html), no framing, no
# plugins. claimtrack.checks warns under `check --deploy` if the policy is loosened.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- REST framework --------------------------------------------------------------------
# Anonymous clients read nothing unless this is on (then they may read, never write).
CLAIMTRACK_API_PUBLIC_READ = env_bool("CLAIMTRACK_API_PUBLIC_READ", default=False)
CLAIMTRACK_PUBLISHER_NAME = env_str("CLAIMTRACK_PUBLISHER_NAME", "ClaimTrack")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: a request with no credentials gets 401 and how to authenticate.
        "claimtrack.authentication.TokenAuthentication",  # hashed tokens (knox)
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["claimtrack.rest.ModelPermissions"],
    "DEFAULT_FILTER_BACKENDS": [
        "claimtrack.rest.FilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "claimtrack.rest.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "claimtrack.rest_errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["claimtrack.rest.UserThrottle", "claimtrack.rest.AnonThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env_str("CLAIMTRACK_API_RATE_USER", "1200/min"),
        "anon": env_str("CLAIMTRACK_API_RATE_ANON", "60/min"),
    },
    "DATETIME_FORMAT": "iso-8601",
}
for _scope, _rate in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].items():
    if not re.fullmatch(r"\d+/(s|sec|second|m|min|minute|h|hour|d|day)", _rate):
        raise ImproperlyConfigured(f"API rate {_rate!r} ({_scope}): write it as N/min, N/hour...")
SPECTACULAR_SETTINGS = {
    "TITLE": "ClaimTrack API",
    "DESCRIPTION": (
        "Claims made in the news, where they appeared, the evidence for and against them, "
        "and their verification status over time."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and the docs are public: they describe the API, not its data, and a tool's
    # author reads them before having a token. The data still needs one.
    "SERVE_PUBLIC": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    # Nothing from elsewhere: no online validator badge either.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # The enums' names, then the answers every endpoint can give (406, 415, 304).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "claimtrack.rest_errors.document_generic_answers",
    ],
    # One name per choice set, however many fields use it.
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "claims.models.Status",
        "ClaimKindEnum": "claims.models.ClaimKind",
        "StanceEnum": "claims.models.Stance",
        "ReviewStateEnum": "claims.models.ReviewState",
        "EventKindEnum": "claims.models.EventKind",
        "SourceKindEnum": "articles.models.SourceKind",
    },
}

# --- Celery ----------------------------------------------------------------------------
# Without REDIS_URL there is no broker: tasks run in-process, right where they are
# enqueued, so the embedded default needs no services at all.
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# The API throttles count in Redis when there is one, so that every gunicorn process
# counts against the same limit (claimtrack.rest; with short timeouts, and counting in
# the process if Redis fails). Everything else cached stays in the process.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "claimtrack-throttle",
            "OPTIONS": {"socket_timeout": 0.5, "socket_connect_timeout": 0.5},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"}
    ),
}
# Without a broker, long jobs started from a page (imports, bulk reviews) run in a thread
# of the web process, so the page can show their progress; with a broker, workers do.
CLAIMTRACK_JOBS_IN_THREAD = env_bool("CLAIMTRACK_JOBS_IN_THREAD", default=DEBUG and not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 24 * 3600
# A task is acknowledged only when it finished, so a worker that dies mid-task leaves it
# to be redelivered; one message at a time keeps long re-checks from hoarding work.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
# Redis redelivers an unacknowledged message after the visibility timeout; it must be
# longer than the hard time limit or a slow task would run twice at once.
_REDIS_TRANSPORT = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    "socket_timeout": 3,
    "socket_connect_timeout": 3,
}
CELERY_BROKER_TRANSPORT_OPTIONS = _REDIS_TRANSPORT
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = _REDIS_TRANSPORT
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
CELERY_BEAT_SCHEDULE = {
    "sweep-unchecked-articles": {"task": "claims.tasks.sweep_unchecked_articles", "schedule": 300},
    "sweep-unsuggested-articles": {
        "task": "claims.tasks.sweep_unsuggested_articles",
        "schedule": 300,
    },
    "recheck-stale-claims": {"task": "claims.tasks.recheck_stale_claims", "schedule": 3600},
    "recheck-after-engine-change": {
        "task": "claims.tasks.recheck_after_engine_change",
        "schedule": 600,
    },
    "flag-due-predictions": {"task": "claims.tasks.flag_due_predictions", "schedule": 3600},
    "sweep-webhook-deliveries": {"task": "claims.tasks.sweep_webhook_deliveries", "schedule": 120},
    "poll-due-feeds": {"task": "articles.tasks.poll_due_feeds", "schedule": 300},
}
if _REDIS_TRANSPORT["visibility_timeout"] <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_TASK_TIME_LIMIT must be below CELERY_VISIBILITY_TIMEOUT.")

# --- Faults: Redis or PostgreSQL away (issue 8, see README "Reliability") --------------
# The result backend reads its socket timeouts from CELERY_REDIS_* (not from the transport
# options) and its reconnection policy from its transport options' `retry_policy`, which
# would otherwise retry 20 times a second apart: bounded like the broker's.
CELERY_REDIS_SOCKET_TIMEOUT = _REDIS_TRANSPORT["socket_timeout"]
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = _REDIS_TRANSPORT["socket_connect_timeout"]
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    **_REDIS_TRANSPORT,
    "retry_policy": CELERY_TASK_PUBLISH_RETRY_POLICY,
}
# After a failed send, a process stops sending tasks for this many seconds (claimtrack
# .enqueue; the outbox and the sweeps catch up), so a hung Redis costs a request one socket
# timeout per process, not one per task.
CLAIMTRACK_BROKER_BACKOFF = env_float("CLAIMTRACK_BROKER_BACKOFF", 30.0)
if CELERY_TASK_SOFT_TIME_LIMIT >= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_TASK_SOFT_TIME_LIMIT must be below CELERY_TASK_TIME_LIMIT.")
# PostgreSQL that drops packets instead of refusing: give up connecting after this many
# seconds, so the request answers 503 (claimtrack.db_unavailable) instead of hanging.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5)
    )

# --- The re-check engine ---------------------------------------------------------------
# A new or reworded claim is checked against the articles stored in this many days (at
# most this many of them, newest first).
CLAIMTRACK_RECHECK_WINDOW_DAYS = env_int("CLAIMTRACK_RECHECK_WINDOW_DAYS", 30)
CLAIMTRACK_RECHECK_MAX_ARTICLES = env_int("CLAIMTRACK_RECHECK_MAX_ARTICLES", 2000)
# How many claims or articles one periodic run re-queues.
CLAIMTRACK_PERIODIC_BATCH = env_int("CLAIMTRACK_PERIODIC_BATCH", 500)
# Auto-apply: off by default, so engine suggestions wait for an editor. When on, the
# engine sets a status nobody has ruled on when evidence at least this confident from
# at least this many independent stories points to it.
CLAIMTRACK_AUTO_APPLY = env_bool("CLAIMTRACK_AUTO_APPLY", default=False)
CLAIMTRACK_AUTO_APPLY_MIN_SCORE = env_float("CLAIMTRACK_AUTO_APPLY_MIN_SCORE", 0.95)
CLAIMTRACK_AUTO_APPLY_MIN_SOURCES = env_int("CLAIMTRACK_AUTO_APPLY_MIN_SOURCES", 2)

# --- Outbound HTTP and webhooks --------------------------------------------------------
# Outbound requests (webhooks, fetching URLs) refuse hosts on private, loopback and other
# internal networks, except the host names listed here (comma-separated, exact names).
CLAIMTRACK_FETCH_ALLOWED_HOSTS = env_list("CLAIMTRACK_FETCH_ALLOWED_HOSTS")
# Fetching pages and feeds (articles.fetching): the most bytes read from one answer
# (after decompression), seconds to connect and to wait for each read, seconds for the
# whole download, and how many redirects are followed.
CLAIMTRACK_FETCH_MAX_BYTES = env_int("CLAIMTRACK_FETCH_MAX_BYTES", 5 * 1024 * 1024)
CLAIMTRACK_FETCH_CONNECT_TIMEOUT = env_float("CLAIMTRACK_FETCH_CONNECT_TIMEOUT", 5.0)
CLAIMTRACK_FETCH_READ_TIMEOUT = env_float("CLAIMTRACK_FETCH_READ_TIMEOUT", 15.0)
CLAIMTRACK_FETCH_TOTAL_TIMEOUT = env_float("CLAIMTRACK_FETCH_TOTAL_TIMEOUT", 60.0)
CLAIMTRACK_FETCH_MAX_REDIRECTS = env_int("CLAIMTRACK_FETCH_MAX_REDIRECTS", 5)
if CLAIMTRACK_FETCH_MAX_BYTES < 1:
    raise ImproperlyConfigured("CLAIMTRACK_FETCH_MAX_BYTES must be at least 1.")
_FETCH_TIMEOUTS = (
    CLAIMTRACK_FETCH_CONNECT_TIMEOUT,
    CLAIMTRACK_FETCH_READ_TIMEOUT,
    CLAIMTRACK_FETCH_TOTAL_TIMEOUT,
)
if min(_FETCH_TIMEOUTS) <= 0:
    raise ImproperlyConfigured("The CLAIMTRACK_FETCH_*_TIMEOUT settings must be above 0 seconds.")
if CLAIMTRACK_FETCH_MAX_REDIRECTS < 0:
    raise ImproperlyConfigured("CLAIMTRACK_FETCH_MAX_REDIRECTS must be 0 or more.")
# A failed delivery is tried again after base x 2^(attempt - 1) seconds, at most the cap,
# until it has been tried this many times; then it is marked failed.
CLAIMTRACK_WEBHOOK_MAX_ATTEMPTS = env_int("CLAIMTRACK_WEBHOOK_MAX_ATTEMPTS", 10)
CLAIMTRACK_WEBHOOK_RETRY_BASE = env_float("CLAIMTRACK_WEBHOOK_RETRY_BASE", 10.0)
CLAIMTRACK_WEBHOOK_RETRY_CAP = env_float("CLAIMTRACK_WEBHOOK_RETRY_CAP", 3600.0)
if CLAIMTRACK_WEBHOOK_MAX_ATTEMPTS < 1:
    raise ImproperlyConfigured("CLAIMTRACK_WEBHOOK_MAX_ATTEMPTS must be at least 1.")

# --- Request bodies: bad input (issue 8, see README "Bad input") ------------------------
# The largest upload (the whole multipart body): the largest file a form takes (a 20 MB
# batch) and room for the other fields. A bigger one is refused as it streams in, before
# any of its files is kept (claimtrack.uploads); each kind of file has its own, lower
# limit after that (articles.forms, claims.csv_io).
CLAIMTRACK_MAX_UPLOAD_BYTES = env_int("CLAIMTRACK_MAX_UPLOAD_BYTES", 21 * 1024 * 1024)
if CLAIMTRACK_MAX_UPLOAD_BYTES < 1024 * 1024:
    raise ImproperlyConfigured("CLAIMTRACK_MAX_UPLOAD_BYTES must be at least 1 MB (1048576).")
FILE_UPLOAD_HANDLERS = [
    "claimtrack.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Uploaded files above this size go to a temporary file, not memory (Django's default).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Form fields and API bodies (JSON, form) other than files: a pasted article as large as
# an uploaded one (5 MB) with its other fields. Over it, the API answers 413. Its JSON
# parser also refuses nesting deeper than claimtrack.parsers.MAX_JSON_DEPTH.
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = [
    "claimtrack.parsers.JSONParser",
    "rest_framework.parsers.FormParser",
    "claimtrack.parsers.MultiPartParser",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
