"""Settings for the Cuban Medical Missions Tracker, read from environment variables.

With no variable set the site runs on SQLite in the project folder and runs Celery
tasks in-process, so a new user needs no server. `.env.example` lists every variable.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    """Return a string variable, or the default when unset or empty."""
    return os.environ.get(name, "") or default


def env_bool(name: str, default: bool = False) -> bool:
    """Return a boolean variable; anything but a clear yes/no is a start-up error."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    """Return an integer variable; a malformed value is a start-up error."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be a whole number, not {value!r}"
        ) from None


def env_list(name: str, default: str = "") -> list[str]:
    """Return a comma-separated variable as a list of stripped, non-empty items."""
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off (for local work set DEBUG=true, "
            "or run `make install`, which writes a .env with it for manage.py)"
        )
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "config.staticfiles.StaticFilesConfig",  # django.contrib.staticfiles, less
    "django.contrib.humanize",
    "django_filters",
    "simple_history",
    "import_export",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served as our static files
    "countries",
    "missions",
    "newswatch",
    "timeline",
    "dashboard",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost, so that answers made before the view (the 400 for an unknown Host)
    # carry the policy and the frame ban too.
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Before WhiteNoise, so static files get these headers too.
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "config.headers.CrossOriginResourcePolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous public pages from the cache (dashboard/middleware.py): outside the
    # compression, so a hit sends the stored gzipped body as it is; inside the
    # header middleware above, which dress every answer, hit or miss.
    # The language of a public page comes from its URL; an unprefixed page asked for
    # by a reader who prefers Spanish (cookie, else Accept-Language) is redirected to
    # /es/ here, before the page cache, which then only ever sees one language per URL.
    "dashboard.languages.LanguageRedirectMiddleware",
    "dashboard.middleware.PublicPageCacheMiddleware",
    # Compresses pages (62 KB of HTML for / becomes about 10 KB), but not the admin's
    # (CSRF tokens: BREACH). After WhiteNoise, which serves its own precompressed
    # static files; outside the conditional-GET middleware, whose ETags it marks
    # weak (If-None-Match compares weakly).
    "dashboard.middleware.PublicGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    "dashboard.middleware.ConditionalPageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-axes must come last: it reads the outcome of the login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "dashboard.context_processors.statistics_state",
                "dashboard.languages.language_links",
            ],
        },
    },
]

# SQLite in the project folder unless DATABASE_URL names another database.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
# Seconds one SQL statement may run on PostgreSQL (0: no limit). Migrations and the
# statistics refresh set their own limits; see config/database.py.
DB_STATEMENT_TIMEOUT = env_int("DB_STATEMENT_TIMEOUT", 30)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with a health check bounded to 0.5 s (config/postgresql/), so
    # that a reused connection to a server that stopped answering is replaced rather
    # than waited on; a new connection then gives up after connect_timeout. When the
    # host or the network vanishes, keepalives close an idle connection after
    # 10 + 3 × 3 s, and tcp_user_timeout one whose request goes unacknowledged for 4 s.
    DATABASES["default"]["ENGINE"] = "config.postgresql"
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.update(
        connect_timeout=3,
        keepalives=1,
        keepalives_idle=10,
        keepalives_interval=3,
        keepalives_count=3,
        tcp_user_timeout=4000,
    )
    if DB_STATEMENT_TIMEOUT:
        _limit = f"-c statement_timeout={DB_STATEMENT_TIMEOUT}s"
        _options["options"] = f"{_options.get('options', '')} {_limit}".strip()

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation"
        ".UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (django-axes): the default locks an account forever.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind reverse proxies every request comes from the nearest proxy's address, so one
# user's failures would lock everyone out. TRUSTED_PROXY_COUNT proxies each append the
# address they received from to X-Forwarded-For: the client is the entry that many
# places from the right. Entries further left are the client's own and never trusted.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more")
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    # django-ipware counts the proxies named in the header; the nearest is REMOTE_ADDR.
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT - 1
    # Not strict: a client's own X-Forwarded-For lengthens the chain on the left.
    IPWARE_STRICT = False
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)

