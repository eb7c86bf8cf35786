"""Settings for Osallisuus: one file, every deployment value from the environment.

Production values are the defaults: DEBUG is off, cookies are secure and HSTS is on.
The demo (scripts/demo) turns on OSALLISUUS_DEMO=1 and DEBUG=1 for a local, plain-HTTP run.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
DEMO_MODE = env_bool("OSALLISUUS_DEMO", False)
TESTING = env_bool("OSALLISUUS_TESTING", False) or "pytest" in sys.modules

SECRET_KEY = os.environ.get("SECRET_KEY", "")
SECRET_KEY_FROM_ENVIRONMENT = bool(SECRET_KEY)
if not SECRET_KEY:
    # Local runs (demo, tests) and management commands that serve nothing (makemigrations,
    # compilemessages) get a throwaway key. Serving refuses to start without a real one:
    # config/wsgi.py checks SECRET_KEY_FROM_ENVIRONMENT, and `check --deploy` reports it.
    import secrets

    SECRET_KEY = "osallisuus-local-only-" + ("x" * 40 if (DEBUG or DEMO_MODE or TESTING) else secrets.token_urlsafe(40))

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1" if (DEBUG or DEMO_MODE or TESTING) else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "osallisuus.core",
    "osallisuus.accounts",
    "osallisuus.privacy",
    "osallisuus.measurement",
    "osallisuus.experts",
    "osallisuus.activation",
    "osallisuus.networks",
    "osallisuus.funding",
    "osallisuus.budgeting",
    "osallisuus.identity",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "osallisuus.core.middleware.SecurityHeadersMiddleware",
    "osallisuus.core.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "osallisuus.core.session_activity.SessionActivityMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "osallisuus.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "osallisuus.core.context_processors.shell",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]
FORM_RENDERER = "osallisuus.core.forms_rendering.FormRenderer"

# Database: SQLite (WAL, busy timeout) unless DATABASE_URL points elsewhere.
_default_sqlite = f"sqlite:///{BASE_DIR / 'var' / 'osallisuus.sqlite3'}"
# Connections are kept between requests and checked before reuse, so a restarted database
# costs one failed request at most, never a restart of the app (DB_CONN_MAX_AGE seconds).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_sqlite),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("OSALLISUUS_TEST_DB", str(BASE_DIR / "var" / "test-osallisuus.sqlite3"))
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # OpenID Connect logins (osallisuus.identity); it authenticates only its own callback.
    "osallisuus.identity.oidc.ProviderBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Brute-force protection (django-axes): the counters live in the database, so every app
# process behind a load balancer sees the same failures.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "osallisuus.accounts.views.locked_out"
AXES_USERNAME_CALLABLE = "osallisuus.accounts.security.login_username"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Sessions: expire after 30 minutes without activity; the page warns before that. The session is
# written only when it changes, and the last-activity stamp at most once a minute
# (core.session_activity), not on every request.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_WARNING_SECONDS = 120
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

_secure = not (DEBUG or DEMO_MODE or TESTING) or env_bool("FORCE_SECURE", False)
SESSION_COOKIE_SECURE = _secure
CSRF_COOKIE_SECURE = _secure
LANGUAGE_COOKIE_SECURE = _secure
SECURE_SSL_REDIRECT = _secure and env_bool("SECURE_SSL_REDIRECT", True)
# The load balancer's health checks speak plain HTTP to the app process.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^readyz/$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
SECURE_HSTS_SECONDS = 31_536_000 if _secure else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "osallisuus.core.views.csrf_failure"

# Request size limits: larger bodies get 413 from RequestSizeLimitMiddleware.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
MAX_REQUEST_BODY_BYTES = int(os.environ.get("MAX_REQUEST_BODY_BYTES", str(12 * 1024 * 1024)))

LANGUAGE_CODE = "fi"
# Plain Finnish (selkosuomi) for the participants' pages: a private-use subtag of Finnish, so
# its catalogs are in locale/fi_X-selko/ (django's to_locale) and every text without a plain
# version falls back to standard Finnish (gettext's fi, then LANGUAGE_CODE).
PLAIN_FINNISH = "fi-x-selko"
LANGUAGES = [
    ("fi", _("Finnish")),
    (PLAIN_FINNISH, _("Plain Finnish")),
    ("sv", _("Swedish")),
    ("en", _("English")),
]
LANG_INFO.setdefault(
    PLAIN_FINNISH,
    {"bidi": False, "code": PLAIN_FINNISH, "name": "Plain Finnish", "name_local": "selkosuomi", "fallback": ["fi"]},
)
LOCALE_PATHS = [BASE_DIR / "locale"]
# Django's own date and number filters follow core.formatting (4.12.2026, klo 9.30, 1,5).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Only the front-end packages' built files, not all of node_modules (pinned in package-lock.json).
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/hds-core/lib", BASE_DIR / "node_modules" / "hds-core" / "lib"),
    ("vendor/htmx.org/dist", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/svg-pan-zoom/dist", BASE_DIR / "node_modules" / "svg-pan-zoom" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if (DEBUG or TESTING)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Production and the demo serve the collected files through WhiteNoise (collectstatic first);
# tests' live server has its own static handler, so the test client does not scan the files
# again for every new client.
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if (DEBUG or DEMO_MODE)
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# The service's own address: every link in an e-mail is a full address on it (core.mail).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if (DEBUG or DEMO_MODE or TESTING) else "").rstrip("/")
# Read notices are removed after this many days (core.notifications.cleanup, daily).
NOTIFICATION_RETENTION_DAYS = int(os.environ.get("NOTIFICATION_RETENTION_DAYS", "180"))
# What a person holds (roles, permissions) is cached across requests for this long; every
# change to a membership or a role invalidates it at once (accounts.permissions).
PERMISSIONS_CACHE_SECONDS = int(os.environ.get("PERMISSIONS_CACHE_SECONDS", "300"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Osallisuus <noreply@osallisuus.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Redis shared by every app process when REDIS_URL is set; a Redis outage falls through to the
# database (core.cache.ResilientRedisCache). Sessions are then read from the cache first.
_redis_url = os.environ.get("REDIS_URL")
CACHES = {
    "default": (
        {
            "BACKEND": "osallisuus.core.cache.ResilientRedisCache",
            "LOCATION": _redis_url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if _redis_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db" if _redis_url else "django.contrib.sessions.backends.db"
)

TASKS = {
    "default": {
        # Tests run tasks at once. This is decided here, not later in conftest.py: a module with a
        # @task (core.notifications) imported from an AppConfig.ready() binds its backend then.
        "BACKEND": os.environ.get(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend" if TESTING else "django_tasks_db.DatabaseBackend",
        ),
    }
}

# A running task whose worker shows no sign of life for this long is marked failed (core.workers).
TASK_LOST_AFTER_SECONDS = int(os.environ.get("TASK_LOST_AFTER_SECONDS", str(3 * 60 * 60)))

OTP_TOTP_ISSUER = "Osallisuus"

# The smallest group whose figures are shown anywhere (small-cell suppression, core.suppression):
# a floor no caller can go under, never under 3.
SUPPRESSION_MIN_CELL_SIZE = max(
    3, int(os.environ.get("SUPPRESSION_MIN_CELL_SIZE", os.environ.get("MEASUREMENT_MIN_CELL_SIZE", "5")))
)
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Personal-data register: where the register test and data-subject rights look for models.
PERSONAL_DATA_APPS = [
    "accounts",
    "core",
    "privacy",
    "measurement",
    "activation",
    "experts",
    "networks",
    "funding",
    "budgeting",
    "identity",
]

# OpenID Connect login (osallisuus.identity, docs/identity.md). OIDC_PROVIDERS names the
# providers (e.g. "county,suomifi"); each is set by its own OIDC_<KEY>_* variables: ISSUER,
# CLIENT_ID, CLIENT_SECRET, LABEL_FI/_SV/_EN, ORGANISATIONS, SCOPES, STRONG_ACR, MFA_AMR...
# No providers: the login page shows the password form only.
def _identity_provider(key: str) -> dict[str, str]:
    prefix = f"OIDC_{key.upper().replace('-', '_')}_"
    return {name[len(prefix) :].lower(): value for name, value in os.environ.items() if name.startswith(prefix)}


IDENTITY_PROVIDERS = {key.lower(): _identity_provider(key) for key in env_list("OIDC_PROVIDERS")}
IDENTITY_HTTP_TIMEOUT_SECONDS = float(os.environ.get("OIDC_HTTP_TIMEOUT_SECONDS", "10"))
IDENTITY_LOGIN_MAX_SECONDS = int(os.environ.get("OIDC_LOGIN_MAX_SECONDS", "600"))
IDENTITY_INVITATION_DAYS = int(os.environ.get("OIDC_INVITATION_DAYS", "7"))
IDENTITY_PENDING_DAYS = int(os.environ.get("OIDC_PENDING_DAYS", "30"))
IDENTITY_SESSION_RECORD_DAYS = int(os.environ.get("OIDC_SESSION_RECORD_DAYS", "90"))


def _origin(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in {"http", "https"} and parts.netloc else ""


# The logout form's redirect goes on to the provider's end-session endpoint, which the
# Content-Security-Policy's form-action must allow (core.middleware).
CSP_FORM_ACTION_EXTRA = sorted(
    {
        origin
        for raw in IDENTITY_PROVIDERS.values()
        for origin in (_origin(raw.get("issuer", "")), _origin(raw.get("end_session_endpoint", "")))
        if origin
    }
)

LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "osallisuus.core.logging.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", **({"formatter": "json"} if LOG_FORMAT == "json" else {})}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.security.DisallowedHost": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}
AXES_VERBOSE = False
