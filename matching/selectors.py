"""Reads for matching: the engine's input, the review page, the portal, the lists.

Every function here runs a fixed number of queries whatever the data size; the
tests assert it (tests/matching/test_matching_input.py, test_review_view.py).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.http import Http404
from django.utils import timezone

from matching import engine
from matching.models import (
    Circle,
    Match,
    MatchingCriteria,
    MatchRun,
    MatchSuggestion,
    MentorPreference,
)
from mentorship import localtime
from mentorship.accounts.models import User
from programs import reference
from programs.models import Enrollment, Participant, Program
from programs.selectors import (
    TRAINING_NOT_COMPLETED,
    program_get_for_coordinator,
    training_blocked,
    working_pattern_of,
)

# Levels of managers walked up from each person for the "same reporting line" rule.
REPORTING_LINE_DEPTH = 4
PROPOSAL_PAGE_SIZE = 50
MATCH_PAGE_SIZE = 50
SUGGESTIONS_PER_MENTEE = 5

# Plain words for each criterion, shown next to its weight and its points.
CRITERION_LABELS: dict[str, str] = {
    "skills": "Skills",
    "overlap": "Time-zone overlap",
    "language": "Shared language",
    "seniority": "Seniority",
    "culture": "Country",
    "style": "Style",
    "preference": "Asked for",
}
CRITERION_HELP: dict[str, str] = {
    "skills": "How much the mentor offers what the mentee wants (and the program's "
    "focus areas, which count double).",
    "overlap": "Shared working hours per week; 10 hours or more scores in full.",
    "language": "Whether the two speak a language in common.",
    "seniority": "How much more senior the mentor is (up to 3 levels); in reverse "
    "mentoring, how much more junior.",
    "culture": "Whether the two work in the same or in different countries, as you "
    "prefer below.",
    "style": "Same communication style, and shared ways of learning.",
    "preference": "Whether the mentee asked for this mentor.",
}


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


def training_left_out(held_back: Iterable[Enrollment]) -> list[dict[str, Any]]:
    """``MatchRun.unmatched`` items for the people the training gate held back."""
    return [{"enrollment": e.pk, "reason": TRAINING_NOT_COMPLETED} for e in held_back]


def week_mask_of(participant: Participant, week_of: datetime.date) -> np.ndarray:
    """The person's UTC quarter hours of the week containing ``week_of`` (Monday
    00:00 UTC first): ``localtime.utc_week_mask``, cached per working pattern."""
    return localtime.utc_week_mask(
        working_pattern_of(participant), localtime.week_monday(week_of)
    )


def shared_week(
    mentee: Participant, mentor: Participant, week_of: datetime.date
) -> datetime.timedelta:
    """Working time the two share in the week containing ``week_of``: the figure
    the engine scores, the review page and match cards show
    (``localtime.weekly_overlap``)."""
    return localtime.weekly_overlap(
        working_pattern_of(mentee),
        working_pattern_of(mentor),
        localtime.week_monday(week_of),
    )


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
        .exclude(pk=ignore_match_id)
        .values("mentor__participant_id")
        .annotate(count=Count("id"))
    )
    return {row["mentor__participant_id"]: row["count"] for row in rows}


def _approved(program: Program) -> QuerySet[Enrollment]:
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
    """The engine's problem for the approved people of a program: 5 queries.

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
    held_back = [e for e in rows if e.is_training_blocked]
    mentees = [e for e in rows if e.role == "mentee" and not e.is_training_blocked]
    mentors = [e for e in rows if e.role == "mentor" and not e.is_training_blocked]
    load = mentor_load(
        participant_ids={e.participant_id for e in mentors},
        run=run,
        ignore_match_id=ignore_match_id,
    )
    focus = reference.skills_normalize(list(program.focus_areas))
    wanted = [reference.skills_normalize(e.participant.skills_wanted) for e in mentees]
    offered = [
        reference.skills_normalize(e.participant.skills_offered) for e in mentors
    ]
    skill_index = _index([s for row in wanted + offered for s in row] + focus)
    language_index = _index(
        code for e in mentees + mentors for code in e.participant.languages
    )
    country_index = _index(
        e.participant.country for e in mentees + mentors if e.participant.country
    )
    week_of = week_of or timezone.now().date()
    focus_flags = _flags([focus], skill_index)[0] if focus else None
    preferred = _preferred(mentees, mentors)
    problem = engine.MatchingProblem(
        mentees=_side(
            [e.participant for e in mentees],
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
    )
    return MatchingInput(
        program=program,
        mentees=mentees,
        mentors=mentors,
        problem=problem,
        skills=sorted(skill_index, key=skill_index.__getitem__),
        mentor_load=load,
        held_back=held_back,
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
    rows = list(
        _approved(program).annotate(
            is_member=Exists(placed.filter(members=OuterRef("pk"))),
            is_facilitator=Exists(placed.filter(facilitators=OuterRef("pk"))),
        )
    )
    waiting = [
        e for e in rows if not (e.is_member if e.role == "mentee" else e.is_facilitator)
    ]
    held_back = [e for e in waiting if e.is_training_blocked]
    participants = [
        e for e in waiting if e.role == "mentee" and not e.is_training_blocked
    ]
    facilitators = [
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


# --- Display helpers ---------------------------------------------------------------------


def points_for_display(explanation: dict[str, float]) -> dict[str, int]:
    """Whole points per criterion that add up to the rounded score (largest
    remainder), so the numbers on the page sum to the score shown next to them."""
    values = {c: max(0.0, float(explanation.get(c, 0.0))) for c in engine.CRITERIA}
    target = round(sum(values.values()))
    floors = {c: int(v) for c, v in values.items()}
    missing = target - sum(floors.values())
    by_remainder = sorted(values, key=lambda c: values[c] - floors[c], reverse=True)
    for c in by_remainder[: max(0, missing)]:
        floors[c] += 1
    return floors


@dataclass(frozen=True)
class Segment:
    criterion: str
    label: str
    points: int
    # Where the segment starts and how wide it is on a 0–100 bar, formatted once
    # here: SVG attributes want a dot, whatever the page's locale.
    x: str
    width: str


def explanation_segments(explanation: dict[str, float]) -> list[Segment]:
    points = points_for_display(explanation)
    segments, x = [], 0.0
    for c in engine.CRITERIA:
        value = max(0.0, float(explanation.get(c, 0.0)))
        if points[c] or value >= 0.5:
            segments.append(
                Segment(c, CRITERION_LABELS[c], points[c], f"{x:.2f}", f"{value:.2f}")
            )
        x += value
    return segments


def zone_place(zone: str) -> str:
    """ "Asia/Ho_Chi_Minh" -> "Ho Chi Minh"."""
    return localtime.zone_name(zone).rsplit("/", 1)[-1].replace("_", " ")


def zone_difference(viewer_zone: str, other_zone: str, now: datetime.datetime) -> str:
    """ "6 h ahead of you", "5½ h behind you" or "same time as you", today."""
    mine = localtime.wall_clock(viewer_zone, now).utcoffset() or datetime.timedelta()
    theirs = localtime.wall_clock(other_zone, now).utcoffset() or datetime.timedelta()
    minutes = int((theirs - mine).total_seconds() // 60)
    if minutes == 0:
        return "same time as you"
    hours, rest = divmod(abs(minutes), 60)
    fraction = {0: "", 15: "¼", 30: "½", 45: "¾"}.get(rest, f":{rest:02d}")
    return f"{hours}{fraction} h {'ahead of' if minutes > 0 else 'behind'} you"


def local_time_label(zone: str, now: datetime.datetime) -> str:
    """ "14:05 Asia/Kolkata" — the person's wall clock now and their zone."""
    local = localtime.wall_clock(zone, now)
    return f"{local:%H:%M} {localtime.zone_name(zone)}"


# --- Review page ------------------------------------------------------------------------


def run_latest(*, program: Program) -> MatchRun | None:
    """The run the review page shows: the newest one not discarded."""
    return (
        MatchRun.objects.filter(program=program)
        .exclude(status=MatchRun.Status.DISCARDED)
        .select_related("started_by")
        .order_by("-created_at", "-id")
        .first()
    )


def run_get_for_coordinator(*, user: User, program_id: int, run_id: int) -> MatchRun:
    program = program_get_for_coordinator(user=user, program_id=program_id)
    run = (
        MatchRun.objects.filter(program=program, pk=run_id)
        .select_related("program")
        .first()
    )
    if run is None:
        raise Http404("No such run.")
    return run


@dataclass(frozen=True)
class ProposalRow:
    match: Match
    mentee: User
    mentor: User
    mentee_time: str
    mentor_time: str
    score: int
    segments: list[Segment]
    overlap_text: str = ""  # "2 h 30 min": shared working time a week
    overlap_warning: bool = False  # below OVERLAP_WARNING_HOURS
    least_bad: str = ""  # the least-bad hour, on both clocks, when flagged


# Proposed pairs sharing less working time a week than this are flagged on the
# review page, with their least-bad meeting hour: under two hours a week leaves
# barely one meeting inside both working days.
OVERLAP_WARNING_HOURS = 2


def _overlap_flag(match: Match, week: datetime.date) -> dict[str, Any]:
    mentee, mentor = match.mentee.participant, match.mentor.participant
    a, b = working_pattern_of(mentee), working_pattern_of(mentor)
    shared = localtime.weekly_overlap(a, b, week)
    if shared >= datetime.timedelta(hours=OVERLAP_WARNING_HOURS):
        return {"overlap_text": localtime.hours_text(shared)}
    slot = localtime.least_bad_slot(a, b, week)
    clocks = []
    for person, outside in ((mentee, slot.outside_a), (mentor, slot.outside_b)):
        at = localtime.wall_clock(person.user.time_zone, slot.start)
        stretch = (
            f", {localtime.hours_text(outside)} outside their hours" if outside else ""
        )
        clocks.append(f"{at:%a %H:%M} for {person.user.greeting_name}{stretch}")
    return {
        "overlap_text": localtime.hours_text(shared),
        "overlap_warning": True,
        "least_bad": " · ".join(clocks),
    }


PROPOSAL_SORTS = {
    "score": ("score", "id"),
    "-score": ("-score", "id"),
    "mentee": ("mentee__participant__user__full_name", "id"),
    "mentor": ("mentor__participant__user__full_name", "id"),
}


@dataclass
class ProposalTable:
    page: Page
    rows: list[ProposalRow]
    sort: str

    @property
    def page_query(self) -> str:
        """Keeps the sort and page when an edit re-renders the table."""
        if self.sort == "score" and self.page.number == 1:
            return ""
        return f"?sort={self.sort}&page={self.page.number}"


def proposal_table(
    *, run: MatchRun, sort: str = "score", page: int = 1
) -> ProposalTable:
    """One page of a run's suggested pairs, weakest first by default: 2 queries
    (COUNT, then the page with both people joined)."""
    sort = sort if sort in PROPOSAL_SORTS else "score"
    matches = (
        Match.objects.filter(run=run, status=Match.Status.SUGGESTED)
        .select_related("mentee__participant__user", "mentor__participant__user")
        .order_by(*PROPOSAL_SORTS[sort])
    )
    paginated = Paginator(matches, PROPOSAL_PAGE_SIZE).get_page(page)
    now = timezone.now()
    week = localtime.overlap_week(now)
    rows = [
        ProposalRow(
            match=match,
            mentee=match.mentee.participant.user,
            mentor=match.mentor.participant.user,
            mentee_time=local_time_label(match.mentee.participant.user.time_zone, now),
            mentor_time=local_time_label(match.mentor.participant.user.time_zone, now),
            score=round(match.score),
            segments=explanation_segments(match.explanation),
            **_overlap_flag(match, week),
        )
        for match in paginated.object_list
    ]
    return ProposalTable(page=paginated, rows=rows, sort=sort)


@dataclass(frozen=True)
class UnmatchedRow:
    enrollment: Enrollment | None
    name: str
    reason: str

    @property
    def is_training(self) -> bool:
        """Left out by the training gate (the page links to the training page)."""
        return self.reason == TRAINING_NOT_COMPLETED


def unmatched_rows(*, run: MatchRun) -> list[UnmatchedRow]:
    """The run's unmatched mentees with their reasons: 1 query."""
    ids = [item["enrollment"] for item in run.unmatched]
    found = Enrollment.objects.filter(pk__in=ids).select_related("participant__user")
    by_id = {e.pk: e for e in found}
    rows = []
    for item in run.unmatched:
        enrollment = by_id.get(item["enrollment"])
        name = str(enrollment.participant.user) if enrollment else "(withdrawn)"
        rows.append(UnmatchedRow(enrollment, name, item["reason"]))
    return rows


@dataclass(frozen=True)
class CircleRow:
    circle: Circle
    facilitators: list[Enrollment]
    members: list[Enrollment]


def circle_rows(*, run: MatchRun) -> list[CircleRow]:
    """The circles of a run with their people: 3 queries."""
    people = Enrollment.objects.select_related("participant__user").order_by(
        "participant__user__full_name", "id"
    )
    circles = (
        Circle.objects.filter(run=run)
        .prefetch_related(
            Prefetch("facilitators", queryset=people),
            Prefetch("members", queryset=people),
        )
        .order_by("id")
    )
    return [
        CircleRow(c, list(c.facilitators.all()), list(c.members.all())) for c in circles
    ]


def suggestion_counts(*, run: MatchRun) -> tuple[int, int]:
    """(mentees with suggestions, suggestions) of a mentee-choice run: 1 query."""
    totals = MatchSuggestion.objects.filter(run=run).aggregate(
        mentees=Count("mentee", distinct=True), suggestions=Count("id")
    )
    return totals["mentees"], totals["suggestions"]


@dataclass(frozen=True)
class SwapOption:
    mentor: Enrollment
    score: int
    room: int
    segments: list[Segment]


def swap_options(
    *, match: Match, criteria: MatchingCriteria, limit: int = 30
) -> list[SwapOption]:
    """Mentors this suggested pair's mentee could move to: feasible under the hard
    rules, with room left after this review's other suggestions, best first."""
    built = matching_input_build(
        program=match.program,
        criteria=criteria,
        run=match.run,
        ignore_match_id=match.pk,
        mentee_ids=[match.mentee_id],
        mentor_ids=Enrollment.objects.filter(
            program=match.program, role="mentor", status=Enrollment.Status.APPROVED
        ).values_list("pk", flat=True),
    )
    if not built.mentees or not built.mentors:
        return []
    problem = without_floor(built.problem)
    scores = engine.score(problem)
    row = scores.score[0]
    capacity = problem.capacity
    order = [
        j
        for j in np.argsort(-row, kind="stable")
        if np.isfinite(row[j])
        and capacity[j] > 0
        and built.mentors[j].pk != match.mentor_id
    ][:limit]
    points = engine.explain(problem, [0] * len(order), order)
    return [
        SwapOption(
            mentor=built.mentors[j],
            score=round(float(sum(p))),
            room=int(capacity[j]),
            segments=explanation_segments(dict(zip(engine.CRITERIA, p, strict=True))),
        )
        for j, p in zip(order, points.tolist(), strict=True)
    ]


def without_floor(problem: engine.MatchingProblem) -> engine.MatchingProblem:
    """A coordinator may override the minimum score by hand, never a hard rule."""
    return replace(problem, rules=replace(problem.rules, min_score=None))


def match_get_for_coordinator(*, user: User, program_id: int, match_id: int) -> Match:
    program = program_get_for_coordinator(user=user, program_id=program_id)
    match = (
        Match.objects.filter(program=program, pk=match_id)
        .select_related(
            "program", "run", "mentee__participant__user", "mentor__participant__user"
        )
        .first()
    )
    if match is None:
        raise Http404("No such match.")
    return match


# --- Match list (coordinator) ----------------------------------------------------------


@dataclass
class MatchFilters:
    status: str = ""
    q: str = ""
    page: int = 1
    # Only proposals waiting longer than PROPOSAL_STALE_AFTER (?stale=1).
    stale: bool = False

    @classmethod
    def from_query(cls, query) -> MatchFilters:
        status = query.get("status", "")
        try:
            page = max(1, min(int(query.get("page", "1")), 100_000))
        except ValueError:
            page = 1
        return cls(
            status=status if status in Match.Status.values else "",
            q=query.get("q", "").strip()[:100],
            page=page,
            stale=query.get("stale") in ("1", "on", "true"),
        )

    def query_string(self, **overrides: Any) -> str:
        from urllib.parse import urlencode

        values = {
            "status": self.status,
            "q": self.q,
            "page": self.page,
            "stale": 1 if self.stale else "",
        }
        values.update(overrides)
        return urlencode(
            {k: v for k, v in values.items() if v and (k, v) != ("page", 1)}
        )


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int
    query: str
    is_current: bool


@dataclass
class MatchTable:
    page: Page
    filters: MatchFilters
    tabs: list[StatusCount] = field(default_factory=list)


LISTED_STATUSES = ("proposed", "accepted", "active", "declined", "completed", "ended")
PAIR_PAGE_STATUSES = ("active", "completed", "ended")


def match_table(*, program: Program, filters: MatchFilters) -> MatchTable:
    """A program's matches past review, filtered and paged: 3 queries (counts by
    status, COUNT, the page with both people joined)."""
    base = Match.objects.filter(program=program, status__in=LISTED_STATUSES)
    counts = dict(base.values_list("status").annotate(count=Count("id")).order_by())
    matches = base.select_related(
        "mentee__participant__user", "mentor__participant__user"
    )
    now = timezone.now()
    if filters.status:
        matches = matches.filter(status=filters.status)
    if filters.stale:
        matches = matches.filter(
            status__in=(Match.Status.PROPOSED, Match.Status.ACCEPTED),
            proposed_at__lt=now - PROPOSAL_STALE_AFTER,
        )
    if filters.q:
        matches = matches.filter(
            Q(mentee__participant__user__full_name__icontains=filters.q)
            | Q(mentor__participant__user__full_name__icontains=filters.q)
            | Q(mentee__participant__user__email__icontains=filters.q)
            | Q(mentor__participant__user__email__icontains=filters.q)
        )
    order = ("proposed_at", "id") if filters.stale else ("-created_at", "-id")
    page = Paginator(matches.order_by(*order), MATCH_PAGE_SIZE).get_page(filters.page)
    page.object_list = list(page.object_list)
    for match in page.object_list:
        # Days a proposal has waited for an answer; flagged past PROPOSAL_STALE_AFTER.
        waiting = match.status in (Match.Status.PROPOSED, Match.Status.ACCEPTED)
        match.waiting_days = (
            (now - match.proposed_at).days if waiting and match.proposed_at else 0
        )
        # The pair page (checkins) exists once the two have started.
        match.has_pair_page = match.status in PAIR_PAGE_STATUSES
        # Both accepted before the program starts: waiting for its start.
        match.is_ready = bool(
            match.status == Match.Status.ACTIVE
            and match.started_at
            and match.started_at > now
        )
        match.is_stale = bool(
            waiting
            and match.proposed_at
            and now - match.proposed_at > PROPOSAL_STALE_AFTER
        )
    tabs = [
        StatusCount(
            "",
            "All",
            sum(counts.values()),
            filters.query_string(status="", page=1, stale=""),
            not filters.status and not filters.stale,
        )
    ] + [
        StatusCount(
            s,
            Match.Status(s).label,
            counts.get(s, 0),
            filters.query_string(status=s, page=1, stale=""),
            filters.status == s and not filters.stale,
        )
        for s in LISTED_STATUSES
    ]
    return MatchTable(page=page, filters=filters, tabs=tabs)


def rematch_candidates(*, program: Program) -> list[Enrollment]:
    """Approved mentees of the program with no live match: 1 query."""
    return [e for e in _approved(program).filter(role="mentee") if not e.holds_place]


def mentor_choices(*, program: Program) -> list[Enrollment]:
    return list(_approved(program).filter(role="mentor"))


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
            "program", "mentee__participant__user", "mentor__participant__user"
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
            "program", "mentee__participant__user", "mentor__participant__user"
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


@dataclass(frozen=True)
class PublishAudience:
    """Who publishing a run in review tells: ``offers`` pairs (or mentees with
    choices, or circles) and ``people``, the distinct people messaged."""

    offers: int
    people: int


def run_publish_audience(*, run: MatchRun) -> PublishAudience:
    """What ``services.match_run_publish`` would send now, counted the way it
    sends (one message per person per pair, mentee or circle seat): 1 query."""
    if run.mode == MatchRun.Mode.MENTEE_CHOICE:
        mentees = (
            MatchSuggestion.objects.filter(run=run, rank=1)
            .values("mentee")
            .distinct()
            .count()
        )
        return PublishAudience(offers=mentees, people=mentees)
    if run.mode == MatchRun.Mode.CIRCLES:
        totals = Circle.objects.filter(run=run).aggregate(
            circles=Count("id", distinct=True),
            facilitators=Count("facilitators", distinct=True),
            members=Count("members", distinct=True),
        )
        return PublishAudience(
            offers=totals["circles"],
            people=totals["facilitators"] + totals["members"],
        )
    totals = Match.objects.filter(run=run, status=Match.Status.SUGGESTED).aggregate(
        pairs=Count("id"),
        mentees=Count("mentee__participant", distinct=True),
        mentors=Count("mentor__participant", distinct=True),
    )
    return PublishAudience(
        offers=totals["pairs"], people=totals["mentees"] + totals["mentors"]
    )


# --- The coordinator's home ---------------------------------------------------------

# A published proposal nobody has fully answered for this long is flagged as stale
# (the home's "waiting more than 7 days", the match list's "remind" and "reassign").
PROPOSAL_STALE_AFTER = datetime.timedelta(days=7)


@dataclass(frozen=True)
class ProgramMatchCounts:
    """One program's pairs: ``active`` (meeting clock running), ``ready`` (both
    accepted, waiting for the program to start), ``waiting`` (proposed or accepted
    by one side) and ``stale`` (waiting more than ``PROPOSAL_STALE_AFTER``);
    ``has_run_in_review``: a finished run not yet published or discarded."""

    active: int = 0
    ready: int = 0
    waiting: int = 0
    stale: int = 0
    has_run_in_review: bool = False


def match_counts_by_program(
    *, program_ids: Sequence[int], now: datetime.datetime
) -> dict[int, ProgramMatchCounts]:
    """Pairs per program id for the home: 2 queries at any size (counts grouped
    by program; programs with a run in review)."""
    if not program_ids:
        return {}
    waiting = Q(status__in=(Match.Status.PROPOSED, Match.Status.ACCEPTED))
    active = Q(status=Match.Status.ACTIVE)
    rows = (
        Match.objects.filter(program_id__in=list(program_ids))
        .values("program_id")
        .annotate(
            active=Count("id", filter=active & Q(started_at__lte=now)),
            ready=Count("id", filter=active & Q(started_at__gt=now)),
            waiting=Count("id", filter=waiting),
            stale=Count(
                "id",
                filter=waiting & Q(proposed_at__lt=now - PROPOSAL_STALE_AFTER),
            ),
        )
        .order_by()
    )
    in_review = set(
        MatchRun.objects.filter(
            program_id__in=list(program_ids), status=MatchRun.Status.DONE
        ).values_list("program_id", flat=True)
    )
    counts = {
        row["program_id"]: ProgramMatchCounts(
            active=row["active"],
            ready=row["ready"],
            waiting=row["waiting"],
            stale=row["stale"],
            has_run_in_review=row["program_id"] in in_review,
        )
        for row in rows
    }
    for program_id in in_review - set(counts):
        counts[program_id] = ProgramMatchCounts(has_run_in_review=True)
    return counts


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