# English at the old unprefixed URLs, Spanish under /es/ (README "Languages"). The
# catalogue is locale/es/LC_MESSAGES/django.po, compiled at install time.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The switch stores the reader's choice for a year; Lax, as it is set by a link.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Serve files straight from the finders when static files were not collected.
WHITENOISE_USE_FINDERS = env_bool("WHITENOISE_USE_FINDERS", True)
WHITENOISE_MANIFEST_STRICT = False
# Source maps are read only by a developer's tools: collected (the bundles name
# them), not compressed, which took about 6.4 MB through brotli twice per collect.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
# No embed on another site needs our files: no Access-Control-Allow-Origin: *.
WHITENOISE_ALLOW_ALL_ORIGINS = False

LOGIN_URL = "admin:login"

# Bulk upload (django-import-export) needs the add permission, not just staff status.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"

# The editors' freshness page lists active missions with no figure or check this recent.
FRESHNESS_DAYS = env_int("FRESHNESS_DAYS", 180)

# The news watch (newswatch/): how often beat looks for due feeds, the polite
# minimum between two fetches of one feed, and the limits of one fetch.
NEWSWATCH_FETCH_MINUTES = env_int("NEWSWATCH_FETCH_MINUTES", 15)
NEWSWATCH_MIN_INTERVAL_MINUTES = env_int("NEWSWATCH_MIN_INTERVAL_MINUTES", 30)
NEWSWATCH_TIMEOUT = env_int("NEWSWATCH_TIMEOUT", 20)
NEWSWATCH_MAX_BYTES = env_int("NEWSWATCH_MAX_BYTES", 2_000_000)
# A new item whose title is nearly that of a lead found this recently is a duplicate.
NEWSWATCH_TITLE_DAYS = env_int("NEWSWATCH_TITLE_DAYS", 30)

# Where `manage.py backup_database` (make backup) writes; kept out of git.
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(BASE_DIR / "backups")))

# Security headers; TLS-only settings switch on with SECURE_SSL=true behind HTTPS.
SECURE_SSL = env_bool("SECURE_SSL", False)
SECURE_SSL_REDIRECT = SECURE_SSL
# The container's health check asks over plain HTTP from inside: never redirect it.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if SECURE_SSL else 0)
# Both reach beyond this site (every subdomain; browsers' built-in lists, slow to
# leave), so each is its own decision, off unless asked for.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# check --deploy warns when they are off (W005, W021): off is the deliberate default.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
# No script of ours reads the CSRF cookie (forms carry the token), so scripts may not.
CSRF_COOKIE_HTTPONLY = True

# Browser features the site never uses, denied to it and to anything it embeds.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# Public pages may be kept this many seconds by browsers, and PAGE_SHARED_CACHE_SECONDS
# by shared caches such as a CDN (s-maxage), with an ETag to revalidate; pages for
# signed-in editors are private.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60)
PAGE_SHARED_CACHE_SECONDS = env_int("PAGE_SHARED_CACHE_SECONDS", 120)

# The read-only JSON API (/api/v1/, the `api` app): no login, JSON only, each list
# filtered by its page's FilterSet. Anonymous clients may make API_RATE_LIMIT
# requests (`<n>/second|minute|hour|day`, or `off`) per address (TRUSTED_PROXY_COUNT
# decides which), counted in the cache; past it, 429 with Retry-After.
API_RATE_LIMIT = env_str("API_RATE_LIMIT", "120/minute").strip().lower()
if API_RATE_LIMIT == "off":
    API_RATE_LIMIT = ""
