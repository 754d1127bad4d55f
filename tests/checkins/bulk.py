"""Many active pairs at once with bulk_create (query-count tests and bench/pages.py)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from checkins.models import Goal, Meeting, MeetingLog, Pulse
from matching.models import Match
from mentorship.accounts.models import User
from programs.models import Enrollment, Participant, Program


def bulk_pairs(
    *,
    program: Program,
    count: int,
    prefix: str,
    names: list[tuple[str, str]] | None = None,
) -> list[Match]:
    """``count`` active pairs in ``program``, each with a held meeting (logged and
    rated by both), a pending proposal and a goal; every third pair is at risk.
    ``names`` gives (mentor, mentee) full names; otherwise they are numbered."""
    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(
                email=f"{prefix}-{n}-{role}@bulk.example",
                full_name=names[n][side]
                if names
                else f"{role.title()} {prefix} {n:05d}",
                time_zone=("Europe/Warsaw", "Asia/Kolkata", "America/Chicago")[n % 3],
                password="!unusable",
            )
            for n in range(count)
            for side, role in enumerate(("mentor", "mentee"))
        ]
    )
    participants = Participant.objects.bulk_create(
        [Participant(user=user) for user in users]
    )
    enrollments = Enrollment.objects.bulk_create(
        [
            Enrollment(
                participant=participant,
                program=program,
                role=("mentor", "mentee")[n % 2],
                status=Enrollment.Status.APPROVED,
            )
            for n, participant in enumerate(participants)
        ]
    )
    matches = Match.objects.bulk_create(
        [
            Match(
                program=program,
                mentor=enrollments[2 * n],
                mentee=enrollments[2 * n + 1],
                status=Match.Status.ACTIVE,
                started_at=now - datetime.timedelta(days=40),
            )
            for n in range(count)
        ]
    )
    held = Meeting.objects.bulk_create(
        [
            Meeting(
                match=match,
                # every third pair last met 40 days ago: at risk
                starts_at=now - datetime.timedelta(days=40 if n % 3 == 0 else 10),
                status=Meeting.Status.HELD,
                proposed_by=users[2 * n],
                proposed_at=now - datetime.timedelta(days=45),
            )
            for n, match in enumerate(matches)
        ]
    )
    Meeting.objects.bulk_create(
        [
            Meeting(
                match=match,
                starts_at=now + datetime.timedelta(days=3),
                status=Meeting.Status.PROPOSED,
                proposed_by=users[2 * n + 1],
                proposed_at=now - datetime.timedelta(days=1),
            )
            for n, match in enumerate(matches)
        ]
    )
    MeetingLog.objects.bulk_create(
        [
            MeetingLog(meeting=meeting, author=users[2 * n + side], happened=True)
            for n, meeting in enumerate(held)
            for side in (0, 1)
        ]
    )
    Pulse.objects.bulk_create(
        [
            # every fifth pair: one of them found the last meeting poor
            Pulse(
                meeting=meeting,
                author=users[2 * n + side],
                usefulness=2 if n % 5 == 4 and side else 3 + side,
            )
            for n, meeting in enumerate(held)
            for side in (0, 1)
        ]
    )
    Goal.objects.bulk_create(
        [
            Goal(match=match, title="Lead a project", progress=(n * 37) % 101)
            for n, match in enumerate(matches)
        ]
    )
    return matches
