"""The hand-worked program behind tests/reporting/test_impact_metrics.py.

The program (cadence 14 days, starts 2025-01-01; "now" is 2026-06-15 12:00 UTC):

    mentors  M1, M2, M3 (approved)
    mentees  E1, E2, E8 (approved), E3 (completed), E4 (approved, only a declined
             proposal), E5 (applied), E6 (invited), E7 (withdrawn)
    pairs    A  M1→E1 active,    started 2026-04-01, run R1
             B  M1→E2 active,    started 2026-05-01, run R1
             C  M2→E3 completed, 2026-01-01 → 2026-03-01
             F  M3→E8 active,    started 2026-02-01
             D  M2→E4 declined
    staff    N1…N5 never enrolled, with HR dates
"""

from __future__ import annotations

import datetime

from checkins.models import AsyncUpdate, Goal, Meeting, Milestone, Pulse
from matching.models import Match, MatchRun
from programs.models import Enrollment, Program, ProgramObjective
from reporting.models import ObjectiveMeasure
from tests.matching.factories import enroll, person
from tests.programs.factories import ProgramFactory
from tests.reporting.factories import assign, respond, survey

UTC = datetime.UTC
NOW = datetime.datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
AREAS = ["Public speaking", "Negotiation"]


def at(year: int, month: int, day: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, tzinfo=UTC)


def d(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, day)


def _person(
    name, *, country="PL", hired=None, left=None, status="active", promoted=None
):
    return person(
        name=name,
        country=country,
        hired_on=hired,
        left_on=left,
        employment_status=status,
        last_promoted_on=promoted,
    )


def _pair(
    program,
    mentor,
    mentee,
    status,
    *,
    proposed,
    started=None,
    ended=None,
    run=None,
    created=None,
):
    match = Match.objects.create(
        program=program,
        mentor=mentor,
        mentee=mentee,
        status=status,
        proposed_at=proposed,
        started_at=started,
        ended_at=ended,
        run=run,
    )
    Match.objects.filter(pk=match.pk).update(created_at=created or proposed)
    return match


def _meetings(match, *days, status="held"):
    return [
        Meeting.objects.create(
            match=match,
            starts_at=day,
            status=status,
            proposed_by=match.mentor.participant.user,
            proposed_at=day - datetime.timedelta(days=3),
        )
        for day in days
    ]


