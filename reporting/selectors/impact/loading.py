"""Loading the frame: the fixed queries behind every impact (listed in the package
docstring), whatever the size of the data."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable, Sequence

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import (
    Count,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth

from checkins.models import AsyncUpdate, Goal, Meeting, Pulse
from checkins.selectors import pairs_at_risk
from matching.models import Match
from members.models import Membership
from programs.models import Enrollment, Participant, Program
from reporting.models import Answer, SurveyAssignment
from reporting.selectors.impact.frame import (
    IN_PROGRAM,
    MATCHED,
    AssignmentKey,
    _Answer,
    _Frame,
    _Pair,
    _Person,
    _Staff,
)


def _program_start(program: Program, first_start: datetime.datetime | None, zone):
    if program.starts_on:
        return program.starts_on
    if first_start is not None:
        return first_start.astimezone(zone).date()
    return program.created_at.astimezone(zone).date()


def _load(
    programs: Sequence[Program],
    *,
    now: datetime.datetime,
    zone: zoneinfo.ZoneInfo,
    keys: Iterable[str] = (),
) -> _Frame:
    program_ids = [p.pk for p in programs]
    by_id = {p.pk: p for p in programs}
    pairs = _load_pairs(program_ids, by_id, now=now, zone=zone)
    first_start: dict[int, datetime.datetime] = {}
    for pair in pairs.values():
        if pair.started_at and (
            pair.program_id not in first_start
            or pair.started_at < first_start[pair.program_id]
        ):
            first_start[pair.program_id] = pair.started_at
    starts = {
        pk: _program_start(program, first_start.get(pk), zone)
        for pk, program in by_id.items()
    }
    people = _load_people(program_ids, by_id, starts)
    by_enrollment = {person.enrollment_id: person for person in people}
    for pair in pairs.values():
        for enrollment_id in (pair.mentor_id, pair.mentee_id):
            person = by_enrollment.get(enrollment_id)
            if person is not None:
                person.pair_ids.append(pair.match_id)
                if (
                    person.member_organization_id is None
                    and pair.member_organization_id
                ):
                    # The engagement's mentor (or a lead who has since left the
                    # team) counts with the organization mentored.
                    person.member_organization_id = pair.member_organization_id
                    person.member_organization_name = pair.member_organization_name
                    person.member_organization_country = (
                        pair.member_organization_country
                    )
    staff, history = _load_organization()
    return _Frame(
        people=people,
        pairs=list(pairs.values()),
        answers=_load_answers(program_ids, keys),
        assignments=_load_assignments(program_ids),
        staff=staff,
        later_mentoring=history,
        now=now,
        today=now.astimezone(zone).date(),
        zone=zone,
        include_anonymous=True,
    )


def _load_people(
    program_ids: list[int],
    programs: dict[int, Program],
    starts: dict[int, datetime.date],
) -> list[_Person]:
    """Query: every enrolment of the programs with its person's profile and HR fields."""
    team = Membership.objects.filter(
        user=OuterRef("participant__user"), left_at__isnull=True
    ).order_by("joined_at", "id")
    rows = (
        Enrollment.objects.filter(program_id__in=program_ids)
        .order_by()
        .annotate(
            team_id=Subquery(team.values("member_organization_id")[:1]),
            team_name=Subquery(team.values("member_organization__name")[:1]),
            team_country=Subquery(team.values("member_organization__country")[:1]),
        )
        .values_list(
            "id",
            "participant_id",
            "program_id",
            "role",
            "status",
            "applied_at",
            "decided_at",
            "participant__user__full_name",
            "participant__user__email",
            "participant__country",
            "participant__user__time_zone",
            "participant__seniority",
            "participant__hired_on",
            "participant__left_on",
            "participant__employment_status",
            "participant__last_promoted_on",
            "team_id",
            "team_name",
            "team_country",
        )
    )
    return [
        _Person(
            enrollment_id=row[0],
            participant_id=row[1],
            program_id=row[2],
            kind=programs[row[2]].kind,
            role=row[3],
            status=row[4],
            applied_at=row[5],
            decided_at=row[6],
            name=row[7] or row[8],
            country=row[9],
            time_zone=row[10],
            seniority=row[11],
            start=starts[row[2]],
            hired_on=row[12],
            left_on=row[13],
            has_left=row[14] == Participant.EmploymentStatus.LEFT,
            promoted_on=row[15],
            member_organization_id=row[16],
            member_organization_name=row[17] or "",
            member_organization_country=row[18] or "",
        )
        for row in rows
    ]


