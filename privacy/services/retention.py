"""Retention: personal data of programs closed more than N months ago is
anonymised by a daily task; HR admins see the schedule beforehand.

When a program counts as closed: the time of its "Program closed" audit entry
(``programs.services.program_transition``); for programs closed before that entry
existed, the program's last change (``updated_at``, never earlier than the
closure, so data is kept at least as long as promised, never shorter).

What happens on the due day (``retention_run``), for each program due:

- every person enrolled in it whose *every* program is closed and due (members
  only; staff accounts are people's colleagues, not participants) is erased
  (``erasure.person_erase``, reason "retention");
- for people still in a later program, this program's own personal data goes:
  their application answers in it and the private notes of its meetings;
- one audit entry "Anonymised after the retention period" per program, so a
  program is done once.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from checkins.models import PrivateNote
from mentorship.accounts.models import User
from mentorship.audit.services import record
from privacy.models import RetentionPolicy
from privacy.services import erasure
from programs.models import Enrollment, Program


def policy_get() -> RetentionPolicy:
    """This organization's retention period (created with the default if missing)."""
    policy = RetentionPolicy.objects.order_by("pk").first()
    return policy or RetentionPolicy.objects.create()


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (the month's last day when it has fewer)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class ScheduleRow:
    program: Program
    closed_on: datetime.date
    anonymise_on: datetime.date
    done_on: datetime.date | None
    erased_count: int  # people whose data goes entirely
    kept_count: int  # people who stay (in a later program, or staff)

    @property
    def is_due(self) -> bool:
        return self.done_on is None

    def days_left(self, today: datetime.date) -> int:
        return (self.anonymise_on - today).days


def _audit_days(action: str) -> dict[int, datetime.date]:
    """Program id -> day (UTC) of its first audit entry of ``action``."""
    entries = (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Program),
            additional_data__action=action,
        )
        .order_by("timestamp")
        .values_list("object_id", "timestamp")
    )
    days: dict[int, datetime.date] = {}
    for program_id, at in entries:
        days.setdefault(program_id, at.astimezone(datetime.UTC).date())
    return days


def _people(
    programs: list[Program], today: datetime.date, months: int
) -> tuple[dict[int, set[int]], set[int]]:
    """(program id -> its people's user ids, user ids whose every program is
    closed and past retention and who are plain members, not yet erased)."""
    program_ids = [program.pk for program in programs]
    rows = Enrollment.objects.filter(program_id__in=program_ids).values_list(
        "program_id", "participant__user_id"
    )
    by_program: dict[int, set[int]] = {}
    for program_id, user_id in rows:
        by_program.setdefault(program_id, set()).add(user_id)
    everyone = set().union(*by_program.values()) if by_program else set()
    due_ids = {
        program.pk for program in programs if _anonymise_on(program, months) <= today
    }
    blocked = set(
        Enrollment.objects.filter(participant__user_id__in=everyone)
        .exclude(program_id__in=due_ids)
        .values_list("participant__user_id", flat=True)
    )
    members = set(
        User.objects.filter(
            pk__in=everyone - blocked, role=User.Role.MEMBER, is_superuser=False
        )
        .exclude(email__endswith="@erased.invalid")
        .values_list("pk", flat=True)
    )
    return by_program, members


def _closed_programs() -> list[Program]:
    programs = list(Program.objects.filter(status=Program.Status.CLOSED).order_by("pk"))
    closed = _audit_days("program.closed")
    for program in programs:
        program.closed_on = closed.get(  # type: ignore[attr-defined]
            program.pk, program.updated_at.astimezone(datetime.UTC).date()
        )
    return programs


def _anonymise_on(program: Program, months: int) -> datetime.date:
    return add_months(program.closed_on, months)  # type: ignore[attr-defined]


def retention_schedule(*, now: datetime.datetime) -> list[ScheduleRow]:
    """Every closed program with when it closed, when its people's data goes (or
    went), and how many people that touches — soonest first. 5 queries."""
    months = policy_get().months
    today = now.astimezone(datetime.UTC).date()
    programs = _closed_programs()
    done = _audit_days("retention.anonymised")
    by_program, erasable = _people(programs, add_months(today, 1200), months)
    rows = []
    for program in programs:
        people = by_program.get(program.pk, set())
        erased = len(people & erasable)
        rows.append(
            ScheduleRow(
                program=program,
                closed_on=program.closed_on,  # type: ignore[attr-defined]
                anonymise_on=_anonymise_on(program, months),
                done_on=done.get(program.pk),
                erased_count=erased,
                kept_count=len(people) - erased,
            )
        )
    return sorted(rows, key=lambda row: (row.done_on is not None, row.anonymise_on))


@transaction.atomic
def retention_run(*, now: datetime.datetime) -> dict[str, int]:
    """Anonymise every closed program whose retention period ended by ``now``
    (UTC day) and that is not done yet. Idempotent. Returns counts."""
    months = policy_get().months
    today = now.astimezone(datetime.UTC).date()
    done = _audit_days("retention.anonymised")
    programs = [
        program
        for program in _closed_programs()
        if program.pk not in done and _anonymise_on(program, months) <= today
    ]
    if not programs:
        return {"programs": 0, "people": 0}
    by_program, erasable = _people(_closed_programs(), today, months)
    erased = 0
    for program in programs:
        people = by_program.get(program.pk, set())
        here = 0
        for user in User.objects.filter(pk__in=people & erasable).order_by("pk"):
            erasure.person_erase(user=user, by=None, reason="retention")
            here += 1
        erased += here
        erasable -= people
        Enrollment.objects.filter(program=program).update(answers={})
        PrivateNote.objects.filter(meeting__match__program=program).delete()
        PrivateNote.objects.filter(meeting__circle__program=program).delete()
        record(
            action="retention.anonymised",
            target=program,
            details={"people_erased": here, "months": months},
        )
    return {"programs": len(programs), "people": erased}
