"""The tables a coordinator can export for a program, as lazy ``exports.Table``s.

Each table reads through server-side cursors (``.iterator``) with its joins baked
in, so a table costs the same few queries whatever its size and its rows are
never all in memory. Times are in the viewer's zone, named in the header.

What never leaves: private notes, meeting notes and agendas (the pair's own),
and anything that names a person in an anonymous survey. An anonymous survey's
responses are exported without any person column, without the segment snapshot
(role, country, zone, seniority: small groups would name people), without dates,
in an order unrelated to when they came in, with written answers only when the
coordinator chose to show them, and not at all below 5 responses
(``reporting.metrics.MIN_GROUP_SIZE``).
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.db.models import CharField, Count, F, Min, Q, Value
from django.db.models.functions import MD5, Cast, Concat
from django.http import Http404

from checkins import display
from checkins.models import Goal, GoalEvent, Meeting
from matching.models import Match
from programs.answers import answer_text
from programs.models import Enrollment, Program
from programs.selectors import training_label, training_progress_annotate
from reporting import metrics
from reporting.exports import Cell, Table
from reporting.models import Answer, Question, Response, Survey
from reporting.selectors import impact

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django_stubs_ext import WithAnnotations

CHUNK = 2000


@dataclass(frozen=True)
class ExportChoice:
    """One table on the export list: its key, label, and why it is empty if it is."""

    key: str
    label: str
    survey_id: int | None = None
    note: str = ""


def _local(value: datetime.datetime | None, zone: str) -> datetime.datetime | None:
    # Whole seconds: spreadsheets show microseconds as noise.
    if not value:
        return None
    return display.local(value, zone).replace(tzinfo=None, microsecond=0)


def _name(user) -> str:
    return str(user) if user is not None else ""


# --- Pairs, meetings, goals ------------------------------------------------------------


def matches_table(*, program: Program, zone: str) -> Table:
    """One row per pair of the program (every status). 1 query."""
    rows = (
        Match.objects.filter(program=program)
        .select_related("mentor__participant__user", "mentee__participant__user")
        .order_by("id")
    )

    def generate() -> Iterator[Sequence[Cell]]:
        for match in rows.iterator(chunk_size=CHUNK):
            mentor, mentee = (
                match.mentor.participant.user,
                match.mentee.participant.user,
            )
            yield (
                match.pk,
                _name(mentor),
                mentor.email,
                _name(mentee),
                mentee.email,
                match.get_status_display(),
                round(match.score, 1),
                _local(match.started_at, zone),
                _local(match.ended_at, zone),
                match.end_reason,
            )

    return Table(
        name="pairs",
        header=(
            "pair id",
            "mentor",
            "mentor email",
            "mentee",
            "mentee email",
            "status",
            "match score (0-100)",
            f"started ({zone})",
            f"ended ({zone})",
            "end reason",
        ),
        rows=generate(),
    )


class _TrainingProgress(TypedDict):
    """The counts training_progress_annotate adds to each enrolment."""

    training_required: int
    training_done: int
    training_waived: bool


def enrollments_table(*, program: Program, zone: str) -> Table:
    """One row per enrolment: the person, role, status, dates, training, then one
    column per application question (its text as the header; several choices
    joined with "; "). 2 queries: the questions, then the rows."""
    questions = list(program.questions.all())
    rows = cast(
        "QuerySet[WithAnnotations[Enrollment, _TrainingProgress]]",
        training_progress_annotate(Enrollment.objects.filter(program=program))
        .select_related("participant__user")
        .order_by("id"),
    )

    def generate() -> Iterator[Sequence[Cell]]:
        for enrollment in rows.iterator(chunk_size=CHUNK):
            person = enrollment.participant
            answers = {
                str(question.pk): answer_text(
                    (enrollment.answers or {}).get(str(question.pk))
                )
                for question in questions
            }
            yield (
                enrollment.pk,
                _name(person.user),
                person.user.email,
                enrollment.get_role_display(),
                enrollment.get_status_display(),
                _local(enrollment.applied_at, zone),
                _local(enrollment.decided_at, zone),
                person.department,
                person.get_seniority_display(),
                training_label(
                    required=enrollment.training_required,
                    done=enrollment.training_done,
                    waived=enrollment.training_waived,
                ),
                *(answers[str(question.pk)] for question in questions),
            )

    return Table(
        name="enrolments",
        header=(
            "enrolment id",
            "name",
            "email",
            "role",
            "status",
            f"applied ({zone})",
            f"decided ({zone})",
            "department",
            "seniority",
            "training",
            *(question.text for question in questions),
        ),
        rows=generate(),
    )


def meetings_table(*, program: Program, zone: str) -> Table:
    """One row per meeting of the program's pairs and circles, without agenda or
    notes. 1 query."""
    rows = (
        Meeting.objects.filter(Q(match__program=program) | Q(circle__program=program))
        .select_related(
            "match__mentor__participant__user",
            "match__mentee__participant__user",
            "circle",
        )
        .order_by("starts_at", "id")
    )

    def generate() -> Iterator[Sequence[Cell]]:
        for meeting in rows.iterator(chunk_size=CHUNK):
            match = meeting.match
            yield (
                meeting.pk,
                meeting.match_id,
                _name(match.mentor.participant.user) if match else "",
                _name(match.mentee.participant.user) if match else "",
                meeting.circle.name if meeting.circle is not None else "",
                _local(meeting.starts_at, zone),
                meeting.duration_minutes,
                meeting.get_status_display(),
            )

    return Table(
        name="meetings",
        header=(
            "meeting id",
            "pair id",
            "mentor",
            "mentee",
            "circle",
            f"starts ({zone})",
            "minutes",
            "status",
        ),
        rows=generate(),
    )


def goals_table(*, program: Program, zone: str) -> Table:
    """One row per goal of the program's pairs, with milestone counts and the day
    it first reached 100 %. 1 query."""
    rows = (
        Goal.objects.filter(match__program=program)
        .select_related(
            "objective",
            "match__mentor__participant__user",
            "match__mentee__participant__user",
        )
        .annotate(
            milestones_total=Count("milestones", distinct=True),
            milestones_done=Count(
                "milestones", filter=Q(milestones__is_done=True), distinct=True
            ),
            reached_at=Min(
                "events__created_at",
                filter=Q(events__kind=GoalEvent.Kind.PROGRESS, events__progress=100),
            ),
        )
        .order_by("match_id", "created_at", "id")
    )

    def generate() -> Iterator[Sequence[Cell]]:
        for goal in rows.iterator(chunk_size=CHUNK):
            match = goal.match
            yield (
                goal.pk,
                goal.match_id,
                _name(match.mentor.participant.user),
                _name(match.mentee.participant.user),
                goal.title,
                goal.objective.text if goal.objective else "",
                goal.progress,
                goal.milestones_done,
                goal.milestones_total,
                _local(goal.reached_at, zone) if goal.progress == 100 else None,
            )

    return Table(
        name="goals",
        header=(
            "goal id",
            "pair id",
            "mentor",
            "mentee",
            "goal",
            "objective",
            "progress %",
            "milestones done",
            "milestones",
            f"reached ({zone})",
        ),
        rows=generate(),
    )


# --- Survey responses ------------------------------------------------------------------


def _columns(questions: Sequence[Question], *, with_text: bool) -> list[tuple]:
    """(question id, item or None, header) per column, in question order."""
    columns: list[tuple[int, str | None, str]] = []
    for question in questions:
        if question.is_text and not with_text:
            continue
        label = question.key or f"q{question.order + 1}"
        if question.kind == Question.Kind.COMPETENCY_MATRIX:
            columns += [
                (question.pk, item, f"{label}: {item}") for item in question.choices
            ]
        else:
            columns.append((question.pk, None, f"{label}: {question.text}"))
    return columns


def _answer_value(answers: Sequence[tuple]) -> Cell:
    """One cell from (response, question, item, number, text) rows."""
    if len(answers) == 1 and answers[0][3] is not None:
        return answers[0][3]
    return "; ".join(answer[4] for answer in answers if answer[4])


def responses_table(*, survey: Survey) -> Table:
    """One row per response to ``survey``, one column per question (a competency
    matrix: one per focus area; several choices: joined with "; "). 3 queries:
    questions, responses and answers (the last two streamed side by side in the
    same order). Anonymous surveys follow the rules in this module's docstring."""
    anonymous = survey.is_anonymous
    questions = list(survey.questions.order_by("order", "id"))
    columns = _columns(questions, with_text=not anonymous or survey.show_free_text)
    matrices = {
        question.pk
        for question in questions
        if question.kind == Question.Kind.COMPETENCY_MATRIX
    }
    person_header = () if anonymous else ("person", "email", "role", "answered on")
    header = (*person_header, *(column[2] for column in columns))
    name = f"responses-{survey.pk}"
    # Annotated in one branch only: typed as the plain model's querysets.
    responses: QuerySet[Response] = Response.objects.filter(survey=survey)
    answers: QuerySet[Answer] = Answer.objects.filter(response__survey=survey)
    response_rows: QuerySet[Response, tuple[Any, ...]]
    if anonymous:
        if responses.count() < metrics.MIN_GROUP_SIZE:
            return Table(name=name, header=header, rows=())
        # Not by id or date: that order would follow the submissions.
        # A fresh salt per export: the order can't be recomputed from the ids.
        salt = Value(secrets.token_hex(16))
        responses = responses.annotate(
            shuffle=MD5(Concat(Cast("id", CharField()), salt))
        ).order_by("shuffle", "id")
        answers = answers.annotate(
            shuffle=MD5(Concat(Cast("response_id", CharField()), salt))
        ).order_by("shuffle", "response_id", "question_id", "item")
        response_rows = responses.values_list("id")
    else:
        person = "assignment__participant__user__"
        responses = responses.order_by(f"{person}full_name", "id")
        # Same order as the responses: join to the person's name too.
        answers = answers.annotate(person=F(f"response__{person}full_name")).order_by(
            "person", "response_id", "question_id", "item"
        )
        response_rows = responses.values_list(
            "id", f"{person}full_name", f"{person}email", "role", "updated_on"
        )
    roles = dict(
        cast("Sequence[tuple[str, str]]", Response._meta.get_field("role").choices)
    )
    # Plain tuples, not model instances: 10,000 responses read ~5× faster.
    answer_rows = answers.values_list(
        "response_id", "question_id", "item", "number", "text"
    )

    def generate() -> Iterator[Sequence[Cell]]:
        grouped = groupby(answer_rows.iterator(chunk_size=CHUNK), key=itemgetter(0))
        pending = next(grouped, None)
        for row in response_rows.iterator(chunk_size=CHUNK):
            by_cell: dict[tuple, list[tuple]] = {}
            if pending is not None and pending[0] == row[0]:
                for answer in pending[1]:
                    item = answer[2] if answer[1] in matrices else None
                    by_cell.setdefault((answer[1], item), []).append(answer)
                pending = next(grouped, None)
            cells = [
                _answer_value(by_cell.get((column[0], column[1]), ()))
                for column in columns
            ]
            if anonymous:
                yield cells
            else:
                _, full_name, email, role, updated_on = row
                yield (
                    full_name or email,
                    email,
                    roles.get(role, role),
                    updated_on,
                    *cells,
                )

    return Table(name=name, header=header, rows=generate())


