"""The participant's reads: the portal's proposals, matches, choices and
circles, and the mentor profiles a mentee may name before matching.

Every function here runs a fixed number of queries whatever the data size; the
tests assert it (tests/matching/test_portal_views.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from matching.display import zone_difference, zone_place
from matching.models import Circle, Match, MatchRun, MatchSuggestion, MentorPreference
from matching.selectors.review import CircleRow
from matching.selectors.weeks import shared_week
from mentorship import localtime, reference
from mentorship.accounts.models import User
from programs.models import Enrollment, Participant, Program

# --- Portal -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerCard:
    """What a person sees of a proposed or active partner."""

    match: Match
    role: str  # the viewer's role in this match
    partner: Participant
    partner_time: str  # "14:05" on the partner's clock now
    partner_place: str  # "Ho Chi Minh · 6 h ahead of you"
    languages: list[str]
    reasons: list[str]
    has_accepted: bool  # the viewer already accepted
    partner_has_accepted: bool


def _plain_reasons(
    *, mentee: Participant, mentor: Participant, viewer_is_mentee: bool, week_of
) -> list[str]:
    """Why the two were matched, in the viewer's words."""
    reasons = []
    other = mentor if viewer_is_mentee else mentee
    name = other.user.greeting_name
    shared_skills = [
        s
        for s in reference.skills_normalize(mentor.skills_offered)
        if s in set(reference.skills_normalize(mentee.skills_wanted))
    ]
    if shared_skills:
        listed = ", ".join(shared_skills[:4])
        reasons.append(
            f"{name} offers {listed} — what you want to learn."
            if viewer_is_mentee
            else f"{name} wants to learn {listed}, which you offer."
        )
    languages = [
        reference.language_names().get(code, code)
        for code in mentee.languages
        if code in mentor.languages
    ]
    if languages:
        reasons.append(f"You both speak {', '.join(languages)}.")
    shared = shared_week(mentee, mentor, week_of)
    if shared:
        reasons.append(
            f"Your working hours overlap {localtime.hours_text(shared)} a week."
        )
    if mentee.country and mentor.country:
        if mentee.country == mentor.country:
            reasons.append("You work in the same country.")
        else:
            countries = reference.country_names()
            reasons.append(
                f"A cross-border pair: {countries.get(mentee.country, mentee.country)}"
                f" and {countries.get(mentor.country, mentor.country)}."
            )
    if mentee.communication_style and (
        mentee.communication_style == mentor.communication_style
    ):
        reasons.append(
            "You share a communication style: "
            f"{mentee.get_communication_style_display().lower()}."
        )
    return reasons


PORTAL_STATUSES = ("proposed", "accepted", "active")


def _partner_card(match: Match, user: User, now: datetime.datetime) -> PartnerCard:
    viewer_is_mentee = match.mentee.participant.user_id == user.pk
    partner = match.mentor.participant if viewer_is_mentee else match.mentee.participant
    names = reference.language_names()
    return PartnerCard(
        match=match,
        role="mentee" if viewer_is_mentee else "mentor",
        partner=partner,
        partner_time=f"{localtime.wall_clock(partner.user.time_zone, now):%H:%M}",
        partner_place=f"{zone_place(partner.user.time_zone)} · "
        f"{zone_difference(user.time_zone, partner.user.time_zone, now)}",
        languages=[names.get(code, code) for code in partner.languages],
        reasons=_plain_reasons(
            mentee=match.mentee.participant,
            mentor=match.mentor.participant,
            viewer_is_mentee=viewer_is_mentee,
            week_of=now.date(),
        ),
        has_accepted=bool(
            match.mentee_accepted_at if viewer_is_mentee else match.mentor_accepted_at
        ),
        partner_has_accepted=bool(
            match.mentor_accepted_at if viewer_is_mentee else match.mentee_accepted_at
        ),
    )


