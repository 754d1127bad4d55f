"""Survey access: the coordinator's getters and list, the participant's assignment
and previous answers, and the portal's pending surveys."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from mentorship.accounts.models import User
from programs.models import Program
from programs.selectors import program_get_for_coordinator
from reporting.models import Question, Response, Survey, SurveyAssignment


def survey_list_for_program(*, program: Program) -> QuerySet[Survey]:
    """The program's surveys with question, assignment and answer counts: 1 query."""
    return (
        Survey.objects.filter(program=program)
        .annotate(
            question_count=Count("questions", distinct=True),
            assigned_count=Count("assignments", distinct=True),
            answered_count=Count(
                "assignments",
                filter=Q(assignments__is_answered=True),
                distinct=True,
            ),
        )
        .order_by("created_at", "id")
    )


def survey_get_for_coordinator(
    *, user: User, program_id: int, survey_id: int
) -> Survey:
    """A survey of a program the viewer manages, with its questions; 404 otherwise."""
    program = program_get_for_coordinator(user=user, program_id=program_id)
    survey = (
        Survey.objects.filter(program=program, pk=survey_id)
        .select_related("program")
        .prefetch_related("questions")
        .annotate(
            has_responses=Exists(Response.objects.filter(survey=OuterRef("pk"))),
            assigned_count=Count("assignments", distinct=True),
        )
        .first()
    )
    if survey is None:
        raise Http404("No such survey.")
    return survey


def question_get(*, survey: Survey, question_id: int) -> Question:
    question = Question.objects.filter(survey=survey, pk=question_id).first()
    if question is None:
        raise Http404("No such question.")
    question.survey = survey
    return question


def assignment_get_for_participant(
    *, user: User, assignment_id: int
) -> SurveyAssignment:
    """The person's own assignment with its survey and questions; 404 for anyone else's."""
    assignment = (
        SurveyAssignment.objects.filter(pk=assignment_id, participant__user=user)
        .select_related("survey__program", "participant__user")
        .prefetch_related("survey__questions")
        .first()
    )
    if assignment is None:
        raise Http404("No such survey.")
    return assignment


def previous_answers(*, assignment: SurveyAssignment) -> dict[str, list[str]]:
    """An attributed response's answers as posted field values (for editing);
    empty for anonymous surveys, whose answers are never shown again."""
    if assignment.survey.is_anonymous:
        return {}
    response = Response.objects.filter(assignment=assignment).first()
    if response is None:
        return {}
    values: dict[str, list[str]] = defaultdict(list)
    for answer in response.answers.select_related("question"):
        question = answer.question
        if question.kind == Question.Kind.COMPETENCY_MATRIX:
            if answer.item in question.choices:
                row = question.choices.index(answer.item)
                values[f"q{question.pk}-{row}"].append(str(answer.number))
        elif answer.number is not None:
            values[f"q{question.pk}"].append(str(answer.number))
        else:
            values[f"q{question.pk}"].append(answer.text)
    return dict(values)


@dataclass(frozen=True)
class PendingSurvey:
    assignment: SurveyAssignment
    is_answered: bool
    days_left: int


def pending_surveys_for_user(
    *, user: User, today: datetime.date
) -> list[PendingSurvey]:
    """Open surveys the person may still answer or edit (due today or later),
    unanswered first, soonest due first: 1 query."""
    assignments = (
        SurveyAssignment.objects.filter(
            participant__user=user,
            survey__status=Survey.Status.OPEN,
            due_on__gte=today,
        )
        .exclude(survey__is_anonymous=True, is_answered=True)
        .select_related("survey__program")
        .order_by("due_on", "id")
    )
    items = [
        PendingSurvey(a, a.is_answered, (a.due_on - today).days) for a in assignments
    ]
    return sorted(items, key=lambda item: item.is_answered)
