"""A pair to work with: an active program in alpha, the `mentor` and `mentee`
personas enrolled and matched, `coordinator` coordinating it. Rows are made with
the ORM (no matching services), inside each test's rolled-back transaction."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from checkins.selectors import Pair, pair_of, pair_queryset
from matching.models import Match
from mentorship.accounts.models import User
from programs.models import Enrollment, Participant, Program, ProgramObjective


def make_participant(user: User, **fields) -> Participant:
    participant, _ = Participant.objects.get_or_create(user=user, defaults=fields)
    return participant


def make_pair(
    *,
    program: Program,
    mentor: User,
    mentee: User,
    started_days_ago: int = 30,
    status: str = Match.Status.ACTIVE,
) -> Pair:
    enrollments = [
        Enrollment.objects.create(
            participant=make_participant(user),
            program=program,
            role=role,
            status=Enrollment.Status.APPROVED,
        )
        for user, role in ((mentor, "mentor"), (mentee, "mentee"))
    ]
    match = Match.objects.create(
        program=program,
        mentor=enrollments[0],
        mentee=enrollments[1],
        status=status,
        started_at=timezone.now() - datetime.timedelta(days=started_days_ago),
    )
    return pair_of(pair_queryset().get(pk=match.pk))


@pytest.fixture
def program(alpha, coordinator) -> Program:
    program = Program.objects.create(
        name="Growth mentoring",
        status=Program.Status.ACTIVE,
        meeting_cadence_days=14,
        meeting_length_minutes=45,
    )
    program.coordinators.add(coordinator)
    ProgramObjective.objects.create(program=program, text="Grow confident leaders")
    return program


@pytest.fixture
def pair(program, mentor, mentee) -> Pair:
    return make_pair(program=program, mentor=mentor, mentee=mentee)


@pytest.fixture
def stranger(alpha) -> User:
    """A member of the same organization who is in no pair here."""
    user = User.objects.create_user(
        "stranger@alpha.example", password=None, full_name="Sam Stranger"
    )
    make_participant(user)
    return user
