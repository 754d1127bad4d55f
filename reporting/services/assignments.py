"""Who is asked which survey, when: assignments, and their outbox items.

Idempotency. An assignment is unique per (survey, participant, occasion) and is
created with INSERT … ON CONFLICT DO NOTHING; its announcement's outbox key is
``survey-assigned:<assignment id>``, its reminders' ``survey-reminder:<assignment
id>:<local date>``. So the same event delivered twice, a retried task or a worker
killed mid-run (the transaction rolls back; the redelivered task starts over) end
with exactly one assignment per person per occasion and one announcement each.

Events. ``survey_assignments_sweep`` (beat, hourly per organization) is the source
of truth: it finds every event of every open survey's trigger since the survey was
opened — an enrolment approved, a match N weeks old, a match that ended, the
program closed — and assigns. The services that cause an event (program close,
match end) also enqueue ``survey_assignments_for_program_task`` after commit, so
people hear about it at once rather than within the hour.

Delivery. The announcement is a digest item at the person's next digest (their
local hour, on their working days, never in quiet hours); reminders are digest
items on the days ``REMIND_DAYS_LEFT`` before the due date, made only while the
assignment is unanswered and only when that day's digest is near (as
programs/services/nudges.py does), so an answered survey is never reminded.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse

from matching.models import Match
from mentorship.accounts.models import User
from mentorship.celery import enqueue_on_commit
from mentorship.notifications import services as notification_services
from mentorship.notifications.models import Notification
from programs.models import AudienceRole, Enrollment, Program
from programs.services import require_manager
from reporting import tasks
from reporting.models import Survey, SurveyAssignment, SurveySend
from reporting.services.surveys import survey_set_status

ANNOUNCE_KIND = "survey-assigned"
REMIND_KIND = "survey-reminder"
REMIND_DAYS_LEFT = frozenset({7, 3, 1, 0})
LOOKAHEAD = datetime.timedelta(hours=2)
# A send still unfinished this long after it was made lost its task: the sweep redoes it.
STALE_SEND = datetime.timedelta(minutes=10)
DEFAULT_WORKING_DAYS = frozenset(range(5))
# Enrolment statuses a "send now" may target.
SENDABLE_STATUSES = (
    Enrollment.Status.APPROVED,
    Enrollment.Status.COMPLETED,
    Enrollment.Status.WAITLISTED,
    Enrollment.Status.APPLIED,
)


@dataclass(frozen=True)
class Target:
    """One person to ask, on one occasion."""

    enrollment: Enrollment
    occasion: str
    match: Match | None = None


def _zone(user: User) -> datetime.tzinfo:
    try:
        return zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return datetime.UTC


def _working_days(enrollment: Enrollment) -> frozenset[int]:
    return frozenset(enrollment.participant.working_days or ()) or DEFAULT_WORKING_DAYS


def _wants(survey: Survey, role: str) -> bool:
    return survey.audience_role in (AudienceRole.BOTH, role)


def assignments_create(
    *, survey: Survey, targets: Iterable[Target], now: datetime.datetime
) -> int:
    """Assign ``survey`` to each target (idempotent); returns how many were new.

    Targets whose role the survey isn't for, or whose account is inactive, are
    skipped. Each person gets a digest announcement; due in ``survey.due_days``
    days from their local today. Runs in the caller's transaction (or its own).
    """
    targets = [
        target
        for target in targets
        if _wants(survey, target.enrollment.role)
        and target.enrollment.participant.user.is_active
    ]
    if not targets:
        return 0
    with transaction.atomic():
        # One run at a time per survey: the unique key alone keeps rows single, the
        # lock also makes "how many were new" true when two deliveries race.
        list(Survey.objects.select_for_update().filter(pk=survey.pk).values_list("pk"))
        rows = [
            SurveyAssignment(
                survey=survey,
                participant=target.enrollment.participant,
                occasion=target.occasion,
                enrollment=target.enrollment,
                match=target.match,
                role=target.enrollment.role,
                due_on=now.astimezone(_zone(target.enrollment.participant.user)).date()
                + datetime.timedelta(days=survey.due_days),
            )
            for target in targets
        ]
        keys = {(row.participant_id, row.occasion) for row in rows}
        # Only what isn't there yet: an hourly sweep over a big program then costs
        # one query. The announcement commits with its assignment, so a row that
        # exists has been announced.
        known = {(a.participant_id, a.occasion) for a in _existing(survey, keys)}
        new_rows = [
            row for row in rows if (row.participant_id, row.occasion) not in known
        ]
        if not new_rows:
            return 0
        SurveyAssignment.objects.bulk_create(
            new_rows, ignore_conflicts=True, batch_size=1000
        )
        created = _existing(survey, keys - known)
        by_person = {target.enrollment.participant_id: target for target in targets}
        notification_services.notifications_create_bulk(
            specs=[
                _announcement(
                    survey, a, _working_days(by_person[a.participant_id].enrollment)
                )
                for a in created
            ]
        )
        return len(created)


def _existing(survey: Survey, keys: set[tuple[int, str]]) -> list[SurveyAssignment]:
    """The assignments with these (participant, occasion) keys: one query."""
    found = SurveyAssignment.objects.filter(
        survey=survey,
        participant_id__in={participant for participant, _ in keys},
        occasion__in={occasion for _, occasion in keys},
    ).select_related("participant__user")
    return [a for a in found if (a.participant_id, a.occasion) in keys]


def _announcement(
    survey: Survey, assignment: SurveyAssignment, working_days: frozenset[int]
) -> notification_services.NotificationSpec:
    user = assignment.participant.user
    return notification_services.NotificationSpec(
        recipient=user,
        kind=ANNOUNCE_KIND,
        dedupe_key=f"{ANNOUNCE_KIND}:{assignment.pk}",
        subject=f"A short survey from {survey.program.name}: {survey.title}",
        body=(
            f"Please answer by {assignment.due_on:%-d %B}. "
            + (
                "It is anonymous: your answers are stored without your name."
                if survey.is_anonymous
                else "Your coordinator will see your answers with your name."
            )
        ),
        link=reverse("reporting:survey-answer", args=[assignment.pk]),
        channel=Notification.Channel.DIGEST,
        working_days=working_days,
    )


def _audience(program: Program) -> QuerySet[Enrollment]:
    return Enrollment.objects.filter(program=program).select_related(
        "participant__user", "program"
    )


# --- Sends ("send now" to a filtered audience) ----------------------------------------


def _clean_filters(filters: dict[str, list[str]]) -> dict[str, list[str]]:
    allowed = {
        "roles": set(AudienceRole.values) - {AudienceRole.BOTH},
        "statuses": {str(s) for s in SENDABLE_STATUSES},
    }
    cleaned: dict[str, list[str]] = {}
    for name in ("roles", "statuses", "countries", "time_zones"):
        values = sorted(
            {str(v).strip() for v in filters.get(name, []) if str(v).strip()}
        )
        if name in allowed and not set(values) <= allowed[name]:
            raise ValidationError({name: "Choose from the listed values."})
        cleaned[name] = values
    return cleaned


def send_audience(
    *, survey: Survey, filters: dict[str, list[str]]
) -> QuerySet[Enrollment]:
    """Enrolments a send with ``filters`` reaches (empty list = any); the survey's
    audience role applies too; statuses default to approved."""
    enrollments = _audience(survey.program).filter(
        participant__user__is_active=True,
        status__in=filters.get("statuses") or [Enrollment.Status.APPROVED],
    )
    if survey.audience_role != AudienceRole.BOTH:
        enrollments = enrollments.filter(role=survey.audience_role)
    if filters.get("roles"):
        enrollments = enrollments.filter(role__in=filters["roles"])
    if filters.get("countries"):
        enrollments = enrollments.filter(participant__country__in=filters["countries"])
    if filters.get("time_zones"):
        enrollments = enrollments.filter(
            participant__user__time_zone__in=filters["time_zones"]
        )
    return enrollments


@transaction.atomic
def survey_send_create(
    *, survey: Survey, by: User, filters: dict[str, list[str]]
) -> SurveySend:
    """Send a survey now to a filtered audience: opens it, records the send, and
    enqueues the assignment task after commit. Refused if nobody matches."""
    require_manager(program=survey.program, by=by)
    filters = _clean_filters(filters)
    if not send_audience(survey=survey, filters=filters).exists():
        raise ValidationError("Nobody in this program matches these filters.")
    if survey.status != Survey.Status.OPEN:
        survey = survey_set_status(survey=survey, by=by, status=Survey.Status.OPEN)
    send = SurveySend.objects.create(survey=survey, filters=filters, sent_by=by)
    enqueue_on_commit(tasks.survey_send_deliver_task, send.pk)
    return send


def survey_send_deliver(*, send: SurveySend, now: datetime.datetime) -> int:
    """Create the assignments of a send (idempotent: occasion ``send:<id>``)."""
    survey = send.survey
    with transaction.atomic():
        targets = [
            Target(enrollment=enrollment, occasion=send.occasion)
            for enrollment in send_audience(survey=survey, filters=send.filters)
        ]
        created = assignments_create(survey=survey, targets=targets, now=now)
        SurveySend.objects.filter(pk=send.pk).update(
            assigned_count=SurveyAssignment.objects.filter(
                survey=survey, occasion=send.occasion
            ).count(),
            finished_at=now,
        )
    return created


# --- Program events -----------------------------------------------------------------------


def _event_targets(survey: Survey, now: datetime.datetime) -> list[Target]:
    """Every person an event of ``survey.trigger`` since it opened asks."""
    since = survey.opened_at or now
    program = survey.program
    trigger = survey.trigger
    if trigger == Survey.Trigger.ENROLLMENT_APPROVED:
        return [
            Target(enrollment=e, occasion=f"enrollment:{e.pk}")
            for e in _audience(program).filter(
                status__in=[Enrollment.Status.APPROVED, Enrollment.Status.COMPLETED],
                decided_at__gte=since,
            )
        ]
    if trigger == Survey.Trigger.PROGRAM_CLOSE:
        if program.status != Program.Status.CLOSED:
            return []
        return [
            Target(enrollment=e, occasion="program-close")
            for e in _audience(program).filter(
                status__in=[Enrollment.Status.APPROVED, Enrollment.Status.COMPLETED]
            )
        ]
    matches = Match.objects.filter(program=program).select_related(
        "mentor__participant__user", "mentee__participant__user"
    )
    if trigger == Survey.Trigger.MATCH_END:
        matches = matches.filter(
            status__in=[Match.Status.COMPLETED, Match.Status.ENDED],
            ended_at__gte=since,
        )
        occasion = "match-end:{}"
    elif trigger == Survey.Trigger.MATCH_WEEKS and survey.trigger_weeks:
        weeks = datetime.timedelta(weeks=survey.trigger_weeks)
        matches = matches.filter(
            status=Match.Status.ACTIVE,
            started_at__lte=now - weeks,
            started_at__gte=since - weeks,
        )
        occasion = f"match:{{}}:week-{survey.trigger_weeks}"
    else:
        return []
    return [
        Target(enrollment=side, occasion=occasion.format(match.pk), match=match)
        for match in matches
        for side in (match.mentor, match.mentee)
    ]


def survey_assignments_for_program(*, program: Program, now: datetime.datetime) -> int:
    """Assign every open, triggered survey of one program for the events so far."""
    created = 0
    surveys = Survey.objects.filter(program=program, status=Survey.Status.OPEN).exclude(
        trigger=Survey.Trigger.MANUAL
    )
    for survey in surveys.select_related("program"):
        created += assignments_create(
            survey=survey, targets=_event_targets(survey, now), now=now
        )
    return created


def survey_assignments_sweep(*, now: datetime.datetime) -> int:
    """Hourly in each organization: assign for every program event so far (see
    module), and finish sends whose task was lost (a killed worker, a lost message)."""
    triggers = [t for t in Survey.Trigger.values if t != Survey.Trigger.MANUAL]
    programs = Program.objects.filter(
        surveys__status=Survey.Status.OPEN, surveys__trigger__in=triggers
    ).distinct()
    created = sum(
        survey_assignments_for_program(program=program, now=now) for program in programs
    )
    stale = SurveySend.objects.filter(
        finished_at__isnull=True, created_at__lte=now - STALE_SEND
    ).select_related("survey__program")
    return created + sum(survey_send_deliver(send=send, now=now) for send in stale)


def survey_assignments_enqueue(*, program: Program) -> None:
    """After the caller commits, assign the program's triggered surveys (a task)."""
    enqueue_on_commit(tasks.survey_assignments_for_program_task, program.pk)


