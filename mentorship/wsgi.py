import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")
application = get_wsgi_application()

# Production workers import the URLconfs and compile the templates before their
# first request (mentorship/warmup.py); the development server reloads too often.
# WEB_WARMUP=false turns it off (to measure the difference: bench/load.py).
from django.conf import settings  # noqa: E402

if not settings.DEBUG and os.environ.get("WEB_WARMUP", "true").lower() != "false":
    from mentorship.warmup import warm

    warm()