elif not re.fullmatch(
    r"[1-9]\d*/(s|sec|second|m|min|minute|h|hour|d|day)", API_RATE_LIMIT
):
    raise ImproperlyConfigured(
        f"API_RATE_LIMIT must look like 120/minute (or be off), not {API_RATE_LIMIT!r}"
    )
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ClientRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # `format` is the pages' CSV switch, not a choice of renderer: ignored here.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cuban Medical Missions Tracker API",
    "DESCRIPTION": (
        "Read-only JSON: countries, missions, staffing figures, published events, "
        "totals claimed by sources and derived statistics, each value with its "
        "source and each date at its precision. Unknown is null, never 0."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "MissionKindEnum": "missions.models.Mission.Kind",
        "EventKindEnum": "timeline.models.PolicyEvent.Kind",
    },
}

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # blob: for plotly.js drawing a chart into a PNG download (static/js/share.js).
        "img-src": [SELF, "data:", "blob:"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# Celery: no broker means tasks run in-process, right after the edit that queued them.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# A hung or closed broker must fail an enqueue within about a second, not block a save.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 1,
    # Seconds before Redis hands an unacknowledged task (its worker died) to another
    # worker: above the refresh's 600 s time limit, or a slow run would run twice.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 900),
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 0}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Worker and beat reconnect to a lost broker forever (Celery's default gives up
# after 100 attempts, 2 s apart growing to 30 s: about 47 minutes).
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
STATISTICS_REFRESH_MINUTES = env_int("STATISTICS_REFRESH_MINUTES", 60)
# Seconds a queued refresh waits, so a burst of edits is covered by one refresh.
STATISTICS_REFRESH_DELAY = env_int("STATISTICS_REFRESH_DELAY", 2)
CELERY_BEAT_SCHEDULE = {
    "refresh-statistics": {
        "task": "dashboard.tasks.refresh_statistics_task",
        "schedule": timedelta(minutes=STATISTICS_REFRESH_MINUTES),
    },
    # Cheap (one indexed read when current): queues a refresh that a broker outage
    # or a killed worker lost. Ticks missed while no worker runs expire unrun.
    "catch-up-statistics": {
        "task": "dashboard.tasks.catch_up_statistics_task",
        "schedule": timedelta(seconds=60),
        "options": {"expires": 50},
    },
    "fetch-news-feeds": {
        "task": "newswatch.tasks.fetch_feeds_task",
        "schedule": timedelta(minutes=NEWSWATCH_FETCH_MINUTES),
        "options": {"expires": NEWSWATCH_FETCH_MINUTES * 60},
    },
}

# The server-side cache of rendered anonymous pages (dashboard/middleware.py). Redis
# when CACHE_URL names one (or, failing that, when Celery's broker is Redis), so every
# web node shares one copy; else each process keeps its own in memory ("locmem" in
# CACHE_URL asks for that explicitly). Keys carry the data and statistics versions,
# so no entry is ever purged: an edit or refresh moves pages to new keys, and old
# entries expire after PAGE_CACHE_STORE_SECONDS (0 switches the page cache off).
_REDIS_SCHEMES = ("redis://", "rediss://")
CACHE_URL = env_str(
    "CACHE_URL",
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(_REDIS_SCHEMES) else "locmem",
)
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_STORE_SECONDS = env_int("PAGE_CACHE_STORE_SECONDS", 600)
# On PostgreSQL, each web process keeps the statistics state row that every public
# request needs, and forgets it when PostgreSQL notifies a change
# (dashboard/state_watch.py): a page-cache hit then costs no query.
PAGE_STATE_WATCH = env_bool("PAGE_STATE_WATCH", True)
# Bodies larger than this (after compression) are not stored.
PAGE_CACHE_MAX_BYTES = env_int("PAGE_CACHE_MAX_BYTES", 1_000_000)
if CACHE_URL.startswith(_REDIS_SCHEMES):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "tracker",
            "TIMEOUT": PAGE_CACHE_STORE_SECONDS,
            # An unreachable Redis must cost a page a moment, not a worker thread:
            # the middleware then treats it as a miss.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
elif CACHE_URL == "locmem":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "TIMEOUT": PAGE_CACHE_STORE_SECONDS,
            # Bounds each process's memory: at most this many pages.
            "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_CACHE_MAX_ENTRIES", 300)},
        }
    }
else:
    raise ImproperlyConfigured(
        f"CACHE_URL must be redis://..., rediss://... or locmem, not {CACHE_URL!r}"
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
if CELERY_TASK_ALWAYS_EAGER:
    # In-process tasks have no broker to name and no worker log to keep: without this,
    # every local edit prints kombu's "No hostname was supplied" and a task line.
    LOGGING["loggers"] |= {
        "kombu.connection": {"level": "ERROR"},
        "celery.app.trace": {"level": "WARNING"},
    }
