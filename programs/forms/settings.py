"""Forms of the person's own settings pages: preferences and the welcome after the
first password."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, cast

from django import forms

from mentorship import reference
from mentorship.accounts import preferences
from mentorship.accounts.models import User
from mentorship.accounts.timezones import zone_choices
from mentorship.fields import SingleLineFormField
from programs.forms.fields import TimeInput
from programs.models import Participant

#: ISO 639-1 codes of the languages most people in the product speak, listed first.
WIDELY_SPOKEN = ("en", "es", "fr", "pt", "de", "ar", "zh", "hi", "ru", "ja", "vi", "pl")


def _time(label: str, *, required: bool = True, help_text: str = "") -> forms.TimeField:
    return forms.TimeField(
        label=label, required=required, widget=TimeInput(), help_text=help_text
    )


class WorkingPatternFields(forms.Form):
    """Working hours and days (the profile's), offered on both settings pages."""

    working_hours_start = _time("Working hours start")
    working_hours_end = _time(
        "Working hours end", help_text="In your own time zone; may end after midnight."
    )
    working_days = forms.TypedMultipleChoiceField(
        choices=reference.WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "inline-choices"}),
        required=False,
        label="Working days",
    )

    def working_pattern(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("working_hours_start", "working_hours_end", "working_days")
        }


class PreferencesForm(WorkingPatternFields):
    """When and how the person hears from us; ``full`` adds zone, language and the
    working pattern (a signed link from an email offers only the message fields)."""

    email_enabled = forms.BooleanField(
        required=False, label="Send me emails (otherwise messages wait in the app)"
    )
    digest_hour = _time(
        "Daily digest at",
        help_text="Reminders that can wait arrive together in one email, at this "
        "local time on your working days.",
    )
    quiet_start = _time("Quiet hours from", required=False)
    quiet_end = _time(
        "Quiet hours until",
        required=False,
        help_text="No email in these hours (they may run over midnight). Leave both "
        "empty for none.",
    )
    muted_kinds = forms.MultipleChoiceField(
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Don't email me about",
        help_text="These still show on your notifications page.",
    )
    time_zone = forms.ChoiceField(choices=(), label="Time zone")
    language = forms.ChoiceField(choices=(), label="Language")

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        user: User,
        participant: Participant | None,
        kinds: list[str],
        full: bool = True,
        **kwargs: Any,
    ):
        initial = {
            "email_enabled": user.email_enabled,
            "digest_hour": user.digest_hour,
            "quiet_start": user.quiet_start,
            "quiet_end": user.quiet_end,
            "muted_kinds": list(user.muted_kinds or []),
            "time_zone": user.time_zone,
            "language": user.language,
        }
        if participant is not None:
            initial |= {
                "working_hours_start": participant.working_hours_start,
                "working_hours_end": participant.working_hours_end,
                "working_days": participant.working_days,
            }
        super().__init__(data, initial=initial, **kwargs)
        cast(forms.ChoiceField, self.fields["muted_kinds"]).choices = [
            (kind, preferences.kind_label(kind))
            for kind in preferences.kinds_offered(user, kinds)
        ]
        cast(forms.ChoiceField, self.fields["time_zone"]).choices = zone_choices()
        cast(
            forms.ChoiceField, self.fields["language"]
        ).choices = preferences.language_choices()
        self.has_working_pattern = full and participant is not None
        if not full:
            del self.fields["time_zone"], self.fields["language"]
        if not self.has_working_pattern:
            for name in ("working_hours_start", "working_hours_end", "working_days"):
                del self.fields[name]

    def message_preferences(self) -> preferences.MessagePreferences:
        data = self.cleaned_data
        return preferences.MessagePreferences(
            digest_hour=data["digest_hour"],
            quiet_start=data["quiet_start"],
            quiet_end=data["quiet_end"],
            email_enabled=data["email_enabled"],
            muted_kinds=data["muted_kinds"],
        )


class WelcomeForm(WorkingPatternFields):
    """The short welcome after the first password: what to call them, where and when
    they work, the languages they speak, and when to stay quiet."""

    preferred_name = SingleLineFormField(
        max_length=100,
        required=False,
        label="What should we call you?",
        help_text="Used in greetings and emails. Leave empty to use your full name.",
    )
    time_zone = forms.ChoiceField(choices=(), label="Time zone")
    languages = forms.MultipleChoiceField(
        choices=(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-grid"}),
        required=False,
        label="Languages you can meet in",
        help_text="Yours come first, then the most spoken; type to find any other.",
    )
    quiet_start = _time("Quiet hours from", required=False)
    quiet_end = _time(
        "Quiet hours until",
        required=False,
        help_text="No email in these hours. Leave both empty for none.",
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        user: User,
        participant: Participant,
        **kwargs: Any,
    ):
        initial = {
            "preferred_name": getattr(user, "preferred_name", ""),
            "time_zone": user.time_zone,
            "languages": participant.languages,
            "quiet_start": user.quiet_start,
            "quiet_end": user.quiet_end,
            "working_hours_start": participant.working_hours_start
            or datetime.time(9, 0),
            "working_hours_end": participant.working_hours_end or datetime.time(17, 0),
            "working_days": participant.working_days,
        }
        super().__init__(data, initial=initial, **kwargs)
        cast(forms.ChoiceField, self.fields["time_zone"]).choices = zone_choices()
        cast(
            forms.ChoiceField, self.fields["languages"]
        ).choices = reference.language_choices_for(participant.languages)
        self.order_fields(
            [
                "preferred_name",
                "time_zone",
                "working_hours_start",
                "working_hours_end",
                "working_days",
                "languages",
                "quiet_start",
                "quiet_end",
            ]
        )
