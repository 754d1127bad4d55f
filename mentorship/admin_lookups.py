"""The admin filters only on what it shows.

Django's admin accepts a URL lookup on any field of the model
(``/admin/checkins/meetinglog/?shared_notes__contains=x``), so a count recovers hidden
text a character at a time, and ``?id__regex=(`` reaches PostgreSQL as a broken regex
(a 500). Every ModelAdmin of the project mixes in ``ShownLookupsOnlyMixin``
(tests/security/test_admin_lookups.py checks all registered ones): a lookup is allowed
only on a ``list_filter`` entry, the ``date_hierarchy`` field, or a path declared in
``extra_lookups``, and only with comparison suffixes (``exact``, ``in``, ``isnull``,
ranges, date parts) — never ``contains``/``regex``/``startswith`` or a hop to another
field. Anything else is ``DisallowedModelAdminLookup``: a 400.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.admin.filters import SimpleListFilter
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest

#: Suffixes a filter link may add after a filtered field: comparisons and date parts,
#: never text matching (contains, startswith, regex, search…) or another field.
COMPARISON_SUFFIXES = frozenset(
    {
        "exact",
        "isnull",
        "in",
        "gt",
        "gte",
        "lt",
        "lte",
        "range",
        "id",
        "pk",
        "year",
        "month",
        "day",
    }
)


if TYPE_CHECKING:
    # The mixin only ever sits on a ModelAdmin: type it as one (model, list_filter…).
    _MixinBase = admin.ModelAdmin[Any]
else:
    _MixinBase = object


def _has_nul(value: Any) -> bool:
    return "\x00" in str(value)


class ShownLookupsOnlyMixin(_MixinBase):
    """``lookup_allowed`` limited to what the changelist offers (and NUL-free values;
    the search box refuses NUL by itself).

    ``extra_lookups``: further field paths a page of this project links to with a
    filter (``"match"`` allows ``?match__id__exact=7``); keep them to fields shown.
    """

    extra_lookups: tuple[str, ...] = ()

    def lookup_allowed(self, lookup: str, value: Any, request=None) -> bool:
        if _has_nul(value):
            return False
        # Raw-id pop-ups pass ForeignKey.limit_choices_to as lookups (Django's rule).
        for fk_lookup in self.model._meta.related_fkey_lookups:
            if callable(fk_lookup):
                fk_lookup = fk_lookup()
            if (lookup, value) in widgets.url_params_from_lookup_dict(
                fk_lookup
            ).items():
                return True
        for base in self.filterable_paths(request):
            if lookup == base:
                return True
            prefix = base + LOOKUP_SEP
            if lookup.startswith(prefix) and all(
                part in COMPARISON_SUFFIXES
                for part in lookup[len(prefix) :].split(LOOKUP_SEP)
            ):
                return True
        return False

    def filterable_paths(self, request: HttpRequest | None) -> set[str]:
        """Field paths (and simple filters' parameters) the changelist may filter on."""
        paths = set(self.extra_lookups)
        if self.date_hierarchy:
            paths.add(self.date_hierarchy)
        list_filter = (
            self.get_list_filter(request) if request is not None else self.list_filter
        )
        for item in list_filter:
            if isinstance(item, type) and issubclass(item, SimpleListFilter):
                # Django requires parameter_name on a SimpleListFilter.
                paths.add(cast(str, item.parameter_name))
            # The project's other entries name fields by path (a str), never by a
            # Field object or a bare ListFilter class, which the stubs also allow.
            elif isinstance(item, (list, tuple)):
                paths.add(cast(str, item[0]))
            else:
                paths.add(cast(str, item))
        return paths


class ModelAdmin(ShownLookupsOnlyMixin, admin.ModelAdmin):
    """The project's ModelAdmin base: filters only on what it shows."""
