"""Answering a survey: every answer is checked before anything is written.

Field names posted by the answer page (and the preview): ``q<question id>`` for one
value (scale, NPS, one choice, text), repeated for several choices, and
``q<question id>-<row index>`` for each row of a competency matrix.

Attributed surveys keep one response per assignment, replaced on each edit until
the due date. Anonymous surveys: the response row gets no assignment, no person
and only the day; the assignment only records the day it was answered, and a
second submission is refused (nothing could tell which response to replace).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from members.selectors import member_organizations_of
from mentorship.accounts.models import User
from reporting.models import Answer, Question, Response, Survey, SurveyAssignment
from reporting.services import stories

MAX_SHORT_TEXT = 300
MAX_LONG_TEXT = 4000


@dataclass(frozen=True)
class Value:
    """One answer row to write."""

    question: Question
    item: str = ""
    number: int | None = None
    text: str = ""


def field_name(question: Question, row: int | None = None) -> str:
    return f"q{question.pk}" if row is None else f"q{question.pk}-{row}"


def _number(raw: str, low: int, high: int) -> int:
    try:
        value = int(raw.strip())
    except (ValueError, AttributeError):
        raise ValidationError(f"Choose a number from {low} to {high}.") from None
    if not low <= value <= high:
        raise ValidationError(f"Choose a number from {low} to {high}.")
    return value


def _one(data: Mapping[str, Sequence[str]], name: str) -> str:
    values = data.get(name) or []
    if len(values) > 1:
        raise ValidationError("Give one answer.")
    return (values[0] if values else "").strip()


def _parse(question: Question, data: Mapping[str, Sequence[str]]) -> list[Value]:
    """The rows for one question, or ValidationError with a message for the person."""
    low, high = question.scale
    if question.kind == Question.Kind.COMPETENCY_MATRIX:
        values, missing = [], False
        for row, item in enumerate(question.choices):
            raw = _one(data, field_name(question, row))
            if not raw:
                missing = True
                continue
            values.append(Value(question, item=item, number=_number(raw, low, high)))
        if question.required and missing:
            raise ValidationError("Rate every focus area.")
        return values
    if question.kind == Question.Kind.MULTI_CHOICE:
        chosen = [v.strip() for v in data.get(field_name(question)) or [] if v.strip()]
        if any(v not in question.choices for v in chosen):
            raise ValidationError("Choose from the options listed.")
        if question.required and not chosen:
            raise ValidationError("Choose at least one option.")
        return [Value(question, item=v, text=v) for v in dict.fromkeys(chosen)]
    raw = _one(data, field_name(question))
    if not raw:
        if question.required:
            raise ValidationError("This question needs an answer.")
        return []
    if "\x00" in raw:
        raise ValidationError("This answer contains a character we can't store.")
    if question.is_numeric:
        return [Value(question, number=_number(raw, low, high))]
    if question.kind == Question.Kind.SINGLE_CHOICE:
        if raw not in question.choices:
            raise ValidationError("Choose one of the options listed.")
        return [Value(question, text=raw)]
    limit = (
        MAX_SHORT_TEXT if question.kind == Question.Kind.SHORT_TEXT else MAX_LONG_TEXT
    )
    if len(raw) > limit:
        raise ValidationError(f"Keep it under {limit} characters (this is {len(raw)}).")
    return [Value(question, text=raw)]


def answers_clean(
    *, questions: Sequence[Question], data: Mapping[str, Sequence[str]]
) -> list[Value]:
    """Every question's answer checked; ValidationError keyed by field name otherwise.

    ``data`` maps a field name to its posted values (a QueryDict's ``lists()``).
    """
    values: list[Value] = []
    errors: dict[str, list[str]] = {}
    for question in questions:
        try:
            values += _parse(question, data)
        except ValidationError as error:
            errors[field_name(question)] = error.messages
    if errors:
        raise ValidationError(errors)
    return values


def assignment_is_editable(
    assignment: SurveyAssignment, *, today: datetime.date
) -> bool:
    """Can the person (still) submit? Open survey, not past due, and an anonymous
    survey only once."""
    survey = assignment.survey
    if survey.status != Survey.Status.OPEN or today > assignment.due_on:
        return False
    return not (survey.is_anonymous and assignment.is_answered)


def _segment(assignment: SurveyAssignment) -> dict[str, object]:
    participant = assignment.participant
    team = member_organizations_of(user=participant.user).first()
    return {
        "role": assignment.role,
        "country": participant.country,
        "time_zone": participant.user.time_zone,
        "seniority": participant.seniority,
        "member_organization": team,
        "member_organization_country": team.country if team else "",
    }


@transaction.atomic
def response_submit(
    *,
    assignment: SurveyAssignment,
    by: User,
    data: Mapping[str, Sequence[str]],
    today: datetime.date,
) -> Response | None:
    """Save the person's answers, all or nothing; returns the attributed response
    (None for an anonymous one, whose row the caller never gets to see).

    ``today`` is the person's local date. Raises PermissionDenied for someone
    else's assignment and ValidationError (by field) for bad or missing answers,
    a closed or past-due survey, or an anonymous survey answered already.
    """
    if assignment.participant.user_id != by.pk:
        raise PermissionDenied("This survey was sent to someone else.")
    assignment = (
        SurveyAssignment.objects.select_for_update()
        .select_related("survey", "participant__user")
        .get(pk=assignment.pk)
    )
    survey = assignment.survey
    if not assignment_is_editable(assignment, today=today):
        if survey.is_anonymous and assignment.is_answered:
            raise ValidationError("You have answered this survey already. Thank you!")
        raise ValidationError(
            f"This survey closed on {assignment.due_on:%-d %B %Y}."
            if today > assignment.due_on
            else "This survey is closed."
        )
    values = answers_clean(questions=list(survey.questions.all()), data=data)
    if survey.is_anonymous:
        response = Response.objects.create(
            survey=survey,
            is_anonymous=True,
            submitted_on=today,
            updated_on=today,
            **_segment(assignment),
        )
    else:
        response, created = Response.objects.get_or_create(
            assignment=assignment,
            defaults={
                "survey": survey,
                "is_anonymous": False,
                "submitted_on": today,
                "updated_on": today,
                **_segment(assignment),
            },
        )
        if not created:
            response.answers.all().delete()
            response.updated_on = today
            response.save(update_fields=["updated_on"])
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question=value.question,
            item=value.item,
            number=value.number,
            text=value.text,
        )
        for value in values
    )
    assignment.is_answered = True
    # Anonymous: no date on the assignment, so no day ties the person to the row.
    assignment.answered_on = None if survey.is_anonymous else today
    assignment.save(update_fields=["is_answered", "answered_on"])
    # A story answer becomes a draft success story (asked for consent before use).
    stories.story_draft_from_response(response=response)
    return None if survey.is_anonymous else response
