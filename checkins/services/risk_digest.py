"""The coordinators' weekly at-risk digest (beat, hourly, through the tenant fan-out).

Each coordinator gets one digest item a week listing the at-risk pairs of the
programs they coordinate (HR admins: every program not closed), with the reasons
from the health view (``checkins.selectors.pairs_at_risk``: names and reasons
only, never a note), linking to the health view. Nothing when no pair is at risk.

When. Like the training nudges, an item is made only when the coordinator's next
digest instant (local digest hour, working day, out of quiet hours) is at most
``LOOKAHEAD`` away, and is due then, so its list is fresh when it goes out. With
an hourly beat the first such run of a week is before their first working day's
digest (Monday's, for a Monday-to-Friday week). A week whose pairs were fine
then but not later gets its digest on the first working day something is at risk.

The dedupe key is ``coordinator-risk-digest:<user id>:<ISO year>-W<ISO week>`` of
the local date the digest is *delivered* on: at most one a week, whatever the
number of runs, and never two in one digest across a week boundary.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from urllib.parse import urlencode

from django.urls import reverse

from checkins.selectors import HealthRow, pairs_at_risk
from mentorship import localtime
from mentorship.accounts.models import User
from mentorship.notifications import services as notification_services
from mentorship.notifications.models import Notification
from programs.models import Program

KIND = "coordinator-risk-digest"
LOOKAHEAD = datetime.timedelta(hours=2)
DEFAULT_WORKING_DAYS = frozenset(range(5))  # Monday to Friday
# Pairs listed per program; the health view has the rest.
LISTED_PER_PROGRAM = 10


def coordinator_risk_digest_create(*, now: datetime.datetime) -> int:
    """One weekly digest item per coordinator or HR admin with at-risk pairs in
    their programs; returns how many were new. Idempotent (outbox dedupe keys);
    at most 9 queries whatever the size: the coordinators with their profiles,
    who coordinates what, the 4 health queries, then the outbox's 3."""
    due = _coordinators_due(now)
    if not due:
        return 0
    coordinated: dict[int, set[int]] = defaultdict(set)
    for user_id, program_id in Program.coordinators.through.objects.filter(
        user_id__in=[user.pk for user, _, _ in due]
    ).values_list("user_id", "program_id"):
        coordinated[user_id].add(program_id)
    # HR admins see every program, so then every at-risk pair is needed anyway.
    program_ids = (
        None
        if any(user.is_hr_admin for user, _, _ in due)
        else {program_id for ids in coordinated.values() for program_id in ids}
    )
    rows = pairs_at_risk(program_ids=program_ids, now=now)
    specs = []
    for user, due_at, working_days in due:
        mine = [
            row
            for row in rows
            if user.is_hr_admin or row.program_id in coordinated[user.pk]
        ]
        if not mine:
            continue
        year, week, _ = localtime.local_date_of(user.time_zone, due_at).isocalendar()
        specs.append(
            notification_services.NotificationSpec(
                recipient=user,
                kind=KIND,
                dedupe_key=f"{KIND}:{user.pk}:{year}-W{week:02d}",
                subject=_subject(mine),
                body=_body(mine),
                link=_link(mine),
                due_at=due_at,
                channel=Notification.Channel.DIGEST,
                working_days=working_days,
            )
        )
    return notification_services.notifications_create_bulk(specs=specs)


def _coordinators_due(
    now: datetime.datetime,
) -> list[tuple[User, datetime.datetime, frozenset[int]]]:
    """Active coordinators and HR admins whose next digest is within the lookahead,
    with its instant and their working days: 1 query (profile by join)."""
    due = []
    for user in User.objects.filter(
        is_active=True, role__in=[User.Role.COORDINATOR, User.Role.HR_ADMIN]
    ).select_related("participant"):
        participant = getattr(user, "participant", None)
        working_days = (
            frozenset(participant.working_days or ()) if participant else frozenset()
        ) or DEFAULT_WORKING_DAYS
        due_at = notification_services.digest_due_at(
            user=user, after=now, working_days=working_days
        )
        if due_at - now <= LOOKAHEAD:
            due.append((user, due_at, working_days))
    return due


def _by_program(rows: list[HealthRow]) -> dict[int, list[HealthRow]]:
    grouped: dict[int, list[HealthRow]] = defaultdict(list)
    for row in rows:  # already ordered by program, then mentee
        grouped[row.program_id].append(row)
    return grouped


def _pairs(count: int) -> str:
    return f"{count} pair{'' if count == 1 else 's'}"


def _subject(rows: list[HealthRow]) -> str:
    programs = _by_program(rows)
    where = (
        rows[0].program_name
        if len(programs) == 1
        else f"{len(programs)} of your programs"
    )
    verb = "is" if len(rows) == 1 else "are"
    return f"This week: {_pairs(len(rows))} {verb} at risk in {where}"


def _body(rows: list[HealthRow]) -> str:
    lines: list[str] = []
    for program_rows in _by_program(rows).values():
        lines.append(f"{program_rows[0].program_name}: {_pairs(len(program_rows))}")
        for row in program_rows[:LISTED_PER_PROGRAM]:
            lines.append(
                f"- {row.mentor_name} and {row.mentee_name}: {'; '.join(row.risks)}"
            )
        if len(program_rows) > LISTED_PER_PROGRAM:
            lines.append(
                f"- and {len(program_rows) - LISTED_PER_PROGRAM} more in the health view"
            )
    return "\n".join(lines)


def _link(rows: list[HealthRow]) -> str:
    """The health view, at-risk pairs only, of the program with the most of them."""
    grouped = _by_program(rows)
    worst = max(grouped, key=lambda program_id: len(grouped[program_id]))
    path = reverse("checkins:program-health", args=[worst])
    return f"{path}?{urlencode({'at_risk': '1'})}"
