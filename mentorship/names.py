"""People's names in lists: sorted the way readers expect, in any script.

PostgreSQL's default collation here is byte order ("C.UTF-8"): "Đặng" and "Émile"
sort after "Zhang". ``person_name`` is an ICU collation (CLDR root, "und"), made
by accounts migration 0004 in the public schema, so every organization's schema
sees it: "Đặng" sorts with D, "Émile" with E. Where PostgreSQL was built without
ICU (the embedded development server) the migration makes it a copy of "C"
instead, and lists sort in byte order as before.
"""

from __future__ import annotations

from django.db.models import F, OrderBy
from django.db.models.functions import Collate

NAME_COLLATION = "person_name"


def by_name(path: str, *, descending: bool = False) -> OrderBy:
    """An ORDER BY term for the text at ``path`` (e.g. "participant__user__full_name")
    in the ``person_name`` collation."""
    term = Collate(F(path), NAME_COLLATION)
    return term.desc() if descending else term.asc()


def order_term(key: str, *, descending: bool = False) -> OrderBy | str:
    """``key`` as an ORDER BY term: names (a path ending in ``full_name``) by
    ``by_name``, anything else as Django's ``"-key"`` / ``"key"``."""
    if key.endswith("full_name"):
        return by_name(key, descending=descending)
    return f"-{key}" if descending else key