def measured_program(coordinator) -> dict:
    """Seed the program above (in the current tenant), coordinated by ``coordinator``."""
    program = ProgramFactory(
        name="Measured program",
        status=Program.Status.ACTIVE,
        meeting_cadence_days=14,
        focus_areas=AREAS,
        starts_on=d(2025, 1, 1),
        ends_on=d(2026, 12, 31),
        coordinators=[coordinator],
    )
    people = {
        "M1": _person("M1", hired=d(2020, 1, 1), promoted=d(2025, 6, 1)),
        "M2": _person("M2", hired=d(2019, 1, 1), left=d(2025, 5, 1), status="left"),
        "M3": _person("M3", hired=d(2024, 6, 1), promoted=d(2024, 12, 1)),
        "E1": _person(
            "E1",
            country="VN",
            hired=d(2024, 1, 1),
            left=d(2025, 10, 1),
            status="left",
            promoted=d(2026, 2, 1),
        ),
        "E2": _person("E2", country="VN"),
        "E3": _person("E3", hired=d(2025, 3, 1)),
        "E4": _person("E4", hired=d(2023, 1, 1), status="left"),
        "E5": _person("E5"),
        "E6": _person("E6"),
        "E7": _person("E7"),
        "E8": _person("E8", hired=d(2022, 1, 1), promoted=d(2026, 1, 1)),
    }
    for name, hired, left, promoted in (
        ("N1", d(2018, 1, 1), None, d(2025, 3, 1)),
        ("N2", d(2020, 1, 1), d(2025, 3, 1), None),
        ("N3", d(2021, 1, 1), d(2025, 9, 1), None),
        ("N4", d(2025, 6, 1), None, None),
        ("N5", d(2019, 1, 1), None, d(2024, 6, 1)),
    ):
        _person(
            name,
            hired=hired,
            left=left,
            status="left" if left else "active",
            promoted=promoted,
        )
    statuses = {"E3": "completed", "E5": "applied", "E6": "invited", "E7": "withdrawn"}
    decided = {
        "M1": at(2026, 3, 1),
        "M2": at(2025, 12, 10),
        "M3": at(2026, 1, 20),
        "E1": at(2026, 3, 2),
        "E2": at(2026, 3, 3),
        "E3": at(2025, 12, 15),
        "E8": at(2026, 1, 21),
    }
    enrolled = {}
    for name, participant in people.items():
        role = "mentor" if name.startswith("M") else "mentee"
        enrollment = enroll(program, participant, role, statuses.get(name, "approved"))
        Enrollment.objects.filter(pk=enrollment.pk).update(
            decided_at=decided.get(name),
            applied_at=at(2025, 12, 5) if name in ("M2", "E3") else at(2026, 2, 1),
        )
        enrollment.refresh_from_db()
        enrolled[name] = enrollment
    e = enrolled
    run = MatchRun.objects.create(program=program, mode="optimal", status="published")
    pair_a = _pair(
        program,
        e["M1"],
        e["E1"],
        "active",
        proposed=at(2026, 3, 5),
        started=at(2026, 4, 1),
        run=run,
    )
    pair_b = _pair(
        program,
        e["M1"],
        e["E2"],
        "active",
        proposed=at(2026, 3, 10),
        started=at(2026, 5, 1),
        run=run,
    )
    pair_c = _pair(
        program,
        e["M2"],
        e["E3"],
        "completed",
        proposed=at(2025, 12, 20),
        started=at(2026, 1, 1),
        ended=at(2026, 3, 1),
    )
    pair_f = _pair(
        program,
        e["M3"],
        e["E8"],
        "active",
        proposed=at(2026, 1, 25),
        started=at(2026, 2, 1),
    )
    _pair(program, e["M2"], e["E4"], "declined", proposed=at(2026, 1, 5))
    # meetings: A 5 held; B 1 held + a proposal; C 3 held; F 1 held
    a = _meetings(
        pair_a,
        at(2026, 4, 5),
        at(2026, 4, 19),
        at(2026, 5, 3),
        at(2026, 5, 17),
        at(2026, 5, 31),
    )
    _meetings(pair_b, at(2026, 5, 8))
    _meetings(pair_b, at(2026, 6, 18), status="proposed")
    Meeting.objects.filter(status="proposed").update(
        proposed_at=NOW - datetime.timedelta(days=1)
    )
    c = _meetings(pair_c, at(2026, 1, 11), at(2026, 2, 1), at(2026, 2, 20))
    _meetings(pair_f, at(2026, 3, 1))
    mentor_user, mentee_user = e["M1"].participant.user, e["E1"].participant.user
    for meeting, mentor_says, mentee_says in ((a[0], 4, 4), (a[4], 5, 3)):
        Pulse.objects.create(
            meeting=meeting, author=mentor_user, usefulness=mentor_says
        )
        Pulse.objects.create(
            meeting=meeting, author=mentee_user, usefulness=mentee_says
        )
    Pulse.objects.create(meeting=c[1], author=e["E3"].participant.user, usefulness=2)
    # updates: A 1, B 3 (keeps B engaged: 3 ≥ 3 expected)
    for match, count in ((pair_a, 1), (pair_b, 3)):
        for n in range(count):
            update = AsyncUpdate.objects.create(
                match=match, author=mentee_user, body="<p>news</p>"
            )
            AsyncUpdate.objects.filter(pk=update.pk).update(
                created_at=at(2026, 5, 20 + n)
            )
    # goals: A two (100 %, 50 %), C one (100 %); milestones 4, 3 done
    goal_a1 = Goal.objects.create(match=pair_a, title="Lead a meeting", progress=100)
    Goal.objects.create(match=pair_a, title="Negotiate a budget", progress=50)
    goal_c = Goal.objects.create(
        match=pair_c, title="Present at the all-hands", progress=100
    )
    Milestone.objects.create(goal=goal_a1, title="Draft agenda", is_done=True)
    Milestone.objects.create(goal=goal_a1, title="Run it", is_done=False)
    Milestone.objects.create(goal=goal_c, title="Outline", is_done=True)
    Milestone.objects.create(goal=goal_c, title="Rehearse", is_done=True)
    # surveys: baseline answered by E1 E2 E3 E8; closing by E1 E2 E3 (E8 asked, silent)
    questions = [
        {"key": "competencies", "kind": "competency_matrix", "text": "Rate yourself"},
        {"key": "confidence", "kind": "likert", "text": "Confidence"},
    ]
    baseline = survey(program, kind="baseline", questions=questions)
    closing = survey(
        program,
        kind="closing",
        questions=[*questions, {"key": "nps", "kind": "nps", "text": "Recommend?"}],
    )
    for name, speaking, negotiation, confidence in (
        ("E1", 2, 3, 2),
        ("E2", 3, 3, 4),
        ("E3", 1, 2, 3),
        ("E8", 4, 4, 3),
    ):
        respond(
            baseline,
            e[name],
            {
                "competencies": {AREAS[0]: speaking, AREAS[1]: negotiation},
                "confidence": confidence,
            },
        )
    for name, speaking, negotiation, confidence, nps in (
        ("E1", 4, 3, 4, 10),
        ("E2", 3, 4, 4, 9),
        ("E3", 3, 2, 2, 6),
    ):
        respond(
            closing,
            e[name],
            {
                "competencies": {AREAS[0]: speaking, AREAS[1]: negotiation},
                "confidence": confidence,
                "nps": nps,
            },
        )
    assign(closing, e["E8"])
    # growth: E1 and M1 mentor later in another program; E8 only applied to
    other = ProgramFactory(name="Next year", status=Program.Status.ACTIVE)
    enroll(other, people["E1"], "mentor", "approved")
    enroll(other, people["M1"], "mentor", "approved")
    enroll(other, people["E8"], "mentor", "applied")
    # objectives: a question measure, a metric measure, and one with none
    confident = ProgramObjective.objects.create(
        program=program, text="Confident mentees", order=0
    )
    ObjectiveMeasure.objects.create(
        objective=confident,
        source="question",
        question_key="confidence",
        survey_kind="closing",
        role="mentee",
        threshold=4,
        target=70,
    )
    meeting = ProgramObjective.objects.create(
        program=program, text="Pairs meet", order=1
    )
    ObjectiveMeasure.objects.create(
        objective=meeting, source="metric", metric="engagement.on_cadence", target=30
    )
    ProgramObjective.objects.create(program=program, text="Unmeasured aim", order=2)
    return {"program": program, "run": run, "other": other, "e": e}
