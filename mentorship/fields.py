"""Shared field validation for text people type: one rule, applied at every entry.

Names and other single-line fields refuse control characters (C0 incl. NUL, TAB,
CR, LF; DEL; C1), line and paragraph separators (U+2028/U+2029) and the bidi
embedding/override/isolate controls (U+202A–U+202E, U+2066–U+2069): they break
email headers and .ics lines, and make text display as something it is not
(Trojan Source, CVE-2021-42574). Time zones must be IANA names.

Before any check, text people type is normalised (``normalize_text``): Unicode NFC
(a Mac writes "é" as "e" + a combining accent; stored like that, a search typed
on another machine finds nothing) and spaces trimmed at both ends, no-break and
zero-width ones too. Emails are also lower-cased (``normalize_email``): one
account per address, whatever the capitals.

- ``normalize_text`` / ``normalize_email``: the normalisation, pure.
- ``validate_single_line`` / ``validate_time_zone``: the validators.
- ``SingleLineCharField`` / ``TimeZoneField`` / ``LowercaseEmailField``: model
  fields carrying them, so model forms, the admin, ``full_clean`` in services and
  every save (``bulk_create`` too) apply them.
- ``SingleLineFormField`` / ``TimeZoneFormField``: the same for plain forms.
- ``BoundedDateField`` / ``BoundedDateTimeField`` and ``instant_from_iso``: dates
  people type are refused outside 1900-2199, before any arithmetic (a local time
  in year 1 or 9999 overflows when moved to UTC, a ``datetime`` ends at 9999).

The model fields deconstruct as a plain ``CharField``: validators run in Python
only and change nothing in the database, so they need no migration.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from mentorship.accounts.timezones import is_valid_zone, zone_choices

# Bidi embeddings/overrides (LRE RLE PDF LRO RLO) and isolates (LRI RLI FSI PDI).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LINE_SEPARATORS = frozenset("\u2028\u2029")
_NAMES = {
    "\x00": "a NUL character",
    "\t": "a tab",
    "\n": "a line break",
    "\r": "a carriage return",
}


# Trimmed besides what str.strip() removes (it already takes no-break spaces):
# zero-width space and the byte-order mark / zero-width no-break space.
_INVISIBLE_EDGES = "\u200b\ufeff"


def normalize_text(value: str) -> str:
    """``value`` in Unicode NFC with spaces trimmed at both ends (incl. no-break
    and zero-width spaces). E.g. ``"\u00a0Jose\u0301 "`` → ``"José"``."""
    value = unicodedata.normalize("NFC", value)
    previous = None
    while previous != value:
        previous, value = value, value.strip().strip(_INVISIBLE_EDGES)
    return value


def normalize_email(value: str) -> str:
    """An email address as stored: normalised text, lower-cased.
    ``" Anh.Tran@Globex.example"`` → ``"anh.tran@globex.example"``."""
    return normalize_text(value).lower()


# The same set as a regex, for speed on imports' many cells: category Cc is exactly
# U+0000-001F, U+007F-009F.
_FORBIDDEN = re.compile(
    "[\x00-\x1f\x7f-\x9f"
    + "".join(sorted(BIDI_CONTROLS | LINE_SEPARATORS))
    + "]"
)


def forbidden_character(value: str) -> str | None:
    """The first character a single-line field refuses (a control character:
    Unicode category Cc; a line or paragraph separator; a bidi control), or None."""
    match = _FORBIDDEN.search(value)
    return match.group() if match else None


def describe_character(char: str) -> str:
    return _NAMES.get(char) or f"the invisible character U+{ord(char):04X}"


def validate_single_line(value: object) -> None:
    """Refuse control characters, line breaks and bidi controls (see module doc)."""
    if not isinstance(value, str):
        return
    char = forbidden_character(value)
    if char is not None:
        raise ValidationError(
            f"Remove {describe_character(char)}: this field takes a single line of "
            "plain text, without control or text-direction characters.",
            code="control_character",
        )


def validate_time_zone(value: object) -> None:
    """Refuse anything that is not one of the IANA zone names people can pick."""
    if not isinstance(value, str) or not is_valid_zone(value):
        raise ValidationError(
            f"{str(value)[:80]!r} is not a time zone; choose a name such as "
            "Europe/Warsaw or America/Chicago.",
            code="time_zone",
        )


EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2199, 12, 31)
DATE_RANGE_MESSAGE = "Enter a date between 1900 and 2199."


def validate_date_in_range(value: object) -> None:
    """Refuse a date (or datetime) outside EARLIEST_DATE..LATEST_DATE."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    if isinstance(day, datetime.date) and not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_range")


def instant_from_iso(text: str) -> datetime.datetime | None:
    """An aware ISO 8601 instant in UTC, or None when ``text`` is not one (no
    offset, not ISO, or outside the range above)."""
    try:
        instant = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    if instant.tzinfo is None or instant.utcoffset() is None:
        return None
    try:
        validate_date_in_range(instant)
        return instant.astimezone(datetime.UTC)
    except (ValidationError, OverflowError):
        return None


class BoundedDateField(forms.DateField):
    """A date in 1900-2199."""

    default_validators = [validate_date_in_range]


class BoundedDateTimeField(forms.DateTimeField):
    """A date and time in 1900-2199 (Django's parsing already turns a value that
    cannot be made aware into a form error)."""

    default_validators = [validate_date_in_range]


class SingleLineFormField(forms.CharField):
    """A form CharField, normalised (NFC, trimmed), that refuses control and bidi
    characters."""

    default_validators = [validate_single_line]

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_text(value) if isinstance(value, str) else value


class TimeZoneFormField(forms.TypedChoiceField):
    """A choice of IANA zone names."""

    default_validators = [validate_time_zone]

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", zone_choices)
        kwargs.pop("max_length", None)
        kwargs.pop("empty_value", None)
        super().__init__(**kwargs)


class SingleLineCharField(models.CharField):
    """A model CharField for names and other one-line text (see module doc)."""

    default_validators = [validate_single_line]

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_text(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = normalize_text(value)
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        if not self.choices:
            kwargs.setdefault("form_class", SingleLineFormField)
        return super().formfield(**kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class TimeZoneField(models.CharField):
    """An IANA time zone name, chosen from a list (validated on every save path)."""

    default_validators = [validate_time_zone]

    def formfield(self, **kwargs):
        kwargs.setdefault("form_class", TimeZoneFormField)
        kwargs.setdefault("choices_form_class", TimeZoneFormField)
        return super().formfield(**kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class LowercaseEmailField(models.EmailField):
    """An email address stored normalised and lower-cased (``normalize_email``) on
    every path: forms, the admin, ``full_clean`` and every save."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_email(value) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if isinstance(value, str):
            value = normalize_email(value)
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        kwargs.setdefault("form_class", LowercaseEmailFormField)
        return super().formfield(**kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.EmailField", args, kwargs


class LowercaseEmailFormField(forms.EmailField):
    """A form email field, normalised and lower-cased before it is validated."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_email(value) if isinstance(value, str) else value


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
