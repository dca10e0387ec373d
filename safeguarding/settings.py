"""Settings. Everything a partnership may need to change comes from the environment.

SAFEGUARDING_DATA_DIR holds the SQLite database and the generated secret key when
DATABASE_URL and SAFEGUARDING_SECRET_KEY are not given.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("SAFEGUARDING_DATA_DIR", Path.cwd() / "var"))


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    if key := os.environ.get("SAFEGUARDING_SECRET_KEY"):
        return key
    path = DATA_DIR / ".secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = _env_bool("SAFEGUARDING_DEBUG")
ALLOWED_HOSTS = os.environ.get(
    "SAFEGUARDING_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver"
).split(",")
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("SAFEGUARDING_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]

INSTALLED_APPS = [
    # First, so that its templates win over the contrib apps' (django.contrib.auth ships a
    # registration/password_reset_subject.txt that would otherwise replace ours).
    "safeguarding.core",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_htmx",
    "crispy_forms",
    "crispy_forms_gds",
    "django_tasks",
    "django_tasks_db",
    "safeguarding.lado",
    "safeguarding.children",
    "safeguarding.actions",
    "safeguarding.child_deaths",
    "safeguarding.private_fostering",
    "safeguarding.missing",
    "safeguarding.case_reviews",
    "safeguarding.training",
    "safeguarding.performance",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified()
    "safeguarding.core.two_factor.TwoFactorMiddleware",  # after it: enrol or verify first
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "safeguarding.core.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "safeguarding.urls"
WSGI_APPLICATION = "safeguarding.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "safeguarding.core.context_processors.partnership",
                "safeguarding.core.two_factor.demo_mode",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'safeguarding.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # PostgreSQL's JIT compiles a plan when its cost estimate is high: for a year's report
    # (tens of thousands of rows) compiling took longer than running it (docs/performance.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
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
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after inactivity (minutes, configurable).
SESSION_IDLE_MINUTES = int(os.environ.get("SAFEGUARDING_SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Production (SAFEGUARDING_PRODUCTION=1, behind HTTPS): secure cookies, HSTS, redirect to
# HTTPS; `safeguarding check --deploy` is then clean. Off for the demo and the tests,
# which are served over plain HTTP on this machine.
PRODUCTION = _env_bool("SAFEGUARDING_PRODUCTION")
if PRODUCTION and DEBUG:
    raise RuntimeError("SAFEGUARDING_DEBUG must be off when SAFEGUARDING_PRODUCTION is on")
SESSION_COOKIE_SECURE = PRODUCTION or _env_bool("SAFEGUARDING_SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = PRODUCTION
SECURE_HSTS_SECONDS = 31_536_000 if PRODUCTION else 0  # a year
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
# Behind a reverse proxy that terminates TLS and sets X-Forwarded-Proto.
if _env_bool("SAFEGUARDING_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Lockout after repeated failures (django-axes).
AXES_FAILURE_LIMIT = int(os.environ.get("SAFEGUARDING_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
# Per account: five failures lock the account, from wherever they come. Per address: many
# failures from one address over any accounts (one password tried on many usernames) lock
# that address; its limit is higher, as an office's staff share one address
# (core/views.py, from django-axes's own records).
AXES_LOCKOUT_PARAMETERS = ["username"]
# django-axes warns when its own parameters leave out the address: the address is limited,
# with its own (higher) limit, by core/views.py sign_in from axes's records.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
LOGIN_FAILURES_PER_IP = int(os.environ.get("SAFEGUARDING_LOGIN_FAILURES_PER_IP", "20"))
# Password reset requests: per address and per email address, in an hour.
PASSWORD_RESETS_PER_IP_HOUR = int(os.environ.get("SAFEGUARDING_PASSWORD_RESETS_PER_IP", "10"))
PASSWORD_RESETS_PER_EMAIL_HOUR = 3
AXES_USERNAME_FORM_FIELD = "username"


def _axes_username(request, credentials=None) -> str:
    """Email addresses are matched without regard to case, so count failures that way:
    otherwise "Officer@..." and "officer@..." would each get their own five attempts."""
    if credentials:
        username = credentials.get(AXES_USERNAME_FORM_FIELD)
    else:
        username = getattr(request, "data", request.POST).get(AXES_USERNAME_FORM_FIELD)
    return (username or "").strip().lower()


AXES_USERNAME_CALLABLE = _axes_username
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Two-factor sign-in (django-otp): an authenticator app (TOTP) and ten single-use recovery
# codes. Required of everyone whose highest role in any module is listed here, and of
# partnership administrators when "administrator" is; others may set it up if they wish.
TWO_FACTOR_ROLE_NAMES = ("reader", "contributor", "officer", "manager", "administrator")
TWO_FACTOR_ROLES = [
    name.strip().lower()
    for name in os.environ.get(
        "SAFEGUARDING_TWO_FACTOR_ROLES", "officer,manager,administrator"
    ).split(",")
    if name.strip()
]
if unknown := sorted(set(TWO_FACTOR_ROLES) - set(TWO_FACTOR_ROLE_NAMES)):
    raise ImproperlyConfigured(
        f"SAFEGUARDING_TWO_FACTOR_ROLES: unknown role {', '.join(unknown)} "
        f"(use {', '.join(TWO_FACTOR_ROLE_NAMES)})"
    )
TWO_FACTOR_RECOVERY_CODES = 10
# The demo site only (make demo): nobody is asked for a second factor, and every page says
# so. Never set it where real people's data is kept.
DEMO_MODE = _env_bool("SAFEGUARDING_DEMO")
if DEMO_MODE and PRODUCTION:
    raise ImproperlyConfigured("SAFEGUARDING_DEMO must be off when SAFEGUARDING_PRODUCTION is on")


def _otp_issuer(device) -> str:
    """The name an authenticator app shows beside the codes: the partnership's."""
    from django.conf import settings

    return settings.PARTNERSHIP_NAME


