"""Settings for the open-budget portal.

Every setting that differs between machines comes from an environment variable, parsed strictly:
a value that cannot be understood stops the process with a message instead of being guessed.
The variables are listed, with their defaults, in `.env.example`.
"""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email

from portal.databases import database

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of true/false/1/0/yes/no/on/off, got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(f"{name} is a comma-separated list without empty items")
    return items


def _local_secret_key() -> str:
    """A per-checkout key for running locally with no environment set.

    Kept in a git-ignored file so that sessions survive a restart; production sets
    DJANGO_SECRET_KEY instead.
    """
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or _local_secret_key()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# The admin's address; a less guessable path keeps most automated login attempts away.
ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"
if ADMIN_PATH == "/" or not all(part.isascii() for part in ADMIN_PATH):
    raise ImproperlyConfigured("DJANGO_ADMIN_PATH must be a non-empty ASCII path such as admin/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "corsheaders",
    "django_filters",
    "django_tables2",
    "rest_framework",
    "drf_spectacular",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "budgets",
]

MIDDLEWARE = [
    # First: a cached page is answered before any other middleware does any work; it was
    # stored with the headers all of them gave it (see its docstring for why that is safe).
    "budgets.page_cache.PageCacheMiddleware",
    # Which database an anonymous visitor's page is read from, when there is a replica (it does
    # nothing without one). Outside StartStreams, so a stream's first chunk is read under it.
    "portal.db_routers.ReplicaReadsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "budgets.middleware.RefuseNulBytes",
    "budgets.middleware.StartStreams",
    # A valid page of /api/lines/ as JSON is answered here, without the middleware below
    # (none of which it needs) or DRF; the rest goes on.
    "budgets.api.lines_lane.LinesFastLane",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]
CSRF_FAILURE_VIEW = "budgets.views.csrf_failure"  # in Chinese, with a way back

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "budgets.views.reports.portal_operator",
            ],
        },
    },
]

# SQLite in the checkout unless DATABASE_URL names another database (PostgreSQL in production).
# DATABASE_REPLICA_URL, when set, names a read-only copy of it (PostgreSQL streaming replication)
# that anonymous visitors' pages are read from: portal/db_routers.py says what goes where, and
# docs/deploy.md why. Both addresses are read by portal.databases.database, the same way.
DATABASES = {
    "default": database(
        "DATABASE_URL",
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
    )
}
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
DATABASE_ROUTERS = []  # without a replica every query goes to the one database
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = database(
        "DATABASE_REPLICA_URL",
        DATABASE_REPLICA_URL,
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
    )
    if DATABASES["replica"]["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL must name a copy of the DATABASE_URL database "
            "(the same kind of database), got "
            f"{DATABASES['replica']['ENGINE']} for {DATABASES['default']['ENGINE']}"
        )
    # Tests read the replica from the test database itself (no second test database).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["portal.db_routers.PrimaryReplicaRouter"]
# Statement timeouts on PostgreSQL, in milliseconds (0: none). The first bounds every statement
# of the web processes (the WSGI application, portal/wsgi.py: gunicorn and runserver), so that
# a query stuck on a lock or a pathological filter ends in the portal's "查询超时" page instead
# of holding a worker thread; management commands and the task worker (db_worker) have none.
# The second is the limit of a streamed CSV's query in a web process instead of the first: it runs
# as long as the client takes to read the file. Its wait for a lock is still bounded by the first
# (lock_timeout). budgets/lines_csv.py sets both for that statement alone; docs/deploy.md.
DB_STATEMENT_TIMEOUT_MS = env_int("PORTAL_DB_STATEMENT_TIMEOUT_MS", 0)
DB_STREAM_STATEMENT_TIMEOUT_MS = env_int("PORTAL_DB_STREAM_STATEMENT_TIMEOUT_MS", 0)
for _name in ("PORTAL_DB_STATEMENT_TIMEOUT_MS", "PORTAL_DB_STREAM_STATEMENT_TIMEOUT_MS"):
    if (_value := env_int(_name, 0)) < 0:
        raise ImproperlyConfigured(f"{_name} must not be negative, got {_value}")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Admin logins are rate-limited by django-axes: after AXES_FAILURE_LIMIT failed attempts for one
# user name from one address, that pair is locked out for AXES_COOLOFF_TIME hours (0 = until an
# administrator runs `manage.py axes_reset`).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("PORTAL_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("PORTAL_LOGIN_LOCKOUT_HOURS", 1) or None
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_VERBOSE = False

