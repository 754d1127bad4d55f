"""Many programs full of people, fast, for the coordinator home's query-count test
and bench/pages.py ``manage_home``."""

from __future__ import annotations

import datetime

from django.utils import timezone

from matching.models import Match
from mentorship.accounts.models import User
from programs.models import Enrollment, Participant, Program


def bulk_home_programs(
    *, coordinator: User, programs: int, participants: int, prefix: str
) -> list[Program]:
    """``programs`` active programs coordinated by ``coordinator``, each with the
    same ``participants`` people approved (mentor, mentee, mentor, …) and paired:
    every 10th pair a proposal unanswered for 41 days, every 7th active pair at
    risk (no meeting for 40 days), the rest active for 20 days."""
    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(
                email=f"{prefix}-{n}@home.example",
                full_name=f"Home Person {prefix} {n:05d}",
                password="!unusable",
            )
            for n in range(participants)
        ]
    )
    people = Participant.objects.bulk_create([Participant(user=u) for u in users])
    made = []
    for index in range(programs):
        program = Program.objects.create(
            name=f"Home program {prefix} {index:02d}",
            status=Program.Status.ACTIVE,
            meeting_cadence_days=14,
        )
        program.coordinators.add(coordinator)
        made.append(program)
    enrollments = Enrollment.objects.bulk_create(
        [
            Enrollment(
                participant=person,
                program=program,
                role=("mentor", "mentee")[n % 2],
                status=Enrollment.Status.APPROVED,
            )
            for program in made
            for n, person in enumerate(people)
        ]
    )

    def pair(program_index: int, n: int) -> Match:
        mentor = enrollments[program_index * participants + 2 * n]
        mentee = enrollments[program_index * participants + 2 * n + 1]
        if n % 10 == 0:
            return Match(
                program_id=mentor.program_id,
                mentor=mentor,
                mentee=mentee,
                status=Match.Status.PROPOSED,
                proposed_at=now - datetime.timedelta(days=41),
            )
        return Match(
            program_id=mentor.program_id,
            mentor=mentor,
            mentee=mentee,
            status=Match.Status.ACTIVE,
            started_at=now - datetime.timedelta(days=40 if n % 7 == 0 else 20),
        )

    Match.objects.bulk_create(
        [pair(p, n) for p in range(programs) for n in range(participants // 2)]
    )
    return made
