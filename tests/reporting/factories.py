"""Survey test data. Rows land in whichever tenant schema is active (``alpha``)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from matching.models import Match
from members.models import MemberOrganization
from members.selectors import member_organizations_of
from programs.models import Enrollment, Program
from reporting.models import Answer, Question, Response, Survey, SurveyAssignment
from tests.matching.factories import enroll, person
from tests.members.factories import MemberOrganizationFactory, MembershipFactory
from tests.programs.factories import ProgramFactory

FOCUS_AREAS = ["Public speaking", "Negotiation", "Cross-cultural teamwork"]


def survey_program(*, coordinators=None, **fields) -> Program:
    fields.setdefault("status", Program.Status.ACTIVE)
    fields.setdefault("focus_areas", list(FOCUS_AREAS))
    return ProgramFactory(coordinators=coordinators or [], **fields)


def survey(
    program: Program, *, questions: list[dict] | None = None, **fields
) -> Survey:
    """An open survey with the given questions (dicts of Question fields)."""
    fields.setdefault("title", "Test survey")
    fields.setdefault("status", Survey.Status.OPEN)
    made = Survey.objects.create(program=program, **fields)
    for order, spec in enumerate(questions or []):
        spec = dict(spec)
        if spec.get("kind") == "competency_matrix":
            spec.setdefault("choices", list(program.focus_areas))
        Question.objects.create(survey=made, order=order, **spec)
    return made


def people(
    program: Program, count: int, *, role: str = "mentee", **fields
) -> list[Enrollment]:
    return [
        enroll(program, person(**fields), role, Enrollment.Status.APPROVED)
        for _ in range(count)
    ]


def assign(
    survey: Survey, enrollment: Enrollment, *, occasion: str = "test", days: int = 7
) -> SurveyAssignment:
    return SurveyAssignment.objects.create(
        survey=survey,
        participant=enrollment.participant,
        enrollment=enrollment,
        role=enrollment.role,
        occasion=occasion,
        due_on=timezone.now().date() + datetime.timedelta(days=days),
    )


def respond(
    survey: Survey,
    enrollment: Enrollment,
    values: dict[str, object],
    *,
    occasion: str = "test",
) -> Response:
    """A stored response, written directly: ``values`` maps a question key to a
    number, a text, a list of options or {focus area: number}."""
    assignment = assign(survey, enrollment, occasion=occasion)
    participant = enrollment.participant
    team = member_organizations_of(user=participant.user).first()
    response = Response.objects.create(
        survey=survey,
        is_anonymous=survey.is_anonymous,
        assignment=None if survey.is_anonymous else assignment,
        submitted_on=timezone.now().date(),
        updated_on=timezone.now().date(),
        role=enrollment.role,
        country=participant.country,
        time_zone=participant.user.time_zone,
        seniority=participant.seniority,
        member_organization=team,
        member_organization_country=team.country if team else "",
    )
    assignment.is_answered = True
    assignment.answered_on = None if survey.is_anonymous else timezone.now().date()
    assignment.save()
    questions = {q.key: q for q in survey.questions.all()}
    for key, value in values.items():
        question = questions[key]
        if isinstance(value, dict):
            for item, number in value.items():
                Answer.objects.create(
                    response=response, question=question, item=item, number=number
                )
        elif isinstance(value, list):
            for option in value:
                Answer.objects.create(
                    response=response, question=question, item=option, text=option
                )
        elif isinstance(value, int):
            Answer.objects.create(response=response, question=question, number=value)
        else:
            Answer.objects.create(response=response, question=question, text=value)
    return response


def active_match(
    program: Program, mentor: Enrollment, mentee: Enrollment, **fields
) -> Match:
    fields.setdefault("status", Match.Status.ACTIVE)
    fields.setdefault("started_at", timezone.now())
    return Match.objects.create(program=program, mentor=mentor, mentee=mentee, **fields)


def engagement(
    program: Program,
    name: str,
    *,
    country: str = "BD",
    size: int = 3,
    mentor: Enrollment | None = None,
) -> tuple[MemberOrganization, list[Enrollment], Match]:
    """An active engagement (issue 18): a member organization whose ``size`` people
    are enrolled mentees (the first its lead), matched with ``mentor`` (a new one
    when not given)."""
    organization = MemberOrganizationFactory(name=name, country=country)
    team = people(program, size)
    for index, enrollment in enumerate(team):
        MembershipFactory(
            member_organization=organization,
            user=enrollment.participant.user,
            is_lead=index == 0,
        )
    if mentor is None:
        (mentor,) = people(program, 1, role="mentor")
    match = active_match(program, mentor, team[0], member_organization=organization)
    return organization, team, match
