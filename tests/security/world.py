"""The sweep's world: in alpha, program P (pair A of the `mentor` and `mentee` personas,
and a sibling pair A2 of two other people) coordinated by `coordinator`, and program Q
(pair B, mentored by `other_mentor`) coordinated by `coordinator2`; the same in beta,
whose ids are pushed past anything alpha has, so beta's ids name nothing in alpha.

Every text field holds a sentinel ``SNT-<org>-<label>-Z`` and the set of roles that may
read it; the sweep fails a response that shows a sentinel to anyone else.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection
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
from mentorship.audit.services import consent_record, record
from mentorship.notifications.models import Notification
from mentorship.organizations.models import Organization
from privacy.services.retention import policy_get
from programs.models import (
    ApplicationQuestion,
    Enrollment,
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
from tests.conftest import persona_email
from tests.matching.factories import enroll
from tests.notifications.factories import make_notification
from tests.programs.factories import (
    EnrollingProgramFactory,
    ParticipantFactory,
    ProgramFactory,
    UserFactory,
)
from tests.reporting.factories import assign, respond
from tests.reporting.factories import survey as survey_with
from tests.security.url_roles import (
    COORD,
    HR,
    MENTEE,
    MENTOR,
    OTHER_COORD,
    OTHER_MENTOR,
    ROLES,
)
from tests.security.world_members import seed_member_organizations

# Ids in beta start here, so no id of beta's world names a row in alpha.
FOREIGN_ID_FLOOR = 1_000_000_000
SIGNED_IN = frozenset(ROLES) - {"anonymous", "alien"}
_serial = itertools.count()


@dataclass
class Ids:
    """The objects one URL's ids are taken from (one set per world)."""

    program: int = 0
    open_program: int = 0
    batch: int = 0
    enrollment: int = 0
    invitation: int = 0
    module: int = 0
    resource: int = 0
    run: int = 0
    match: int = 0
    meeting: int = 0
    goal: int = 0
    milestone: int = 0
    update: int = 0
    action_item: int = 0
    suggestion: int = 0
    circle: int = 0
    survey: int = 0
    question: int = 0
    assignment: int = 0
    story: int = 0
    share: int = 0
    # ("programs", "program") -> pk, for the admin's object pages
    admin: dict[tuple[str, str], int] = field(default_factory=dict)


# URL kwarg -> Ids attribute
KWARG_OBJECTS = {
    "program_id": "program",
    "batch_id": "batch",
    "enrollment_id": "enrollment",
    "module_id": "module",
    "resource_id": "resource",
    "run_id": "run",
    "match_id": "match",
    "meeting_id": "meeting",
    "goal_id": "goal",
    "update_id": "update",
    "item_id": "action_item",
    "milestone_id": "milestone",
    "suggestion_id": "suggestion",
    "circle_id": "circle",
    "survey_id": "survey",
    "question_id": "question",
    "assignment_id": "assignment",
    "story_id": "story",
    "share_id": "share",
}


@dataclass
class Secrets:
    """Sentinel text -> the roles (of its organization) allowed to read it."""

    slug: str
    audience: dict[str, frozenset[str]] = field(default_factory=dict)

    def __call__(self, label: str, *who: str | frozenset[str]) -> str:
        roles: set[str] = set()
        for item in who:
            roles |= {item} if isinstance(item, str) else set(item)
        text = f"SNT-{self.slug}-{label}-Z".lower()
        assert text not in self.audience, text
        self.audience[text] = frozenset(roles)
        return text


@dataclass
class TenantWorldIds:
    slug: str
    home: Ids
    sibling: Ids
    other: Ids
    users: dict[str, User]
    files: list[str] = field(default_factory=list)