OTP_TOTP_ISSUER = _otp_issuer
OTP_TOTP_THROTTLE_FACTOR = 1  # wrong codes: wait 1, 2, 4, 8... seconds before the next try
OTP_STATIC_THROTTLE_FACTOR = 1

EMAIL_BACKEND = os.environ.get(
    "SAFEGUARDING_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("SAFEGUARDING_FROM_EMAIL", "safeguarding@localhost")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Strict content security policy: no inline script or style except by nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],  # no inline script anywhere: nothing needs a nonce
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Imports: the web upload refuses bigger files; the command line has no limit.
IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("SAFEGUARDING_IMPORT_MAX_UPLOAD_BYTES", 20_000_000))
# A bigger web upload is checked and written by the task queue behind a progress page.
IMPORT_BACKGROUND_BYTES = int(os.environ.get("SAFEGUARDING_IMPORT_BACKGROUND_BYTES", 1_000_000))
# Every import (web and command line): a file is read by the cells it really holds, never
# by the size a workbook declares, and refused whole past these limits.
IMPORT_MAX_ROWS = int(os.environ.get("SAFEGUARDING_IMPORT_MAX_ROWS", 1_000_000))
IMPORT_MAX_COLUMNS = 200  # a value further right is refused
IMPORT_MAX_CELL_CHARS = 10_000  # a cell of a column without a length of its own
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "safeguarding.core.imports.LimitedUploadHandler",
]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_000_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_500_000

# The address users reach the service at, for links in emails (e.g. https://lscp.example.org).
SITE_URL = os.environ.get("SAFEGUARDING_SITE_URL", "http://127.0.0.1:8000")

# The partnership's own name, shown in the header and reports.
PARTNERSHIP_NAME = os.environ.get(
    "SAFEGUARDING_PARTNERSHIP_NAME", "Safeguarding Children Partnership"
)

# Statutory timescales and local rules (domain.md marks them configurable). Each area may
# change them here; the modules read them from settings with these defaults.
CASE_REVIEW_LCSPR_MONTHS = 6  # a local review is published within this many months
# Working Together to Safeguard Children 2018, chapter 4: notify the national Panel within 5
# working days of becoming aware of a serious incident; the rapid review within 15 working
# days of the notification.
CASE_REVIEW_NOTIFICATION_WORKING_DAYS = 5
CASE_REVIEW_RAPID_REVIEW_WORKING_DAYS = 15
# The recorded date each clock counts from (case_reviews.rules.START_EVENTS): an area whose
# procedure counts the rapid review from the local authority becoming aware sets
# CASE_REVIEW_RAPID_REVIEW_FROM = "la_aware_date".
CASE_REVIEW_NOTIFICATION_FROM = "la_aware_date"
CASE_REVIEW_RAPID_REVIEW_FROM = "notification_date"
CASE_REVIEW_PUBLICATION_FROM = "review_start_date"
CHILD_DEATHS_REVIEW_MONTHS = 6  # reviews outstanding longer than this after the death are flagged
CHILD_DEATHS_FORM_DUE_DAYS = 28  # default due date of an agency reporting form
PRIVATE_FOSTERING_FIRST_VISIT_WORKING_DAYS = 7
PRIVATE_FOSTERING_FIRST_YEAR_VISIT_WEEKS = 6
PRIVATE_FOSTERING_LATER_VISIT_WEEKS = 12
PRIVATE_FOSTERING_NOTICE_WEEKS = 6
PRIVATE_FOSTERING_MIN_DAYS = 28
PRIVATE_FOSTERING_AGE_LIMIT = 16
PRIVATE_FOSTERING_DISABLED_AGE_LIMIT = 18
PRIVATE_FOSTERING_REMINDER_DAYS_AHEAD = 14
MISSING_RETURN_INTERVIEW_HOURS = 72
MISSING_REPEAT_EPISODES = 3  # repeat missing: this many episodes ...
MISSING_REPEAT_DAYS = 90  # ... within this many days
TRAINING_REGISTER_WORKING_DAYS = 1  # the attendance register is marked within this (working)
TRAINING_CANCELLATION_DAYS = 3  # delegates may cancel up to this many days before a session
TRAINING_LINK_DAYS = 200  # a delegate's signed link lasts this long
TRAINING_BOOKINGS_PER_IP_HOUR = 10  # throttles on the public booking form
TRAINING_BOOKINGS_PER_EMAIL_HOUR = 3
PERFORMANCE_CHILD_POPULATION = int(  # children under 18 (ONS mid-year estimate)
    os.environ.get("SAFEGUARDING_CHILD_POPULATION", "67600")
)
PERFORMANCE_RETURN_WORKING_DAYS = 15  # agency data returns are due this long after the period

# LADO rules (domain.md): configurable.
LADO_REFERRAL_WORKING_DAYS = 1
LADO_RESOLUTION_TARGETS = [  # (label, months, target share resolved)
    ("one month", 1, 80),
    ("three months", 3, 90),
    ("twelve months", 12, 100),
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # Never log request bodies or querystrings: they can carry personal data.
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}
