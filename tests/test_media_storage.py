"""Uploaded files follow MEDIA_ROOT when it changes (a test's override), per schema.

django-tenants' storage caches the media root the first time it is used and never
clears it when MEDIA_ROOT changes, so a test that overrode MEDIA_ROOT first left every
later test in the process writing into that test's deleted temporary folder — while a
server process read the real one (the privacy browser test's download answered 500).
"""

from __future__ import annotations

from pathlib import Path

from django.core.files.storage import default_storage
from django_tenants.utils import schema_context


def test_media_root_override_is_followed_and_undone(settings, tmp_path, db):
    with schema_context("org_alpha"):
        before = Path(default_storage.path("privacy-exports/a.zip"))
        settings.MEDIA_ROOT = str(tmp_path / "media")
        inside = Path(default_storage.path("privacy-exports/a.zip"))
    assert inside == tmp_path / "media" / "org_alpha" / "privacy-exports" / "a.zip"
    settings.MEDIA_ROOT = str(before.parents[2])
    with schema_context("org_alpha"):
        assert Path(default_storage.path("privacy-exports/a.zip")) == before