def _load_pairs(
    program_ids: list[int],
    programs: dict[int, Program],
    *,
    now: datetime.datetime,
    zone: zoneinfo.ZoneInfo,
) -> dict[int, _Pair]:
    """Queries: the matches with meeting and update aggregates (1), goals (1),
    pulses per pair and month (1), at-risk pairs (checkins, 4)."""

    # Meetings join once (GROUP BY the match, like the health table's first query);
    # updates are few per pair: two small correlated subqueries on their FK index.
    held = Q(meetings__status=Meeting.Status.HELD, meetings__starts_at__lte=now)
    updates = (
        AsyncUpdate.objects.filter(match=OuterRef("pk")).order_by().values("match")
    )
    records = (
        Match.objects.filter(program_id__in=program_ids, status__in=MATCHED)
        .order_by()
        .annotate(
            held_count=Count("meetings", filter=held),
            first_held=Min("meetings__starts_at", filter=held),
            last_held=Max("meetings__starts_at", filter=held),
            update_count=Coalesce(
                Subquery(updates.annotate(value=Count("id")).values("value")[:1]),
                Value(0),
                output_field=IntegerField(),
            ),
            last_update=Subquery(
                updates.annotate(value=Max("created_at")).values("value")[:1]
            ),
        )
        .values_list(
            "id",
            "program_id",
            "run_id",
            "run__created_at",
            "status",
            "mentor_id",
            "mentee_id",
            "created_at",
            "proposed_at",
            "started_at",
            "ended_at",
            "held_count",
            "first_held",
            "last_held",
            "update_count",
            "last_update",
            "member_organization_id",
            "member_organization__name",
            "member_organization__country",
        )
    )
    pairs: dict[int, _Pair] = {}
    for row in records:
        program = programs[row[1]]
        pairs[row[0]] = _Pair(
            match_id=row[0],
            program_id=row[1],
            kind=program.kind,
            run_id=row[2],
            run_label=(
                f"Run {row[2]} ({row[3].astimezone(zone):%-d %b %Y})"
                if row[2]
                else "Matched by hand"
            ),
            status=row[4],
            mentor_id=row[5],
            mentee_id=row[6],
            created_at=row[7],
            proposed_at=row[8],
            started_at=row[9],
            ended_at=row[10],
            cadence_days=program.meeting_cadence_days,
            held=row[11],
            first_held=row[12],
            last_held=row[13],
            updates=row[14],
            last_update=row[15],
            member_organization_id=row[16],
            member_organization_name=row[17] or "",
            member_organization_country=row[18] or "",
        )
    if not pairs:
        return pairs
    # The pairs' rows by join, not by a list of thousands of ids.
    in_scope = Q(match__program_id__in=program_ids, match__status__in=MATCHED)
    for match_id, goals, done, milestones, milestones_done in (
        Goal.objects.filter(in_scope)
        .order_by()
        .values("match_id")
        .annotate(
            n_goals=Count("id", distinct=True),
            n_done=Count("id", filter=Q(progress__gte=100), distinct=True),
            n_milestones=Count("milestones", distinct=True),
            n_milestones_done=Count(
                "milestones", filter=Q(milestones__is_done=True), distinct=True
            ),
        )
        .values_list(
            "match_id", "n_goals", "n_done", "n_milestones", "n_milestones_done"
        )
    ):
        pair = pairs[match_id]
        pair.goals, pair.goals_done = goals, done
        pair.milestones, pair.milestones_done = milestones, milestones_done
    for match_id, month, total, count in (
        Pulse.objects.filter(
            meeting__match__program_id__in=program_ids,
            meeting__match__status__in=MATCHED,
        )
        .order_by()
        .annotate(month=TruncMonth("meeting__starts_at", tzinfo=zone))
        .values("meeting__match_id", "month")
        .annotate(total=Sum("usefulness"), count=Count("id"))
        .values_list("meeting__match_id", "month", "total", "count")
    ):
        day = month.date() if isinstance(month, datetime.datetime) else month
        pairs[match_id].pulses[day] = (total, count)
    for risk in pairs_at_risk(program_ids=program_ids, now=now):
        if risk.match_id in pairs:
            pairs[risk.match_id].at_risk = True
    return pairs


