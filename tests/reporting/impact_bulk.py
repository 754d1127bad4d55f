"""A whole program's impact data at any size with bulk_create (query-count tests,
bench/pages.py, screenshots): per ``size`` participants about 0.4 × size matches,
4 × size meetings and 2 × size survey responses, HR dates, goals, pulses, updates,
and an equal staff list of non-participants.

Shape for size N (N divisible by 10): N/5 mentors and 4N/5 mentees; 2N/5 pairs
(each mentor has two mentees), the rest of the mentees approved or applied; every
pair has 10 meetings (8 held, one each month back from now), a goal with two
milestones, pulses and a written update; baseline and closing surveys (attributed,
with the competency matrix and confidence; closing asks NPS) answered by 4N/5 and
4N/5 mentees; a mentor survey (anonymous) answered twice by the N/5 mentors:
2N responses.
"""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from checkins.models import AsyncUpdate, Goal, Meeting, Milestone, Pulse
from matching.models import Match, MatchRun
from mentorship.accounts.models import User
from programs.models import Enrollment, Participant, Program, ProgramObjective
from reporting.models import (
    Answer,
    ObjectiveMeasure,
    Question,
    Response,
    Survey,
    SurveyAssignment,
)

FOCUS_AREAS = ["Public speaking", "Negotiation", "Cross-cultural teamwork"]
COUNTRIES = ["VN", "PL", "US", "IN", "DE"]
ZONES = [
    "Asia/Ho_Chi_Minh",
    "Europe/Warsaw",
    "America/Chicago",
    "Asia/Kolkata",
    "Europe/Berlin",
]
FIRST = [
    "Minh",
    "Priya",
    "Jonas",
    "Amara",
    "Kenji",
    "Lucía",
    "Tomasz",
    "Grace",
    "Arjun",
    "Sofia",
]
LAST = [
    "Tran",
    "Nair",
    "Weber",
    "Okafor",
    "Sato",
    "Fernández",
    "Nowak",
    "Mensah",
    "Mehta",
    "Rossi",
]


def _survey(
    program: Program, kind: str, *, anonymous: bool, keys: list[str]
) -> tuple[Survey, dict[str, Question]]:
    survey = Survey.objects.create(
        program=program,
        title=f"{kind.title()} survey",
        kind=kind,
        is_anonymous=anonymous,
        status=Survey.Status.OPEN,
    )
    specs = {
        "competencies": ("competency_matrix", "Rate yourself", FOCUS_AREAS),
        "confidence": ("likert", "How confident are you leading meetings?", []),
        "nps": ("nps", "Would you recommend this program?", []),
        "supported": ("likert", "I felt supported", []),
    }
    questions = {}
    for order, key in enumerate(keys):
        kind_, text, choices = specs[key]
        questions[key] = Question.objects.create(
            survey=survey, key=key, kind=kind_, text=text, order=order, choices=choices
        )
    return survey, questions