# --- Reminders ----------------------------------------------------------------------------


def survey_reminders_create(*, now: datetime.datetime) -> int:
    """Digest reminders for unanswered assignments whose due date is 7, 3, 1 or 0 days
    after the person's next digest (made only when that digest is ≤ 2 h away);
    returns how many were new. Idempotent (outbox keys per assignment and date)."""
    horizon = (now + datetime.timedelta(days=max(REMIND_DAYS_LEFT) + 2)).date()
    pending = SurveyAssignment.objects.filter(
        is_answered=False,
        survey__status=Survey.Status.OPEN,
        due_on__gte=(now - datetime.timedelta(days=1)).date(),
        due_on__lte=horizon,
        participant__user__is_active=True,
    ).select_related("survey__program", "participant__user")
    specs = []
    for assignment in pending:
        user = assignment.participant.user
        days = (
            frozenset(assignment.participant.working_days or ()) or DEFAULT_WORKING_DAYS
        )
        due_at = notification_services.digest_due_at(
            user=user, after=now, working_days=days
        )
        if due_at - now > LOOKAHEAD:
            continue
        local_date = due_at.astimezone(_zone(user)).date()
        days_left = (assignment.due_on - local_date).days
        if days_left not in REMIND_DAYS_LEFT:
            continue
        survey = assignment.survey
        specs.append(
            notification_services.NotificationSpec(
                recipient=user,
                kind=REMIND_KIND,
                dedupe_key=f"{REMIND_KIND}:{assignment.pk}:{local_date.isoformat()}",
                subject=(
                    f"Last day to answer '{survey.title}'"
                    if days_left == 0
                    else f"Reminder: '{survey.title}' is due in {days_left} "
                    f"day{'s' if days_left != 1 else ''}"
                ),
                body=f"{survey.program.name} asked for a few minutes of your time.",
                link=reverse("reporting:survey-answer", args=[assignment.pk]),
                due_at=due_at,
                channel=Notification.Channel.DIGEST,
                working_days=days,
            )
        )
    return notification_services.notifications_create_bulk(specs=specs)
