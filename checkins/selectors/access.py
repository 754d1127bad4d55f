"""Who may see a pair, a circle or a meeting. Every getter 404s for anyone else.

- A pair's page: its mentor and mentee, and the program's coordinators/HR admins
  (read-only, without the pair's notes).
- An engagement (a match with a member organization): its mentor and every
  *active* member of the organization's team, who all count as the mentee side
  (role "mentee"). The lead contact's enrolment is ``match.mentee``, but a person
  whose membership ended is out at once, lead or not: the same 404 as a stranger.
- Writes, meetings and invitations: the two people (an engagement's mentor and
  team, or a circle's members) only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from checkins import timezones
from checkins.models import Meeting
from matching.models import Circle, Match
from members.models import Membership
from mentorship.accounts.models import User
from programs.models import Enrollment, Participant
from programs.selectors import program_is_managed_by, working_pattern_of

# A pair exists from the moment it is active; ended pairs stay readable.
VISIBLE_MATCH_STATUSES = (
    Match.Status.ACTIVE,
    Match.Status.COMPLETED,
    Match.Status.ENDED,
)
MEMBER = ("mentor", "mentee")


@dataclass(frozen=True)
class Attendee:
    """A person taking part in a meeting, with what scheduling needs to know."""

    user: User
    participant: Participant

    @property
    def working_days(self) -> frozenset[int]:
        return frozenset(self.participant.working_days or (0, 1, 2, 3, 4))

    @property
    def greeting_name(self) -> str:
        return self.user.greeting_name

    def working_pattern(self) -> timezones.WorkingPattern:
        """Their working hours for timezones.py (overnight hours run past midnight)."""
        return working_pattern_of(self.participant)


@dataclass(frozen=True)
class Pair:
    """A mentor and a mentee, or an engagement: a mentor and a member
    organization's team (``team``: its active members, lead first)."""

    match: Match
    mentor: Attendee
    mentee: Attendee
    team: tuple[Attendee, ...] = ()

    @property
    def is_active(self) -> bool:
        return self.match.status == Match.Status.ACTIVE

    @property
    def is_engagement(self) -> bool:
        return self.match.member_organization_id is not None

    @property
    def attendees(self) -> tuple[Attendee, ...]:
        """Everyone taking part: the mentor, then the mentee or the whole team."""
        if self.is_engagement:
            return (self.mentor, *self.team)
        return (self.mentor, self.mentee)

    def role_of(self, user: User) -> str | None:
        if user.pk == self.mentor.user.pk:
            return "mentor"
        if self.is_engagement:
            on_team = any(member.user.pk == user.pk for member in self.team)
            return "mentee" if on_team else None
        if user.pk == self.mentee.user.pk:
            return "mentee"
        return None

    def is_member(self, user: User) -> bool:
        return self.role_of(user) is not None

    def attendee_of(self, user: User) -> Attendee:
        for attendee in self.attendees:
            if attendee.user.pk == user.pk:
                return attendee
        return self.mentee

    def partner_of(self, user: User) -> Attendee:
        """The other side: the mentor for the team, the mentee (lead) for the mentor."""
        return self.mentee if user.pk == self.mentor.user.pk else self.mentor

    def others_of(self, user: User) -> tuple[Attendee, ...]:
        """Everyone in the pair or engagement but ``user``: who hears of what they do."""
        return tuple(a for a in self.attendees if a.user.pk != user.pk)


@dataclass(frozen=True)
class Group:
    """A circle with its people (facilitators first)."""

    circle: Circle
    attendees: tuple[Attendee, ...]
    facilitator_ids: frozenset[int] = field(default_factory=frozenset)

    def is_member(self, user: User) -> bool:
        return any(attendee.user.pk == user.pk for attendee in self.attendees)

    def is_facilitator(self, user: User) -> bool:
        return user.pk in self.facilitator_ids


def pair_queryset() -> QuerySet[Match]:
    """Matches with what a Pair needs (program, both people): joins, no extra query."""
    return Match.objects.select_related(
        "program",
        "member_organization",
        "mentor__participant__user",
        "mentee__participant__user",
    )


def _teams(matches: list[Match]) -> dict[int, tuple[Attendee, ...]]:
    """The active team of each engagement among ``matches``, by member organization
    id: one query for all of them (none when there is no engagement)."""
    ids = {m.member_organization_id for m in matches if m.member_organization_id}
    if not ids:
        return {}
    teams: dict[int, list[Attendee]] = {}
    memberships = (
        Membership.objects.filter(member_organization_id__in=ids, left_at__isnull=True)
        .select_related("user__participant")
        .order_by("-is_lead", "joined_at", "id")
    )
    for membership in memberships:
        user = membership.user
        # Someone on the team without a profile yet works the default hours.
        participant = getattr(user, "participant", None) or Participant(user=user)
        teams.setdefault(membership.member_organization_id, []).append(
            Attendee(user, participant)
        )
    return {key: tuple(value) for key, value in teams.items()}


