"""Forms for matching: they parse and validate shape; services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from matching import display, engine, selectors
from matching.models import MatchingCriteria, MatchRun
from matching.services.criteria import EDITABLE
from programs.models import Enrollment, Program

WEIGHT_CHOICES = [
    (0, "0 · Ignore"),
    (1, "1 · A little"),
    (2, "2 · Some"),
    (3, "3 · Important"),
    (4, "4 · Very important"),
    (5, "5 · Essential"),
]


class CriteriaForm(forms.Form):
    language_rule = forms.ChoiceField(
        label="Language",
        choices=MatchingCriteria.LanguageRule.choices,
        help_text="“Must share a language” never pairs two people without one.",
    )
    culture = forms.ChoiceField(
        label="Country preference",
        choices=MatchingCriteria.Culture.choices,
        help_text="Cross-border pairs broaden perspectives; same-country pairs "
        "share context.",
    )
    exclude_same_reporting_line = forms.BooleanField(
        label="Never pair people in the same reporting line "
        "(a manager and anyone under them)",
        required=False,
    )
    min_score = forms.FloatField(
        label="Minimum score",
        min_value=0,
        max_value=100,
        help_text="Pairs scoring below this (0–100) are not proposed; the mentee "
        "stays unmatched with the reason shown.",
    )
    min_overlap_hours = forms.IntegerField(
        label="Shared working time, at least (hours a week)",
        min_value=0,
        max_value=40,
        help_text="0 = off. Pairs sharing fewer working hours a week (in both "
        "people's zones and working days) are never proposed; the mentee stays "
        "unmatched with the reason shown.",
    )
    mode = forms.ChoiceField(
        label="How pairs are formed",
        choices=MatchingCriteria.Mode.choices,
        widget=forms.RadioSelect,
        help_text="Best total fit maximises the sum of all scores. Respect stated "
        "preferences gives stable pairs nobody would both rather swap. Mentees "
        "pick lets each mentee choose from their five best mentors.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        weights = {
            f"weight_{c}": forms.TypedChoiceField(
                label=display.CRITERION_LABELS[c],
                help_text=display.CRITERION_HELP[c],
                choices=WEIGHT_CHOICES,
                coerce=int,
            )
            for c in engine.CRITERIA
        }
        self.fields = {**weights, **self.fields}

    @classmethod
    def for_criteria(cls, criteria: MatchingCriteria, data: Any = None) -> CriteriaForm:
        return cls(data, initial={name: getattr(criteria, name) for name in EDITABLE})

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[f"weight_{c}"] for c in engine.CRITERIA]

    def rule_fields(self) -> list[forms.BoundField]:
        return [
            self[name]
            for name in (
                "language_rule",
                "culture",
                "exclude_same_reporting_line",
                "min_score",
                "min_overlap_hours",
            )
        ]


PAIR_MODES = [
    (MatchRun.Mode.OPTIMAL, MatchRun.Mode.OPTIMAL.label),
    (MatchRun.Mode.STABLE, MatchRun.Mode.STABLE.label),
    (MatchRun.Mode.MENTEE_CHOICE, MatchRun.Mode.MENTEE_CHOICE.label),
]


class RunStartForm(forms.Form):
    mode = forms.ChoiceField(label="Mode", choices=PAIR_MODES)
    circle_size = forms.IntegerField(
        label="Circle size", min_value=2, max_value=20, required=False
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_circles = program.kind in (
            Program.Kind.GROUP_CIRCLE,
            Program.Kind.PEER,
        )
        if self.is_circles:
            cast(forms.ChoiceField, self.fields["mode"]).choices = [
                (MatchRun.Mode.CIRCLES, MatchRun.Mode.CIRCLES.label)
            ]
            self.fields["circle_size"].required = True
            self.fields["circle_size"].initial = 6
            self.fields[
                "circle_size"
            ].help_text = "Participants per circle, facilitators not counted."
        else:
            del self.fields["circle_size"]
            if program.kind == Program.Kind.ORGANIZATION:
                # a team doesn't pick its mentor (the run refuses that mode)
                cast(forms.ChoiceField, self.fields["mode"]).choices = [
                    choice
                    for choice in PAIR_MODES
                    if choice[0] != MatchRun.Mode.MENTEE_CHOICE
                ]


class ReassignForm(forms.Form):
    mentor = forms.TypedChoiceField(label="New mentor", coerce=int)

    def __init__(
        self, *args: Any, options: list[selectors.SwapOption], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.options = options
        cast(forms.ChoiceField, self.fields["mentor"]).choices = [
            (o.mentor.pk, f"{o.mentor.participant.user} · {o.score} points")
            for o in options
        ]

    def chosen(self) -> Enrollment:
        wanted = self.cleaned_data["mentor"]
        return next(o.mentor for o in self.options if o.mentor.pk == wanted)


class EndForm(forms.Form):
    reason = forms.CharField(
        label="Why does this match end?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Both people are told it ended; only coordinators see the reason.",
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Reason (optional, only your coordinator sees it)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ManualMatchForm(forms.Form):
    mentee = forms.TypedChoiceField(label="Mentee", coerce=int)
    mentor = forms.TypedChoiceField(label="Mentor", coerce=int)

    def __init__(
        self,
        *args: Any,
        mentees: list[Enrollment],
        mentors: list[Enrollment],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.by_id = {e.pk: e for e in mentees + mentors}
        cast(forms.ChoiceField, self.fields["mentee"]).choices = [
            (e.pk, str(e.participant.user)) for e in mentees
        ]
        cast(forms.ChoiceField, self.fields["mentor"]).choices = [
            (e.pk, f"{e.participant.user} · {e.participant.title}".rstrip(" ·"))
            for e in mentors
        ]


class MentorChoiceForm(forms.Form):
    """The mentors a mentee would like: ids from the page's list only."""

    mentors = forms.TypedMultipleChoiceField(
        choices=(), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, page: selectors.MentorChoicePage, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.page = page
        cast(forms.ChoiceField, self.fields["mentors"]).choices = [
            (profile.enrollment_id, profile.name) for profile in page.mentors
        ]

    def clean_mentors(self) -> list[int]:
        chosen = self.cleaned_data["mentors"]
        if len(chosen) > self.page.limit:
            raise forms.ValidationError(
                f"Pick up to {self.page.limit} — you picked {len(chosen)}."
            )
        return chosen
