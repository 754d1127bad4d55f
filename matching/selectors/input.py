"""The engine's input: a program's criteria and approved people as a
``MatchingProblem`` (pairs) or a ``CircleProblem`` (circles).

Every function here runs a fixed number of queries whatever the data size; the
tests assert it (tests/matching/test_matching_input.py).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict, cast

import numpy as np
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone

from matching import engine
from matching.models import Circle, Match, MatchingCriteria, MatchRun, MentorPreference
from matching.selectors.teams import (
    NO_MEMBER_ORGANIZATION,
    Team,
    team_profile,
    team_skills,
    teams_build,
    teams_hours,
)
from matching.selectors.weeks import week_mask_of
from mentorship import reference
from programs.models import Enrollment, Participant, Program
from programs.selectors import (
    TRAINING_NOT_COMPLETED,
    training_blocked,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# Levels of managers walked up from each person for the "same reporting line" rule.
REPORTING_LINE_DEPTH = 4
SUGGESTIONS_PER_MENTEE = 5


# --- Criteria ---------------------------------------------------------------------------


def criteria_get(*, program: Program) -> MatchingCriteria:
    """The program's criteria, or unsaved defaults when it has none yet."""
    criteria = MatchingCriteria.objects.filter(program=program).first()
    return criteria or MatchingCriteria(program=program)


def rules_from_criteria(
    *,
    criteria: MatchingCriteria,
    program: Program,
    focus_skills: np.ndarray | None = None,
) -> engine.Rules:
    return engine.Rules(
        weights=engine.Weights(
            skills=criteria.weight_skills,
            overlap=criteria.weight_overlap,
            language=criteria.weight_language,
            seniority=criteria.weight_seniority,
            culture=criteria.weight_culture,
            style=criteria.weight_style,
            preference=criteria.weight_preference,
        ),
        language_rule=criteria.language_rule,  # type: ignore[arg-type]
        culture=criteria.culture,  # type: ignore[arg-type]
        reverse=program.kind == Program.Kind.REVERSE,
        min_score=criteria.min_score or None,
        focus_skills=focus_skills,
        min_overlap_hours=float(criteria.min_overlap_hours),
    )


def criteria_settings(*, criteria: MatchingCriteria) -> dict[str, Any]:
    """A JSON snapshot of the criteria, stored on each run."""
    return {
        "weights": {c: getattr(criteria, f"weight_{c}") for c in engine.CRITERIA},
        "language_rule": criteria.language_rule,
        "culture": criteria.culture,
        "exclude_same_reporting_line": criteria.exclude_same_reporting_line,
        "min_score": criteria.min_score,
        "min_overlap_hours": criteria.min_overlap_hours,
    }


# --- Engine input -----------------------------------------------------------------------


@dataclass(frozen=True)
class MatchingInput:
    """The engine's problem and the enrolments behind each row and column."""

    program: Program
    mentees: list[Enrollment]
    mentors: list[Enrollment]
    problem: engine.MatchingProblem
    skills: list[str]  # column index -> skill name
    mentor_load: dict[int, int]  # mentor participant id -> places taken
    # Approved people the training gate keeps out of this problem.
    held_back: list[Enrollment] = field(default_factory=list)
    # Organization mentoring: the team behind each mentee row (``mentees[i]`` is
    # its lead's enrolment, else its first enrolled member's); empty otherwise.
    teams: list[Team] = field(default_factory=list)
    # Organization mentoring: approved mentees on no member organization's team.
    without_team: list[Enrollment] = field(default_factory=list)


def training_left_out(held_back: Iterable[Enrollment]) -> list[dict[str, Any]]:
    """``MatchRun.unmatched`` items for the people the training gate held back."""
    return [{"enrollment": e.pk, "reason": TRAINING_NOT_COMPLETED} for e in held_back]


def left_out(built: MatchingInput) -> list[dict[str, Any]]:
    """``MatchRun.unmatched`` items for everyone the problem left out: the training
    gate's, and mentees with no team in organization mentoring."""
    return training_left_out(built.held_back) + [
        {"enrollment": e.pk, "reason": NO_MEMBER_ORGANIZATION}
        for e in built.without_team
    ]


def _index(values: Iterable[str]) -> dict[str, int]:
    return {value: i for i, value in enumerate(sorted(set(values)))}