def bulk_impact_program(
    *, size: int, prefix: str, coordinator: User | None = None, staff: bool = True
) -> Program:
    """A program with ``size`` participants and everything the impact page reads."""
    now = timezone.now()
    today = now.date()
    program = Program.objects.create(
        name=f"Growth mentoring {prefix}",
        status=Program.Status.ACTIVE,
        meeting_cadence_days=30,
        focus_areas=list(FOCUS_AREAS),
        starts_on=today - datetime.timedelta(days=400),
        ends_on=today + datetime.timedelta(days=60),
    )
    if coordinator is not None:
        program.coordinators.add(coordinator)
    objective = ProgramObjective.objects.create(
        program=program, text="Mentees grow confident leading meetings", order=0
    )
    ObjectiveMeasure.objects.create(
        objective=objective,
        source="question",
        question_key="confidence",
        survey_kind="closing",
        role="mentee",
        threshold=4,
        target=70,
    )
    ObjectiveMeasure.objects.create(
        objective=ProgramObjective.objects.create(
            program=program, text="Pairs keep meeting", order=1
        ),
        source="metric",
        metric="engagement.on_cadence",
        target=80,
    )
    mentors, pairs = size // 5, 2 * size // 5
    total = size + (size if staff else 0)
    users = User.objects.bulk_create(
        [
            User(
                email=f"{prefix}-{n}@impact.example",
                full_name=f"{FIRST[n % 10]} {LAST[(n // 10) % 10]} {n}",
                time_zone=ZONES[n % 5],
                password="!unusable",
            )
            for n in range(total)
        ],
        batch_size=2000,
    )
    start = program.starts_on
    participants = Participant.objects.bulk_create(
        [
            Participant(
                user=user,
                country=COUNTRIES[n % 5],
                seniority=1 + n % 6,
                hired_on=start - datetime.timedelta(days=200 + n % 900),
                # every 10th person has left, some within 6 months of the start
                employment_status="left" if n % 10 == 9 else "active",
                left_on=start + datetime.timedelta(days=60 + (n * 7) % 300)
                if n % 10 == 9
                else None,
                last_promoted_on=start + datetime.timedelta(days=30 + n % 300)
                if n % 4 == 0
                else None,
            )
            for n, user in enumerate(users)
        ],
        batch_size=2000,
    )
    statuses = itertools.cycle(["approved", "approved", "applied", "withdrawn"])
    enrollments = Enrollment.objects.bulk_create(
        [
            Enrollment(
                participant=participant,
                program=program,
                role="mentor" if n < mentors else "mentee",
                status="approved" if n < mentors + pairs else next(statuses),
                decided_at=now - datetime.timedelta(days=390),
            )
            for n, participant in enumerate(participants[:size])
        ],
        batch_size=2000,
    )
    run = MatchRun.objects.create(
        program=program, mode=MatchRun.Mode.OPTIMAL, status=MatchRun.Status.PUBLISHED
    )
    matches = Match.objects.bulk_create(
        [
            Match(
                program=program,
                run=run,
                mentor=enrollments[n % mentors],
                mentee=enrollments[mentors + n],
                status="active" if n % 8 else "ended",
                proposed_at=now - datetime.timedelta(days=385),
                started_at=now - datetime.timedelta(days=380 - n % 30),
                ended_at=None if n % 8 else now - datetime.timedelta(days=100),
            )
            for n in range(pairs)
        ],
        batch_size=2000,
    )
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                match=match,
                starts_at=now - datetime.timedelta(days=30 * k + 3 + n % 20),
                status="held" if k < 8 - n % 3 else "missed",
                proposed_by_id=users[n % mentors].pk,
                proposed_at=now - datetime.timedelta(days=30 * k + 10),
            )
            for n, match in enumerate(matches)
            for k in range(10)
        ],
        batch_size=5000,
    )
    Pulse.objects.bulk_create(
        [
            Pulse(
                meeting=meeting,
                author_id=users[mentors + n // 10].pk,
                usefulness=3 + (n + (n // 10)) % 3 if n % 7 else 2,
            )
            for n, meeting in enumerate(meetings)
            if meeting.status == "held" and n % 10 < 6
        ],
        batch_size=5000,
    )
    goals = Goal.objects.bulk_create(
        [
            Goal(match=match, title="Lead a team meeting", progress=(n * 37) % 101)
            for n, match in enumerate(matches)
        ],
        batch_size=2000,
    )
    Milestone.objects.bulk_create(
        [
            Milestone(goal=goal, title=f"Step {k}", is_done=(n + k) % 3 == 0)
            for n, goal in enumerate(goals)
            for k in range(2)
        ],
        batch_size=5000,
    )
    AsyncUpdate.objects.bulk_create(
        [
            AsyncUpdate(
                match=match, author_id=users[mentors + n].pk, body="<p>Update</p>"
            )
            for n, match in enumerate(matches)
            if n % 3
        ],
        batch_size=2000,
    )
    _responses(program, enrollments, participants, mentors=mentors, size=size)
    return program


def _responses(program, enrollments, participants, *, mentors: int, size: int) -> None:
    """Baseline and closing (attributed) for the 4N/5 mentees and the anonymous
    mentor survey twice per mentor: 2N responses."""
    today = timezone.now().date()
    baseline, base_q = _survey(
        program, "baseline", anonymous=False, keys=["competencies", "confidence"]
    )
    closing, close_q = _survey(
        program, "closing", anonymous=False, keys=["competencies", "confidence", "nps"]
    )
    mentor_survey, mentor_q = _survey(
        program, "mentor_experience", anonymous=True, keys=["supported", "nps"]
    )
    mentees = enrollments[mentors:]
    plan = [
        (baseline, base_q, mentees, 0),
        (closing, close_q, mentees, 1),
    ]
    assignments = []
    for survey, _, people, _ in plan:
        assignments += [
            SurveyAssignment(
                survey=survey,
                participant_id=e.participant_id,
                enrollment=e,
                role=e.role,
                occasion="bulk",
                due_on=today,
                is_answered=True,
                answered_on=today,
            )
            for e in people
        ]
    assignments += [
        SurveyAssignment(
            survey=mentor_survey,
            participant_id=e.participant_id,
            enrollment=e,
            role="mentor",
            occasion=occasion,
            due_on=today,
            is_answered=True,
        )
        for occasion in ("bulk", "bulk-again")
        for e in enrollments[:mentors]
    ]
    made = SurveyAssignment.objects.bulk_create(assignments, batch_size=5000)
    by_survey = {}
    for assignment in made:
        by_survey.setdefault(assignment.survey_id, []).append(assignment)
    responses = []
    country = {p.pk: p.country for p in participants}
    for survey, _, _, _ in plan:
        for assignment in by_survey[survey.pk]:
            responses.append(
                Response(
                    survey=survey,
                    is_anonymous=False,
                    assignment=assignment,
                    submitted_on=today,
                    updated_on=today,
                    role=assignment.role,
                    country=country[assignment.participant_id],
                )
            )
    for n in range(2 * mentors):
        responses.append(
            Response(
                survey=mentor_survey,
                is_anonymous=True,
                submitted_on=today,
                updated_on=today,
                role="mentor",
                country=COUNTRIES[n % 5],
            )
        )
    responses = Response.objects.bulk_create(responses, batch_size=5000)
    answers = []
    for n, response in enumerate(responses):
        if response.survey_id == mentor_survey.pk:
            answers += [
                Answer(
                    response=response, question=mentor_q["supported"], number=3 + n % 3
                ),
                Answer(response=response, question=mentor_q["nps"], number=6 + n % 5),
            ]
            continue
        after = response.survey_id == closing.pk
        questions = close_q if after else base_q
        for k, area in enumerate(FOCUS_AREAS):
            answers.append(
                Answer(
                    response=response,
                    question=questions["competencies"],
                    item=area,
                    number=min(
                        5, 2 + (n + k) % 3 + (1 if after and (n + k) % 2 else 0)
                    ),
                )
            )
        answers.append(
            Answer(
                response=response,
                question=questions["confidence"],
                number=min(5, 2 + n % 3 + (2 if after else 0)),
            )
        )
        if after:
            answers.append(
                Answer(response=response, question=questions["nps"], number=n % 11)
            )
    Answer.objects.bulk_create(answers, batch_size=10000)
