"""File storage for uploads: one folder per organization under MEDIA_ROOT.

``TenantMediaStorage`` is django-tenants' ``TenantFileSystemStorage``
(``MEDIA_ROOT/<schema>/…``) with one fix: the upstream class caches its media root
the first time it is used and its ``setting_changed`` handler never clears that
cache when ``MEDIA_ROOT`` changes (it passes the settings module instead of the
setting's name to the parent and only reacts to ``MULTITENANT_RELATIVE_MEDIA_ROOT``;
django-tenants 3.x). A changed MEDIA_ROOT — a test's override, a restore into
another folder — was silently ignored for the rest of the process.
"""

from __future__ import annotations

from typing import Any

from django_tenants.files.storage import TenantFileSystemStorage


class TenantMediaStorage(TenantFileSystemStorage):
    """Per-organization media storage that follows MEDIA_ROOT/MEDIA_URL changes."""

    def _clear_cached_properties(self, setting: str, **kwargs: Any) -> None:
        super()._clear_cached_properties(setting, **kwargs)
        if setting in {"MEDIA_ROOT", "MULTITENANT_RELATIVE_MEDIA_ROOT"}:
            self.__dict__.pop("relative_media_root", None)
        if setting in {"MEDIA_URL", "MULTITENANT_RELATIVE_MEDIA_ROOT"}:
            self.__dict__.pop("relative_media_url", None)