def _flags(rows: Sequence[Iterable[str]], vocabulary: dict[str, int]) -> np.ndarray:
    out = np.zeros((len(rows), len(vocabulary)), dtype=bool)
    for i, values in enumerate(rows):
        for value in values:
            column = vocabulary.get(value)
            if column is not None:
                out[i, column] = True
    return out


STYLES = list(Participant.CommunicationStyle.values)
LEARNING = {value: i for i, value in enumerate(Participant.LearningPreference.values)}
COUNTRY_UNKNOWN = -1


def _side(
    people: list[Participant],
    skills: list[list[str]],
    skill_index: dict[str, int],
    language_index: dict[str, int],
    country_index: dict[str, int],
    week_of: datetime.date,
    unknown_from: int = 0,
) -> engine.Participants:
    hours = (
        np.stack([week_mask_of(p, week_of) for p in people])
        if people
        else np.zeros((0, engine.SLOTS_PER_WEEK), dtype=bool)
    )
    return engine.Participants(
        skills=_flags(skills, skill_index),
        hours=hours,
        languages=_flags([p.languages for p in people], language_index),
        seniority=np.asarray([p.seniority for p in people], dtype=np.int64),
        # A person without a country gets an id of their own below zero (unique
        # across both sides): never "the same country" as anyone.
        country=np.asarray(
            [
                country_index[p.country]
                if p.country
                else COUNTRY_UNKNOWN - i - unknown_from
                for i, p in enumerate(people)
            ],
            dtype=np.int64,
        ),
        style=np.asarray(
            [
                STYLES.index(p.communication_style)
                if p.communication_style in STYLES
                else -1
                for p in people
            ],
            dtype=np.int64,
        ),
        learning=_flags(
            [p.learning_preferences for p in people],
            LEARNING,
        ),
    )


def _ancestors(participant_ids: set[int]) -> dict[int, set[int]]:
    """Each person's managers up to REPORTING_LINE_DEPTH levels: one query."""
    columns = ["manager_id"]
    for _ in range(REPORTING_LINE_DEPTH - 1):
        columns.append("manager__" + columns[-1])
    chains = Participant.objects.filter(pk__in=participant_ids).values_list(
        "id", *columns
    )
    return {row[0]: {m for m in row[1:] if m is not None} for row in chains}


def _exclusions(
    mentees: list[Enrollment],
    mentors: list[Enrollment],
    *,
    same_reporting_line: bool,
) -> list[tuple[int, int]]:
    """(mentee row, mentor column) pairs a hard rule forbids: the same person, the
    same reporting line (either way up), or the two were ever put together in this
    organization (proposed, active, declined, ended…): 1–2 queries."""
    mentee_people = [e.participant_id for e in mentees]
    mentor_people = [e.participant_id for e in mentors]
    columns_of: dict[int, list[int]] = defaultdict(list)
    for j, person in enumerate(mentor_people):
        columns_of[person].append(j)
    rows_of: dict[int, list[int]] = defaultdict(list)
    for i, person in enumerate(mentee_people):
        rows_of[person].append(i)
    forbidden: set[tuple[int, int]] = set()  # (mentee person, mentor person)
    for person in set(mentee_people) & set(mentor_people):
        forbidden.add((person, person))
    if same_reporting_line:
        chains = _ancestors(set(mentee_people) | set(mentor_people))
        for person in rows_of:
            for manager in chains.get(person, ()):
                if manager in columns_of:
                    forbidden.add((person, manager))
        for person in columns_of:
            for manager in chains.get(person, ()):
                if manager in rows_of:
                    forbidden.add((manager, person))
    mentee_set, mentor_set = set(mentee_people), set(mentor_people)
    before = Match.objects.filter(
        Q(mentee__participant_id__in=mentee_set, mentor__participant_id__in=mentor_set)
        | Q(
            mentee__participant_id__in=mentor_set, mentor__participant_id__in=mentee_set
        ),
        status__in=Match.PAIRED,
    ).values_list("mentee__participant_id", "mentor__participant_id")
    for a, b in before:
        forbidden.add((a, b))
        forbidden.add((b, a))
    return [
        (i, j)
        for a, b in forbidden
        for i in rows_of.get(a, ())
        for j in columns_of.get(b, ())
    ]