def pair_of(match: Match, team: tuple[Attendee, ...] | None = None) -> Pair:
    """The Pair of a match loaded with ``pair_queryset()``: no query for a pair, one
    for an engagement's team unless ``team`` is given."""
    if match.member_organization_id is not None and team is None:
        team = _teams([match]).get(match.member_organization_id, ())
    return Pair(
        match=match,
        mentor=Attendee(match.mentor.participant.user, match.mentor.participant),
        mentee=Attendee(match.mentee.participant.user, match.mentee.participant),
        team=team or (),
    )


def pairs_of(matches: list[Match]) -> list[Pair]:
    """``pair_of`` for many matches, with every engagement's team in one query."""
    teams = _teams(matches)
    return [
        pair_of(match, teams.get(match.member_organization_id or 0, ()))
        for match in matches
    ]


def _taking_part(user: User) -> Q:
    """Matches ``user`` may be in: as mentor, mentee, or on an engagement's team
    (``Pair.role_of`` then has the last word on a mentee who left the team)."""
    on_team = Membership.objects.filter(
        member_organization=OuterRef("member_organization"),
        user=user,
        left_at__isnull=True,
    )
    return (
        Q(mentor__participant__user=user)
        | Q(mentee__participant__user=user)
        | Q(Exists(on_team))
    )


def pair_get_for_viewer(*, user: User, match_id: int) -> tuple[Pair, str]:
    """The pair and the viewer's role in it: "mentor", "mentee" (for an engagement,
    anyone on the team) or "coordinator"."""
    match = (
        pair_queryset().filter(pk=match_id, status__in=VISIBLE_MATCH_STATUSES).first()
    )
    if match is None or not user.is_authenticated:
        raise Http404("No such pair.")
    pair = pair_of(match)
    role = pair.role_of(user)
    if role is None and program_is_managed_by(program=match.program, user=user):
        role = "coordinator"
    if role is None:
        raise Http404("No such pair.")
    return pair, role


def pair_get_for_member(*, user: User, match_id: int) -> Pair:
    """The pair if the viewer is one of the two (or on the engagement's team now);
    404 for everyone else."""
    match = (
        pair_queryset()
        .filter(pk=match_id, status__in=VISIBLE_MATCH_STATUSES)
        .filter(_taking_part(user))
        .first()
        if user.is_authenticated
        else None
    )
    pair = pair_of(match) if match is not None else None
    if pair is None or not pair.is_member(user):
        raise Http404("No such pair.")
    return pair


def pair_list_for_participant(*, user: User) -> list[Pair]:
    """The viewer's pairs and engagements, active first: two queries at most."""
    matches = list(
        pair_queryset()
        .filter(status__in=VISIBLE_MATCH_STATUSES)
        .filter(_taking_part(user))
        .order_by("status", "-started_at", "-id")
    )
    return [pair for pair in pairs_of(matches) if pair.is_member(user)]


def _circles() -> QuerySet[Circle]:
    people = Enrollment.objects.select_related("participant__user")
    return Circle.objects.select_related("program").prefetch_related(
        Prefetch("facilitators", queryset=people),
        Prefetch("members", queryset=people),
    )


def group_of(circle: Circle) -> Group:
    seen: dict[int, Attendee] = {}
    for enrollment in [*circle.facilitators.all(), *circle.members.all()]:
        participant = enrollment.participant
        seen.setdefault(participant.user.pk, Attendee(participant.user, participant))
    return Group(
        circle=circle,
        attendees=tuple(seen.values()),
        facilitator_ids=frozenset(
            enrollment.participant.user.pk for enrollment in circle.facilitators.all()
        ),
    )


def group_get_for_member(*, user: User, circle_id: int) -> Group:
    """A published circle if the viewer is in it; 404 otherwise."""
    circle = _circles().filter(pk=circle_id, is_published=True).first()
    if circle is None or not user.is_authenticated:
        raise Http404("No such circle.")
    group = group_of(circle)
    if not group.is_member(user):
        raise Http404("No such circle.")
    return group


def group_list_for_participant(*, user: User) -> list[Group]:
    circles = (
        _circles()
        .filter(is_published=True)
        .filter(
            Q(members__participant__user=user) | Q(facilitators__participant__user=user)
        )
        .distinct()
        .order_by("name")
    )
    return [group_of(circle) for circle in circles]


def meeting_get_for_member(
    *, user: User, meeting_id: int
) -> tuple[Meeting, Pair | Group]:
    """A meeting and its pair or circle, if the viewer takes part; 404 otherwise."""
    meeting = (
        Meeting.objects.select_related("proposed_by", "responded_by")
        .filter(pk=meeting_id)
        .first()
        if user.is_authenticated
        else None
    )
    if meeting is None:
        raise Http404("No such meeting.")
    if meeting.match_id is not None:
        owner: Pair | Group = pair_get_for_member(user=user, match_id=meeting.match_id)
    else:
        owner = group_get_for_member(user=user, circle_id=meeting.circle_id)  # type: ignore[arg-type]
    return meeting, owner