def _portal_matches(user: User) -> QuerySet[Match]:
    return (
        Match.objects.filter(
            Q(mentee__participant__user=user) | Q(mentor__participant__user=user),
            status__in=PORTAL_STATUSES,
        )
        .select_related(
            "program",
            "mentee__participant__user",
            "mentor__participant__user",
            "member_organization",
        )
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class SuggestionGroup:
    """A mentee's choices from a published "mentees pick" run."""

    mentee: Enrollment
    suggestions: list[MatchSuggestion]


@dataclass
class PortalMatches:
    pending: list[PartnerCard]  # waiting for the viewer's answer
    waiting: list[PartnerCard]  # the viewer accepted; the partner has not
    active: list[PartnerCard]
    choices: list[SuggestionGroup]
    circles: list[CircleRow]

    @property
    def is_empty(self) -> bool:
        return not (
            self.pending or self.waiting or self.active or self.choices or self.circles
        )

    @property
    def needs_answer(self) -> int:
        return len(self.pending) + len(self.choices)


def portal_matches(*, user: User) -> PortalMatches:
    """The viewer's proposals, active matches, choices and circles: 5 queries."""
    now = timezone.now()
    cards = [_partner_card(m, user, now) for m in _portal_matches(user)]
    return PortalMatches(
        pending=[c for c in cards if c.match.status != "active" and not c.has_accepted],
        waiting=[c for c in cards if c.match.status != "active" and c.has_accepted],
        active=[c for c in cards if c.match.status == "active"],
        choices=_choices_for(user),
        circles=_circles_for(user),
    )


def _choices_for(user: User) -> list[SuggestionGroup]:
    suggestions = (
        MatchSuggestion.objects.filter(
            mentee__participant__user=user,
            run__status=MatchRun.Status.PUBLISHED,
        )
        .exclude(
            Exists(
                Match.objects.filter(
                    mentee=OuterRef("mentee"), status__in=Match.HOLDING
                )
            )
        )
        .select_related("mentee__program", "mentor__participant__user")
        .order_by("mentee_id", "-run__created_at", "rank")
    )
    groups: dict[int, SuggestionGroup] = {}
    latest_run: dict[int, int] = {}
    for suggestion in suggestions:
        run_of = latest_run.setdefault(suggestion.mentee_id, suggestion.run_id)
        if run_of != suggestion.run_id:
            continue  # an older run's list for the same enrolment
        group = groups.setdefault(
            suggestion.mentee_id, SuggestionGroup(suggestion.mentee, [])
        )
        group.suggestions.append(suggestion)
    return list(groups.values())


def _circles_for(user: User) -> list[CircleRow]:
    people = Enrollment.objects.select_related("participant__user").order_by(
        "participant__user__full_name", "id"
    )
    mine = Q(members__participant__user=user) | Q(facilitators__participant__user=user)
    circles = (
        Circle.objects.filter(pk__in=Circle.objects.filter(mine).values("pk"))
        .filter(is_published=True)
        .select_related("program")
        .prefetch_related(
            Prefetch("facilitators", queryset=people),
            Prefetch("members", queryset=people),
        )
    )
    return [
        CircleRow(c, list(c.facilitators.all()), list(c.members.all())) for c in circles
    ]


def match_get_for_participant(*, user: User, match_id: int) -> Match:
    """A match the viewer is in (either side); 404 for anyone else."""
    match = (
        Match.objects.filter(
            Q(mentee__participant__user=user) | Q(mentor__participant__user=user),
            pk=match_id,
        )
        .exclude(status__in=[Match.Status.SUGGESTED, Match.Status.DISCARDED])
        .select_related(
            "program",
            "mentee__participant__user",
            "mentor__participant__user",
            "member_organization",
        )
        .first()
    )
    if match is None:
        raise Http404("No such match.")
    return match


def suggestion_get_for_mentee(*, user: User, suggestion_id: int) -> MatchSuggestion:
    suggestion = (
        MatchSuggestion.objects.filter(
            pk=suggestion_id,
            mentee__participant__user=user,
            run__status=MatchRun.Status.PUBLISHED,
        )
        .select_related("run", "mentee__program", "mentor__participant__user")
        .first()
    )
    if suggestion is None:
        raise Http404("No such suggestion.")
    return suggestion


# --- Mentees naming mentors -----------------------------------------------------------------


@dataclass(frozen=True)
class MentorProfile:
    """What a mentee may see of a mentor before matching: the public profile only
    (name, title, country, skills offered, languages, local time) — never their
    department, manager, bio, capacity, seniority or working hours."""

    enrollment_id: int
    name: str
    title: str
    country: str
    skills: tuple[str, ...]
    languages: tuple[str, ...]
    local_time: str
    zone: str
    is_chosen: bool


@dataclass(frozen=True)
class MentorChoicePage:
    program: Program
    mentee: Enrollment
    mentors: list[MentorProfile]
    limit: int
    refusal: str

    @property
    def chosen_count(self) -> int:
        return sum(profile.is_chosen for profile in self.mentors)


def mentee_enrollment_for_choice(*, user: User, program_id: int) -> Enrollment:
    """The viewer's mentee enrolment in a program that lets mentees choose; 404
    otherwise (another organization's or program's people see nothing)."""
    enrollment = (
        Enrollment.objects.select_related("program", "participant")
        .filter(
            program_id=program_id,
            participant__user=user,
            role="mentee",
            program__mentor_choices_limit__gt=0,
        )
        .first()
    )
    if enrollment is None:
        raise Http404("No such program.")
    return enrollment


def mentor_choice_page(
    *, mentee: Enrollment, refusal: str, now: datetime.datetime
) -> MentorChoicePage:
    """Approved mentors of the mentee's program (same organization by schema), with
    their public profile and whether the mentee named them: 2 queries at any size.
    Empty when the mentee may not choose now (``refusal``): nothing to browse."""
    program = mentee.program
    if refusal:
        return MentorChoicePage(
            program=program, mentee=mentee, mentors=[], limit=0, refusal=refusal
        )
    chosen = set(
        MentorPreference.objects.filter(mentee=mentee).values_list(
            "mentor_id", flat=True
        )
    )
    mentors = (
        Enrollment.objects.filter(
            program=program, role="mentor", status=Enrollment.Status.APPROVED
        )
        .exclude(participant_id=mentee.participant_id)
        .select_related("participant__user")
        .only(
            "id",
            "participant__title",
            "participant__country",
            "participant__skills_offered",
            "participant__languages",
            "participant__user__full_name",
            "participant__user__preferred_name",
            "participant__user__email",
            "participant__user__time_zone",
        )
        .order_by("participant__user__full_name", "id")
    )
    countries, languages = reference.country_names(), reference.language_names()
    profiles = []
    for enrollment in mentors:
        person, user = enrollment.participant, enrollment.participant.user
        profiles.append(
            MentorProfile(
                enrollment_id=enrollment.pk,
                name=user.full_name or user.greeting_name,
                title=person.title,
                country=countries.get(person.country, ""),
                skills=tuple(person.skills_offered),
                languages=tuple(languages.get(code, code) for code in person.languages),
                local_time=localtime.wall_clock(user.time_zone, now).strftime(
                    "%a %H:%M"
                ),
                zone=user.time_zone,
                is_chosen=enrollment.pk in chosen,
            )
        )
    return MentorChoicePage(
        program=program,
        mentee=mentee,
        mentors=profiles,
        limit=program.mentor_choices_limit,
        refusal=refusal,
    )