def mentor_load(
    *,
    participant_ids: Iterable[int],
    run: MatchRun | None = None,
    ignore_match_id: int | None = None,
) -> dict[int, int]:
    """Places each mentor has taken, in every program: live matches, plus the
    suggestions of ``run`` when one is given (a review in progress): one query."""
    places = Q(status__in=Match.LIVE)
    if run is not None:
        places |= Q(run=run, status=Match.Status.SUGGESTED)
    rows = (
        Match.objects.filter(places, mentor__participant_id__in=list(participant_ids))
        .exclude(pk=ignore_match_id)  # type: ignore[misc]  # pk=None excludes nothing
        .values("mentor__participant_id")
        .annotate(count=Count("id"))
    )
    return {row["mentor__participant_id"]: row["count"] for row in rows}


class _ApprovedExtras(TypedDict):
    """Annotated by ``_approved``."""

    holds_place: bool
    is_training_blocked: bool


class _CircleExtras(_ApprovedExtras):
    """Annotated by ``circle_input_build`` on top of ``_approved``'s."""

    is_member: bool
    is_facilitator: bool


def _approved(
    program: Program,
) -> QuerySet[WithAnnotations[Enrollment, _ApprovedExtras]]:
    return (
        Enrollment.objects.filter(program=program, status=Enrollment.Status.APPROVED)
        .select_related("participant__user")
        .annotate(
            holds_place=Exists(
                Match.objects.filter(mentee=OuterRef("pk"), status__in=Match.LIVE)
            ),
            is_training_blocked=ExpressionWrapper(
                training_blocked(), output_field=BooleanField()
            ),
        )
        .order_by("id")
    )


def matching_input_build(
    *,
    program: Program,
    criteria: MatchingCriteria,
    mentee_ids: Iterable[int] | None = None,
    mentor_ids: Iterable[int] | None = None,
    run: MatchRun | None = None,
    ignore_match_id: int | None = None,
    week_of: datetime.date | None = None,
) -> MatchingInput:
    """The engine's problem for the approved people of a program: 5 queries
    (8 in organization mentoring, where each mentee row is a member
    organization's team: see ``teams_build``; ``without_team`` are left out).

    Mentees who already have a live match are left out; so is anyone the training
    gate holds back (``held_back``: required training not done, not waived). Each
    mentor's capacity is their mentoring capacity minus the places they hold in
    every program. Pass ids to build a smaller problem (a swap checks one mentee
    against one mentor).
    """
    enrollments = _approved(program)
    if mentee_ids is not None or mentor_ids is not None:
        enrollments = enrollments.filter(
            Q(role="mentee", pk__in=list(mentee_ids or []))
            | Q(role="mentor", pk__in=list(mentor_ids or []))
        )
    rows = [e for e in enrollments if not (e.role == "mentee" and e.holds_place)]
    held_back: list[Enrollment] = [e for e in rows if e.is_training_blocked]
    mentees: list[Enrollment] = [
        e for e in rows if e.role == "mentee" and not e.is_training_blocked
    ]
    mentors: list[Enrollment] = [
        e for e in rows if e.role == "mentor" and not e.is_training_blocked
    ]
    load = mentor_load(
        participant_ids={e.participant_id for e in mentors},
        run=run,
        ignore_match_id=ignore_match_id,
    )
    focus = reference.skills_normalize(list(program.focus_areas))
    teams: list[Team] = []
    without_team: list[Enrollment] = []
    if program.kind == Program.Kind.ORGANIZATION:
        teams, without_team = teams_build(program, mentees)
        enrolled = {e.participant.user_id: e for e in mentees}
        mentees = [team.enrollment for team in teams]
        wanted = [team_skills(team, enrolled) for team in teams]
        mentee_people = [team_profile(team) for team in teams]
    else:
        wanted = [
            reference.skills_normalize(e.participant.skills_wanted) for e in mentees
        ]
        mentee_people = [e.participant for e in mentees]
    offered = [
        reference.skills_normalize(e.participant.skills_offered) for e in mentors
    ]
    skill_index = _index([s for row in wanted + offered for s in row] + focus)
    everyone = mentee_people + [e.participant for e in mentors]
    language_index = _index(code for p in everyone for code in p.languages)
    country_index = _index(p.country for p in everyone if p.country)
    week_of = week_of or timezone.now().date()
    focus_flags = _flags([focus], skill_index)[0] if focus else None
    preferred = _preferred(mentees, mentors)
    problem = engine.MatchingProblem(
        mentees=_side(
            mentee_people,
            wanted,
            skill_index,
            language_index,
            country_index,
            week_of,
        ),
        mentors=_side(
            [e.participant for e in mentors],
            offered,
            skill_index,
            language_index,
            country_index,
            week_of,
            unknown_from=len(mentees),
        ),
        capacity=np.asarray(
            [
                max(0, e.participant.mentoring_capacity - load.get(e.participant_id, 0))
                for e in mentors
            ],
            dtype=np.int64,
        ),
        rules=rules_from_criteria(
            criteria=criteria, program=program, focus_skills=focus_flags
        ),
        preferred=preferred,
        excluded=_exclusions(
            mentees,
            mentors,
            same_reporting_line=criteria.exclude_same_reporting_line,
        ),
        teams=teams_hours(teams, week_of) if teams else None,
    )
    return MatchingInput(
        program=program,
        mentees=mentees,
        mentors=mentors,
        problem=problem,
        skills=sorted(skill_index, key=skill_index.__getitem__),
        mentor_load=load,
        held_back=held_back,
        teams=teams,
        without_team=without_team,
    )


