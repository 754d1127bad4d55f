"""Fields and widgets the program forms share: a list typed one per line, and
date and time inputs the browser shows as pickers."""

from __future__ import annotations

from django import forms

# The list field moved to mentorship.fields (member organizations use it too);
# kept importable from here.
from mentorship.fields import ListField

__all__ = ["DateInput", "ListField", "TimeInput"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)
