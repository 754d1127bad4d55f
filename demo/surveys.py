"""What Meridian's reports show: its surveys (a baseline at the start, an anonymous
check-in last week, the closing survey ready) and its success stories.

The answers are data in demo/data/surveys.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from checkins.selectors import Pair
from demo.clock import clock
from demo.data.stories import MINH
from demo.data.surveys import (
    BASELINE_ANSWERS,
    BASELINE_SENT_DAYS_AGO,
    MIDPOINT_ANSWERS,
    MIDPOINT_SENT_DAYS_AGO,
)
from mentorship.accounts.models import User
from mentorship.notifications.models import Notification
from mentorship.notifications.services import notifications_record_sent
from programs.models import Program
from reporting.models import SuccessStory, SurveyAssignment
from reporting.services import assignments as survey_assignments
from reporting.services import responses as survey_responses
from reporting.services import stories
from reporting.services import surveys as survey_builder


def meridian_success_stories(
    program: Program, coordinator: User, pairs: list[Pair], *, now: datetime
) -> list[str]:
    """One story agreed by both people and approved (it shows in the reports), one
    draft waiting for the coordinator to ask the pair."""
    by_mentee = {pair.mentee.user.email: pair for pair in pairs}
    made = []
    arjun = by_mentee.get("arjun.reddy@meridian.example")
    if arjun is not None:
        with clock(now - timedelta(days=4)):
            story = stories.story_create(
                program=program,
                by=coordinator,
                fields=stories.StoryFields(
                    title="The QA guild runs itself now",
                    what_happened=f"{arjun.mentee.user.greeting_name} took over the "
                    f"weekly QA guild with {arjun.mentor.user.greeting_name}'s coaching "
                    "and moved release testing to a shared checklist.",
                    outcome="Regressions found after a release",
                    outcome_before=Decimal(9),
                    outcome_after=Decimal(3),
                    outcome_unit="per release",
                ),
                match=arjun.match,
            )
        story_agreed_and_approved(story, coordinator, now=now, days_ago=3)
        made.append(f"story {story.title}: approved")
    priya = by_mentee.get("priya.sharma@meridian.example")
    if priya is not None:
        with clock(now - timedelta(days=1)):
            draft = stories.story_create(
                program=program,
                by=coordinator,
                fields=stories.StoryFields(
                    title="An event bus design owned end to end",
                    what_happened=f"{priya.mentee.user.greeting_name} wrote and defended "
                    "the design of the event bus migration.",
                ),
                match=priya.match,
            )
        made.append(f"story {draft.title}: draft")
    return made


def story_agreed_and_approved(
    story: SuccessStory, coordinator: User, *, now: datetime, days_ago: int
) -> SuccessStory:
    """Everyone the story names (by default its pair's two people; an engagement's
    mentor and lead) agrees to ``story`` ``days_ago`` days ago and the coordinator
    approves it the day after: it shows in the reports."""
    named = [
        p.participant.user for p in story.people.select_related("participant__user")
    ]
    with clock(now - timedelta(days=days_ago)):
        for user in named:
            stories.story_consent_set(story=story, by=user, agree=True)
    with clock(now - timedelta(days=days_ago - 1)):
        return stories.story_approve(story=story, by=coordinator)


def _survey_data(survey, values: Mapping[str, Any]) -> dict[str, list[str]]:
    """Posted field values (reporting.services.responses) from {question key: value}."""
    data: dict[str, list[str]] = {}
    for question in survey.questions.all():
        value = values.get(question.key)
        if value is None:
            continue
        if question.kind == "competency_matrix":
            for row, number in enumerate(value):
                data[f"q{question.pk}-{row}"] = [str(number)]
        elif isinstance(value, list):
            data[f"q{question.pk}"] = value
        else:
            data[f"q{question.pk}"] = [str(value)]
    return data


def meridian_surveys(
    program: Program, coordinator: User, pairs: list[Pair], *, now: datetime
) -> list[str]:
    """The baseline, sent when the program started and answered by most mentees; the
    anonymous mid-point check, answered by 7 people; the closing survey, ready."""

    def days_ago(days: int) -> datetime:
        return now - timedelta(days=days)

    made = []
    for key, sent_days_ago, answers in (
        ("baseline", BASELINE_SENT_DAYS_AGO, BASELINE_ANSWERS),
        ("midpoint", MIDPOINT_SENT_DAYS_AGO, MIDPOINT_ANSWERS),
    ):
        with clock(days_ago(sent_days_ago)):
            [survey] = survey_builder.survey_copy_template(
                program=program, by=coordinator, template_key=key
            )
            if key == "midpoint":
                survey = survey_builder.survey_update(
                    survey=survey, by=coordinator, fields={"show_free_text": True}
                )
            send = survey_assignments.survey_send_create(
                survey=survey, by=coordinator, filters={}
            )
            survey_assignments.survey_send_deliver(send=send, now=timezone.now())
        people = [pair.mentee.user for pair in pairs]
        if key == "midpoint":
            # Minh hasn't answered yet: the demo mentee's portal shows it waiting.
            people = [
                user
                for pair in pairs
                for user in (pair.mentee.user, pair.mentor.user)
                if user.email != MINH
            ]
        asked = {
            a.participant.user_id: a
            for a in SurveyAssignment.objects.filter(survey=survey).select_related(
                "survey", "participant__user"
            )
        }
        for index, (user, answer) in enumerate(zip(people, answers, strict=False)):
            if key == "baseline":
                ratings, confidence, wants = answer
                values = {
                    "competencies": ratings,
                    "confidence": confidence,
                    "wants": wants,
                }
            else:
                relationship, progress, obstacles, improve = answer
                values = {
                    "relationship": relationship,
                    "progress": progress,
                    "obstacles": obstacles,
                    "improve": improve,
                }
            answered_at = days_ago(sent_days_ago - 1 - index % 4)
            with clock(answered_at):
                survey_responses.response_submit(
                    assignment=asked[user.pk],
                    by=user,
                    data=_survey_data(survey, values),
                    today=answered_at.astimezone(ZoneInfo(user.time_zone)).date(),
                )
        made.append(f"survey {survey.title}: {len(asked)} asked")
    with clock(days_ago(1)):
        [closing] = survey_builder.survey_copy_template(
            program=program, by=coordinator, template_key="closing"
        )
        closing = survey_builder.survey_set_status(
            survey=closing, by=coordinator, status="open"
        )
    made.append(f"survey {closing.title}: sent when the program closes")
    # Their announcements belong to the past, like the story's emails.
    notifications_record_sent(
        due_by=now, statuses=[Notification.Status.SCHEDULED], kind_prefix="survey-"
    )
    return made