# --- Metrics and breakdowns (reporting.selectors.impact) --------------------------------


def _figure_row(figure: impact.Figure) -> tuple[Cell, ...]:
    # Shares as percentages (0-100) so the sheet reads like the page.
    value = None if figure.suppressed else figure.value
    unit = figure.unit
    if value is not None and unit == "%":
        value = round(value * 100, 1)
    elif value is not None:
        value = round(value, 2)
    return (value, unit, figure.n, figure.display, figure.note)


def metrics_table(*, program: Program, zone: str, now: datetime.datetime) -> Table:
    """Every figure of the program's impact, in page order (a hidden small group
    has no value and says "fewer than 5"). The impact metrics' fixed queries."""
    computed = impact.program_impact(program=program, now=now, zone=zone)
    rows = [
        (figure.section, figure.key, figure.label, *_figure_row(figure))
        for figure in computed.figures()
    ]
    return Table(
        name="metrics",
        header=("section", "key", "metric", "value", "unit", "n", "shown as", "note"),
        rows=rows,
    )


def breakdown_table(
    *, program: Program, zone: str, now: datetime.datetime, dimension: str
) -> Table:
    """The headline figures per group of ``dimension`` (a key of
    ``impact.BREAKDOWNS``), one row per group × figure; hidden groups say so."""
    if dimension not in impact.BREAKDOWNS:
        raise Http404("No such breakdown.")
    computed = impact.program_impact(
        program=program, now=now, zone=zone, breakdown=dimension
    )
    breakdown = computed.breakdown
    columns = breakdown.columns if breakdown else []
    rows = []
    for group in breakdown.groups if breakdown else []:
        for key, label in columns:
            figure = group.figures.get(key)
            if figure is None:
                continue
            rows.append((group.label, group.size, key, label, *_figure_row(figure)))
    return Table(
        name=f"breakdown-{dimension}",
        header=(
            impact.BREAKDOWNS[dimension].lower(),
            "people",
            "key",
            "metric",
            "value",
            "unit",
            "n",
            "shown as",
            "note",
        ),
        rows=rows,
    )


