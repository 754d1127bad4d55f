"""Profiles and programs for `manage.py seed_demo` (called from demo/seed.py).

Idempotent: profiles are brought in line with the demo people on every run;
programs, their parts and enrolments are created once.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from demo.data.people import DemoOrg, Person
from demo.data.programs import PROGRAMS
from mentorship import reference
from mentorship.accounts.models import User
from mentorship.accounts.services import user_create
from programs.models import Enrollment, Participant, Program, TrainingCompletion
from programs.services import program_save, program_transition

SUNDAY_TO_THURSDAY = [0, 1, 2, 3, 6]  # sorted, as every working_days list


def seed_programs(org: DemoOrg, users: dict[str, User]) -> list[str]:
    """Profiles for every demo person, and the organization's demo program."""
    created: list[str] = []
    participants = {
        person.email: profile_save(person, users[person.email]) for person in org.people
    }
    for person in org.people:
        if person.manager:
            participant = participants[person.email]
            manager = participants.get(person.manager)
            if manager is not None and participant.manager_id != manager.pk:
                participant.manager = manager
                participant.save(update_fields=["manager", "updated_at"])
    spec = PROGRAMS.get(org.slug)
    if spec is None:
        return created
    coordinator = next(
        users[p.email] for p in org.people if p.role == User.Role.COORDINATOR
    )
    program, made = program_from_spec(spec, coordinator)
    if made:
        created.append(program.name)
    for person in org.people:
        if not person.program_role:
            continue
        if enroll_approved(
            participants[person.email], program, person.program_role, coordinator
        ):
            created.append(f"{person.email} as {person.program_role}")
    return created


def program_from_spec(
    spec: dict, coordinator: User, *, starts_in_days: int = 60
) -> tuple[Program, bool]:
    """The demo program named in ``spec`` (demo/data), created and opened for
    enrolment when absent (starting ``starts_in_days`` from today, enrolment
    closing by then); returns it and whether it was created."""
    program = Program.objects.filter(name=spec["fields"]["name"]).first()
    if program is None:
        today = timezone.now().date()
        fields = {
            **spec["fields"],
            "enrollment_opens_on": today - datetime.timedelta(days=14),
            "enrollment_closes_on": today
            + datetime.timedelta(days=min(45, starts_in_days)),
            "starts_on": today + datetime.timedelta(days=starts_in_days),
            "ends_on": today + datetime.timedelta(days=starts_in_days + 180),
        }
        program = program_save(
            program=None,
            by=coordinator,
            fields=fields,
            objectives=spec["objectives"],
            questions=spec["questions"],
            modules=spec["modules"],
            coordinators=[coordinator],
        )
        program = program_transition(
            program=program, to=Program.Status.ENROLLING, by=coordinator
        )
        return program, True
    return program, False


def enroll_approved(
    participant: Participant, program: Program, role: str, coordinator: User
) -> bool:
    """An approved enrolment of ``participant`` in ``program`` as ``role``, with the
    program's required training done; returns whether it was created."""
    now = timezone.now()
    enrollment, made = Enrollment.objects.get_or_create(
        participant=participant,
        program=program,
        role=role,
        defaults={
            "status": Enrollment.Status.APPROVED,
            "agreed_at": now,
            "decided_by": coordinator,
            "decided_at": now,
        },
    )
    if made:
        # The demo's people did the program's required training when they
        # enrolled, so the training gate lets them into the matching run.
        TrainingCompletion.objects.bulk_create(
            TrainingCompletion(enrollment=enrollment, module=module, completed_at=now)
            for module in program.training_modules.all()
        )
    return made


def demo_user(
    person: Person, password_hash: str, *, preferred_name: str = ""
) -> tuple[User, bool]:
    """The demo person's account (signing in with the demo password), created when
    absent; returns it and whether it was created."""
    user = User.objects.filter(email=person.email).first()
    if user is not None:
        return user, False
    user = user_create(
        email=person.email,
        password=None,
        full_name=person.name,
        preferred_name=preferred_name,
        role=person.role,
        time_zone=person.zone,
        verified=True,
    )
    user.password = password_hash
    user.save(update_fields=["password"])
    return user, True


def profile_save(person: Person, user: User) -> Participant:
    """``person``'s participant profile, brought in line with the demo data."""
    participant, _ = Participant.objects.get_or_create(user=user)
    participant.title = person.title
    participant.department = person.department
    participant.seniority = person.seniority
    participant.country = person.country
    participant.city = person.city
    participant.languages = list(person.languages)
    participant.skills_offered = reference.skills_normalize(list(person.offers))
    participant.skills_wanted = reference.skills_normalize(list(person.wants))
    participant.affiliation = person.affiliation
    participant.working_hours_start = datetime.time(9, 0)
    participant.working_hours_end = datetime.time(17, 0)
    participant.working_days = (
        SUNDAY_TO_THURSDAY
        if person.country == "BD"
        else list(reference.MONDAY_TO_FRIDAY)
    )
    participant.mentoring_capacity = 2 if person.program_role == "mentor" else 1
    participant.full_clean()
    participant.save()
    return participant
