"""Impact dashboard forms: filters, compare, objective measures. Shape only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms

from programs.models import Program, ProgramRole
from reporting.models import ObjectiveMeasure, Survey
from reporting.objectives import METRICS
from reporting.selectors.impact import BREAKDOWNS, Cohort, CohortOption, Period
from reporting.services.objectives import MEASURE_FIELDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _cohort_field(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, required=False, coerce=int, empty_value=None
    )


class _Side:
    """One cohort choice: a matching run, or a date range, or neither."""

    @staticmethod
    def clean_side(
        form: forms.Form, prefix: str, *, required: bool
    ) -> tuple[Cohort | None, Period | None]:
        data = form.cleaned_data
        run, start, end = (
            data.get(f"{prefix}cohort"),
            data.get(f"{prefix}start"),
            data.get(f"{prefix}end"),
        )
        if run and (start or end):
            form.add_error(
                f"{prefix}cohort", "Choose a matching run or a date range, not both."
            )
            return None, None
        if bool(start) != bool(end):
            form.add_error(
                f"{prefix}end" if start else f"{prefix}start",
                "Give both the first and the last day.",
            )
            return None, None
        if start and end and end < start:
            form.add_error(f"{prefix}end", "The last day is before the first.")
            return None, None
        if required and not run and not start:
            form.add_error(
                f"{prefix}cohort", "Choose a matching run or a date range to compare."
            )
            return None, None
        return (Cohort(run) if run else None), (
            Period(start, end) if start and end else None
        )


class ImpactFilterForm(forms.Form):
    """?cohort=<run id> or ?start=&end= (a date range), and ?by=<breakdown>."""

    program = forms.TypedChoiceField(
        label="Program", required=False, coerce=int, empty_value=None
    )
    # Any run id is accepted here (a run of another program selects nobody); the
    # view lists the program's runs once it has them, saving a query.
    cohort = forms.IntegerField(
        label="Cohort (matching run)",
        required=False,
        min_value=1,
        widget=forms.Select(choices=[("", "Everyone")]),
    )
    start = forms.DateField(label="From", required=False, widget=DateInput())
    end = forms.DateField(label="To", required=False, widget=DateInput())
    by = forms.ChoiceField(
        label="Break down by",
        required=False,
        choices=[("", "No breakdown"), *BREAKDOWNS.items()],
    )

    def __init__(
        self,
        data: Any,
        *,
        cohorts: Sequence[CohortOption] = (),
        programs: Sequence[Program] | None = None,
    ) -> None:
        super().__init__(data)
        self.set_cohorts(cohorts)
        if programs is None:
            del self.fields["program"]
        else:
            cast(forms.ChoiceField, self.fields["program"]).choices = [
                ("", "Every program")
            ] + [(str(p.pk), p.name) for p in programs]

    def set_cohorts(self, cohorts: Sequence[CohortOption]) -> None:
        self.fields["cohort"].widget.choices = [("", "Everyone")] + [
            (c.run_id, c.label) for c in cohorts
        ]

    @property
    def has_cohorts(self) -> bool:
        return len(self.fields["cohort"].widget.choices) > 1

    def clean(self) -> dict[str, Any]:
        # Form.clean returns cleaned_data (the stubs allow None).
        data = cast(dict[str, Any], super().clean())
        self.scope = _Side.clean_side(self, "", required=False)
        return data

    @property
    def chosen_cohort(self) -> Cohort | None:
        return getattr(self, "scope", (None, None))[0]

    @property
    def chosen_period(self) -> Period | None:
        return getattr(self, "scope", (None, None))[1]

    @property
    def breakdown(self) -> str:
        return (self.cleaned_data or {}).get("by") or "" if self.is_bound else ""


class ImpactCompareForm(forms.Form):
    """Two cohorts of one program: a_* and b_*, each a run or a date range."""

    a_cohort = _cohort_field("Matching run")
    a_start = forms.DateField(label="From", required=False, widget=DateInput())
    a_end = forms.DateField(label="To", required=False, widget=DateInput())
    b_cohort = _cohort_field("Matching run")
    b_start = forms.DateField(label="From", required=False, widget=DateInput())
    b_end = forms.DateField(label="To", required=False, widget=DateInput())

    def __init__(self, data: Any, *, cohorts: Sequence[CohortOption]) -> None:
        super().__init__(data)
        choices = [("", "—")] + [(str(c.run_id), c.label) for c in cohorts]
        cast(forms.ChoiceField, self.fields["a_cohort"]).choices = choices
        cast(forms.ChoiceField, self.fields["b_cohort"]).choices = choices

    def clean(self) -> dict[str, Any]:
        # Form.clean returns cleaned_data (the stubs allow None).
        data = cast(dict[str, Any], super().clean())
        self.first = _Side.clean_side(self, "a_", required=True)
        self.second = _Side.clean_side(self, "b_", required=True)
        return data


NO_MEASURE = ""


class ObjectiveMeasureForm(forms.Form):
    """How one objective is measured; source "" removes the measure."""

    source = forms.ChoiceField(
        label="Measured by",
        required=False,
        choices=[(NO_MEASURE, "Not measured"), *ObjectiveMeasure.Source.choices],
    )
    question_key = forms.SlugField(
        label="Question key",
        required=False,
        max_length=50,
        help_text="The question's key, e.g. confidence.",
    )
    survey_kind = forms.ChoiceField(
        label="In the survey", choices=Survey.Kind.choices, initial="closing"
    )
    role = forms.ChoiceField(
        label="Answers of",
        required=False,
        choices=[("", "Everyone"), *ProgramRole.choices],
    )
    threshold = forms.DecimalField(
        label="Answer at least",
        required=False,
        max_digits=4,
        decimal_places=1,
        min_value=0,
        max_value=10,
    )
    metric = forms.ChoiceField(
        label="Metric",
        required=False,
        choices=[("", "—"), *((key, label) for key, (label, _) in METRICS.items())],
    )
    comparison = forms.ChoiceField(
        label="Target is", choices=ObjectiveMeasure.Comparison.choices
    )
    target = forms.DecimalField(
        label="Target",
        required=False,
        max_digits=7,
        decimal_places=1,
        help_text="Percent of people for a question; the metric's unit otherwise.",
    )

    def __init__(self, *args: Any, keys: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if keys:
            self.fields["question_key"].help_text = (
                "Keys in this program's surveys: " + ", ".join(keys)
            )

    def clean(self) -> dict[str, Any]:
        # Form.clean returns cleaned_data (the stubs allow None).
        data = cast(dict[str, Any], super().clean())
        source = data.get("source")
        if not source:
            return data
        if data.get("target") is None:
            self.add_error("target", "Give the target.")
        if source == ObjectiveMeasure.Source.QUESTION:
            if not data.get("question_key"):
                self.add_error("question_key", "Name the question's key.")
            if data.get("threshold") is None:
                self.add_error("threshold", "Give the answer that counts.")
        elif not data.get("metric"):
            self.add_error("metric", "Choose a metric.")
        return data

    def measure_fields(self) -> dict[str, Any] | None:
        data = self.cleaned_data
        if not data.get("source"):
            return None
        return {
            name: data.get(name) if data.get(name) is not None else ""
            for name in MEASURE_FIELDS
        } | {"threshold": data.get("threshold")}
