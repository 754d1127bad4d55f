"""The builder: templates, questions, reordering, copies, and the rule that an
answered survey keeps its questions."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reporting.models import Question, Survey
from reporting.services import surveys as services
from tests.reporting.factories import (
    FOCUS_AREAS,
    people,
    respond,
    survey,
    survey_program,
)


def test_baseline_template_copies_focus_areas_into_the_matrix(alpha, coordinator):
    program = survey_program(coordinators=[coordinator])
    [made] = services.survey_copy_template(
        program=program, by=coordinator, template_key="baseline"
    )
    assert made.kind == Survey.Kind.BASELINE
    assert made.status == Survey.Status.DRAFT
    questions = list(made.questions.all())
    assert [q.key for q in questions] == ["competencies", "confidence", "wants"]
    assert questions[0].kind == Question.Kind.COMPETENCY_MATRIX
    assert questions[0].choices == FOCUS_AREAS


def test_closing_template_asks_the_same_keys_plus_nps_and_story(alpha, coordinator):
    program = survey_program(coordinators=[coordinator])
    [made] = services.survey_copy_template(
        program=program, by=coordinator, template_key="closing"
    )
    keys = list(made.questions.values_list("key", flat=True))
    assert {"competencies", "confidence", "nps", "story"} <= set(keys)
    nps = made.questions.get(key="nps")
    assert nps.kind == Question.Kind.NPS
    assert "recommend this program" in nps.text


def test_reverse_pair_makes_one_survey_per_side(alpha, coordinator):
    program = survey_program(coordinators=[coordinator], kind="reverse")
    made = services.survey_copy_template(
        program=program, by=coordinator, template_key="reverse_pair"
    )
    assert [(s.kind, s.audience_role) for s in made] == [
        ("reverse_senior", "mentee"),
        ("reverse_junior", "mentor"),
    ]
    assert made[0].questions.filter(key="digital_fluency_before").exists()
    assert made[1].questions.filter(key="intergenerational_insight").exists()


def test_mentor_experience_asks_about_working_across_cultures(alpha, coordinator):
    program = survey_program(coordinators=[coordinator])
    [made] = services.survey_copy_template(
        program=program, by=coordinator, template_key="mentor_experience"
    )
    assert "across cultures" in made.questions.get(key="cross_cultural").text


def test_template_with_matrix_needs_focus_areas(alpha, coordinator):
    program = survey_program(coordinators=[coordinator], focus_areas=[])
    with pytest.raises(ValidationError, match="focus areas"):
        services.survey_copy_template(
            program=program, by=coordinator, template_key="baseline"
        )
    assert not Survey.objects.filter(program=program).exists()


def test_only_the_programs_coordinators_build(alpha, coordinator):
    program = survey_program()
    with pytest.raises(PermissionDenied):
        services.survey_create(program=program, by=coordinator)


def test_add_edit_move_and_remove_questions(alpha, coordinator):
    program = survey_program(coordinators=[coordinator])
    made = services.survey_create(program=program, by=coordinator)
    first = services.question_save(
        survey=made, by=coordinator, fields={"kind": "likert", "text": "How ready?"}
    )
    second = services.question_save(
        survey=made,
        by=coordinator,
        fields={
            "kind": "single_choice",
            "text": "Which?",
            "choices": ["A", "B", "B", " "],
        },
    )
    assert second.choices == ["A", "B"]
    services.question_move(question=second, by=coordinator, offset=-1)
    assert list(made.questions.order_by("order").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]
    services.question_save(
        survey=made,
        by=coordinator,
        question=first,
        fields={"text": "How ready now?", "required": False},
    )
    first.refresh_from_db()
    assert (first.text, first.required) == ("How ready now?", False)
    services.question_delete(question=second, by=coordinator)
    assert list(made.questions.values_list("pk", "order")) == [(first.pk, 0)]


def test_choice_question_needs_two_options(alpha, coordinator):
    program = survey_program(coordinators=[coordinator])
    made = services.survey_create(program=program, by=coordinator)
    with pytest.raises(ValidationError) as error:
        services.question_save(
            survey=made,
            by=coordinator,
            fields={"kind": "multi_choice", "text": "Q", "choices": ["only"]},
        )
    assert "choices" in error.value.message_dict


def test_answered_survey_keeps_its_questions_and_offers_a_copy(alpha, coordinator):
    program = survey_program(coordinators=[coordinator])
    made = survey(
        program,
        questions=[
            {"kind": "likert", "key": "confidence", "text": "Confident?"},
            {
                "kind": "single_choice",
                "key": "pick",
                "text": "Pick",
                "choices": ["A", "B"],
            },
        ],
    )
    [person] = people(program, 1)
    respond(made, person, {"confidence": 4, "pick": "A"})
    confidence, pick = made.questions.all()
    with pytest.raises(ValidationError, match="Copy the survey"):
        services.question_delete(question=confidence, by=coordinator)
    with pytest.raises(ValidationError):
        services.question_save(
            survey=made, by=coordinator, question=confidence, fields={"kind": "nps"}
        )
    with pytest.raises(ValidationError):
        services.question_save(
            survey=made, by=coordinator, question=pick, fields={"choices": ["B"]}
        )
    # adding an option and rewording are fine
    services.question_save(
        survey=made,
        by=coordinator,
        question=pick,
        fields={"choices": ["A", "B", "C"], "text": "Pick one"},
    )
    copy = services.survey_copy(survey=made, by=coordinator)
    assert copy.status == Survey.Status.DRAFT
    assert list(copy.questions.values_list("key", flat=True)) == ["confidence", "pick"]
    assert made.questions.count() == 2


def test_opening_needs_a_question_and_records_when(alpha, coordinator):
    program = survey_program(coordinators=[coordinator])
    made = services.survey_create(program=program, by=coordinator)
    with pytest.raises(ValidationError, match="Add a question"):
        services.survey_set_status(survey=made, by=coordinator, status="open")
    services.question_save(
        survey=made, by=coordinator, fields={"kind": "nps", "text": "Recommend?"}
    )
    opened = services.survey_set_status(survey=made, by=coordinator, status="open")
    assert opened.status == "open"
    assert opened.opened_at is not None


def test_anonymity_is_fixed_once_people_are_asked(alpha, coordinator):
    program = survey_program(coordinators=[coordinator])
    made = survey(program, questions=[{"kind": "likert", "text": "Q"}])
    [person] = people(program, 1)
    respond(made, person, {})
    with pytest.raises(ValidationError):
        services.survey_update(
            survey=made, by=coordinator, fields={"is_anonymous": True}
        )
