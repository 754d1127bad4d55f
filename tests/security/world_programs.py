"""The world's programs and pairs: every object one program holds (objective,
questions, training, a run, an import, an anonymous survey, a shared report) and
every object one pair produces (meetings, notes, goals, updates, a story…), each text
a sentinel for the roles that may read it."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.utils import timezone

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
from matching.models import (
    Circle,
    Match,
    MatchingCriteria,
    MatchRun,
    MatchSuggestion,
    MentorPreference,
)
from mentorship.accounts.models import User
from mentorship.notifications.models import Notification
from programs.models import (
    ApplicationQuestion,
    ImportBatch,
    Program,
    ProgramObjective,
    Resource,
    TrainingCompletion,
    TrainingModule,
)
from reporting.models import Survey
from reporting.services.sharing import shared_report_create
from reporting.services.stories import StoryFields, story_create
from tests.matching.factories import enroll
from tests.notifications.factories import make_notification
from tests.programs.factories import ProgramFactory
from tests.reporting.factories import assign, respond
from tests.reporting.factories import survey as survey_with
from tests.security.url_roles import HR
from tests.security.world_types import Ids, Secrets

_serial = itertools.count()


def _program(secret: Secrets, tag: str, who, coordinator: User, **fields) -> Program:
    program = ProgramFactory(
        name=f"Program {secret(tag + '.name', who)}",
        description=secret(tag + ".description", who),
        confidentiality_agreement=secret(tag + ".agreement", who),
        communication_norms=secret(tag + ".norms", who),
        sponsor_name=secret(tag + ".sponsor", who),
        sponsor_message=secret(tag + ".sponsormsg", who),
        focus_areas=[secret(tag + ".focus", who)],
        coordinators=[coordinator],
        **fields,
    )
    return program


@dataclass
class _Program:
    program: Program
    people: frozenset[str]  # roles enrolled in it
    staff: frozenset[str]
    run: MatchRun
    module: TrainingModule
    question: ApplicationQuestion
    survey: Survey


def _seed_program(
    secret: Secrets, tag: str, coordinator: User, people, staff, files: list[str]
) -> tuple[_Program, Ids]:
    who = frozenset(people) | frozenset(staff)
    program = _program(
        secret,
        tag,
        who,
        coordinator,
        status=Program.Status.ACTIVE,
        kind=Program.Kind.ONE_TO_ONE,
    )
    ProgramObjective.objects.create(
        program=program,
        text=secret(tag + ".objective", who),
        measure=secret(tag + ".measure", who),
    )
    question = ApplicationQuestion.objects.create(
        program=program, text=secret(tag + ".question", who)
    )
    module = TrainingModule.objects.create(
        program=program,
        title=secret(tag + ".module", who),
        content=secret(tag + ".modulebody", who),
        url="https://learning.example/x",
    )
    resource = Resource(
        program=program,
        title=secret(tag + ".resource", who),
        description=secret(tag + ".resourcedesc", who),
    )
    resource.document.save(
        f"sweep-{secret.slug}-{tag}-{next(_serial)}.txt",
        ContentFile(secret(tag + ".document", who).encode()),
        save=False,
    )
    resource.save()
    files.append(resource.document.name)
    MatchingCriteria.objects.create(program=program)
    run = MatchRun.objects.create(
        program=program,
        mode=MatchRun.Mode.MENTEE_CHOICE,
        status=MatchRun.Status.PUBLISHED,
        error=secret(tag + ".runerror", staff),
        settings={"note": secret(tag + ".runsettings", staff)},
    )
    batch = ImportBatch.objects.create(
        program=program,
        uploaded_by=coordinator,
        filename=secret(tag + ".importfile", staff) + ".csv",
        # A file with a bad row: shown in the preview, never importable.
        errors=[{"line": 2, "reason": secret(tag + ".rowerror", staff)}],
        error_count=1,
        row_count=1,
    )
    # An anonymous survey: its one answer is never shown to anyone (under 5 people).
    survey = survey_with(
        program,
        title=secret(tag + ".survey", who),
        intro=secret(tag + ".surveyintro", who),
        is_anonymous=True,
        questions=[
            {
                "key": "story",
                "kind": "long_text",
                "text": secret(tag + ".surveyq", who),
                "required": False,
            }
        ],
    )
    share = shared_report_create(
        program=program, by=coordinator, label=secret(tag + ".sharelabel", staff)
    ).share
    ids = Ids(
        program=program.pk,
        batch=batch.pk,
        module=module.pk,
        resource=resource.pk,
        run=run.pk,
        survey=survey.pk,
        question=survey.questions.get().pk,
        share=share.pk,
    )
    ids.admin.update(
        {
            ("reporting", "survey"): survey.pk,
            ("reporting", "question"): ids.question,
        }
    )
    setting = _Program(
        program, frozenset(people), frozenset(staff), run, module, question, survey
    )
    return setting, ids


def _seed_pair(
    secret: Secrets,
    tag: str,
    setting: _Program,
    mentor: User,
    mentee: User,
    mentor_role: str | None,
    mentee_role: str | None,
    ids: Ids,
) -> Ids:
    """A pair with a meeting, logs, private notes, pulse, goal, update, suggestion,
    circle and notification; the ids of its objects are filled into ``ids``."""
    program, staff = setting.program, setting.staff
    pair = frozenset(r for r in (mentor_role, mentee_role) if r)
    meta = pair | staff  # what the pair did: staff may know it happened
    now = timezone.now()
    mentor_enrollment = enroll(program, mentor.participant, "mentor")
    mentee_enrollment = enroll(program, mentee.participant, "mentee")
    mentee_enrollment.answers = {
        str(setting.question.pk): secret(tag + ".answer", staff, mentee_role or ())
    }
    mentee_enrollment.save(update_fields=["answers"])
    match = Match.objects.create(
        program=program,
        run=setting.run,
        mentor=mentor_enrollment,
        mentee=mentee_enrollment,
        status=Match.Status.ACTIVE,
        started_at=now - datetime.timedelta(days=30),
        decline_reason=secret(tag + ".declinereason", meta),
        end_reason=secret(tag + ".endreason", meta),
    )
    meeting = Meeting.objects.create(
        match=match,
        starts_at=now - datetime.timedelta(days=2),
        status=Meeting.Status.CONFIRMED,
        agenda=secret(tag + ".agenda", meta),
        location=secret(tag + ".location", meta),
        online_link=f"https://meet.example/{secret(tag + '.link', meta)}",
        proposed_by=mentor,
        proposed_at=now - datetime.timedelta(days=5),
    )
    MeetingLog.objects.create(
        meeting=meeting,
        author=mentor,
        happened=True,
        duration_minutes=40,
        topics=secret(tag + ".topics", meta),
        shared_notes=f"<p>{secret(tag + '.sharednotes', pair)}</p>",
        action_items=secret(tag + ".actionitems", pair),
    )
    for author, role, who in (
        (mentor, mentor_role, "mentor"),
        (mentee, mentee_role, "mentee"),
    ):
        PrivateNote.objects.create(
            meeting=meeting,
            author=author,
            body=secret(f"{tag}.private.{who}", role or ()),
        )
    Pulse.objects.create(
        meeting=meeting,
        author=mentee,
        usefulness=4,
        for_coordinator=secret(tag + ".pulse", staff, mentee_role or ()),
    )
    goal = Goal.objects.create(
        match=match,
        title=secret(tag + ".goal", meta),
        description=secret(tag + ".goaldesc", meta),
        progress=40,
        created_by=mentee,
    )
    milestone = Milestone.objects.create(
        goal=goal, title=secret(tag + ".milestone", meta)
    )
    GoalEvent.objects.create(
        goal=goal,
        author=mentor,
        kind=GoalEvent.Kind.COMMENT,
        text=secret(tag + ".comment", pair),
    )
    update = AsyncUpdate.objects.create(
        match=match, author=mentor, body=f"<p>{secret(tag + '.update', pair)}</p>"
    )
    AsyncUpdate.objects.create(
        match=match,
        author=mentee,
        reply_to=update,
        body=f"<p>{secret(tag + '.reply', pair)}</p>",
    )
    action_item = ActionItem.objects.create(
        meeting=meeting, author=mentor, text=secret(tag + ".actionitem", pair)
    )
    MeetingFeedback.objects.create(
        meeting=meeting,
        author=mentee,
        worked=secret(tag + ".feedback", pair),
        try_next=secret(tag + ".feedbacknext", pair),
    )
    suggestion = MatchSuggestion.objects.create(
        run=setting.run, mentee=mentee_enrollment, mentor=mentor_enrollment, rank=1
    )
    MentorPreference.objects.create(mentee=mentee_enrollment, mentor=mentor_enrollment)
    circle = Circle.objects.create(
        program=program, name=secret(tag + ".circle", meta), is_published=True
    )
    circle.facilitators.set([mentor_enrollment])
    circle.members.set([mentee_enrollment])
    TrainingCompletion.objects.create(
        enrollment=mentee_enrollment, module=setting.module, completed_at=now
    )
    notification = make_notification(
        recipient=mentee,
        channel=Notification.Channel.IN_APP,
        status=Notification.Status.SENT,
        subject=secret(tag + ".notesubject", mentee_role or (), HR),
        body=secret(tag + ".notebody", mentee_role or (), HR),
    )
    assignment = assign(setting.survey, mentee_enrollment, occasion="sweep")
    response = respond(
        setting.survey,
        mentee_enrollment,
        {"story": secret(tag + ".surveyanswer")},  # anonymous, alone: nobody reads it
        occasion="answered",
    )
    story = story_create(  # names both people of the match
        program=program,
        by=program.coordinators.get(),
        match=match,
        fields=StoryFields(
            title=secret(tag + ".story", meta),
            what_happened=secret(tag + ".storytext", meta),
            outcome=secret(tag + ".storyoutcome", meta),
        ),
    )
    ids.assignment = assignment.pk
    ids.story = story.pk
    ids.admin[("reporting", "surveyassignment")] = assignment.pk
    ids.admin[("reporting", "response")] = response.pk
    ids.enrollment = mentee_enrollment.pk
    ids.match = match.pk
    ids.meeting = meeting.pk
    ids.goal = goal.pk
    ids.update = update.pk
    ids.action_item = action_item.pk
    ids.milestone = milestone.pk
    ids.suggestion = suggestion.pk
    ids.circle = circle.pk
    ids.admin.update(
        {
            ("accounts", "user"): mentee.pk,
            ("account", "emailaddress"): EmailAddress.objects.filter(user=mentee)
            .values_list("pk", flat=True)
            .first()
            or 0,
            ("notifications", "notification"): notification.pk,
            ("programs", "program"): program.pk,
            ("programs", "participant"): mentee.participant.pk,
            ("programs", "enrollment"): mentee_enrollment.pk,
            ("programs", "programobjective"): program.objectives.get().pk,
            ("programs", "applicationquestion"): setting.question.pk,
            ("programs", "trainingmodule"): setting.module.pk,
            ("programs", "trainingcompletion"): TrainingCompletion.objects.get(
                enrollment=mentee_enrollment
            ).pk,
            ("programs", "resource"): ids.resource,
            ("programs", "importbatch"): ids.batch,
            ("matching", "matchingcriteria"): program.criteria.pk,
            ("matching", "matchrun"): setting.run.pk,
            ("matching", "match"): match.pk,
            ("matching", "matchsuggestion"): suggestion.pk,
            ("matching", "mentorpreference"): MentorPreference.objects.get(
                mentee=mentee_enrollment
            ).pk,
            ("matching", "circle"): circle.pk,
            ("checkins", "meeting"): meeting.pk,
            ("checkins", "meetinglog"): meeting.logs.get().pk,
            ("checkins", "pulse"): meeting.pulses.get().pk,
            ("checkins", "goal"): goal.pk,
            ("checkins", "goalevent"): goal.events.get().pk,
            ("checkins", "asyncupdate"): update.pk,
        }
    )
    return ids
