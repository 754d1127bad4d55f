"""Worker warm-up: what every process would otherwise pay on its first requests.

A gunicorn worker imports the project's settings and apps when it starts, but
Django imports the URLconfs (every view module of every app) on the first request
and compiles each template the first time it is rendered. On a busy 2-core
machine that first request took 2.7 s and a page's first render up to 0.9 s; under
``bench/load.py`` those few cold requests were the slowest pages' p95. ``warm()``
does that work at start-up instead, before the worker takes a request.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.template import engines
from django.template.exceptions import TemplateDoesNotExist, TemplateSyntaxError
from django.urls import get_resolver

logger = logging.getLogger(__name__)


def _template_names(directory: Path) -> list[str]:
    return sorted(
        str(path.relative_to(directory))
        for path in directory.rglob("*")
        if path.suffix in (".html", ".txt") and path.is_file()
    )


def warm() -> None:
    """Import every URLconf (and fill the reverse() tables) and compile the
    project's own templates into the cached loader. Never raises: a failure
    here only means the first request pays as before."""
    try:
        urlconfs = (
            settings.ROOT_URLCONF,
            getattr(settings, "PUBLIC_SCHEMA_URLCONF", ""),
        )
        for urlconf in dict.fromkeys(urlconfs):
            if urlconf:
                resolver = get_resolver(urlconf)
                resolver.url_patterns  # noqa: B018 - imports every view module
                resolver._populate()  # reverse()'s tables
        engine = engines["django"].engine  # type: ignore[attr-defined]
        base = Path(settings.BASE_DIR).resolve()
        directories = [Path(d) for d in engine.dirs]
        directories += [
            Path(config.path) / "templates"
            for config in apps.get_app_configs()
            if Path(config.path).resolve().is_relative_to(base)
            and (Path(config.path) / "templates").is_dir()
        ]
        for directory in dict.fromkeys(directories):
            for name in _template_names(directory):
                try:
                    engine.get_template(name)
                except (TemplateDoesNotExist, TemplateSyntaxError):
                    continue
    except Exception:  # warm-up must never stop a worker starting
        logger.exception("worker warm-up failed; the first requests will be slower")
