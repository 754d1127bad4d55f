"""Everything the organization holds about one person, by kind, for their export.

Each kind is a list of plain dicts (every stored field of the row, foreign keys as
ids, plus a few readable labels). Rules, the same as the pages':

- private notes: their own only, never their partner's;
- pulses: their own (a pulse is for the coordinator, not the partner);
- survey responses: attributed ones only — anonymous responses have no link to
  anyone and are never included;
- what the pair shares (meetings, logs, goals, updates, feedback to each other,
  action items) is included for the pairs and circles they are in.
"""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.db import models
from django.db.models import Q

from checkins.models import (
    ActionItem,
    AsyncUpdate,
    Goal,
    GoalEvent,
    Meeting,
    MeetingFeedback,
    MeetingLog,
    Milestone,
    PrivateNote,
    Pulse,
)
from matching.models import Circle, Match
from mentorship.accounts.models import User
from mentorship.audit.models import ConsentRecord
from mentorship.notifications.models import Notification
from programs.models import ApplicationQuestion, Enrollment, Participant
from reporting.models import Answer, Response, StoryPerson, SurveyAssignment

#: Never exported, whatever the model: secrets and internals.
HIDDEN_FIELDS = frozenset({"password", "dedupe_key", "token_hash", "attachment"})

#: The kinds, in the order the export lists them, with their headings.
KINDS: dict[str, str] = {
    "profile": "Your account and profile",
    "consents": "What you agreed to",
    "enrollments": "Your programs and application answers",
    "matches": "Your matches and why you were matched",
    "circles": "Your circles",
    "meetings": "Meetings you took part in",
    "meeting_logs": "Meeting logs",
    "private_notes": "Your private notes",
    "action_items": "Action items",
    "feedback": "Feedback between you and your partners",
    "pulses": "Your relationship pulses",
    "goals": "Goals",
    "milestones": "Milestones",
    "goal_events": "Goal history and comments",
    "updates": "Written updates",
    "survey_assignments": "Surveys you were asked",
    "survey_responses": "Your survey answers (attributed surveys only)",
    "stories": "Success stories that name you",
    "notifications": "Notifications",
}


def row(obj: models.Model, **extra: Any) -> dict[str, Any]:
    """Every stored field of ``obj`` (foreign keys as ids), JSON-ready, plus ``extra``."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in HIDDEN_FIELDS:
            continue
        value = field.value_from_object(obj)
        data[field.attname if field.is_relation else field.name] = _plain(value)
    data.update({key: _plain(value) for key, value in extra.items()})
    return data


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, memoryview | bytes):
        return None
    if hasattr(value, "name") and hasattr(value, "url"):  # a FieldFile
        return value.name or ""
    return value


def person_data(*, user: User) -> dict[str, list[dict[str, Any]]]:
    """The person's records by kind (the keys of ``KINDS``)."""
    participant = Participant.objects.filter(user=user).first()
    enrollments = list(
        Enrollment.objects.filter(participant__user=user).select_related("program")
    )
    enrollment_ids = [e.pk for e in enrollments]
    matches = list(
        Match.objects.filter(
            Q(mentor_id__in=enrollment_ids) | Q(mentee_id__in=enrollment_ids)
        ).select_related(
            "program", "mentor__participant__user", "mentee__participant__user"
        )
    )
    match_ids = [m.pk for m in matches]
    circles = list(
        Circle.objects.filter(
            Q(members__in=enrollment_ids) | Q(facilitators__in=enrollment_ids)
        ).distinct()
    )
    meetings = list(
        Meeting.objects.filter(
            Q(match_id__in=match_ids) | Q(circle_id__in=[c.pk for c in circles])
        )
    )
    meeting_ids = [m.pk for m in meetings]
    goals = list(Goal.objects.filter(match_id__in=match_ids))
    questions = {
        str(q.pk): q.text
        for q in ApplicationQuestion.objects.filter(
            program_id__in={e.program_id for e in enrollments}
        )
    }
    responses = Response.objects.filter(
        is_anonymous=False, assignment__participant__user=user
    ).select_related("survey")
    answers: dict[int, list[dict[str, Any]]] = {}
    for answer in Answer.objects.filter(response__in=responses).select_related(
        "question"
    ):
        answers.setdefault(answer.response_id, []).append(
            row(answer, question_text=answer.question.text)
        )
    return {
        "profile": [row(user)] + ([row(participant)] if participant else []),
        "consents": [row(c) for c in ConsentRecord.objects.filter(user=user)],
        "enrollments": [
            row(
                e,
                program_name=e.program.name,
                answered_questions={
                    questions.get(k, k): v for k, v in e.answers.items()
                },
            )
            for e in enrollments
        ],
        "matches": [
            row(
                m,
                program_name=m.program.name,
                mentor=str(m.mentor.participant.user),
                mentee=str(m.mentee.participant.user),
            )
            for m in matches
        ],
        "circles": [row(c) for c in circles],
        "meetings": [row(m) for m in meetings],
        "meeting_logs": [
            row(x) for x in MeetingLog.objects.filter(meeting_id__in=meeting_ids)
        ],
        "private_notes": [row(x) for x in PrivateNote.objects.filter(author=user)],
        "action_items": [
            row(x) for x in ActionItem.objects.filter(meeting_id__in=meeting_ids)
        ],
        "feedback": [
            row(x)
            for x in MeetingFeedback.objects.filter(meeting__match_id__in=match_ids)
        ],
        "pulses": [row(x) for x in Pulse.objects.filter(author=user)],
        "goals": [row(g) for g in goals],
        "milestones": [row(x) for x in Milestone.objects.filter(goal__in=goals)],
        "goal_events": [row(x) for x in GoalEvent.objects.filter(goal__in=goals)],
        "updates": [row(x) for x in AsyncUpdate.objects.filter(match_id__in=match_ids)],
        "survey_assignments": [
            row(x, survey_title=x.survey.title)
            for x in SurveyAssignment.objects.filter(
                participant__user=user
            ).select_related("survey")
        ],
        "survey_responses": [
            row(r, survey_title=r.survey.title, answers=answers.get(r.pk, []))
            for r in responses
        ],
        "stories": [
            row(
                x,
                title=x.story.title,
                what_happened=x.story.what_happened,
                outcome=x.story.outcome,
            )
            for x in StoryPerson.objects.filter(participant__user=user).select_related(
                "story"
            )
        ],
        "notifications": [row(x) for x in Notification.objects.filter(recipient=user)],
    }