# --- The list ---------------------------------------------------------------------------

TABLES = {
    "enrollments": ("Enrolments with answers", enrollments_table),
    "pairs": ("Pairs", matches_table),
    "meetings": ("Meetings", meetings_table),
    "goals": ("Goals and milestones", goals_table),
}


def export_choices(*, program: Program) -> list[ExportChoice]:
    """Every table the program can export, surveys included. 1 query."""
    choices = [ExportChoice(key="metrics", label="Metrics")]
    choices += [
        ExportChoice(key="breakdown", label=f"Metrics by {label.lower()}", note=key)
        for key, label in impact.BREAKDOWNS.items()
    ]
    choices += [
        ExportChoice(key=key, label=label) for key, (label, _) in TABLES.items()
    ]
    surveys = Survey.objects.filter(program=program).annotate(
        response_count=Count("responses")
    )
    for survey in surveys.order_by("created_at", "id"):
        note = ""
        if survey.is_anonymous and survey.response_count < metrics.MIN_GROUP_SIZE:
            note = "Anonymous, fewer than 5 responses: nothing to export yet."
        elif survey.is_anonymous:
            note = "Anonymous: no names, no dates" + (
                "." if survey.show_free_text else ", no written answers."
            )
        choices.append(
            ExportChoice(
                key="responses",
                label=f"Responses: {survey.title} ({survey.response_count})",
                survey_id=survey.pk,
                note=note,
            )
        )
    return choices


def export_table(
    *,
    program: Program,
    key: str,
    zone: str,
    now: datetime.datetime,
    survey_id: int | None = None,
    breakdown: str = "",
) -> Table:
    """The table ``key`` of ``program``; 404 for an unknown key, breakdown or another
    program's survey."""
    if key == "metrics":
        return metrics_table(program=program, zone=zone, now=now)
    if key == "breakdown":
        return breakdown_table(program=program, zone=zone, now=now, dimension=breakdown)
    if key == "responses":
        survey = Survey.objects.filter(program=program, pk=survey_id or 0).first()
        if survey is None:
            raise Http404("No such survey.")
        return responses_table(survey=survey)
    if key not in TABLES:
        raise Http404("No such table.")
    return TABLES[key][1](program=program, zone=zone)
