"""Formatting filters for the survey templates (no queries, no decisions)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def field_name(question: Any) -> str:
    return f"q{question.pk}"


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    if not mapping:
        return None
    return mapping.get(f"q{key}") if isinstance(key, int) else mapping.get(key)


@register.filter
def get_list(mapping: dict, key: str) -> list:
    return list((mapping or {}).get(key) or [])


@register.filter
def value_of(mapping: dict, key: str) -> str:
    values = (mapping or {}).get(key) or []
    return values[0] if values else ""


@register.filter
def is_chosen(option: str, chosen: list) -> bool:
    return option in chosen


@register.filter
def scale_range(question: Any) -> range:
    low, high = question.scale
    return range(low, high + 1)


@register.filter
def percent(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.0f} %"


@register.filter
def one_decimal(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


@register.filter
def signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+.1f}"


@register.filter
def row_field(question: Any, row: int) -> str:
    return f"q{question.pk}-{row}"
