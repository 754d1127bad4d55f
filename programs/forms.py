"""Forms parse and validate shape; the views hand the cleaned data to services."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError

from mentorship.accounts.timezones import zone_choices
from mentorship.fields import BoundedDateField, SingleLineFormField
from programs import importing, reference, selectors
from programs.models import (
    ApplicationQuestion,
    AudienceRole,
    Participant,
    Program,
)
from programs.services import (
    PARTICIPANT_FIELDS,
    PROGRAM_FIELDS,
    Decision,
    ModuleData,
    ObjectiveData,
    QuestionData,
)


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


# --- Program editor ---------------------------------------------------------------


class ProgramForm(forms.ModelForm):
    focus_areas = ListField(
        help_text="One per line, e.g. technical leadership.", max_items=20
    )
    update_cadence_days = forms.IntegerField(
        label="Or write an update every (days)",
        required=False,
        min_value=1,
        max_value=90,
        help_text="Pairs with little shared working time may keep in touch in "
        "writing: an update this often counts as meeting the rhythm (health, "
        "reminders). Empty: meetings only. Each pair can set its own.",
    )
    mentor_choices_limit = forms.IntegerField(
        label="Mentors a mentee may name",
        required=False,
        min_value=0,
        max_value=10,
        initial=0,
        help_text="Before matching, mentees browse the approved mentors and name up "
        "to this many; the run scores them as preferences. 0: they don't choose.",
    )
    coordinators = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Coordinators and HR admins who run this program.",
    )

    class Meta:
        model = Program
        fields = [*PROGRAM_FIELDS, "coordinators"]
        field_classes = {
            "enrollment_opens_on": BoundedDateField,
            "enrollment_closes_on": BoundedDateField,
            "starts_on": BoundedDateField,
            "ends_on": BoundedDateField,
        }
        widgets = {
            "enrollment_opens_on": DateInput(),
            "enrollment_closes_on": DateInput(),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "sponsor_message": forms.Textarea(attrs={"rows": 3}),
            "confidentiality_agreement": forms.Textarea(attrs={"rows": 4}),
            "communication_norms": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "enrollment_opens_on": "Enrolment opens",
            "enrollment_closes_on": "Enrolment closes",
            "meeting_cadence_days": "Meet every (days)",
            "meeting_length_minutes": "Meeting length (minutes)",
            "mentee_capacity": "Mentee places",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinators"].queryset = selectors.coordinator_choices()

    def clean_mentor_choices_limit(self) -> int:
        return self.cleaned_data.get("mentor_choices_limit") or 0

    def program_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in PROGRAM_FIELDS}

    def _post_clean(self):
        # The service runs the model's validation (full_clean) when it saves.
        pass


class _ChildForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # An extra row counts as filled in only when one of these has text: selects and
    # ticked-by-default boxes are always posted, so they say nothing.
    content_fields: tuple[str, ...] = ()

    def has_changed(self) -> bool:
        if self.initial.get("id"):
            return super().has_changed()
        return any(
            (self.data.get(self.add_prefix(name)) or "").strip()
            for name in self.content_fields
        )


class ObjectiveForm(_ChildForm):
    content_fields = ("text", "measure")
    text = SingleLineFormField(max_length=300, label="Objective")
    measure = SingleLineFormField(
        max_length=300, required=False, label="How it is measured"
    )

    def data_object(self) -> ObjectiveData:
        data = self.cleaned_data
        return ObjectiveData(text=data["text"], measure=data["measure"], id=data["id"])


class QuestionForm(_ChildForm):
    content_fields = ("text", "choices")
    text = SingleLineFormField(max_length=300, label="Question")
    kind = forms.ChoiceField(
        choices=ApplicationQuestion.Kind.choices,
        initial=ApplicationQuestion.Kind.SHORT_TEXT,
    )
    choices = ListField(
        label="Choices",
        help_text="For choice questions: one per line.",
        item_max_length=120,
    )
    required = forms.BooleanField(required=False, initial=True)
    for_role = forms.ChoiceField(
        choices=AudienceRole.choices, label="Asked of", initial=AudienceRole.BOTH
    )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        is_choice = kind in (
            ApplicationQuestion.Kind.SINGLE_CHOICE,
            ApplicationQuestion.Kind.MULTI_CHOICE,
        )
        if is_choice and len(data.get("choices") or []) < 2:
            self.add_error("choices", "Give at least two choices.")
        return data

    def data_object(self) -> QuestionData:
        data = self.cleaned_data
        return QuestionData(
            text=data["text"],
            kind=data["kind"],
            choices=tuple(data["choices"]),
            required=data["required"],
            for_role=data["for_role"],
            id=data["id"],
        )


class ModuleForm(_ChildForm):
    content_fields = ("title", "url", "content")
    title = SingleLineFormField(max_length=200, label="Module")
    url = forms.URLField(required=False, label="Link", assume_scheme="https")
    content = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    required_for_role = forms.ChoiceField(
        choices=AudienceRole.choices, label="Required for", initial=AudienceRole.BOTH
    )

    def data_object(self) -> ModuleData:
        data = self.cleaned_data
        return ModuleData(
            title=data["title"],
            url=data["url"],
            content=data["content"],
            required_for_role=data["required_for_role"],
            id=data["id"],
        )


ObjectiveFormSet = forms.formset_factory(
    ObjectiveForm, extra=1, can_delete=True, max_num=20
)
QuestionFormSet = forms.formset_factory(
    QuestionForm, extra=1, can_delete=True, max_num=30
)
ModuleFormSet = forms.formset_factory(ModuleForm, extra=1, can_delete=True, max_num=20)


def formset_items(formset) -> list:
    """The filled, not-deleted rows of a valid formset, as service data objects."""
    return [
        form.data_object()
        for form in formset.forms
        if form.cleaned_data.get("text", form.cleaned_data.get("title"))
        and not form.cleaned_data.get("DELETE")
    ]


def program_initial_children(program: Program | None) -> dict[str, list[dict]]:
    if program is None:
        return {"objectives": [], "questions": [], "modules": []}
    return {
        "objectives": [
            {"id": o.id, "text": o.text, "measure": o.measure}
            for o in program.objectives.all()
        ],
        "questions": [
            {
                "id": q.id,
                "text": q.text,
                "kind": q.kind,
                "choices": q.choices,
                "required": q.required,
                "for_role": q.for_role,
            }
            for q in program.questions.all()
        ],
        "modules": [
            {
                "id": m.id,
                "title": m.title,
                "url": m.url,
                "content": m.content,
                "required_for_role": m.required_for_role,
            }
            for m in program.training_modules.all()
        ],
    }


# --- Dashboard actions ----------------------------------------------------------------


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Program.Status.choices)


class BulkDecisionForm(forms.Form):
    enrollment = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={"required": "Tick at least one person first."},
    )
    decision = forms.ChoiceField(choices=Decision.CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any integer passes shape validation; the selector keeps only this program's.
        values = (
            self.data.getlist("enrollment") if hasattr(self.data, "getlist") else []
        )
        self.fields["enrollment"].choices = [
            (value, value)
            for value in values
            if str(value).isdigit() and len(str(value)) < 12
        ]


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Participant file (.csv or .xlsx)",
        help_text="Up to 5 MB and 5,000 people. Download the template for the columns.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Checked on the size the upload handler counted, before reading a byte.
        if upload.size > importing.MAX_BYTES:
            raise ValidationError(
                f"The file is larger than {importing.MAX_BYTES // (1024 * 1024)} MB; "
                "split it into smaller files."
            )
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx")):
            raise ValidationError("Upload a .csv or .xlsx file.")
        return upload


# --- Portal ------------------------------------------------------------------------------


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
        self.fields["time_zone"].choices = zone_choices()
        self.fields["country"].choices = [("", "—"), *reference.COUNTRY_CHOICES]
        self.fields["languages"].choices = reference.language_choices_for(
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
        common = {"label": question.text, "required": question.required}
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
