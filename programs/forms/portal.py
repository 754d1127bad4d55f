"""The participant's own forms in the portal: the profile, an application to a
program, and accepting an import's invitation."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from mentorship import reference
from mentorship.accounts.timezones import zone_choices
from mentorship.fields import SingleLineFormField
from programs.forms.fields import ListField, TimeInput
from programs.models import ApplicationQuestion, Participant, Program
from programs.services import PARTICIPANT_FIELDS


class ProfileForm(forms.ModelForm):
    full_name = SingleLineFormField(max_length=200, label="Your name")
    preferred_name = SingleLineFormField(
        max_length=100,
        required=False,
        label="What should we call you?",
        help_text="Used in greetings and emails. Empty: your full name.",
    )
    time_zone = forms.ChoiceField(choices=(), label="Time zone")
    country = forms.ChoiceField(choices=(), required=False)
    working_days = forms.TypedMultipleChoiceField(
        choices=reference.WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = forms.MultipleChoiceField(
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        label="Languages you can meet in",
        help_text="Yours come first, then the most spoken; type to find any other.",
        required=False,
    )
    skills_offered = ListField(label="Skills you can offer", help_text="One per line.")
    skills_wanted = ListField(
        label="Skills you want to grow", help_text="One per line."
    )
    learning_preferences = forms.MultipleChoiceField(
        choices=Participant.LearningPreference.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="How you like to learn",
    )

    class Meta:
        model = Participant
        fields = PARTICIPANT_FIELDS
        widgets = {
            "working_hours_start": TimeInput(),
            "working_hours_end": TimeInput(),
            "bio": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "working_hours_start": "Working hours start",
            "working_hours_end": "Working hours end",
            "mentoring_capacity": "Mentees you could take at once",
        }

    # Asked only of the people a role needs it from (``roles``: the person's
    # current roles in programs; none yet: everything, they may become either).
    MENTOR_ONLY = ("mentoring_capacity", "skills_offered")
    MENTEE_ONLY = ("skills_wanted",)

    def __init__(self, *args, user, roles: frozenset[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["time_zone"]).choices = zone_choices()
        cast(forms.ChoiceField, self.fields["country"]).choices = [
            ("", "—"),
            *reference.COUNTRY_CHOICES,
        ]
        cast(
            forms.ChoiceField, self.fields["languages"]
        ).choices = reference.language_choices_for(
            self.instance.languages if self.instance.pk else []
        )
        if roles and "mentor" not in roles:
            for name in self.MENTOR_ONLY:
                del self.fields[name]
        if roles and "mentee" not in roles:
            for name in self.MENTEE_ONLY:
                del self.fields[name]
        self.fields["full_name"].initial = user.full_name
        self.fields["preferred_name"].initial = user.preferred_name
        self.fields["time_zone"].initial = user.time_zone
        self.order_fields(["full_name", "preferred_name", "time_zone"])

    def profile_fields(self) -> dict:
        """The profile fields on this form (a role's hidden fields keep their value)."""
        return {
            name: self.cleaned_data[name]
            for name in PARTICIPANT_FIELDS
            if name in self.fields
        }

    def _post_clean(self):
        pass  # the service runs the model's validation


class ApplicationForm(forms.Form):
    """The program's questions for one role, plus the agreement."""

    agreed = forms.BooleanField(required=False)

    def __init__(self, *args, program: Program, role: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = [q for q in program.questions.all() if q.is_for(role)]
        for question in self.questions:
            self.fields[str(question.id)] = self._field_for(question)
        if program.confidentiality_agreement.strip():
            self.fields["agreed"].required = True
            self.fields["agreed"].label = "I accept the confidentiality agreement"
            self.fields["agreed"].error_messages["required"] = (
                "Accept the confidentiality agreement to apply."
            )
        else:
            del self.fields["agreed"]
        self.order_fields([str(q.id) for q in self.questions])

    @staticmethod
    def _field_for(question: ApplicationQuestion) -> forms.Field:
        common: dict[str, Any] = {"label": question.text, "required": question.required}
        choices = [(choice, choice) for choice in question.choices]
        kind = question.kind
        if kind == ApplicationQuestion.Kind.LONG_TEXT:
            return forms.CharField(
                max_length=5000, widget=forms.Textarea(attrs={"rows": 4}), **common
            )
        if kind == ApplicationQuestion.Kind.SINGLE_CHOICE:
            return forms.ChoiceField(
                choices=choices, widget=forms.RadioSelect, **common
            )
        if kind == ApplicationQuestion.Kind.MULTI_CHOICE:
            return forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, **common
            )
        return SingleLineFormField(max_length=300, **common)

    def answers(self) -> dict:
        return {str(q.id): self.cleaned_data.get(str(q.id)) for q in self.questions}

    @property
    def question_fields(self):
        return [self[str(q.id)] for q in self.questions]


class InvitationForm(forms.Form):
    """Accepting an import's invitation: the agreement, when the program has one."""

    agreed = forms.BooleanField(
        required=True,
        label="I accept the confidentiality agreement",
        error_messages={"required": "Accept the confidentiality agreement to join."},
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        if not program.confidentiality_agreement.strip():
            del self.fields["agreed"]
