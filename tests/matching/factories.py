"""Matching test data: programs ready to match and the people in them.

Rows land in whichever tenant schema is active (the `alpha` fixture sets it).
"""

from __future__ import annotations

import datetime
import itertools

from mentorship.accounts.models import User
from programs.models import Enrollment, Participant, Program
from tests.programs.factories import ParticipantFactory, ProgramFactory, UserFactory

_serial = itertools.count()


def matching_program(
    *,
    coordinators: list[User] | None = None,
    kind: str = Program.Kind.ONE_TO_ONE,
    **fields,
) -> Program:
    fields.setdefault("status", Program.Status.MATCHING)
    return ProgramFactory(kind=kind, coordinators=coordinators or [], **fields)


def person(
    *,
    name: str | None = None,
    zone: str = "Europe/Warsaw",
    user: User | None = None,
    **fields,
) -> Participant:
    """A participant; defaults: speaks English, works 9–17 Mon–Fri, mid-level."""
    n = next(_serial)
    if user is None:
        user = UserFactory(
            email=f"match{n}@matching.example",
            full_name=name or f"Match Person {n:04d}",
            time_zone=zone,
        )
    fields.setdefault("languages", ["en"])
    fields.setdefault("skills_offered", [])
    fields.setdefault("skills_wanted", [])
    fields.setdefault("working_hours_start", datetime.time(9))
    fields.setdefault("working_hours_end", datetime.time(17))
    return ParticipantFactory(user=user, **fields)


def enroll(
    program: Program,
    participant: Participant,
    role: str,
    status: str = Enrollment.Status.APPROVED,
) -> Enrollment:
    return Enrollment.objects.create(
        participant=participant, program=program, role=role, status=status
    )


def mentor(program: Program, **fields) -> Enrollment:
    fields.setdefault("seniority", Participant.Seniority.SENIOR)
    fields.setdefault("skills_offered", ["python", "leadership"])
    return enroll(program, person(**fields), "mentor")


def mentee(program: Program, **fields) -> Enrollment:
    fields.setdefault("seniority", Participant.Seniority.EARLY)
    fields.setdefault("skills_wanted", ["python"])
    return enroll(program, person(**fields), "mentee")


def proposals_bulk(program: Program, run, count: int, *, mentors: int = 10) -> None:
    """``count`` suggested pairs in a finished run, fast (five INSERTs)."""
    from matching import engine
    from matching.models import Match

    start = next(_serial)
    for _ in range(count + mentors):
        next(_serial)
    users = User.objects.bulk_create(
        [
            User(
                email=f"bulkmatch{start + n}@matching.example",
                full_name=f"Bulk Match {start + n:05d}",
                time_zone=("Asia/Kolkata", "America/Chicago", "Europe/Warsaw")[n % 3],
                password="!unusable",
            )
            for n in range(count + mentors)
        ]
    )
    people = Participant.objects.bulk_create(
        [Participant(user=user, title="Engineer", languages=["en"]) for user in users]
    )
    enrollments = Enrollment.objects.bulk_create(
        [
            Enrollment(
                participant=p,
                program=program,
                role="mentor" if n < mentors else "mentee",
                status=Enrollment.Status.APPROVED,
            )
            for n, p in enumerate(people)
        ]
    )
    teachers, learners = enrollments[:mentors], enrollments[mentors:]
    explanation = dict.fromkeys(engine.CRITERIA, 10.0)
    Match.objects.bulk_create(
        [
            Match(
                program=program,
                run=run,
                mentor=teachers[n % mentors],
                mentee=learner,
                status="suggested",
                score=70.0,
                explanation=explanation,
            )
            for n, learner in enumerate(learners)
        ]
    )
