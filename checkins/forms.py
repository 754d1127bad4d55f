"""Check-in forms: shape and parsing only; the services decide."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone

from checkins import timezones
from checkins.models import CoordinatorCheckIn, PairPause
from checkins.services.meetings import MeetingDetails
from mentorship.fields import (
    BoundedDateField,
    BoundedDateTimeField,
    SingleLineFormField,
    instant_from_iso,
)
from programs.models import ProgramObjective

LOCAL_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class WallClockDateTimeField(BoundedDateTimeField):
    """A datetime-local value kept naive: a wall-clock time the form places in the
    person's zone itself (``localtime.local_instant_exact``). Parsed under UTC, which
    has no gaps or folds, whatever zone the request activated."""

    def to_python(self, value):
        with timezone.override(datetime.UTC):
            parsed = super().to_python(value)
        return parsed.replace(tzinfo=None) if parsed is not None else None


class MeetingForm(forms.Form):
    """A proposed time: one of the suggested slots (``slot``, an ISO instant) or any
    wall-clock time typed in the viewer's zone (``starts_at_local``)."""

    slot = forms.CharField(required=False, widget=forms.HiddenInput)
    starts_at_local = WallClockDateTimeField(
        label="Or pick any time",
        required=False,
        input_formats=LOCAL_INPUT_FORMATS,
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "step": 300}, format="%Y-%m-%dT%H:%M"
        ),
    )
    duration_minutes = forms.IntegerField(
        label="Length (minutes)", min_value=5, max_value=480
    )
    agenda = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": "What would you like to cover?"}
        ),
    )
    online_link = forms.URLField(
        label="Video link",
        required=False,
        max_length=500,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        widget=forms.URLInput(attrs={"placeholder": "https://meet.example.com/…"}),
    )
    location = SingleLineFormField(
        label="Place (optional)", required=False, max_length=200
    )

    def __init__(self, *args, zone: str, with_slots: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.zone = zone
        if not with_slots:
            self.fields["starts_at_local"].label = "When"
        # The datetime field is parsed naive: it is a wall-clock time in ``zone``.
        self.fields["starts_at_local"].help_text = f"Your time ({zone})."

    def clean_starts_at_local(self) -> datetime.datetime | None:
        return self.cleaned_data.get("starts_at_local")  # naive wall clock

    def clean(self) -> dict:
        data = cast(dict[str, Any], super().clean())
        slot, local = data.get("slot"), data.get("starts_at_local")
        if local is not None:
            try:
                data["starts_at"] = timezones.local_instant_exact(self.zone, local)
            except timezones.NonexistentLocalTimeError:
                self.add_error(
                    "starts_at_local",
                    f"{local:%-d %b %Y %H:%M} doesn't exist in {self.zone}: the clocks "
                    "jump forward that night. Pick a time outside the jump.",
                )
            except (ValueError, OverflowError):
                self.add_error(
                    "starts_at_local",
                    f"{local:%-d %b %Y %H:%M} can't be placed in {self.zone}; "
                    "check the time, and the time zone in your profile.",
                )
        elif slot:
            starts_at = instant_from_iso(slot)
            if starts_at is None:
                raise forms.ValidationError("Pick one of the suggested times.")
            data["starts_at"] = starts_at
        elif not self.errors:
            raise forms.ValidationError("Pick a suggested time or enter one.")
        return data

    def details(self) -> MeetingDetails:
        data = self.cleaned_data
        return MeetingDetails(
            duration_minutes=data["duration_minutes"],
            agenda=data.get("agenda") or "",
            online_link=data.get("online_link") or "",
            location=data.get("location") or "",
        )


class LogForm(forms.Form):
    happened = forms.TypedChoiceField(
        label="Did the meeting happen?",
        choices=[("yes", "Yes, we met"), ("no", "No, it didn't happen")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    duration_minutes = forms.IntegerField(
        label="How long (minutes)", required=False, min_value=0, max_value=600
    )
    topics = SingleLineFormField(
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": "e.g. career plan, feedback"}),
    )
    shared_notes = forms.CharField(
        label="Shared notes",
        required=False,
        max_length=10000,
        help_text="Your partner sees these. Markdown works: **bold**, *italics*, "
        "- lists, 1. numbered lists and [links](https://…).",
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    action_items = forms.CharField(
        label="Action items",
        required=False,
        max_length=4000,
        help_text="One per line; your partner sees these. Each becomes a checklist "
        "item, carried to your next meetings until it is ticked off.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    private_note = forms.CharField(
        label="Private note",
        required=False,
        max_length=10000,
        help_text="Only you can ever read this — not your partner, not the coordinators.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PulseForm(forms.Form):
    usefulness = forms.TypedChoiceField(
        label="How useful was this meeting?",
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    for_coordinator = forms.CharField(
        label="Anything the coordinator should know?",
        required=False,
        max_length=2000,
        help_text="Goes to the program's coordinators, not to your partner.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class GoalForm(forms.Form):
    title = SingleLineFormField(max_length=200)
    description = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    objective = forms.ModelChoiceField(
        label="Program objective",
        queryset=ProgramObjective.objects.none(),
        required=False,
        empty_label="(none)",
    )

    def __init__(self, *args, program_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        objective_field = cast(
            "forms.ModelChoiceField[ProgramObjective]", self.fields["objective"]
        )
        objective_field.queryset = ProgramObjective.objects.filter(
            program_id=program_id
        )


class ProgressForm(forms.Form):
    progress = forms.IntegerField(min_value=0, max_value=100)


class MilestoneForm(forms.Form):
    title = SingleLineFormField(max_length=200)


class CommentForm(forms.Form):
    text = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class UpdateForm(forms.Form):
    body = forms.CharField(
        label="Post an update",
        max_length=3000,
        help_text="Your partner gets it in their daily digest. **Bold**, *italics*, "
        "- lists and [links](https://…) work.",
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": "A quick note on how things are going…"}
        ),
    )

    def __init__(self, *args, team: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if team:
            self.fields["body"].help_text = self.fields["body"].help_text.replace(
                "Your partner gets it", "Everyone else in the engagement gets it"
            )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Reply",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


RHYTHM_CHOICES = [
    ("", "As the program suggests"),
    ("3", "An update every 3 days"),
    ("7", "An update a week"),
    ("14", "An update every 2 weeks"),
    ("30", "An update a month"),
]


class RhythmForm(forms.Form):
    """How the pair keeps in touch in writing; empty: the program's rhythm."""

    update_cadence_days = forms.TypedChoiceField(
        label="Keeping in touch in writing",
        choices=RHYTHM_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Updates on this rhythm count as keeping in touch: no reminders "
        "to meet while you keep it.",
    )


class FeedbackForm(forms.Form):
    worked = forms.CharField(
        label="What worked for you",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    try_next = forms.CharField(
        label="What could we try next time",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- Coordinator: acting on a pair's health ------------------------------------------------


class _DateInput(forms.DateInput):
    input_type = "date"


class CoordinatorCheckInForm(forms.Form):
    """A coordinator's record of a check-in with a pair (coordinators only)."""

    held_on = BoundedDateField(label="Date of the check-in", widget=_DateInput)
    outcome = forms.ChoiceField(
        label="How did it go?",
        choices=CoordinatorCheckIn.Outcome.choices,
        widget=forms.RadioSelect,
    )
    how_it_went = forms.CharField(
        label="Notes",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Seen by the program's coordinators and HR admins, never by the pair.",
    )
    follow_up = forms.CharField(
        label="Follow-up",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    follow_up_on = BoundedDateField(
        label="Follow up by", required=False, widget=_DateInput
    )


class PairMessageForm(forms.Form):
    to = forms.ChoiceField(
        label="To",
        choices=[
            ("both", "Both of them"),
            ("mentor", "The mentor"),
            ("mentee", "The mentee"),
        ],
    )
    subject = SingleLineFormField(max_length=150)
    body = forms.CharField(
        label="Message", max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )


# --- A pair's pause ------------------------------------------------------------------------


class _PauseDateInput(forms.DateInput):
    """A date picker whose value is always ISO (the browser's date input needs it)."""

    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class PauseForm(forms.Form):
    """A pause's period and reason; the service checks the rules."""

    starts_on = BoundedDateField(label="Pause from", widget=_PauseDateInput())
    ends_on = BoundedDateField(
        label="Back on",
        widget=_PauseDateInput(),
        help_text=f"The day you pick up again; at most {PairPause.MAX_DAYS} days later.",
    )
    reason = forms.ChoiceField(
        label="Why", choices=PairPause.Reason.choices, widget=forms.RadioSelect
    )
    note = SingleLineFormField(
        label="A word more",
        required=False,
        max_length=200,
        help_text="Needed for “Other”. Your partner and the coordinators see it.",
    )