def _preferred(
    mentees: list[Enrollment], mentors: list[Enrollment]
) -> list[tuple[int, int]]:
    if not mentees or not mentors:
        return []
    row = {e.pk: i for i, e in enumerate(mentees)}
    column = {e.pk: j for j, e in enumerate(mentors)}
    stated = MentorPreference.objects.filter(mentee_id__in=list(row)).values_list(
        "mentee_id", "mentor_id"
    )
    return [(row[a], column[b]) for a, b in stated if b in column]


@dataclass(frozen=True)
class CircleInput:
    participants: list[Enrollment]
    facilitators: list[Enrollment]
    problem: engine.CircleProblem
    skills: list[str]
    # Approved people the training gate keeps out of the circles.
    held_back: list[Enrollment] = field(default_factory=list)


def circle_input_build(
    *, program: Program, size: int, week_of: datetime.date | None = None
) -> CircleInput:
    """Group and peer programs: approved mentees sit around approved mentors (the
    facilitators) in circles of about ``size``: 1 query. People already in a
    published circle of the program are left out, and so is anyone the training
    gate holds back (``held_back``)."""
    placed = Circle.objects.filter(program=program, is_published=True)
    rows = cast(
        "list[WithAnnotations[Enrollment, _CircleExtras]]",
        list(
            _approved(program).annotate(
                is_member=Exists(placed.filter(members=OuterRef("pk"))),
                is_facilitator=Exists(placed.filter(facilitators=OuterRef("pk"))),
            )
        ),
    )
    waiting = [
        e for e in rows if not (e.is_member if e.role == "mentee" else e.is_facilitator)
    ]
    held_back: list[Enrollment] = [e for e in waiting if e.is_training_blocked]
    participants: list[Enrollment] = [
        e for e in waiting if e.role == "mentee" and not e.is_training_blocked
    ]
    facilitators: list[Enrollment] = [
        e for e in waiting if e.role == "mentor" and not e.is_training_blocked
    ]
    focus = reference.skills_normalize(list(program.focus_areas))
    wanted = [
        reference.skills_normalize(e.participant.skills_wanted) for e in participants
    ]
    offered = [
        reference.skills_normalize(e.participant.skills_offered) for e in facilitators
    ]
    skill_index = _index([s for row in wanted + offered for s in row] + focus)
    week_of = week_of or timezone.now().date()

    def hours(people: list[Enrollment]) -> np.ndarray:
        if not people:
            return np.zeros((0, engine.SLOTS_PER_WEEK), dtype=bool)
        return np.stack([week_mask_of(e.participant, week_of) for e in people])

    problem = engine.CircleProblem(
        participant_skills=_flags(wanted, skill_index),
        participant_hours=hours(participants),
        facilitator_skills=_flags(offered, skill_index),
        facilitator_hours=hours(facilitators),
        size=size,
        min_size=max(1, min(size, size - 2 if size > 3 else 2)),
        max_size=size + 2,
        focus_skills=_flags([focus], skill_index)[0] if focus else None,
    )
    return CircleInput(
        participants=participants,
        facilitators=facilitators,
        problem=problem,
        skills=sorted(skill_index, key=skill_index.__getitem__),
        held_back=held_back,
    )
