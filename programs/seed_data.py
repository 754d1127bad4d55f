"""Demo programs and profiles for `manage.py seed_demo` (called from mentorship.seed).

Idempotent: profiles are brought in line with the demo people on every run;
programs, their parts and enrolments are created once.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from mentorship.accounts.models import User
from programs import reference
from programs.models import Enrollment, Participant, Program, TrainingCompletion
from programs.services import (
    ModuleData,
    ObjectiveData,
    QuestionData,
    program_save,
    program_transition,
)

SUNDAY_TO_THURSDAY = [0, 1, 2, 3, 6]  # sorted, as every working_days list

PROGRAMS: dict[str, dict[str, Any]] = {
    "meridian": {
        "fields": {
            "name": "Engineering Growth Mentoring 2027",
            "kind": Program.Kind.ONE_TO_ONE,
            "description": (
                "Six months of one-to-one mentoring that pairs engineers in "
                "Ho Chi Minh City, Bengaluru, Kraków and Austin with senior "
                "engineers and leaders from another office."
            ),
            "focus_areas": [
                "system design",
                "technical leadership",
                "career growth",
                "public speaking",
            ],
            "meeting_cadence_days": 14,
            "meeting_length_minutes": 45,
            "confidentiality_agreement": (
                "What we discuss in mentoring sessions stays between us. I will not "
                "share my partner's personal or career information without consent."
            ),
            "communication_norms": (
                "Agree an agenda before each meeting; answer messages within two "
                "working days; reschedule at least a day ahead."
            ),
            "sponsor_name": "James Carter, VP Engineering",
            "sponsor_message": (
                "Our best engineers grew because someone invested in them. "
                "This program is how we pay that forward across every office."
            ),
            "mentee_capacity": 20,
        },
        "objectives": [
            ObjectiveData(
                "Mentees lead a design review within six months",
                "70% of mentees lead at least one design review",
            ),
            ObjectiveData(
                "Stronger links between offices",
                "Every pair spans two offices; 80% meet at least 8 times",
            ),
        ],
        "questions": [
            QuestionData(
                "What would you most like to grow in the next six months?",
                kind="long_text",
                for_role="mentee",
            ),
            QuestionData(
                "Which focus area matters most to you?",
                kind="single_choice",
                choices=(
                    "system design",
                    "technical leadership",
                    "career growth",
                    "public speaking",
                ),
                for_role="both",
            ),
            QuestionData(
                "How many mentees could you take on?",
                kind="single_choice",
                choices=("1", "2", "3"),
                for_role="mentor",
            ),
        ],
        "modules": [
            ModuleData(
                "Mentoring 101: the first conversation",
                url="https://www.mentoring.org/resource/becoming-a-better-mentor/",
                content="Twenty minutes on setting goals and expectations together.",
            )
        ],
    },
    "bridges": {
        "fields": {
            "name": "Association Leaders Exchange",
            "kind": Program.Kind.ONE_TO_ONE,
            "description": (
                "Experienced association executives, volunteering their time, "
                "mentor leaders of member associations across four continents."
            ),
            "focus_areas": [
                "governance",
                "advocacy",
                "fundraising",
                "membership growth",
            ],
            "meeting_cadence_days": 21,
            "meeting_length_minutes": 60,
            "confidentiality_agreement": (
                "Conversations about my association, its members and its finances "
                "are confidential to the pair."
            ),
            "communication_norms": (
                "Meet by video at a time that falls in both partners' working hours; "
                "mentors are volunteers, so confirm meetings a week ahead."
            ),
            "sponsor_name": "Claire Dubois, Network Director",
            "sponsor_message": "Strong associations make strong economies. Thank you for sharing what you know.",
            "mentee_capacity": 15,
        },
        "objectives": [
            ObjectiveData(
                "Stronger governance in member associations",
                "Each mentee presents a governance improvement to their board",
            ),
            ObjectiveData(
                "Growth in membership and income",
                "Half of mentee associations grow membership or income within a year",
            ),
        ],
        "questions": [
            QuestionData(
                "Which challenge is your association facing right now?",
                kind="long_text",
                for_role="mentee",
            ),
            QuestionData(
                "Which areas can you help with?",
                kind="multi_choice",
                choices=("governance", "advocacy", "fundraising", "membership growth"),
                for_role="mentor",
            ),
        ],
        "modules": [
            ModuleData(
                "Working across cultures and time zones",
                content="A short guide to agreeing meeting times and styles across regions.",
            )
        ],
    },
}


def seed_programs(org, users: dict[str, User]) -> list[str]:
    """Profiles for every demo person, and the organization's demo program."""
    created: list[str] = []
    participants = {
        person.email: _profile(person, users[person.email]) for person in org.people
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
    program = Program.objects.filter(name=spec["fields"]["name"]).first()
    if program is None:
        today = timezone.now().date()
        fields = {
            **spec["fields"],
            "enrollment_opens_on": today - datetime.timedelta(days=14),
            "enrollment_closes_on": today + datetime.timedelta(days=45),
            "starts_on": today + datetime.timedelta(days=60),
            "ends_on": today + datetime.timedelta(days=240),
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
        created.append(program.name)
    now = timezone.now()
    for person in org.people:
        if not person.program_role:
            continue
        enrollment, made = Enrollment.objects.get_or_create(
            participant=participants[person.email],
            program=program,
            role=person.program_role,
            defaults={
                "status": Enrollment.Status.APPROVED,
                "agreed_at": now,
                "decided_by": coordinator,
                "decided_at": now,
            },
        )
        if made:
            created.append(f"{person.email} as {person.program_role}")
            # The demo's people did the program's required training when they
            # enrolled, so the training gate lets them into the matching run.
            TrainingCompletion.objects.bulk_create(
                TrainingCompletion(enrollment=enrollment, module=module, completed_at=now)
                for module in program.training_modules.all()
            )
    return created


def _profile(person, user: User) -> Participant:
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