def push_ids_past(floor: int) -> None:
    """Move every sequence of the current schema to at least ``floor``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT format('%%I.%%I', schemaname, sequencename) FROM pg_sequences "
            "WHERE schemaname = %s AND coalesce(last_value, 0) < %s",
            [connection.schema_name, floor],
        )
        for (sequence,) in cursor.fetchall():
            cursor.execute("SELECT setval(%s, %s)", [sequence, floor])


def _person(secret: Secrets, label: str, *who, email: str | None = None) -> User:
    """A user with a profile; names and profile text readable by ``who``."""
    if email is not None:
        user = User.objects.get(email=email)
        user.full_name = f"{user.full_name} {secret(label + '.name', *who)}"
        user.save(update_fields=["full_name"])
    else:
        user = UserFactory(full_name=f"Sam {secret(label + '.name', *who)}")
    ParticipantFactory(
        user=user,
        title=secret(label + ".title", *who),
        department=secret(label + ".department", *who),
        city=secret(label + ".city", *who),
        bio=secret(label + ".bio", *who),
        affiliation=secret(label + ".affiliation", *who),
    )
    return user


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


def seed_tenant(slug: str) -> tuple[TenantWorldIds, Secrets]:
    """Seed one organization's world in the current schema (see the module doc)."""
    secret = Secrets(slug)
    files: list[str] = []
    every = SIGNED_IN
    coordinator = User.objects.get(email=persona_email("coordinator", slug))
    coordinator2 = User.objects.get(email=persona_email("coordinator2", slug))
    a_pair = {MENTEE, MENTOR}
    mentee = _person(
        secret, "mentee", a_pair, COORD, HR, email=persona_email("mentee", slug)
    )
    mentor = _person(
        secret, "mentor", a_pair, COORD, HR, email=persona_email("mentor", slug)
    )
    other_mentor = _person(secret, "othermentor", OTHER_MENTOR, OTHER_COORD, HR)
    other_mentor.set_password(
        "sweep-password-1"
    )  # like the personas: can re-authenticate
    other_mentor.save(update_fields=["password"])
    other_mentee = _person(secret, "othermentee", OTHER_MENTOR, OTHER_COORD, HR)
    sib_mentor = _person(secret, "sibmentor", COORD, HR)
    sib_mentee = _person(secret, "sibmentee", COORD, HR)

    p, home = _seed_program(secret, "p", coordinator, a_pair, {COORD, HR}, files)
    _seed_pair(secret, "a", p, mentor, mentee, MENTOR, MENTEE, home)
    sibling = Ids(**{**home.__dict__, "admin": dict(home.admin)})
    _seed_pair(secret, "a2", p, sib_mentor, sib_mentee, None, None, sibling)
    q, other = _seed_program(
        secret, "q", coordinator2, {OTHER_MENTOR}, {OTHER_COORD, HR}, files
    )
    _seed_pair(secret, "b", q, other_mentor, other_mentee, OTHER_MENTOR, None, other)

    for ids, tag, owner, invitee in (
        (home, "o", coordinator, mentee),
        (other, "o2", coordinator2, other_mentee),
    ):
        open_program = EnrollingProgramFactory(
            name=f"Open {secret(tag + '.name', every)}",
            description=secret(tag + ".description", every),
            confidentiality_agreement=secret(tag + ".agreement", every),
            coordinators=[owner],
        )
        ids.open_program = open_program.pk
        ids.invitation = Enrollment.objects.create(
            participant=invitee.participant,
            program=open_program,
            role="mentor",
            status=Enrollment.Status.INVITED,
        ).pk
    sibling.open_program = home.open_program
    sibling.invitation = Enrollment.objects.create(
        participant=sib_mentee.participant,
        program_id=home.open_program,
        role="mentor",
        status=Enrollment.Status.INVITED,
    ).pk

    group = Group.objects.create(name=secret("group", HR))
    authenticator = Authenticator.objects.create(
        user=mentor,
        type=Authenticator.Type.TOTP,
        data={"secret": secret("totp", MENTOR)},
    )
    organization = Organization.objects.get(schema_name=connection.schema_name)
    for ids in (home, sibling, other):
        ids.admin[("auth", "group")] = group.pk
        ids.admin[("mfa", "authenticator")] = authenticator.pk
        ids.admin[("organizations", "organization")] = organization.pk
    # The audit log, consent records and privacy pages: rows of this schema.
    entry = record(action="export.downloaded", target=mentee, details={"sweep": 1})
    consent = consent_record(
        user=mentee, kind="notifications", subject="notifications", version="sweep"
    )
    for ids in (home, sibling, other):
        ids.admin[("auditlog", "logentry")] = entry.pk
        ids.admin[("audit", "consentrecord")] = consent.pk
        ids.admin[("privacy", "person")] = mentee.pk
        ids.admin[("privacy", "retentionpolicy")] = policy_get().pk
    seed_member_organizations(secret, home=home, sibling=sibling, other=other)
    users = {
        MENTEE: mentee,
        MENTOR: mentor,
        OTHER_MENTOR: other_mentor,
        COORD: coordinator,
        OTHER_COORD: coordinator2,
        HR: User.objects.get(email=persona_email("hradmin", slug)),
    }
    return TenantWorldIds(slug, home, sibling, other, users, files), secret


def content_type_id() -> int:
    return ContentType.objects.get_for_model(Program).pk