# Chinese first, at the addresses it always had; English at the same address under /en/
# (i18n_patterns in portal/urls.py): a link that can be shared, cached and crawled as it is,
# not a cookie that makes one address answer in two languages. The admin and the API stay
# Chinese-only and unprefixed. Interface strings are Chinese in the code (the msgids) and
# English in locale/en/LC_MESSAGES/django.po; data (names, row labels, texts) is shown as
# published, in English only where staff gave an English name (name_en).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
# Amounts are formatted by budgets.formatting; Django's zh-hans grouping (by 4, no separator)
# would print 1088.44 as 1088.44 anyway, but nothing should depend on it.
USE_THOUSAND_SEPARATOR = False

# Bulk downloads (CSV, XLSX, datapackage.json) are built here and served as files.
DOWNLOADS_DIR = Path(os.environ.get("PORTAL_DOWNLOADS_DIR") or BASE_DIR / "var" / "downloads")
# Rebuild them when a publication is published or corrected: a background task, queued once the
# change is committed (also: manage.py build_downloads, and the admin's 下载文件生成 page).
DOWNLOADS_BUILD_ON_PUBLISH = env_bool("PORTAL_DOWNLOADS_BUILD_ON_PUBLISH", True)
# How many builds stay on disk, each at /data/builds/<id>/ (the oldest are deleted after a
# build; each is a whole copy of the data, about 100 MB at a million lines).
DOWNLOADS_KEEP_BUILDS = env_int("PORTAL_DOWNLOADS_KEEP_BUILDS", 10)
# Background tasks go through Django's tasks API (the django-tasks backport until Django 6).
# database: tasks are rows of this database, run by `manage.py db_worker` (bin/serve starts one
# beside the web server); immediate: run in the process that queues them, for a single-process
# instance without a worker (a publish then waits for the build).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_task_backend = os.environ.get("PORTAL_TASKS_BACKEND", "").strip() or "database"
if _task_backend not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"PORTAL_TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, got {_task_backend!r}"
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[_task_backend]}}
# The example units of generate_city (示例数据) stay out of the open data (downloads, the lines
# page, the API) unless this is true: on a demonstration or benchmark instance, where the
# example city is the data and every example unit's name says 示例.
OPEN_DATA_INCLUDES_EXAMPLES = env_bool("PORTAL_OPEN_DATA_INCLUDES_EXAMPLES", False)

# Who runs the portal, printed in every page's footer beside the publishing unit (which the
# publication names). The name is required text; the address an e-mail address (or empty).
PORTAL_OPERATOR_NAME = os.environ.get("PORTAL_OPERATOR_NAME", "预决算公开平台").strip()
PORTAL_OPERATOR_EMAIL = os.environ.get("PORTAL_OPERATOR_EMAIL", "").strip()
if not PORTAL_OPERATOR_NAME or len(PORTAL_OPERATOR_NAME) > 100:
    raise ImproperlyConfigured("PORTAL_OPERATOR_NAME must be 1 to 100 characters")
if PORTAL_OPERATOR_EMAIL:
    try:
        validate_email(PORTAL_OPERATOR_EMAIL)
    except ValidationError:
        raise ImproperlyConfigured(
            f"PORTAL_OPERATOR_EMAIL must be an e-mail address, got {PORTAL_OPERATOR_EMAIL!r}"
        ) from None
# Reports of data errors (报告数据错误): how many one client may send an hour, counted in the
# default cache under a keyed hash of its address. The address is REMOTE_ADDR unless the
# reverse proxy puts the client's address in a header it always overwrites (X-Real-IP): behind
# a proxy, REMOTE_ADDR is the proxy's and every visitor would share one limit.
PORTAL_REPORTS_PER_HOUR = env_int("PORTAL_REPORTS_PER_HOUR", 5)
if PORTAL_REPORTS_PER_HOUR < 1:
    raise ImproperlyConfigured(
        f"PORTAL_REPORTS_PER_HOUR must be at least 1, got {PORTAL_REPORTS_PER_HOUR}"
    )
PORTAL_CLIENT_IP_HEADER = os.environ.get("PORTAL_CLIENT_IP_HEADER", "").strip()
if PORTAL_CLIENT_IP_HEADER and not all(
    c.isascii() and (c.isalnum() or c == "-") for c in PORTAL_CLIENT_IP_HEADER
):
    raise ImproperlyConfigured(
        f"PORTAL_CLIENT_IP_HEADER must be a header name such as X-Real-IP, "
        f"got {PORTAL_CLIENT_IP_HEADER!r}"
    )

