"""The training gate in matching: people whose required training is not done (and
not waived) are left out of the engine's input, the run says why, a waiver lets
them in, and a manual pairing refuses them."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from matching import selectors, services
from matching.models import Match, MatchingCriteria
from programs.models import AudienceRole, TrainingCompletion, TrainingWaiver
from programs.selectors import TRAINING_NOT_COMPLETED
from tests.matching.factories import matching_program, mentee, mentor
from tests.programs.factories import ModuleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(coordinator):
    program = matching_program(coordinators=[coordinator], kind="reverse")
    # the demo's reverse-mentoring program: culture for mentors, openness for mentees
    ModuleFactory(
        program=program,
        title="Cultural competence",
        required_for_role=AudienceRole.MENTOR,
    )
    ModuleFactory(
        program=program, title="Openness", required_for_role=AudienceRole.MENTEE
    )
    return program


def _train(enrollment):
    for module in enrollment.program.training_modules.all():
        if module.is_for(enrollment.role):
            TrainingCompletion.objects.create(
                enrollment=enrollment, module=module, completed_at=timezone.now()
            )
    return enrollment


def _build(program):
    return selectors.matching_input_build(
        program=program,
        criteria=MatchingCriteria(program=program),
        week_of=datetime.date(2026, 3, 2),
    )


def test_engine_input_excludes_untrained_people(program):
    # given
    trained_mentor = _train(mentor(program))
    untrained_mentor = mentor(program)
    trained_mentee = _train(mentee(program))
    untrained_mentee = mentee(program)
    # when
    built = _build(program)
    # then
    assert built.mentors == [trained_mentor]
    assert built.mentees == [trained_mentee]
    assert len(built.problem.mentees) == 1
    assert built.problem.capacity.shape == (1,)
    assert {e.pk for e in built.held_back} == {untrained_mentor.pk, untrained_mentee.pk}


def test_run_records_training_not_completed_as_the_reason(program, coordinator):
    # given
    teacher = _train(mentor(program))
    learner = _train(mentee(program))
    untrained = mentee(program)
    untrained_mentor = mentor(program)
    # when
    run = services.match_run_start(program=program, by=coordinator)
    # then
    assert set(Match.objects.filter(run=run).values_list("mentee", "mentor")) == {
        (learner.pk, teacher.pk)
    }
    reasons = {item["enrollment"]: item["reason"] for item in run.unmatched}
    assert reasons == {
        untrained.pk: TRAINING_NOT_COMPLETED,
        untrained_mentor.pk: TRAINING_NOT_COMPLETED,
    }


def test_why_unmatched_shows_the_reason(alpha, program, coordinator):
    # given
    _train(mentor(program))
    _train(mentee(program))
    untrained = mentee(program, name="Untrained Ulla")
    services.match_run_start(program=program, by=coordinator)
    # when
    response = alpha.client("coordinator").get(
        f"/manage/programs/{program.pk}/matching/"
    )
    # then
    page = response.content.decode()
    assert "Untrained Ulla" in page
    assert "Training not completed" in page
    assert untrained.pk in [row.enrollment.pk for row in response.context["unmatched"]]
    assert f"/manage/programs/{program.pk}/training/?blocked=1" in page


def test_waiver_is_honoured(program, coordinator):
    # given: nobody trained, the mentee's training waived
    teacher = mentor(program)
    learner = mentee(program)
    for enrollment in (teacher, learner):
        TrainingWaiver.objects.create(
            enrollment=enrollment,
            reason="Took the course at the last company",
            waived_by=coordinator,
            waived_at=timezone.now(),
        )
    # when
    run = services.match_run_start(program=program, by=coordinator)
    # then
    assert run.unmatched == []
    assert Match.objects.get(run=run).mentee == learner


def test_manual_pairing_refuses_untrained_mentee(program, coordinator):
    teacher = _train(mentor(program))
    learner = mentee(program, name="Untrained Umar")
    with pytest.raises(ValidationError, match="required training"):
        services.match_create_manual(
            program=program, mentee=learner, mentor=teacher, by=coordinator
        )


def test_circle_run_leaves_out_untrained_people(coordinator):
    # given
    program = matching_program(coordinators=[coordinator], kind="group_circle")
    ModuleFactory(program=program, required_for_role=AudienceRole.BOTH)
    facilitator = _train(mentor(program))
    members = [_train(mentee(program)) for _ in range(3)]
    untrained = mentee(program)
    # when
    run = services.match_run_start(
        program=program, by=coordinator, mode="circles", circle_size=3
    )
    # then
    assert run.unmatched == [
        {"enrollment": untrained.pk, "reason": TRAINING_NOT_COMPLETED}
    ]
    circle = run.circles.get()
    assert set(circle.members.all()) == set(members)
    assert list(circle.facilitators.all()) == [facilitator]
