"""Fields and widgets the program forms share: a list typed one per line, and
date and time inputs the browser shows as pickers."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError


def _split_list(value: str) -> list[str]:
    """Items one per line or separated by commas/semicolons."""
    return [item.strip() for item in re.split(r"[\n,;]", value or "") if item.strip()]


class ListField(forms.CharField):
    """A list of short strings typed one per line (or comma-separated)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *, item_max_length: int = 80, max_items: int = 30, **kwargs):
        self.item_max_length = item_max_length
        self.max_items = max_items
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value):
        items = _split_list(super().to_python(value))
        if len(items) > self.max_items:
            raise ValidationError(f"At most {self.max_items} entries.")
        if any(len(item) > self.item_max_length for item in items):
            raise ValidationError(
                f"Keep each entry under {self.item_max_length} characters."
            )
        return items


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)
