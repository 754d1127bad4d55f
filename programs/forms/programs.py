"""The program editor (the program with its objectives, questions and training
modules) and the dashboard's actions on a program (status moves, bulk decisions)."""

from __future__ import annotations

from django import forms

from mentorship.fields import BoundedDateField, SingleLineFormField
from programs import selectors
from programs.forms.fields import DateInput, ListField
from programs.models import ApplicationQuestion, AudienceRole, Program
from programs.services import (
    PROGRAM_FIELDS,
    Decision,
    ModuleData,
    ObjectiveData,
    QuestionData,
)


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
    coordinators = forms.ModelMultipleChoiceField(  # type: ignore[var-annotated]
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
        help_texts = {
            "kind": "Organization mentoring: the mentee is a member organization "
            "(an association or chamber) with its team; matching gives each team "
            "one mentor, on the team's focus areas, languages and working hours. "
            "Enrol the team's people as mentees and add them to their organization.",
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
