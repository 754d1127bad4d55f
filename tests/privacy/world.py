"""A person with every kind of record the organization can hold about them: the
`mentee` persona paired with `mentor` in one program, with meetings, logs, private
notes (both), pulses, goals, updates, feedback, attributed and anonymous survey
answers, a success story naming them, notifications, consents, an import and
audit entries that mention them. Used by the export and erasure tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from checkins.models import Meeting
from checkins.services import goals as goal_services
from checkins.services import logs as log_services
from matching.models import Circle, Match
from mentorship.accounts import services as account_services
from mentorship.accounts.models import User
from mentorship.audit.services import consent_record
from programs.models import ApplicationQuestion, ImportBatch, Program, ProgramObjective
from reporting.models import StoryPerson, SuccessStory
from tests.checkins.conftest import make_pair
from tests.reporting.factories import respond, survey

MENTEE_PRIVATE = "MENTEE-PRIVATE-NOTE: nervous about the review"
MENTOR_PRIVATE = "MENTOR-PRIVATE-NOTE: remember to ask about {name}'s manager"


@dataclass
class History:
    program: Program
    match: Match
    meeting: Meeting
    mentee: User
    mentor: User


def full_history(
    *, coordinator: User, mentor: User, mentee: User, hr_admin: User
) -> History:
    # given: a program with an agreement, a question, an objective
    program = Program.objects.create(
        name="Growth mentoring",
        status=Program.Status.ACTIVE,
        confidentiality_agreement="What is said here stays here.",
        meeting_cadence_days=14,
        focus_areas=["Negotiation"],
    )
    program.coordinators.add(coordinator)
    ProgramObjective.objects.create(program=program, text="Grow confident leaders")
    question = ApplicationQuestion.objects.create(program=program, text="Why join?")
    pair = make_pair(program=program, mentor=mentor, mentee=mentee, started_days_ago=40)
    match = pair.match
    match.explanation = {"skills": 40.0, "overlap": 20.0}
    match.score = 60.0
    match.save()
    mentee_enrollment = match.mentee
    mentee_enrollment.answers = {str(question.pk): f"To learn, says {mentee.full_name}"}
    mentee_enrollment.save()
    circle = Circle.objects.create(program=program, name="Peer circle")
    circle.members.add(mentee_enrollment)
    consent_record(
        user=mentee,
        kind="program_agreement",
        subject=f"program:{program.pk}",
        text=program.confidentiality_agreement,
    )
    # a held meeting, logged by both, with both private notes
    meeting = Meeting.objects.create(
        match=match,
        starts_at=timezone.now() - datetime.timedelta(days=3),
        duration_minutes=45,
        agenda=f"Agenda for {mentee.full_name}",
        status=Meeting.Status.CONFIRMED,
        proposed_by=mentor,
        proposed_at=timezone.now() - datetime.timedelta(days=5),
    )
    log_services.meeting_log_save(
        meeting=meeting,
        owner=pair,
        by=mentee,
        entry=log_services.LogEntry(
            happened=True,
            duration_minutes=45,
            topics="Negotiation",
            shared_notes=f"Notes by {mentee.full_name}",
            action_items="- Draft the proposal",
            private_note=MENTEE_PRIVATE,
        ),
    )
    log_services.meeting_log_save(
        meeting=meeting,
        owner=pair,
        by=mentor,
        entry=log_services.LogEntry(
            happened=True,
            duration_minutes=45,
            shared_notes=f"Met {mentee.full_name} ({mentee.email})",
            private_note=MENTOR_PRIVATE.format(name=mentee.full_name),
        ),
    )
    meeting.refresh_from_db()
    log_services.pulse_submit(
        meeting=meeting,
        pair=pair,
        by=mentee,
        usefulness=4,
        for_coordinator="Going well",
    )
    log_services.pulse_submit(
        meeting=meeting, pair=pair, by=mentor, usefulness=5, for_coordinator=""
    )
    log_services.meeting_feedback_save(
        meeting=meeting,
        pair=pair,
        by=mentor,
        entry=log_services.FeedbackEntry(worked=f"{mentee.full_name} came prepared"),
    )
    goal = goal_services.goal_create(pair=pair, by=mentee, title="Lead a negotiation")
    goal_services.goal_progress_set(pair=pair, goal=goal, by=mentee, progress=50)
    goal_services.milestone_add(pair=pair, goal=goal, by=mentee, title="First draft")
    goal_services.goal_comment(
        pair=pair, goal=goal, by=mentor, text=f"Well done {mentee.full_name}"
    )
    goal_services.async_update_post(pair=pair, by=mentee, body="Sent the draft")
    goal_services.async_update_post(
        pair=pair, by=mentor, body=f"Thanks {mentee.full_name}"
    )
    # surveys: an attributed answer (theirs) and an anonymous one
    attributed = survey(
        program,
        questions=[
            {"kind": "likert", "key": "confidence", "text": "Confident?"},
            {
                "kind": "long_text",
                "key": "story",
                "text": "A story?",
                "required": False,
            },
        ],
    )
    respond(
        attributed,
        mentee_enrollment,
        {"confidence": 4, "story": f"I am {mentee.full_name}"},
    )
    anonymous = survey(
        program,
        title="Anonymous pulse",
        is_anonymous=True,
        questions=[{"kind": "short_text", "key": "free", "text": "Anything?"}],
    )
    respond(anonymous, match.mentor, {"free": "ANONYMOUS-ANSWER"})
    # a story that names them
    story = SuccessStory.objects.create(
        program=program,
        match=match,
        title=f"How {mentee.full_name} closed the deal",
        what_happened=f"{mentee.full_name} ({mentee.email}) negotiated.",
        created_on=timezone.now().date(),
    )
    StoryPerson.objects.create(
        story=story,
        participant=mentee_enrollment.participant,
        consent=StoryPerson.Consent.GIVEN,
        consent_version=1,
        consent_at=timezone.now(),
    )
    # an import that listed them, admin history and audit entries that name them
    ImportBatch.objects.create(
        program=program,
        uploaded_by=coordinator,
        filename="people.csv",
        status=ImportBatch.Status.COMMITTED,
        rows=[{"email": mentee.email, "full_name": mentee.full_name}],
        content=f"email,full_name\n{mentee.email},{mentee.full_name}\n".encode(),
    )
    account_services.user_password_reset_link_send(users=[mentee], by=hr_admin)
    mentee.role = User.Role.COORDINATOR
    mentee.save()
    mentee.role = User.Role.MEMBER
    mentee.save()
    return History(
        program=program, match=match, meeting=meeting, mentee=mentee, mentor=mentor
    )
