"""Settings, read from the environment. Production differs from development only by
environment values; every variable is listed in .env.example and the README."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from mentorship.env import celery_broker_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-never-used-in-production"  # noqa: S105

# Organizations live at <slug>.<BASE_DOMAIN>; the platform site at BASE_DOMAIN itself.
BASE_DOMAIN = env_str("BASE_DOMAIN", "localhost") or "localhost"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", f".{BASE_DOMAIN},{BASE_DOMAIN}")
# Scheme and port used for absolute links built outside a request (emails from tasks).
SITE_SCHEME = env_str("SITE_SCHEME", "http" if DEBUG else "https") or "https"
SITE_PORT = env_str("SITE_PORT", "") or ""

# --- Tenancy -----------------------------------------------------------------------
SHARED_APPS = [
    "django_tenants",
    "mentorship.organizations",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "mentorship.accounts",
    "auditlog",
    "mentorship.audit",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "allauth",
    "allauth.account",
    "django_htmx",
    "template_partials",
    "csp",
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "mentorship.accounts",
    # The audit log (django-auditlog's LogEntry) and consent records: in every
    # organization's schema, and in public for the platform's own staff.
    "auditlog",
    "mentorship.audit",
    "django.contrib.sessions",
    "django.contrib.admin",
    "django.contrib.messages",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "import_export",
    "mentorship.notifications",
    # Member organizations (org-to-org mentoring): below programs, which uses them.
    "members",
    "programs",
    "matching",
    "checkins",
    "reporting",
    # Above every domain app: a person's data export, erasure, retention.
    "privacy",
]
# The demo (its seed_demo command) has no models, so it is in neither schema list: like
# create_org it runs from the public schema and enters each organization's schema itself.
INSTALLED_APPS = [
    *SHARED_APPS,
    *(a for a in TENANT_APPS if a not in SHARED_APPS),
    "demo",
]

TENANT_MODEL = "organizations.Organization"
TENANT_DOMAIN_MODEL = "organizations.Domain"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
PUBLIC_SCHEMA_URLCONF = "mentorship.urls_public"
ROOT_URLCONF = "mentorship.urls"
# New organizations are cloned from this migrated schema (a tenant row of its own,
# so every migrate_schemas run migrates it too; see organizations.services).
TENANT_BASE_SCHEMA = "org_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
TENANT_LIMIT_SET_CALLS = True
# Ready clones of the template kept in reserve, so creating an organization is a rename.
TENANT_SPARE_POOL_SIZE = env_int("TENANT_SPARE_POOL_SIZE", 2)

# --- Database and cache ---------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mentorship")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL or "", conn_max_age=60, conn_health_checks=True
    )
}
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0") or ""
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # Tenant-prefixed keys: allauth's rate limits and cached pages never collide.
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}

# --- Requests ----------------------------------------------------------------------------
MIDDLEWARE = [
    "django_tenants.middleware.main.TenantMainMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # An organization whose schema lags behind the code (mid-deploy): 503, not errors.
    "mentorship.organizations.middleware.LaggingSchemaMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Audit entries get the request's user and client address (mentorship/audit).
    "mentorship.audit.middleware.AuditMiddleware",
    # A NUL in any query parameter or form field: 400 with a message (badinput.py).
    "mentorship.badinput.RefuseNulMiddleware",
    "mentorship.badinput.StoredZoneFallbackMiddleware",
    "mentorship.accounts.viewer_zone.ViewerZoneMiddleware",
    "mentorship.accounts.middleware.NoStoreForAuthenticatedMiddleware",
    "mentorship.accounts.middleware.HtmxLoginRedirectMiddleware",
    "mentorship.accounts.middleware.StaffTwoFactorMiddleware",
]

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
                "mentorship.accounts.context_processors.navigation",
            ],
        },
    }
]
WSGI_APPLICATION = "mentorship.wsgi.application"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / ".data" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "mentorship.storage.TenantMediaStorage"},
    # collectstatic writes hashed names (app.3f2a….css) and gzip copies; WhiteNoise
    # serves hashed files with a ten-year `immutable` cache. With DEBUG on, {% static %}
    # gives plain names and runserver/WhiteNoise find the files without collectstatic.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = BASE_DIR / ".data" / "media"
MEDIA_URL = "/media/"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Admin imports (django-import-export) run in one transaction: all rows or none.
IMPORT_EXPORT_USE_TRANSACTIONS = True

# --- Sessions, cookies, transport -----------------------------------------------------------
# Cookies are host-only (no Domain attribute): a login on one organization's host is
# never sent to another's. Over HTTPS they also get the __Host- prefix.
SECURE_COOKIES = env_bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_NAME = "__Host-sessionid" if SECURE_COOKIES else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if SECURE_COOKIES else "csrftoken"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 3600
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Accounts (allauth) ---------------------------------------------------------------------
ACCOUNT_ADAPTER = "mentorship.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_RATE_LIMITS = {"login_failed": "5/5m/key,20/5m/ip"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Every allauth setting is read through this getter, which binds salts (the
# email-confirmation keys') to the organization's schema: ids restart per schema.
ALLAUTH_SETTING_GETTER = "mentorship.organizations.signing.allauth_setting"
# Password-reset and invitation keys bind the schema too.
ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR = (
    "mentorship.accounts.tokens.SchemaBoundPasswordResetTokenGenerator"  # noqa: S105
)
# Flash messages live in the (per-schema) session, not in a signed cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# The client address for per-IP rate limits: behind N proxies you run, the Nth
# X-Forwarded-For entry from the right (0 = the connecting address, no proxy), or a
# header your proxy sets (e.g. X-Real-IP). Never trust more hops than you run.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if ALLAUTH_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more")
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env_str("TRUSTED_CLIENT_IP_HEADER", "") or None
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# --- Email --------------------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST", "") or ""
# --- Audit log (django-auditlog; mentorship/audit) ---------------------------------------------
# Model changes logged automatically; other actions through audit.services.record.
# Only what the audit needs: roles and permissions, groups, share links — never names,
# profiles or what people wrote (the log is append-only and outlives an erasure).
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    {
        "model": "accounts.User",
        "include_fields": ["role", "is_active", "is_staff", "is_superuser"],
        "m2m_fields": {"groups", "user_permissions"},
    },
    {"model": "auth.Group", "include_fields": ["name"], "m2m_fields": {"permissions"}},
    {
        "model": "reporting.SharedReport",
        "include_fields": ["program", "label", "expires_at", "revoked_at"],
    },
    {"model": "privacy.RetentionPolicy", "include_fields": ["months"]},
)
AUDITLOG_STORE_JSON_CHANGES = True

EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "") or ""
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Mentorship <noreply@localhost>")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    raise ImproperlyConfigured("EMAIL_HOST must be set when DEBUG is off")

# --- Celery -----------------------------------------------------------------------------------------
CELERY_BROKER_URL = celery_broker_url(REDIS_URL)
CELERY_RESULT_BACKEND: str | None = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
# Off: on a broker connection loss Celery would SIGTERM running tasks, which can land
# between an SMTP send and its "sent" mark (a duplicate). Our tasks are idempotent
# claims, so letting them finish is safe; a redelivered message is just "skipped".
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Above the longest task run; no long ETAs are used (due sends wait in PostgreSQL).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)
}
CELERY_TASK_TENANT_CACHE_SECONDS = 60
TENANT_FAN_OUT_SPREAD_SECONDS = env_int("TENANT_FAN_OUT_SPREAD_SECONDS", 20)
CELERY_BEAT_SCHEDULE = {
    "tenant-heartbeat": {
        "task": "mentorship.organizations.tasks.tenant_fan_out_task",
        "schedule": 60.0,
        "args": ["mentorship.organizations.tasks.tenant_heartbeat_task"],
    },
    # The outbox tick: claim due notifications in every organization, sweep lost ones.
    "notifications-dispatch-due": {
        "task": "mentorship.organizations.tasks.tenant_fan_out_task",
        "schedule": float(env_int("NOTIFICATION_DISPATCH_SECONDS", 60)),
        "args": ["mentorship.notifications.tasks.notifications_dispatch_due_task"],
    },
    # "You're due to meet" digest nudges for pairs whose cadence has lapsed.
    "checkins-nudges-create": {
        "task": "mentorship.organizations.tasks.tenant_fan_out_task",
        "schedule": 3600.0,
        "args": ["checkins.tasks.checkins_nudges_create_task"],
    },
    # "Finish your training" digest nudges while programs enrol or match.
    "programs-training-due-nudges-create": {
        "task": "mentorship.organizations.tasks.tenant_fan_out_task",
        "schedule": 3600.0,
        "args": ["programs.tasks.training_due_nudges_create_task"],
    },
    # Coordinators' at-risk digest; hourly runs, the dedupe key makes it weekly.
    "checkins-coordinator-risk-digest-create": {
        "task": "mentorship.organizations.tasks.tenant_fan_out_task",
        "schedule": 3600.0,
        "args": ["checkins.tasks.coordinator_risk_digest_create_task"],
    },
    # Survey assignments for program events (approval, N weeks into a match, match
    # end, program close); idempotent, so it also catches a lost immediate task.
    "reporting-survey-assignments-sweep": {
        "task": "mentorship.organizations.tasks.tenant_fan_out_task",
        "schedule": 3600.0,
        "args": ["reporting.tasks.survey_assignments_sweep_task"],
    },
    # Retention: anonymise people of programs closed longer ago than the period,
    # delete expired data exports (privacy app). Hourly; idempotent, the day counts.
    "privacy-retention-run": {
        "task": "mentorship.organizations.tasks.tenant_fan_out_task",
        "schedule": 3600.0,
        "args": ["privacy.tasks.retention_run_task"],
    },
    # Digest reminders for unanswered surveys (7, 3, 1 and 0 days before due).
    "reporting-survey-reminders-create": {
        "task": "mentorship.organizations.tasks.tenant_fan_out_task",
        "schedule": 3600.0,
        "args": ["reporting.tasks.survey_reminders_create_task"],
    },
}
# Celery's Django fixup closes every DB connection after every task (a PostgreSQL
# login per task, FINDINGS B3); with this it closes them every N tasks, and
# mentorship.celery drops spoiled or CONN_MAX_AGE-old ones after each task.
CELERY_DB_REUSE_MAX = env_int("CELERY_DB_REUSE_MAX", 1000)

# --- Notifications (outbox; design in mentorship/notifications/services/__init__.py) --------
NOTIFICATION_MAX_ATTEMPTS = 5
# A queued row whose message is older than this (queue idle) / this (backlog) is re-enqueued.
NOTIFICATION_REQUEUE_AFTER_SECONDS = env_int("NOTIFICATION_REQUEUE_AFTER_SECONDS", 60)
NOTIFICATION_REQUEUE_AFTER_BUSY_SECONDS = env_int(
    "NOTIFICATION_REQUEUE_AFTER_BUSY_SECONDS", 600
)
# A row `sending` longer than this lost its worker mid-send: it becomes `unknown`.
NOTIFICATION_SENDING_TIMEOUT_SECONDS = env_int(
    "NOTIFICATION_SENDING_TIMEOUT_SECONDS", 300
)
NOTIFICATION_DELIVERY_BATCH_SIZE = env_int("NOTIFICATION_DELIVERY_BATCH_SIZE", 20)

# --- Logging ----------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"tenant_context": {"()": "django_tenants.log.TenantContextFilter"}},
    "formatters": {
        "tenant": {
            "format": "%(asctime)s %(levelname)s [%(schema_name)s] %(name)s: %(message)s"
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["tenant_context"],
            "formatter": "tenant",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
