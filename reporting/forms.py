"""Survey forms: shape only; the services decide (STYLE rule 12)."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from matching.models import Match
from members.models import MemberOrganization
from mentorship import reference
from mentorship.fields import SingleLineFormField
from programs.models import AudienceRole, Enrollment, Participant, Program
from reporting.models import Question, Survey
from reporting.services.assignments import SENDABLE_STATUSES
from reporting.services.stories import StoryFields
from reporting.services.surveys import SURVEY_FIELDS


class SurveySettingsForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = list(SURVEY_FIELDS)
        labels = {
            "intro": "Introduction",
            "kind": "Purpose",
            "is_anonymous": "Anonymous",
            "show_free_text": "Show written answers in results",
            "audience_role": "Who answers",
            "trigger": "When it is sent",
            "trigger_weeks": "Weeks after the match starts",
            "due_days": "Days to answer",
        }
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, locked_anonymity: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if locked_anonymity:
            self.fields["is_anonymous"].disabled = True
            self.fields[
                "is_anonymous"
            ].help_text = (
                "Fixed: people have been asked already. Copy the survey to change it."
            )

    def clean(self) -> dict[str, Any]:
        # Form.clean returns cleaned_data (the stubs allow None).
        data = cast(dict[str, Any], super().clean())
        if data.get("trigger") == Survey.Trigger.MATCH_WEEKS and not data.get(
            "trigger_weeks"
        ):
            self.add_error("trigger_weeks", "Say after how many weeks.")
        return data

    def survey_fields(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if not self.fields[name].disabled
        }


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label="Type", choices=Question.Kind.choices)
    text = SingleLineFormField(label="Question", max_length=300)
    help_text = SingleLineFormField(label="Help text", max_length=300, required=False)
    required = forms.BooleanField(label="An answer is required", required=False)
    choices = forms.CharField(
        label="Options, one a line",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For one-choice and several-choice questions.",
    )
    low_label = SingleLineFormField(label="Label for 1", max_length=60, required=False)
    high_label = SingleLineFormField(label="Label for 5", max_length=60, required=False)
    key = forms.SlugField(
        label="Comparison key",
        max_length=50,
        required=False,
        help_text="Questions with the same key are compared between surveys "
        "(e.g. confidence at the start and at the end).",
    )

    @classmethod
    def initial_for(cls, question: Question | None) -> dict[str, Any]:
        if question is None:
            return {"kind": Question.Kind.LIKERT, "required": True}
        return {
            "kind": question.kind,
            "text": question.text,
            "help_text": question.help_text,
            "required": question.required,
            "choices": "\n".join(question.choices) if question.is_choice else "",
            "low_label": question.low_label,
            "high_label": question.high_label,
            "key": question.key,
        }

    def question_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["choices"] = [line.strip() for line in data["choices"].splitlines()]
        return data


class SendForm(forms.Form):
    """Filters of a "send now"; empty = everyone the survey is for."""

    roles = forms.MultipleChoiceField(
        label="Role",
        required=False,
        choices=[(AudienceRole.MENTOR, "Mentors"), (AudienceRole.MENTEE, "Mentees")],
        widget=forms.CheckboxSelectMultiple,
    )
    statuses = forms.MultipleChoiceField(
        label="Enrolment status",
        required=False,
        choices=[(s.value, s.label) for s in SENDABLE_STATUSES],
        widget=forms.CheckboxSelectMultiple,
        help_text="Approved people when none is ticked.",
    )
    countries = forms.MultipleChoiceField(
        label="Country", required=False, widget=forms.CheckboxSelectMultiple
    )
    time_zones = forms.MultipleChoiceField(
        label="Time zone", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any):
        super().__init__(*args, **kwargs)
        people = Enrollment.objects.filter(program=program)
        countries = sorted(
            set(
                people.exclude(participant__country="").values_list(
                    "participant__country", flat=True
                )
            )
        )
        names = reference.country_names()
        cast(forms.ChoiceField, self.fields["countries"]).choices = [
            (c, names.get(c, c)) for c in countries
        ]
        cast(forms.ChoiceField, self.fields["time_zones"]).choices = [
            (zone, zone)
            for zone in sorted(
                set(people.values_list("participant__user__time_zone", flat=True))
            )
        ]

    def filters(self) -> dict[str, list[str]]:
        return {name: list(self.cleaned_data[name]) for name in self.fields}


# --- Success stories and published reports (issue 11) --------------------------------


class StoryForm(forms.Form):
    """A story's text, and the pair or people it names (choices of one program)."""

    title = SingleLineFormField(max_length=200)
    what_happened = forms.CharField(
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="What happened",
    )
    outcome = SingleLineFormField(
        max_length=300,
        required=False,
        label="Outcome",
        help_text="What changed, e.g. “Credit-history fee reduced”.",
    )
    outcome_before = forms.DecimalField(
        required=False, max_digits=14, decimal_places=2, label="From (number)"
    )
    outcome_after = forms.DecimalField(
        required=False, max_digits=14, decimal_places=2, label="To (number)"
    )
    outcome_unit = SingleLineFormField(
        max_length=40, required=False, label="Unit", help_text="e.g. manat, days, %"
    )
    match: forms.ModelChoiceField[Match] = forms.ModelChoiceField(
        queryset=None, required=False, label="The pair it came from"
    )
    member_organization: forms.ModelChoiceField[MemberOrganization] = (
        forms.ModelChoiceField(
            queryset=None,
            required=False,
            label="Member organization",
            help_text="The association the outcome belongs to. Left empty, a story "
            "from an engagement names its organization.",
        )
    )
    people: forms.ModelMultipleChoiceField[Participant] = (
        forms.ModelMultipleChoiceField(
            queryset=None,
            required=False,
            label="People named",
            help_text="Each one is asked to agree before the story is shown. "
            "Leave empty to name both people of the pair.",
            widget=forms.CheckboxSelectMultiple,
        )
    )

    def __init__(
        self, *args: Any, matches, people, member_organizations=None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        match_field = cast("forms.ModelChoiceField[Match]", self.fields["match"])
        match_field.queryset = matches
        # A per-instance label function: the stubs only know the method.
        match_field.label_from_instance = lambda obj: (  # type: ignore[method-assign]
            f"{obj.mentor.participant.user} → {obj.member_organization}"
            if obj.member_organization_id
            else f"{obj.mentor.participant.user} → {obj.mentee.participant.user}"
        )
        if member_organizations is None or not member_organizations.exists():
            # Only programs with engagements offer the choice.
            del self.fields["member_organization"]
        else:
            organization_field = cast(
                "forms.ModelChoiceField[MemberOrganization]",
                self.fields["member_organization"],
            )
            organization_field.queryset = member_organizations
        people_field = cast(
            "forms.ModelMultipleChoiceField[Participant]", self.fields["people"]
        )
        people_field.queryset = people
        people_field.label_from_instance = lambda obj: str(obj.user)  # type: ignore[method-assign]

    @staticmethod
    def initial_for(story) -> dict[str, Any]:
        if story is None:
            return {}
        return {
            "title": story.title,
            "what_happened": story.what_happened,
            "outcome": story.outcome,
            "outcome_before": story.outcome_before,
            "outcome_after": story.outcome_after,
            "outcome_unit": story.outcome_unit,
            "match": story.match_id,
            "member_organization": story.member_organization_id,
            "people": [person.participant_id for person in story.people.all()],
        }

    def story_fields(self) -> StoryFields:
        data = self.cleaned_data
        return StoryFields(
            title=data["title"],
            what_happened=data["what_happened"],
            outcome=data["outcome"],
            outcome_before=data["outcome_before"],
            outcome_after=data["outcome_after"],
            outcome_unit=data["outcome_unit"],
        )


class ConsentForm(forms.Form):
    decision = forms.ChoiceField(choices=[("agree", "Agree"), ("decline", "Decline")])


class ShareForm(forms.Form):
    label = SingleLineFormField(
        max_length=120,
        required=False,
        label="Who it is for",
        help_text="e.g. “Sponsor: Aziz, Q3 review”. Only you and other coordinators see it.",
    )
    expires_on = forms.DateField(
        required=False,
        label="Works until (optional)",
        help_text="The last day the link works. Leave empty for no end date.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
