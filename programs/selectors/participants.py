"""Participants: a person's profile and roles, the resources they may open,
and their local time and working pattern."""

from __future__ import annotations

import datetime

from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone

from mentorship import localtime
from mentorship.accounts.models import User
from programs.models import AudienceRole, Enrollment, Participant, Resource
from programs.selectors.programs import program_is_managed_by


def participant_for_user(*, user: User) -> Participant | None:
    return Participant.objects.filter(user=user).select_related("user").first()


def participant_roles(*, user: User) -> frozenset[str]:
    """The roles ("mentor", "mentee") the person holds or is asking for in any
    program (withdrawn and declined enrolments left out): 1 query."""
    return frozenset(
        Enrollment.objects.filter(participant__user=user)
        .exclude(status__in=[Enrollment.Status.WITHDRAWN, Enrollment.Status.DECLINED])
        .values_list("role", flat=True)
        .distinct()
    )


def _resources_for_role() -> Q:
    """For ``Resource`` querysets joined to an approved enrolment: the resource is
    for everyone or for that enrolment's role."""
    return Q(for_role=AudienceRole.BOTH) | Q(for_role=F("program__enrollments__role"))


def resources_for_participant(*, participant: Participant | None) -> list[Resource]:
    """The libraries of programs the person is approved in, the resources for
    their role there, in each library's order: 1 query."""
    if participant is None:
        return []
    return list(
        # One filter() call: every condition on the same enrolment row.
        Resource.objects.filter(
            _resources_for_role(),
            program__enrollments__participant=participant,
            program__enrollments__status=Enrollment.Status.APPROVED,
        )
        .select_related("program")
        .distinct()
        .order_by("program__name", "program_id", "order", "title", "id")
    )


def resource_get_for_user(*, user: User, resource_id: int) -> Resource:
    """A resource its viewer may open: managers of the program, or its approved
    people in the role it is for."""
    resource = Resource.objects.select_related("program").filter(pk=resource_id).first()
    if resource is None:
        raise Http404("No such resource.")
    roles = (
        [AudienceRole.MENTOR, AudienceRole.MENTEE]
        if resource.for_role == AudienceRole.BOTH
        else [resource.for_role]
    )
    allowed = program_is_managed_by(program=resource.program, user=user) or (
        Enrollment.objects.filter(
            program=resource.program,
            participant__user=user,
            status=Enrollment.Status.APPROVED,
            role__in=roles,
        ).exists()
    )
    if not allowed:
        raise Http404("No such resource.")
    return resource


def participant_get_for_user(*, user: User) -> Participant:
    participant = participant_for_user(user=user)
    if participant is None:
        raise Http404("No profile yet.")
    return participant


def local_now(*, user: User) -> datetime.datetime:
    """Now on the person's wall clock (``localtime.tz``: an unknown zone reads as UTC)."""
    return localtime.wall_clock(user.time_zone, timezone.now())


def working_pattern_of(participant: Participant) -> localtime.WorkingPattern:
    """The person's working hours for ``mentorship.localtime``: their zone (or UTC),
    start and end (an end at or before the start runs overnight), their working
    days (Monday to Friday if none are stored). Needs ``participant.user`` loaded."""
    return localtime.WorkingPattern(
        zone=localtime.zone_name(participant.user.time_zone),
        start=participant.working_hours_start,
        end=participant.working_hours_end,
        days=frozenset(participant.working_days or localtime.WEEKDAYS),
    )


def local_today(*, user: User) -> datetime.date:
    return local_now(user=user).date()
