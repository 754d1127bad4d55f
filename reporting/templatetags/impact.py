"""Formatting for the impact pages (pure lookups, no queries)."""

from __future__ import annotations

from django import template

from reporting.figures import Figure

register = template.Library()

_EMPTY = Figure("", "", "", None)


@register.filter
def get_figure(figures: dict[str, Figure], key: str) -> Figure:
    """``figures[key]``, or an empty figure ("—") when a group lacks it."""
    return (figures or {}).get(key, _EMPTY)