def _load_answers(program_ids: list[int], keys: Iterable[str]) -> list[_Answer]:
    """Query: the numeric answers reports use (NPS, competencies, confidence and the
    question keys objectives name), with the response's segment."""
    rows = (
        Answer.objects.filter(
            Q(question__kind="nps")
            | Q(question__key__in=["competencies", "confidence", *keys]),
            response__survey__program_id__in=program_ids,
            number__isnull=False,
        )
        .order_by()
        .values_list(
            "question__key",
            "question__kind",
            "item",
            "number",
            "response__is_anonymous",
            "response__assignment__enrollment_id",
            "response__assignment__participant_id",
            "response__survey_id",
            "response__survey__kind",
            "response__submitted_on",
            "response_id",
            "response__survey__program_id",
            "response__survey__program__kind",
            "response__role",
            "response__country",
            "response__time_zone",
            "response__seniority",
            "response__member_organization_id",
            "response__member_organization_country",
        )
    )
    # _make, not _Answer(*row): django-stubs types the values_list row from the
    # model fields and can't see that number__isnull=False makes `number` an int.
    return [_Answer._make(row) for row in rows]


def _load_assignments(
    program_ids: list[int],
) -> dict[AssignmentKey, tuple[int, int]]:
    """Query: assigned and answered survey assignments per enrolment (or, for the
    ones sent without an enrolment, per (person, program))."""
    found: dict[AssignmentKey, tuple[int, int]] = {}
    for enrollment_id, participant_id, program_id, assigned, answered in (
        SurveyAssignment.objects.filter(survey__program_id__in=program_ids)
        .order_by()
        .values("enrollment_id", "participant_id", "survey__program_id")
        .annotate(
            assigned=Count("id"), answered=Count("id", filter=Q(is_answered=True))
        )
        .values_list(
            "enrollment_id",
            "participant_id",
            "survey__program_id",
            "assigned",
            "answered",
        )
    ):
        key = enrollment_id or (participant_id, program_id)
        a, b = found.get(key, (0, 0))
        found[key] = (a + assigned, b + answered)
    return found


def _load_organization() -> tuple[
    list[_Staff], dict[int, list[tuple[int, datetime.datetime]]]
]:
    """Query: every person's HR dates, whether they ever took part in a program, and
    their mentor enrolments that took part (program, applied), in parallel arrays.

    Returns the staff list (people with a hire date who never took part: the
    comparison group) and, per person, their mentoring history.
    """
    mentoring = Q(enrollments__role="mentor", enrollments__status__in=IN_PROGRAM)
    order = ("enrollments__applied_at", "enrollments__id")
    # One pass over participants ⟕ enrolments: a filtered count, not an EXISTS
    # subplan (whose cost estimate set off PostgreSQL's JIT compiler: +2 s).
    rows = (
        Participant.objects.order_by()
        .annotate(
            took_part=Count(
                "enrollments", filter=Q(enrollments__status__in=IN_PROGRAM)
            ),
            mentor_programs=ArrayAgg(
                "enrollments__program_id", filter=mentoring, order_by=order, default=[]
            ),
            mentor_applied=ArrayAgg(
                "enrollments__applied_at", filter=mentoring, order_by=order, default=[]
            ),
        )
        .values_list(
            "id",
            "hired_on",
            "left_on",
            "employment_status",
            "last_promoted_on",
            "took_part",
            "mentor_programs",
            "mentor_applied",
        )
    )
    staff: list[_Staff] = []
    history: dict[int, list[tuple[int, datetime.datetime]]] = {}
    for pk, hired, left, status, promoted, took_part, programs, applied in rows:
        if programs:
            history[pk] = list(zip(programs, applied, strict=True))
        if hired is not None and not took_part:
            staff.append(
                _Staff(
                    hired, left, status == Participant.EmploymentStatus.LEFT, promoted
                )
            )
    return staff, history
