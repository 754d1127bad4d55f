"""Test settings: the real settings plus a handful of speed and isolation overrides."""

import os

os.environ.setdefault("DEBUG", "true")

from mentorship.settings import *
from mentorship.settings import CACHES, STORAGES

STATIC_ROOT.mkdir(parents=True, exist_ok=True)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Real-worker tests (tests/notifications/test_worker_reliability.py) start workers
# with TEST_USE_SMTP=1 and EMAIL_HOST/EMAIL_PORT pointing at their SMTP sink.
if os.environ.get("TEST_USE_SMTP") != "1":
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
BASE_DOMAIN = "localhost"
ALLOWED_HOSTS = [".localhost", "localhost", "testserver"]
SECURE_SSL_REDIRECT = False
CACHES["default"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "KEY_FUNCTION": "django_tenants.cache.make_key",
    "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Plain static storage: pytest-django runs with DEBUG off, where the manifest storage
# needs every {% static %} file collected first (the suite does not run collectstatic).
# tests/test_static_serving.py collects once and checks the manifest storage itself.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

TENANT_FAN_OUT_SPREAD_SECONDS = 0
# A queue of this test run's own, so a leftover worker or message can't interfere.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TEST_QUEUE") or (
    f"mentorship-tests-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
)
CELERY_RESULT_BACKEND = CELERY_BROKER_URL
TENANT_SPARE_POOL_SIZE = 0  # tests that need the pool ask for it
