"""The training gate's reads: who is held back, per program (programs.selectors)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from programs.models import AudienceRole, Enrollment, TrainingCompletion, TrainingWaiver
from programs.selectors import training_blocked_counts
from tests.programs.factories import (
    EnrollingProgramFactory,
    EnrollmentFactory,
    ModuleFactory,
)

APPROVED = Enrollment.Status.APPROVED


def _done(enrollment, module):
    TrainingCompletion.objects.create(
        enrollment=enrollment, module=module, completed_at=timezone.now()
    )


def test_counts_approved_people_with_required_training_left(alpha, coordinator):
    # given: a mentor module and an everyone module
    program = EnrollingProgramFactory()
    for_mentors = ModuleFactory(program=program, required_for_role=AudienceRole.MENTOR)
    for_all = ModuleFactory(program=program, required_for_role=AudienceRole.BOTH)
    finished = EnrollmentFactory(program=program, role="mentor", status=APPROVED)
    _done(finished, for_mentors)
    _done(finished, for_all)
    half = EnrollmentFactory(program=program, role="mentor", status=APPROVED)
    _done(half, for_mentors)
    mentee_done = EnrollmentFactory(program=program, role="mentee", status=APPROVED)
    _done(mentee_done, for_all)  # the mentor module is not theirs
    EnrollmentFactory(program=program, role="mentee", status=APPROVED)  # nothing done
    EnrollmentFactory(program=program, role="mentee")  # applied: not counted
    waived = EnrollmentFactory(program=program, role="mentee", status=APPROVED)
    TrainingWaiver.objects.create(
        enrollment=waived, reason="Did it at the last company", waived_at=timezone.now()
    )
    untrained = EnrollingProgramFactory()  # no modules: nobody is held back
    EnrollmentFactory(program=untrained, status=APPROVED)
    # when
    counts = training_blocked_counts(program_ids=[program.pk, untrained.pk])
    # then: "half" and the mentee who did nothing
    assert counts == {program.pk: 2}


@pytest.mark.parametrize("size", [3, 30])
def test_one_query_at_any_size(alpha, size, django_assert_max_num_queries):
    programs = [EnrollingProgramFactory() for _ in range(3)]
    for program in programs:
        ModuleFactory(program=program)
        for _ in range(size):
            EnrollmentFactory(program=program, status=APPROVED)
    with django_assert_max_num_queries(1):
        counts = training_blocked_counts(program_ids=[p.pk for p in programs])
    assert counts == {p.pk: size for p in programs}


def test_a_mentee_already_matched_is_not_counted(alpha, coordinator):
    from matching.models import Match

    program = EnrollingProgramFactory()
    ModuleFactory(program=program, required_for_role=AudienceRole.BOTH)
    mentor = EnrollmentFactory(program=program, role="mentor", status=APPROVED)
    mentee = EnrollmentFactory(program=program, role="mentee", status=APPROVED)
    Match.objects.create(
        program=program, mentor=mentor, mentee=mentee, status="proposed"
    )
    # the mentor may still take more mentees, so still counts; the mentee doesn't
    assert training_blocked_counts(program_ids=[program.pk]) == {program.pk: 1}
