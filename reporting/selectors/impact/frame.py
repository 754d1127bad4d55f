"""The frame: every row an impact is computed from, loaded once (``loading``) and
then scoped to a cohort or period, split per breakdown group or per program, in
memory."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass, field
from typing import NamedTuple

from reporting.selectors.impact.shapes import Cohort, Period

MATCHED = ("proposed", "accepted", "active", "completed", "ended")
STARTED = ("active", "completed", "ended")
IN_PROGRAM = ("approved", "completed")

# A survey-assignment count's key: the enrolment id, or (participant id, program id)
# for assignments sent without an enrolment.
AssignmentKey = int | tuple[int, int]


@dataclass(slots=True)
class _Person:
    enrollment_id: int
    participant_id: int
    program_id: int
    kind: str
    role: str
    status: str
    applied_at: datetime.datetime
    decided_at: datetime.datetime | None
    name: str
    country: str
    time_zone: str
    seniority: int
    start: datetime.date
    hired_on: datetime.date | None
    left_on: datetime.date | None
    has_left: bool
    promoted_on: datetime.date | None
    pair_ids: list[int] = field(default_factory=list)
    # The member organization whose team the person is on (issue 18), if any.
    member_organization_id: int | None = None
    member_organization_name: str = ""
    member_organization_country: str = ""


@dataclass(slots=True)
class _Pair:
    match_id: int
    program_id: int
    kind: str
    run_id: int | None
    run_label: str
    status: str
    mentor_id: int  # enrolment ids
    mentee_id: int
    created_at: datetime.datetime
    proposed_at: datetime.datetime | None
    started_at: datetime.datetime | None
    ended_at: datetime.datetime | None
    cadence_days: int
    held: int
    first_held: datetime.datetime | None
    last_held: datetime.datetime | None
    updates: int
    last_update: datetime.datetime | None
    goals: int = 0
    goals_done: int = 0
    milestones: int = 0
    milestones_done: int = 0
    pulses: dict[datetime.date, tuple[int, int]] = field(default_factory=dict)
    at_risk: bool = False
    # An engagement's member organization (organization mentoring, issue 18).
    member_organization_id: int | None = None
    member_organization_name: str = ""
    member_organization_country: str = ""


class _Answer(NamedTuple):
    """One numeric answer (a tuple: tens of thousands are read per page)."""

    key: str
    kind: str  # question kind
    item: str
    number: int
    anonymous: bool
    enrollment_id: int | None
    participant_id: int | None
    survey_id: int
    survey_kind: str
    submitted_on: datetime.date
    response_id: int
    program_id: int
    program_kind: str
    role: str
    country: str
    time_zone: str
    seniority: int | None
    member_organization_id: int | None
    member_organization_country: str


@dataclass(slots=True)
class _Staff:
    hired_on: datetime.date | None
    left_on: datetime.date | None
    has_left: bool
    promoted_on: datetime.date | None


@dataclass
class _Frame:
    people: list[_Person]
    pairs: list[_Pair]
    answers: list[_Answer]
    # enrollment_id, or (participant_id, program_id) when sent without an
    # enrolment -> (assigned, answered)
    assignments: dict[AssignmentKey, tuple[int, int]]
    staff: list[_Staff]  # non-participants with a hire date
    later_mentoring: dict[int, list[tuple[int, datetime.datetime]]]
    now: datetime.datetime
    today: datetime.date
    zone: zoneinfo.ZoneInfo
    include_anonymous: bool
    notes: list[str] = field(default_factory=list)

    def subset(
        self,
        people: list[_Person],
        pairs: list[_Pair],
        answers: list[_Answer],
        *,
        include_anonymous: bool,
    ) -> _Frame:
        return _Frame(
            people,
            pairs,
            answers,
            self.assignments,
            self.staff,
            self.later_mentoring,
            self.now,
            self.today,
            self.zone,
            include_anonymous,
        )


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


# --- Scoping ------------------------------------------------------------------------


def _scoped(frame: _Frame, cohort: Cohort | None, period: Period | None) -> _Frame:
    if cohort is None and period is None:
        return frame
    if cohort is not None:
        pairs = [p for p in frame.pairs if p.run_id == cohort.run_id]
        ids = {p.mentor_id for p in pairs} | {p.mentee_id for p in pairs}
        people = [p for p in frame.people if p.enrollment_id in ids]
    elif period is not None:

        def within(instant: datetime.datetime) -> bool:
            return period.start <= instant.astimezone(frame.zone).date() <= period.end

        people = [p for p in frame.people if within(p.applied_at)]
        pairs = [p for p in frame.pairs if within(p.created_at)]
    enrollment_ids = {p.enrollment_id for p in people}
    answers = [
        a
        for a in frame.answers
        if not a.anonymous and a.enrollment_id in enrollment_ids
    ]
    scoped = frame.subset(people, pairs, answers, include_anonymous=False)
    if any(a.anonymous for a in frame.answers):
        scoped.notes.append(
            "Anonymous survey answers can't be tied to a cohort or period: "
            "survey figures here count attributed answers only."
        )
    return scoped
