"""The life of one pair after review.

    proposed --one side accepts--> accepted --the other accepts--> active --> completed
        |                             |                              |
        +-------- either declines ----+--> declined                  +--> ended (early)

A decline is final: the two are never proposed to each other again (the
selectors exclude every pair that was ever put together).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from matching.models import Match, MatchRun, MatchSuggestion
from matching.services._common import (
    coordinators_of,
    live_mentee_match_exists,
    lock_mentors,
    notify,
    pair_check,
)
from matching.services.criteria import criteria_ensure
from members.models import MemberOrganization
from members.selectors import member_organizations_of
from mentorship.accounts.models import User
from programs.models import Enrollment, Program
from programs.services import require_manager

Status = Match.Status
ANSWERABLE = (Status.PROPOSED, Status.ACCEPTED)


def _locked(match: Match) -> Match:
    """The match, locked, with both people and the program joined."""
    return (
        Match.objects.select_for_update(of=("self",))
        .select_related(
            "program", "mentee__participant__user", "mentor__participant__user"
        )
        .get(pk=match.pk)
    )


def _side(match: Match, by: User) -> str:
    if match.mentee.participant.user_id == by.pk:
        return "mentee"
    if match.mentor.participant.user_id == by.pk:
        return "mentor"
    raise PermissionDenied("Only the two people in a match can answer it.")


def program_start_instant(program: Program) -> datetime.datetime | None:
    """When a program's pairs start their meeting clock: noon UTC on its start
    date, which falls on that same calendar date from UTC−11 to UTC+11 (so
    "since 4 Jan" and "due by 18 Jan" read the same in nearly every zone)."""
    if program.starts_on is None:
        return None
    return datetime.datetime.combine(
        program.starts_on, datetime.time(12), tzinfo=datetime.UTC
    )


@transaction.atomic
def match_accept(*, match: Match, by: User) -> Match:
    """Accept one's side of a proposal; the second acceptance makes the match
    active. Accepted before the program starts, it waits as "ready": its meeting
    clock (``started_at``) starts at the program's start, not now. Notifies the
    other side (and, once active, the coordinators)."""
    match = _locked(match)
    side = _side(match, by)
    if match.status not in ANSWERABLE:
        raise ValidationError("This match is no longer waiting for an answer.")
    now = timezone.now()
    if side == "mentee":
        match.mentee_accepted_at = match.mentee_accepted_at or now
    else:
        match.mentor_accepted_at = match.mentor_accepted_at or now
    mentee, mentor = match.mentee.participant.user, match.mentor.participant.user
    other = mentor if side == "mentee" else mentee
    program = match.program.name
    if match.mentee_accepted_at and match.mentor_accepted_at:
        starts = program_start_instant(match.program)
        is_ready = starts is not None and starts > now
        match.status, match.started_at = Status.ACTIVE, starts if is_ready else now
        for person in (mentee, mentor):
            partner = mentor if person == mentee else mentee
            notify(
                recipient=person,
                kind="match-active",
                key=f"match-active:{match.pk}:{person.pk}",
                subject=f"You and {partner} are matched in {program}",
                body=f"You both accepted. {program} starts on "
                f"{match.program.starts_on:%-d %b}: plan your first meeting with "
                f"{partner} for then."
                if is_ready
                else f"You both accepted. Plan your first meeting with {partner}.",
            )
        for coordinator in coordinators_of(match.program):
            notify(
                recipient=coordinator,
                kind="match-active",
                key=f"match-active:{match.pk}:{coordinator.pk}",
                subject=f"{mentor} and {mentee} start mentoring in {program}",
                body="Both accepted the proposal; the match is ready and starts "
                f"with the program on {match.program.starts_on:%-d %b}."
                if is_ready
                else "Both accepted the proposal; the match is active.",
                link=_manage_link(match),
            )
    else:
        match.status = Status.ACCEPTED
        notify(
            recipient=other,
            kind="match-accepted",
            key=f"match-accepted:{match.pk}:{other.pk}",
            subject=f"{by} accepted your match in {program}",
            body=f"{by} accepted. Accept or decline in your portal to start.",
        )
    match.save(
        update_fields=[
            "status",
            "mentee_accepted_at",
            "mentor_accepted_at",
            "started_at",
        ]
    )
    return match


@transaction.atomic
def match_decline(*, match: Match, by: User, reason: str = "") -> Match:
    """Decline a proposal (final: the two are never proposed again). Notifies the
    other side and the coordinators; only coordinators see the reason."""
    match = _locked(match)
    side = _side(match, by)
    if match.status not in ANSWERABLE:
        raise ValidationError("This match is no longer waiting for an answer.")
    now = timezone.now()
    match.status, match.declined_by, match.declined_at = Status.DECLINED, by, now
    match.decline_reason = reason.strip()[:2000]
    match.save(update_fields=["status", "declined_by", "declined_at", "decline_reason"])
    other = (
        match.mentor.participant.user
        if side == "mentee"
        else match.mentee.participant.user
    )
    program = match.program.name
    notify(
        recipient=other,
        kind="match-declined",
        key=f"match-declined:{match.pk}:{other.pk}",
        subject=f"Your proposed match in {program} will not go ahead",
        body="The proposal was declined. Your coordinator will find you another match.",
    )
    for coordinator in coordinators_of(match.program):
        notify(
            recipient=coordinator,
            kind="match-declined",
            key=f"match-declined:{match.pk}:{coordinator.pk}",
            subject=f"{by} declined a match in {program}",
            body=f"{by} ({side}) declined the match with {other}."
            + (f" Reason: {match.decline_reason}" if match.decline_reason else ""),
            link=_manage_link(match),
        )
    return match


@transaction.atomic
def match_end(*, match: Match, by: User, reason: str) -> Match:
    """End a match early, with a reason; notifies both people."""
    require_manager(program=match.program, by=by)
    match = _locked(match)
    if match.status not in Match.LIVE:
        raise ValidationError("Only a proposed, accepted or active match can be ended.")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the match ends."})
    match.status, match.ended_at, match.ended_by = Status.ENDED, timezone.now(), by
    match.end_reason = reason[:2000]
    match.save(update_fields=["status", "ended_at", "ended_by", "end_reason"])
    program = match.program.name
    for person, partner in (
        (match.mentee.participant.user, match.mentor.participant.user),
        (match.mentor.participant.user, match.mentee.participant.user),
    ):
        notify(
            recipient=person,
            kind="match-ended",
            key=f"match-ended:{match.pk}:{person.pk}",
            subject=f"Your match with {partner} in {program} has ended",
            body="Your coordinator ended this match. If you are still in the "
            "program, they will propose a new one.",
        )
    return match


def match_unanswered_by(match: Match) -> list[User]:
    """Who still has to answer a proposed or accepted match (mentee first)."""
    if match.status not in ANSWERABLE:
        return []
    people = []
    if not match.mentee_accepted_at:
        people.append(match.mentee.participant.user)
    if not match.mentor_accepted_at:
        people.append(match.mentor.participant.user)
    return people


@transaction.atomic
def match_remind(*, match: Match, by: User) -> list[User]:
    """Remind whoever hasn't answered a waiting proposal; returns them. Sends
    through the outbox, at most one reminder per person per match a day."""
    require_manager(program=match.program, by=by)
    match = _locked(match)
    people = match_unanswered_by(match)
    if not people:
        raise ValidationError("This match is no longer waiting for an answer.")
    day = timezone.now().date().isoformat()
    program = match.program.name
    for person in people:
        partner = (
            match.mentor.participant.user
            if person.pk == match.mentee.participant.user_id
            else match.mentee.participant.user
        )
        notify(
            recipient=person,
            kind="match-reminder",
            key=f"match-reminder:{match.pk}:{person.pk}:{day}",
            subject=f"Your proposed match with {partner} in {program} is waiting",
            body=f"Your coordinator asks you to accept or decline the match with "
            f"{partner} in your portal, so both of you can start.",
        )
    return people


@transaction.atomic
def matches_complete_for_program(*, program: Program, by: User | None) -> int:
    """The program is closing: active matches become completed (ended now), and
    proposed or accepted ones that never started end early with that reason.
    Returns how many matches changed. No notifications: the close announces itself
    through the closing surveys."""
    now = timezone.now()
    completed = Match.objects.filter(program=program, status=Status.ACTIVE).update(
        status=Status.COMPLETED, ended_at=now, ended_by=by
    )
    ended = Match.objects.filter(program=program, status__in=ANSWERABLE).update(
        status=Status.ENDED,
        ended_at=now,
        ended_by=by,
        end_reason="The program closed before the match started.",
    )
    return completed + ended


@transaction.atomic
def match_create_manual(
    *, program: Program, mentee: Enrollment, mentor: Enrollment, by: User
) -> Match:
    """A coordinator pairs a mentee by hand (a rematch): hard rules and capacity
    are checked; the pair is proposed at once and both are notified. In
    organization mentoring the mentee stands for their member organization's team
    (their first active one): ValidationError when they are on no team, or when
    that team already has a live engagement in the program."""
    require_manager(program=program, by=by)
    if mentee.program_id != program.pk or mentee.role != "mentee":
        raise ValidationError("Choose a mentee of this program.")
    if live_mentee_match_exists(mentee):
        raise ValidationError(
            f"{mentee.participant.user} already has a match or a proposal in review."
        )
    team = _team_of(program=program, mentee=mentee)
    lock_mentors([mentor.participant_id])
    score, explanation = pair_check(
        program=program,
        mentee=mentee,
        mentor=mentor,
        criteria=criteria_ensure(program=program),
    )
    match = Match.objects.create(
        program=program,
        mentee=mentee,
        mentor=mentor,
        member_organization=team,
        status=Status.PROPOSED,
        score=score,
        explanation=explanation,
        proposed_at=timezone.now(),
    )
    _notify_proposed(match)
    return match


def _team_of(*, program: Program, mentee: Enrollment) -> MemberOrganization | None:
    """The member organization ``mentee`` stands for in an organization-mentoring
    program (None in other programs); ValidationError as ``match_create_manual``
    says."""
    if program.kind != Program.Kind.ORGANIZATION:
        return None
    team = member_organizations_of(user=mentee.participant.user).first()
    if team is None:
        raise ValidationError(
            f"{mentee.participant.user} is on no member organization's team: in "
            "organization mentoring a mentor is matched to a team (add them to "
            "their association on its page)."
        )
    if Match.objects.filter(
        program=program, member_organization=team, status__in=Match.LIVE
    ).exists():
        raise ValidationError(f"{team} already has a mentor in this program.")
    return team


@transaction.atomic
def match_suggestion_pick(*, suggestion: MatchSuggestion, by: User) -> Match:
    """A mentee picks one of their suggestions: the pick is their acceptance, the
    mentor is asked to accept. Capacity is re-checked under a lock on the mentor."""
    mentee, mentor = suggestion.mentee, suggestion.mentor
    if mentee.participant.user_id != by.pk:
        raise PermissionDenied("Only the mentee can choose their mentor.")
    if suggestion.run.status != MatchRun.Status.PUBLISHED:
        raise ValidationError("These suggestions are no longer open.")
    if live_mentee_match_exists(mentee):
        raise ValidationError("You already chose a mentor in this program.")
    lock_mentors([mentor.participant_id])
    score, explanation = pair_check(
        program=mentee.program,
        mentee=mentee,
        mentor=mentor,
        criteria=criteria_ensure(program=mentee.program),
    )
    now = timezone.now()
    match = Match.objects.create(
        program=mentee.program,
        run=suggestion.run,
        mentee=mentee,
        mentor=mentor,
        status=Status.ACCEPTED,
        score=score,
        explanation=explanation,
        proposed_at=now,
        mentee_accepted_at=now,
    )
    mentor_user = mentor.participant.user
    notify(
        recipient=mentor_user,
        kind="match-proposed",
        key=f"match-proposed:{match.pk}:{mentor_user.pk}",
        subject=f"{by} chose you as their mentor in {mentee.program.name}",
        body=f"{by} picked you from their suggested mentors. Accept or decline in "
        "your portal.",
    )
    return match


def _notify_proposed(match: Match) -> None:
    program = match.program.name
    mentee, mentor = match.mentee.participant.user, match.mentor.participant.user
    notify(
        recipient=mentee,
        kind="match-proposed",
        key=f"match-proposed:{match.pk}:{mentee.pk}",
        subject=f"You have a proposed mentor in {program}",
        body=f"We matched you with {mentor}. See why, then accept or decline.",
    )
    notify(
        recipient=mentor,
        kind="match-proposed",
        key=f"match-proposed:{match.pk}:{mentor.pk}",
        subject=f"You have a proposed mentee in {program}",
        body=f"We matched you with {mentee}. See why, then accept or decline.",
    )


def _manage_link(match: Match) -> str:
    return reverse("matching:match-list", args=[match.program_id])
