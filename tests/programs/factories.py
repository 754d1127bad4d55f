"""Factories for programs; rows land in whichever tenant schema is active."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from mentorship.accounts.models import User
from programs.models import (
    ApplicationQuestion,
    Enrollment,
    Participant,
    Program,
    ProgramObjective,
    TrainingModule,
)


def today() -> datetime.date:
    return timezone.now().date()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@factory.example")
    full_name = factory.Sequence(lambda n: f"Person {n:05d}")
    time_zone = "Europe/Warsaw"
    password = "!unusable"


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    user = factory.SubFactory(UserFactory)
    title = "Engineer"
    department = "Platform"
    country = "PL"
    languages = factory.LazyFunction(lambda: ["en", "pl"])
    skills_offered = factory.LazyFunction(lambda: ["code review"])


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Program {n}")
    kind = Program.Kind.ONE_TO_ONE
    status = Program.Status.DRAFT
    confidentiality_agreement = "What is said in a session stays in it."

    @factory.post_generation
    def coordinators(self, create, extracted, **kwargs):
        if create and extracted:
            self.coordinators.set(extracted)


class EnrollingProgramFactory(ProgramFactory):
    status = Program.Status.ENROLLING
    enrollment_opens_on = factory.LazyFunction(
        lambda: today() - datetime.timedelta(days=7)
    )
    enrollment_closes_on = factory.LazyFunction(
        lambda: today() + datetime.timedelta(days=30)
    )

    @factory.post_generation
    def objectives(self, create, extracted, **kwargs):
        if create:
            ProgramObjective.objects.create(
                program=self, text="Grow leaders", measure="80% report progress"
            )


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramObjective

    program = factory.SubFactory(ProgramFactory)
    text = "Grow new leaders"
    measure = "Half of mentees lead a project within a year"


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationQuestion

    program = factory.SubFactory(ProgramFactory)
    text = factory.Sequence(lambda n: f"Question {n}?")
    kind = ApplicationQuestion.Kind.SHORT_TEXT
    required = True


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingModule

    program = factory.SubFactory(ProgramFactory)
    title = factory.Sequence(lambda n: f"Module {n}")
    url = "https://learning.example/mentoring-101"


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    participant = factory.SubFactory(ParticipantFactory)
    program = factory.SubFactory(EnrollingProgramFactory)
    role = "mentee"
    status = Enrollment.Status.APPLIED


def participant_for(user: User, **fields) -> Participant:
    participant, _ = Participant.objects.get_or_create(user=user, defaults=fields)
    return participant


def enrollments_bulk(program: Program, count: int, **fields) -> list[Enrollment]:
    """Many enrolments fast: users, profiles and enrolments in three INSERTs."""
    start = User.objects.count()
    users = User.objects.bulk_create(
        [
            User(
                email=f"bulk{start + index}@bulk.example",
                full_name=f"Bulk Person {start + index:05d}",
                password="!unusable",
            )
            for index in range(count)
        ]
    )
    participants = Participant.objects.bulk_create(
        [Participant(user=user, department="Bulk") for user in users]
    )
    statuses = [
        Enrollment.Status.APPLIED,
        Enrollment.Status.APPROVED,
        Enrollment.Status.WAITLISTED,
    ]
    return Enrollment.objects.bulk_create(
        [
            Enrollment(
                participant=participant,
                program=program,
                role=("mentor", "mentee")[index % 2],
                status=fields.get("status", statuses[index % 3]),
            )
            for index, participant in enumerate(participants)
        ]
    )