# Caches. With REDIS_URL (redis://host:6379/0, rediss://… or unix://…) every worker process
# shares one Redis; without it each process keeps its own in memory (the page cache stays
# correct either way: its key holds the data version, read from the database per request).
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        f"REDIS_URL must start with redis://, rediss:// or unix://, got {REDIS_URL!r}"
    )
CACHE_KEY_PREFIX = os.environ.get("PORTAL_CACHE_KEY_PREFIX", "portal").strip()
# Full-page cache of the public pages (budgets/page_cache.py): seconds an entry is kept (0 turns
# the cache off); entries per process without Redis; and the max-age browsers and proxies are
# given for a public page (0: they ask again each time, so a correction is seen at once).
PAGE_CACHE_SECONDS = env_int("PORTAL_PAGE_CACHE_SECONDS", 86400)
PAGE_CACHE_MAX_ENTRIES = env_int("PORTAL_PAGE_CACHE_MAX_ENTRIES", 500)
PAGE_MAX_AGE = env_int("PORTAL_PAGE_MAX_AGE", 0)
for _name, _value in [("PORTAL_PAGE_CACHE_SECONDS", PAGE_CACHE_SECONDS),
                      ("PORTAL_PAGE_CACHE_MAX_ENTRIES", PAGE_CACHE_MAX_ENTRIES),
                      ("PORTAL_PAGE_MAX_AGE", PAGE_MAX_AGE)]:  # fmt: skip
    if _value < 0:
        raise ImproperlyConfigured(f"{_name} must not be negative, got {_value}")


def _cache(prefix: str, max_entries: int = 300) -> dict:
    if REDIS_URL:
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{CACHE_KEY_PREFIX}:{prefix}",
            # A Redis that does not answer costs a page half a second, not a hung worker.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": prefix,
        "OPTIONS": {"MAX_ENTRIES": max_entries},
    }


CACHES = {
    "default": _cache("default"),
    "pages": _cache("pages", max_entries=PAGE_CACHE_MAX_ENTRIES),
}

# Every change is kept by django-simple-history. Reverting from the history page is off: it
# would change a published figure without the reason a correction must give.
SIMPLE_HISTORY_REVERT_DISABLED = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS is terminated by a reverse proxy in production; these follow from one switch so that
# `manage.py check --deploy` is clean once the site is declared to be served over HTTPS.
HTTPS = env_bool("DJANGO_HTTPS", False)
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

DJANGO_TABLES2_TEMPLATE = "budgets/tables/table.html"

# The API, the downloads, every CSV twin of a page and the feeds are open to every origin, read
# only (a newsroom's chart in the browser loads them from its own site).
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/(?:(?:api|data|feeds)/.*|units/[0-9]+/feeds/.*|.*\.csv)$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "budgets.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
    # Every error as JSON with a Chinese `detail`; a 400 names each wrong parameter.
    "EXCEPTION_HANDLER": "budgets.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "预决算公开平台 API · Open budget portal API",
    "DESCRIPTION": (
        "Read-only access to every published budget and final-account figure. Amounts are "
        "decimal strings in 万元 (10,000 CNY); null means the publication leaves it blank. "
        "Functional and economic breakdowns are two views of the same money: never add them."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "budgets.choices.Stage",
        "FundSourceEnum": "budgets.choices.FundSource",
        "SchemeEnum": "budgets.choices.Scheme",
        "PublicationKindEnum": "budgets.choices.PublicationKind",
        # A finding's severity in /api/quality/ and /api/figures/: one name for both.
        "SeverityEnum": "budgets.quality.SEVERITY_LABELS",
    },
    "COMPONENT_SPLIT_REQUEST": True,
}

# Security headers and the browsable API's pages (issue 9, items 4 and 15).
REST_FRAMEWORK["VIEW_NAME_FUNCTION"] = "budgets.api_pages.view_name"
# Content-Security-Policy (django-csp) on every answer: scripts only from our static files, never
# inline or eval; plotly.js writes <style> elements and style attributes, so styles may be
# inline (plotly.js issue 7543); no plugins, no <base>, no framing by any site.
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "csp.middleware.CSPMiddleware")  # fmt: skip
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
