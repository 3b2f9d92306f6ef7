"""Settings for the portal, read from the environment.

Development defaults are safe and need no server: SQLite under ``var/``, a
generated secret kept under ``var/``, emails printed to the console. With
``PORTAL_ENV=production`` the site refuses to start without a real secret, a
database URL and allowed hosts.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.env import development_secret_key, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PORTAL_VAR_DIR", str(BASE_DIR / "var")))

PORTAL_ENV = env_str("PORTAL_ENV", "development")
if PORTAL_ENV not in {"development", "test", "production"}:
    raise ImproperlyConfigured("PORTAL_ENV must be development, test or production")
PRODUCTION = PORTAL_ENV == "production"

DEBUG = env_bool("DJANGO_DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be off when PORTAL_ENV=production")

SECRET_KEY = env_str("SECRET_KEY")
if PRODUCTION:
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY is required when PORTAL_ENV=production")
    if SECRET_KEY.startswith(("dev-", "django-insecure")) or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY looks like a development key: use at least 50 random characters"
        )
elif not SECRET_KEY:
    SECRET_KEY = development_secret_key(VAR_DIR / "secret_key")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required when PORTAL_ENV=production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Used in emails, which have no request to take the address from.
PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "appeals",
    "appeals.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # Django's widget templates, for the project-wide form renderer
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_q",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff sessions end after an idle time and in all (STAFF_SESSION_*_SECONDS).
    "portal.middleware.staff_session_expiry",
    # Cache-Control: private, no-store on everything that may hold personal data.
    "portal.middleware.private_responses",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.middleware.permissions_policy",
    "allauth.account.middleware.AccountMiddleware",
    # A database outage gives a 503 "try again" page keeping the form (portal/outage.py).
    "portal.outage.DatabaseOutageMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

# Every field through templates/includes/field.html (appeals/forms/renderer.py).
FORM_RENDERER = "appeals.forms.renderer.PortalFormRenderer"

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
                "appeals.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if PRODUCTION and not DATABASE_URL:
    raise ImproperlyConfigured("DATABASE_URL is required when PORTAL_ENV=production")
if not DATABASE_URL:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"

# Persistent connections: a new connection per request costs ~2.8x throughput
# on this machine kind (see docs/performance.md).
_default_db = dj_database_url.parse(
    DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 600), conn_health_checks=True
)
if _default_db["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock at BEGIN, so two writers
    # queue instead of failing to upgrade a read lock (the audit chain relies
    # on this to append in order).
    _default_db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    _default_db["TEST"] = {"NAME": env_str("SQLITE_TEST_NAME") or None}
DATABASES = {"default": _default_db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    # Shared between the web and worker processes, so allauth's rate limits
    # and used-TOTP-code records hold across processes.
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "portal_cache",
    }
}

# --- Accounts ---------------------------------------------------------------
AUTH_USER_MODEL = "appeals.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's backends, loading the user's roles with the user.
    "appeals.accounts.backends.PortalModelBackend",
    "appeals.accounts.backends.PortalAuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "appeals.accounts.adapter.PortalAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
# A password is optional: most people sign in by an emailed code.
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS_ENABLED = True  # allauth's defaults, kept in the shared cache
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"

# Staff see every case of their jurisdictions: their sessions end after this long
# without a request, and this long in all (other sessions: Django's two weeks).
STAFF_SESSION_IDLE_SECONDS = env_int("STAFF_SESSION_IDLE_SECONDS", 30 * 60)
STAFF_SESSION_MAX_SECONDS = env_int("STAFF_SESSION_MAX_SECONDS", 12 * 60 * 60)

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env_str("MFA_TOTP_ISSUER", "Redress portal")

# --- Email ------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Redress portal <no-reply@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
elif PRODUCTION:
    raise ImproperlyConfigured("EMAIL_HOST is required when PORTAL_ENV=production")
else:
    EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "emails"))

# --- Background tasks (django-q2) ---------------------------------------------
Q_CLUSTER = {
    "name": "portal",
    "orm": "default",
    "workers": env_int("Q_WORKERS", 2),
    # A task running longer than `timeout` is stopped; one whose worker died is
    # delivered again after `retry` (it must stay above `timeout`).
    "timeout": env_int("Q_TIMEOUT", 120),
    "retry": env_int("Q_RETRY", 180),
    "max_attempts": 5,
    "queue_limit": 50,
    "bulk": 10,
    "poll": 0.5,
    "catch_up": False,
    "sync": env_bool("Q_SYNC", default=False),
    "ack_failures": True,
}

# --- Deadlines -----------------------------------------------------------------
# Remind the assignee when this share of the time to decide has passed.
DEADLINE_REMINDER_SHARE = env_int("DEADLINE_REMINDER_PERCENT", 75) / 100

# --- Misuse (DSA Art. 23) ----------------------------------------------------------
MISUSE_WINDOW_DAYS = env_int("MISUSE_WINDOW_DAYS", 180)
MISUSE_WARN_AT = env_int("MISUSE_WARN_AT", 3)
MISUSE_SUSPEND_AT = env_int("MISUSE_SUSPEND_AT", 5)
MISUSE_SUSPENSION_DAYS = env_int("MISUSE_SUSPENSION_DAYS", 30)

# --- Abuse limits -------------------------------------------------------------
# The request header the TLS-terminating proxy sets to the client's address (for
# example X-Real-IP, or X-Forwarded-For, whose last address is used). Empty: the
# socket's address (REMOTE_ADDR). Set it only behind a proxy that overwrites it.
CLIENT_IP_HEADER = env_str("CLIENT_IP_HEADER")
# Following an anonymous report with its case number and PIN: tries per hour from
# one client address and for one case number, then a lock of PIN_LOCK_SECONDS.
PIN_ATTEMPTS_PER_IP = env_int("PIN_ATTEMPTS_PER_IP", 10)
PIN_ATTEMPTS_PER_CASE = env_int("PIN_ATTEMPTS_PER_CASE", 50)
PIN_LOCK_SECONDS = env_int("PIN_LOCK_SECONDS", 3600)
# Harm reports filed without an account, per client address and window.
REPORT_FILINGS_PER_IP = env_int("REPORT_FILINGS_PER_IP", 10)
REPORT_FILING_WINDOW_SECONDS = env_int("REPORT_FILING_WINDOW_SECONDS", 3600)

# --- Statistics and retention ------------------------------------------------------
STATS_SUPPRESS_BELOW = env_int("STATS_SUPPRESS_BELOW", 10)
# Public statistics pages reuse computed figures for this long (0 turns it off).
STATS_CACHE_SECONDS = env_int("STATS_CACHE_SECONDS", 300)
# Keep evidence and decision records until the appeal window (6 months) and the
# out-of-court window (up to 180 days) have closed.
# Per case type, in days after the case closed.
RETENTION_DAYS_APPEALS = env_int("RETENTION_DAYS_APPEALS", 366)
RETENTION_DAYS_REPORTS = env_int("RETENTION_DAYS_REPORTS", 366)

# --- Letters ------------------------------------------------------------------
# PAdES signing key and certificate (PEM files). Development generates a
# self-signed pair under var/signing/; production must name real ones.
LETTER_SIGNING_KEY_FILE = env_str("LETTER_SIGNING_KEY_FILE")
LETTER_SIGNING_CERT_FILE = env_str("LETTER_SIGNING_CERT_FILE")
LETTER_SIGNING_KEY_PASSPHRASE = env_str("LETTER_SIGNING_KEY_PASSPHRASE")
if PRODUCTION and not (LETTER_SIGNING_KEY_FILE and LETTER_SIGNING_CERT_FILE):
    raise ImproperlyConfigured(
        "LETTER_SIGNING_KEY_FILE and LETTER_SIGNING_CERT_FILE are required "
        "when PORTAL_ENV=production"
    )

# --- Audit checkpoints --------------------------------------------------------
# Signed heads of the audit chain (one JSON line each), kept outside the database
# so that truncating, wiping or recomputing the trail is still detected. Signed
# with the letter-signing key; certificates of keys used before a rotation go in
# AUDIT_CHECKPOINT_PAST_CERT_FILES so older checkpoints still verify.
PRIVATE_FILES_ROOT = Path(env_str("PRIVATE_FILES_ROOT", str(VAR_DIR / "private")))
AUDIT_CHECKPOINT_FILE = Path(
    env_str("AUDIT_CHECKPOINT_FILE", str(PRIVATE_FILES_ROOT / "audit" / "checkpoints.jsonl"))
)
AUDIT_CHECKPOINT_PAST_CERT_FILES = env_list("AUDIT_CHECKPOINT_PAST_CERT_FILES")

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Evidence is private: it lives outside any served folder and is only
    # streamed by views that check permission. There is no MEDIA_URL.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_FILES_ROOT)},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- Security -----------------------------------------------------------------
# Everything the site loads comes from itself; no inline script or style anywhere.
# data: images only for the TOTP QR code allauth draws.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "interest-cohort=(), browsing-topics=()"
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
    SILENCED_SYSTEM_CHECKS: list[str] = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # WeasyPrint logs every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

ADMINS = [("Operations", a) for a in env_list("ADMIN_EMAILS")]
