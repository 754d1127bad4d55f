"""One-line text of surveys, stories and sponsor links refuses control and
text-direction characters, like every other one-line field (mentorship/fields.py).

Found by hand: a survey title, a question's option and a sponsor link's label took
U+202E (RIGHT-TO-LEFT OVERRIDE), so "Sponsor: Aziz \u202etxt.exe" was saved and shown
reversed on the sharing page; the checks of tests/security/test_bad_input.py cover
accounts, programs, matching and checkins only."""

from __future__ import annotations

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

import reporting.forms
import reporting.impact_forms
from mentorship.fields import validate_single_line
from reporting.models import Question, SharedReport, Survey
from reporting.services import surveys as services
from tests.reporting.factories import survey, survey_program

RLO = "\u202e"

# Text no person types: copied from a template, a choice, a focus area or a
# profile, or made by the code.
NOT_TYPED = {
    ("survey", "template_key"),
    ("surveyassignment", "occasion"),
    ("response", "country"),
    ("response", "time_zone"),
    ("response", "member_organization_country"),
    ("answer", "item"),
    ("sharedreport", "token_hash"),
    ("objectivemeasure", "metric"),
}


def test_every_typed_one_line_field_of_reporting_refuses_control_characters():
    missing, checked = [], 0
    for model in apps.get_app_config("reporting").get_models():
        for field in model._meta.get_fields():
            base = getattr(field, "base_field", field)
            if not isinstance(base, models.CharField) or base.choices:
                continue
            if isinstance(base, models.SlugField):
                continue
            if (model._meta.model_name, field.name) in NOT_TYPED:
                continue
            checked += 1
            if validate_single_line not in base.validators:
                missing.append(f"{model.__name__}.{field.name}")
    assert not missing, f"use mentorship.fields.SingleLineCharField for {missing}"
    assert checked >= 10


def test_every_one_line_input_of_the_reporting_forms_refuses_control_characters():
    missing, checked = [], 0
    for module in (reporting.forms, reporting.impact_forms):
        for form_class in vars(module).values():
            if not (
                isinstance(form_class, type)
                and issubclass(form_class, forms.BaseForm)
                and form_class.__module__ == module.__name__
            ):
                continue
            for name, field in form_class.base_fields.items():
                one_line = isinstance(field, forms.CharField) and not isinstance(
                    field.widget, forms.Textarea | forms.HiddenInput
                )
                if not one_line or isinstance(field, forms.SlugField):
                    continue
                checked += 1
                if validate_single_line not in field.validators:
                    missing.append(f"{form_class.__name__}.{name}")
    assert not missing, f"use mentorship.fields.SingleLineFormField for {missing}"
    assert checked >= 8


def test_a_survey_title_or_an_option_with_a_direction_override_is_refused(
    alpha, coordinator
):
    program = survey_program(coordinators=[coordinator])
    made = survey(program, questions=[{"kind": "likert", "text": "Confident?"}])
    with pytest.raises(ValidationError):
        services.survey_update(
            survey=made, by=coordinator, fields={"title": f"Baseline {RLO}fdp.exe"}
        )
    with pytest.raises(ValidationError):
        services.question_save(
            survey=made,
            by=coordinator,
            fields={
                "kind": Question.Kind.SINGLE_CHOICE,
                "text": "Which office?",
                "choices": ["Austin", f"Krak{RLO}ów"],
            },
        )
    made.refresh_from_db()
    assert RLO not in made.title
    assert made.questions.count() == 1


def test_the_pages_answer_422_and_save_nothing(alpha, coordinator):
    program = survey_program(coordinators=[coordinator])
    made = survey(program, questions=[{"kind": "likert", "text": "Confident?"}])
    client = alpha.client("coordinator")

    response = client.post(
        reverse("reporting:question-create", args=[program.pk, made.pk]),
        {"kind": "short_text", "text": f"What {RLO}changed?", "required": "on"},
    )
    assert response.status_code == 422
    assert "text-direction" in response.content.decode()
    assert made.questions.count() == 1

    response = client.post(
        reverse("reporting:share-create", args=[program.pk]),
        {"label": f"Sponsor: Aziz {RLO}txt.exe"},
    )
    assert response.status_code == 422
    assert not SharedReport.objects.filter(program=program).exists()
    assert Survey.objects.get(pk=made.pk).title == made.title
