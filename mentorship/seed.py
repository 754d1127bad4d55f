"""The demo: two organizations with realistic people, created idempotently.

Wiring code (like settings and urls): it may name every app.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tenants.utils import schema_context

from checkins import timezones
from checkins.models import Meeting
from checkins.selectors import Pair, pair_of, pair_queryset
from checkins.services import (
    async_update_post,
    goal_comment,
    goal_create,
    goal_progress_set,
    meeting_accept,
    meeting_log_save,
    meeting_propose,
    milestone_add,
    milestone_toggle,
    pulse_submit,
)
from checkins.services.logs import LogEntry
from checkins.services.meetings import MeetingDetails
from matching.models import Match, MatchRun
from matching.services import match_accept, match_run_publish, match_run_start
from mentorship.accounts.models import User
from mentorship.accounts.services import user_create
from mentorship.notifications.models import Notification
from mentorship.organizations.models import Organization
from mentorship.organizations.services import org_create, organization_domain
from programs.models import Program
from programs.seed_data import PROGRAMS, seed_programs
from programs.services import program_transition
from reporting.models import SurveyAssignment
from reporting.services import assignments as survey_assignments
from reporting.services import responses as survey_responses
from reporting.services import stories
from reporting.services import surveys as survey_builder

DEMO_PASSWORD = "mentor-demo-2026"  # noqa: S105  (published demo credential)


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    title: str
    role: str  # org role: hr_admin / coordinator / member
    zone: str
    country: str
    city: str
    languages: tuple[str, ...]
    department: str = ""
    seniority: int = 3  # 1 junior … 6 executive
    offers: tuple[str, ...] = ()
    wants: tuple[str, ...] = ()
    program_role: str = ""  # mentor / mentee in the demo program, "" for staff
    affiliation: str = ""
    manager: str = ""  # email of the person's manager


@dataclass(frozen=True)
class DemoOrg:
    slug: str
    name: str
    people: tuple[Person, ...] = field(default_factory=tuple)
    # The demo program was set up this many days ago; its story (matching, meetings,
    # goals) fills the time since. 0: the program has just opened.
    story_days: int = 0


M, C, A = "member", "coordinator", "hr_admin"

# What some demo people chose to be called ("what should we call you?"); the
# others are greeted by their full name.
PREFERRED_NAMES = {
    "coordinator@meridian.example": "Trang",
    "mentee@meridian.example": "Minh",
    "anh.pham@meridian.example": "Anh",
    "linh.tran@meridian.example": "Linh",
    "mentor@meridian.example": "Marek",
}

MERIDIAN = DemoOrg(
    slug="meridian",
    name="Meridian Software",
    story_days=96,
    people=(
        Person(
            "hr@meridian.example",
            "Olivia Brooks",
            "Head of People",
            A,
            "America/Chicago",
            "US",
            "Austin",
            ("en",),
            "People",
            5,
        ),
        Person(
            "coordinator@meridian.example",
            "Thu Trang Le",
            "L&D Program Lead",
            C,
            "Asia/Ho_Chi_Minh",
            "VN",
            "Ho Chi Minh City",
            ("vi", "en"),
            "People",
            4,
        ),
        Person(
            "rahul.iyer@meridian.example",
            "Rahul Iyer",
            "Principal Engineer",
            M,
            "Asia/Kolkata",
            "IN",
            "Bengaluru",
            ("en", "hi", "kn"),
            "Platform",
            6,
            (
                "system design",
                "distributed systems",
                "technical leadership",
                "code review",
            ),
            (),
            "mentor",
        ),
        Person(
            "mentor@meridian.example",
            "Marek Nowak",
            "Engineering Manager",
            M,
            "Europe/Warsaw",
            "PL",
            "Kraków",
            ("pl", "en"),
            "Payments",
            5,
            ("people management", "technical leadership", "agile delivery", "hiring"),
            (),
            "mentor",
        ),
        Person(
            "sarah.kim@meridian.example",
            "Sarah Kim",
            "Director of Product",
            M,
            "America/Chicago",
            "US",
            "Austin",
            ("en", "ko"),
            "Product",
            6,
            ("product strategy", "stakeholder management", "public speaking"),
            (),
            "mentor",
        ),
        Person(
            "anh.pham@meridian.example",
            "Anh Pham",
            "Senior QA Lead",
            M,
            "Asia/Ho_Chi_Minh",
            "VN",
            "Ho Chi Minh City",
            ("vi", "en"),
            "Quality",
            5,
            ("test automation", "quality strategy", "people management"),
            (),
            "mentor",
        ),
        Person(
            "katarzyna.wojcik@meridian.example",
            "Katarzyna Wójcik",
            "Staff Engineer",
            M,
            "Europe/Warsaw",
            "PL",
            "Kraków",
            ("pl", "en", "de"),
            "Platform",
            5,
            ("distributed systems", "cloud architecture", "code review"),
            (),
            "mentor",
        ),
        Person(
            "james.carter@meridian.example",
            "James Carter",
            "VP Engineering",
            M,
            "America/Chicago",
            "US",
            "Austin",
            ("en", "es"),
            "Engineering",
            6,
            (
                "technical leadership",
                "hiring",
                "stakeholder management",
                "career growth",
            ),
            (),
            "mentor",
        ),
        Person(
            "mentee@meridian.example",
            "Minh Nguyen",
            "Software Engineer",
            M,
            "Asia/Ho_Chi_Minh",
            "VN",
            "Ho Chi Minh City",
            ("vi", "en"),
            "Payments",
            2,
            (),
            ("system design", "public speaking", "career growth"),
            "mentee",
            manager="anh.pham@meridian.example",
        ),
        Person(
            "priya.sharma@meridian.example",
            "Priya Sharma",
            "Software Engineer II",
            M,
            "Asia/Kolkata",
            "IN",
            "Bengaluru",
            ("en", "hi"),
            "Platform",
            2,
            (),
            ("distributed systems", "technical leadership"),
            "mentee",
            manager="rahul.iyer@meridian.example",
        ),
        Person(
            "tomasz.zielinski@meridian.example",
            "Tomasz Zieliński",
            "Junior Developer",
            M,
            "Europe/Warsaw",
            "PL",
            "Kraków",
            ("pl", "en"),
            "Payments",
            1,
            (),
            ("code review", "agile delivery", "cloud architecture"),
            "mentee",
            manager="mentor@meridian.example",
        ),
        Person(
            "emily.davis@meridian.example",
            "Emily Davis",
            "Product Analyst",
            M,
            "America/Chicago",
            "US",
            "Austin",
            ("en",),
            "Product",
            2,
            (),
            ("product strategy", "stakeholder management"),
            "mentee",
            manager="sarah.kim@meridian.example",
        ),
        Person(
            "arjun.reddy@meridian.example",
            "Arjun Reddy",
            "Test Engineer",
            M,
            "Asia/Kolkata",
            "IN",
            "Bengaluru",
            ("en", "te", "hi"),
            "Quality",
            2,
            (),
            ("test automation", "quality strategy", "people management"),
            "mentee",
        ),
        Person(
            "linh.tran@meridian.example",
            "Linh Tran",
            "Frontend Developer",
            M,
            "Asia/Ho_Chi_Minh",
            "VN",
            "Da Nang",
            ("vi", "en"),
            "Product",
            1,
            (),
            ("public speaking", "product strategy", "career growth"),
            "mentee",
        ),
        Person(
            "agnieszka.lewandowska@meridian.example",
            "Agnieszka Lewandowska",
            "DevOps Engineer",
            M,
            "Europe/Warsaw",
            "PL",
            "Kraków",
            ("pl", "en"),
            "Platform",
            3,
            (),
            ("cloud architecture", "distributed systems", "hiring"),
            "mentee",
        ),
        Person(
            "deepika.nair@meridian.example",
            "Deepika Nair",
            "Associate Engineer",
            M,
            "Asia/Kolkata",
            "IN",
            "Bengaluru",
            ("en", "ml", "hi"),
            "Payments",
            1,
            (),
            ("system design", "code review", "career growth"),
            "mentee",
        ),
    ),
)

BRIDGES = DemoOrg(
    slug="bridges",
    name="Bridges Association Network",
    people=(
        Person(
            "hr@bridges.example",
            "Claire Dubois",
            "Network Director",
            A,
            "Europe/Brussels",
            "BE",
            "Brussels",
            ("fr", "en", "nl"),
            "Secretariat",
            6,
        ),
        Person(
            "coordinator@bridges.example",
            "Daniel Okafor",
            "Volunteer Program Coordinator",
            C,
            "America/Toronto",
            "CA",
            "Toronto",
            ("en", "fr"),
            "Programs",
            4,
        ),
        Person(
            "mentor@bridges.example",
            "Robert Hayes",
            "Retired Association CEO (volunteer)",
            M,
            "America/New_York",
            "US",
            "Washington, DC",
            ("en",),
            "Volunteers",
            6,
            ("governance", "membership growth", "advocacy", "fundraising"),
            (),
            "mentor",
        ),
        Person(
            "margaret.chen@bridges.example",
            "Margaret Chen",
            "Former COO, trade association (volunteer)",
            M,
            "America/Vancouver",
            "CA",
            "Vancouver",
            ("en", "zh"),
            "Volunteers",
            6,
            ("financial management", "governance", "strategic planning"),
            (),
            "mentor",
        ),
        Person(
            "isabelle.martin@bridges.example",
            "Isabelle Martin",
            "Advocacy consultant (volunteer)",
            M,
            "Europe/Paris",
            "FR",
            "Lyon",
            ("fr", "en", "ar"),
            "Volunteers",
            5,
            ("advocacy", "policy analysis", "public speaking"),
            (),
            "mentor",
        ),
        Person(
            "hans.mueller@bridges.example",
            "Hans Müller",
            "Former Secretary General (volunteer)",
            M,
            "Europe/Berlin",
            "DE",
            "Berlin",
            ("de", "en"),
            "Volunteers",
            6,
            ("governance", "member services", "event management"),
            (),
            "mentor",
        ),
        Person(
            "lucia.romano@bridges.example",
            "Lucia Romano",
            "Fundraising director (volunteer)",
            M,
            "Europe/Rome",
            "IT",
            "Milan",
            ("it", "en", "fr"),
            "Volunteers",
            5,
            ("fundraising", "digital communication", "membership growth"),
            (),
            "mentor",
        ),
        Person(
            "mentee@bridges.example",
            "Farhana Rahman",
            "Executive Director, Dhaka Garment Exporters Association",
            M,
            "Asia/Dhaka",
            "BD",
            "Dhaka",
            ("bn", "en"),
            "Members",
            4,
            (),
            ("governance", "advocacy", "membership growth"),
            "mentee",
            "Dhaka Garment Exporters Association",
        ),
        Person(
            "youssef.benali@bridges.example",
            "Youssef Ben Ali",
            "Secretary General, Tunisian Chamber of Crafts",
            M,
            "Africa/Tunis",
            "TN",
            "Tunis",
            ("ar", "fr"),
            "Members",
            4,
            (),
            ("advocacy", "fundraising", "policy analysis"),
            "mentee",
            "Tunisian Chamber of Crafts",
        ),
        Person(
            "amina.diallo@bridges.example",
            "Amina Diallo",
            "Director, Senegal Women Entrepreneurs Network",
            M,
            "Africa/Dakar",
            "SN",
            "Dakar",
            ("fr", "wo", "en"),
            "Members",
            3,
            (),
            ("fundraising", "digital communication", "member services"),
            "mentee",
            "Senegal Women Entrepreneurs Network",
        ),
        Person(
            "sanjay.thapa@bridges.example",
            "Sanjay Thapa",
            "CEO, Nepal Hotel Association",
            M,
            "Asia/Kathmandu",
            "NP",
            "Kathmandu",
            ("ne", "en", "hi"),
            "Members",
            4,
            (),
            ("strategic planning", "event management", "financial management"),
            "mentee",
            "Nepal Hotel Association",
        ),
        Person(
            "nadia.haddad@bridges.example",
            "Nadia Haddad",
            "Programs Manager, Lebanese Industrialists Association",
            M,
            "Asia/Beirut",
            "LB",
            "Beirut",
            ("ar", "fr", "en"),
            "Members",
            3,
            (),
            ("advocacy", "policy analysis", "public speaking"),
            "mentee",
            "Lebanese Industrialists Association",
        ),
        Person(
            "kwame.mensah@bridges.example",
            "Kwame Mensah",
            "Executive Secretary, Ghana Agro Processors",
            M,
            "Africa/Accra",
            "GH",
            "Accra",
            ("en", "tw"),
            "Members",
            3,
            (),
            ("membership growth", "governance", "digital communication"),
            "mentee",
            "Ghana Agro Processors",
        ),
        Person(
            "siti.rahayu@bridges.example",
            "Siti Rahayu",
            "Director, Indonesian Coffee Cooperatives",
            M,
            "Asia/Jakarta",
            "ID",
            "Jakarta",
            ("id", "en"),
            "Members",
            3,
            (),
            ("financial management", "fundraising", "strategic planning"),
            "mentee",
            "Indonesian Coffee Cooperatives",
        ),
    ),
)

DEMO_ORGS = (MERIDIAN, BRIDGES)


def _login_rows(org: DemoOrg) -> list[tuple[str, str]]:
    rows = [("HR admin", org.people[0].email), ("Coordinator", org.people[1].email)]
    rows.append(("Mentor", f"mentor@{org.slug}.example"))
    rows.append(("Mentee", f"mentee@{org.slug}.example"))
    return rows


DEMO_LOGINS = {organization_domain(org.slug): _login_rows(org) for org in DEMO_ORGS}


def seed_demo(*, extra=None) -> list[str]:
    """Create the demo organizations, people and programs if absent, and tell
    Meridian's story (matching, pairs meeting). Returns what it created.

    `extra(org, people_by_email)` lets domain code add programs and the like inside
    each organization's schema (wired in by the command).
    """
    created: list[str] = []
    # One hash for every demo login: hashing per user would cost seconds of PBKDF2.
    password_hash = make_password(DEMO_PASSWORD)
    now = timezone.now()
    for org in DEMO_ORGS:
        schema = f"org_{org.slug}"
        if not Organization.objects.filter(schema_name=schema).exists():
            org_create(slug=org.slug, name=org.name)
            # The demo shows "require two-factor for staff": HR admins set it up
            # on their first sign-in.
            Organization.objects.filter(schema_name=schema).update(
                staff_two_factor=Organization.StaffTwoFactor.HR_ADMINS
            )
            created.append(org.name)
        with schema_context(schema), transaction.atomic():
            users = {}
            for person in org.people:
                user = User.objects.filter(email=person.email).first()
                if user is None:
                    user = user_create(
                        email=person.email,
                        password=None,
                        full_name=person.name,
                        preferred_name=PREFERRED_NAMES.get(person.email, ""),
                        role=person.role,
                        time_zone=person.zone,
                        verified=True,
                    )
                    user.password = password_hash
                    user.save(update_fields=["password"])
                    created.append(person.email)
                users[person.email] = user
            # Participant profiles and the demo program (programs.seed_data), set up
            # on the day the organization's story begins.
            with _clock(now - timedelta(days=org.story_days)):
                created.extend(seed_programs(org, users))
            if org.slug == MERIDIAN.slug:
                created.extend(_meridian_story(users, now=now))
            if extra is not None:
                created.extend(extra(org, users))
    return created


@contextmanager
def _clock(at: datetime) -> Iterator[None]:
    """Inside, ``timezone.now()`` (so every service and auto_now field) returns ``at``.

    The demo's past is written by the real services run "as of" past instants, so
    every check they make holds (a meeting is proposed before it happens and logged
    after it) and every timestamp, notifications included, tells one story. Seeding
    is a single-threaded command; nothing else runs under the patched clock.
    """
    with mock.patch.object(timezone, "now", return_value=at):
        yield


# --- Meridian's story: matched six weeks ago, pairs meeting since ------------------------
#
# Days before the seed runs (the program was set up 96 days ago, so by the
# programs.seed_data dates enrolment closed 51 days ago and it started 36 days ago):
#
#   50  the coordinator closes enrolment and starts matching
#   42  matching run; 41 published
#   40–38  most pairs accept on both sides; 36 the program starts
#   26–8  pairs meet, log and rate their meetings
#
# Where the story leaves the demo people (see PAIR_STORIES): Minh's pair active with
# a held meeting, a goal and a meeting confirmed for next week; Linh's proposal
# (with Marek, the demo mentor) unanswered; Emily and James not met since they
# started (at risk); Tomasz rated his last meeting 2/5 (at risk).

MATCHING_STARTS_DAYS_AGO = 50
RUN_DAYS_AGO = 42
PUBLISHED_DAYS_AGO = 41
PROGRAM_STARTS_DAYS_AGO = 36


@dataclass(frozen=True)
class HeldMeeting:
    """A meeting around ``days_ago``, logged by both and rated (mentee, mentor)."""

    days_ago: int
    pulses: tuple[int, int]
    topics: str
    notes: str = ""
    action_items: str = ""
    mentee_says: str = ""  # the mentee's pulse note, for the coordinator only


@dataclass(frozen=True)
class PairStory:
    # Days ago the mentee and the mentor accepted; None leaves the pair proposed.
    accepted_days_ago: tuple[int, int] | None
    meetings: tuple[HeldMeeting, ...] = ()
    # A goal the mentee set after the first meeting, and its progress now.
    goal: tuple[str, int] | None = None


MINH = "mentee@meridian.example"
DEFAULT_PAIR_STORY = PairStory(accepted_days_ago=(39, 38))
# Keyed by mentee: the engine picks the mentors.
PAIR_STORIES: dict[str, PairStory] = {
    MINH: PairStory(
        accepted_days_ago=(40, 22),  # the mentor came back from leave
        meetings=(
            HeldMeeting(
                10,
                (5, 4),
                "Design reviews, the payment retries service",
                "<p>How design reviews run at Meridian, and what reviewers look for "
                "first: failure modes, then data ownership.</p>",
                "Minh drafts the retries design doc; share it before the next meeting.",
            ),
        ),
    ),
    "priya.sharma@meridian.example": PairStory(
        accepted_days_ago=(40, 40),
        meetings=(
            HeldMeeting(26, (3, 4), "Getting started, goals for six months"),
            HeldMeeting(12, (5, 4), "Consensus protocols in practice"),
        ),
        goal=("Own the design of the event bus migration", 60),
    ),
    "deepika.nair@meridian.example": PairStory(
        accepted_days_ago=(39, 39),
        meetings=(
            HeldMeeting(24, (4, 4), "Getting started, reading code for review"),
            HeldMeeting(10, (4, 5), "System design interview practice"),
        ),
        goal=("Review a pull request a day for a month", 25),
    ),
    "arjun.reddy@meridian.example": PairStory(
        accepted_days_ago=(40, 39),
        meetings=(
            HeldMeeting(25, (5, 4), "Test strategy for the mobile release"),
            HeldMeeting(11, (5, 5), "Leading the QA guild meeting"),
        ),
        goal=("Run the QA guild for a quarter", 70),
    ),
    "agnieszka.lewandowska@meridian.example": PairStory(
        accepted_days_ago=(39, 38),
        meetings=(HeldMeeting(9, (4, 4), "Multi-region failover design"),),
    ),
    "tomasz.zielinski@meridian.example": PairStory(
        accepted_days_ago=(38, 38),
        meetings=(
            HeldMeeting(
                8,
                (2, 3),
                "Code review habits",
                mentee_says="We ran out of time again; I'd like more hands-on review.",
            ),
        ),
    ),
    "emily.davis@meridian.example": PairStory(accepted_days_ago=(40, 39)),
    "linh.tran@meridian.example": PairStory(accepted_days_ago=None),
}
ONLINE_LINK = "https://meet.meridian.example/mentoring"


def _meridian_story(users: dict[str, User], *, now: datetime) -> list[str]:
    """Match Meridian's program and give its pairs a history; once per program."""
    program = Program.objects.get(name=PROGRAMS["meridian"]["fields"]["name"])
    if (
        program.status != Program.Status.ENROLLING
        or MatchRun.objects.filter(program=program).exists()
    ):
        return []  # told by an earlier seed, or someone has moved the program on

    def days_ago(days: int) -> datetime:
        return now - timedelta(days=days)

    coordinator = users["coordinator@meridian.example"]
    with _clock(days_ago(MATCHING_STARTS_DAYS_AGO)):
        program = program_transition(
            program=program, to=Program.Status.MATCHING, by=coordinator
        )
    with _clock(days_ago(RUN_DAYS_AGO)):
        run = match_run_start(program=program, by=coordinator)
    with _clock(days_ago(PUBLISHED_DAYS_AGO)):
        run = match_run_publish(run=run, by=coordinator)
    _answers(run, now=now)
    with _clock(days_ago(PROGRAM_STARTS_DAYS_AGO)):
        program = program_transition(
            program=program, to=Program.Status.ACTIVE, by=coordinator
        )
    created = [f"matching run {run.pk} of {program.name}, published"]
    pairs = [
        pair_of(match)
        for match in pair_queryset()
        .filter(run=run, status=Match.Status.ACTIVE)
        .order_by("pk")
    ]
    for pair in pairs:
        story = PAIR_STORIES.get(pair.mentee.user.email, DEFAULT_PAIR_STORY)
        for held in story.meetings:
            meeting = _held_meeting(
                pair, held, now=now, minutes=program.meeting_length_minutes
            )
            created.append(f"held {meeting}")
        if story.goal is not None:
            title, progress = story.goal
            first_meeting = story.meetings[0].days_ago
            with _clock(days_ago(first_meeting - 1)):
                goal = goal_create(pair=pair, by=pair.mentee.user, title=title)
            with _clock(days_ago(3)):
                goal_progress_set(
                    pair=pair, goal=goal, by=pair.mentee.user, progress=progress
                )
            created.append(f"goal {goal}")
        if pair.mentee.user.email == MINH:
            created.extend(_minh_goal_and_next_meeting(pair, program=program, now=now))
    created.extend(_meridian_surveys(program, coordinator, pairs, now=now))
    created.extend(_meridian_success_stories(program, coordinator, pairs, now=now))
    _outbox_settle(now=now)
    return created


def _meridian_success_stories(
    program: Program, coordinator: User, pairs: list[Pair], *, now: datetime
) -> list[str]:
    """One story agreed by both people and approved (it shows in the reports), one
    draft waiting for the coordinator to ask the pair."""
    by_mentee = {pair.mentee.user.email: pair for pair in pairs}
    made = []
    arjun = by_mentee.get("arjun.reddy@meridian.example")
    if arjun is not None:
        with _clock(now - timedelta(days=4)):
            story = stories.story_create(
                program=program,
                by=coordinator,
                fields=stories.StoryFields(
                    title="The QA guild runs itself now",
                    what_happened=f"{arjun.mentee.user.greeting_name} took over the "
                    f"weekly QA guild with {arjun.mentor.user.greeting_name}'s coaching "
                    "and moved release testing to a shared checklist.",
                    outcome="Regressions found after a release",
                    outcome_before=9,
                    outcome_after=3,
                    outcome_unit="per release",
                ),
                match=arjun.match,
            )
        with _clock(now - timedelta(days=3)):
            for person in arjun.attendees:
                stories.story_consent_set(story=story, by=person.user, agree=True)
        with _clock(now - timedelta(days=2)):
            stories.story_approve(story=story, by=coordinator)
        made.append(f"story {story.title}: approved")
    priya = by_mentee.get("priya.sharma@meridian.example")
    if priya is not None:
        with _clock(now - timedelta(days=1)):
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


# --- Meridian's surveys: a baseline at the start, an anonymous check-in last week ----------

BASELINE_SENT_DAYS_AGO = 35
MIDPOINT_SENT_DAYS_AGO = 5
# Per mentee, by order: ratings of the four focus areas, confidence, what they want.
BASELINE_ANSWERS = (
    ((2, 1, 3, 1), 2, "Lead a design review without freezing up."),
    ((3, 2, 2, 2), 3, "Grow into a tech lead role within a year."),
    ((2, 2, 3, 1), 2, "Speak up in architecture meetings."),
    ((1, 1, 2, 2), 2, "Understand how senior engineers make trade-offs."),
    ((3, 3, 2, 3), 3, "Plan my next career step with someone outside my team."),
    ((2, 2, 1, 1), 1, "Present our team's work to the whole company."),
)
# Mentors and mentees, anonymously: relationship, progress, what gets in the way.
MIDPOINT_ANSWERS = (
    (5, 4, ["Time zones"], "More time for hands-on review."),
    (4, 3, ["Finding time", "Time zones"], ""),
    (4, 4, ["Nothing so far"], "Keep the same rhythm."),
    (2, 2, ["Cancelled meetings"], "Agree on a fixed slot."),
    (5, 4, ["Language"], ""),
    (4, 3, ["Time zones"], "A shared agenda before each meeting."),
    (3, 3, ["Finding time"], ""),
)


def _survey_data(survey, values: dict[str, object]) -> dict[str, list[str]]:
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


def _meridian_surveys(
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
        with _clock(days_ago(sent_days_ago)):
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
            with _clock(answered_at):
                survey_responses.response_submit(
                    assignment=asked[user.pk],
                    by=user,
                    data=_survey_data(survey, values),
                    today=answered_at.astimezone(ZoneInfo(user.time_zone)).date(),
                )
        made.append(f"survey {survey.title}: {len(asked)} asked")
    with _clock(days_ago(1)):
        [closing] = survey_builder.survey_copy_template(
            program=program, by=coordinator, template_key="closing"
        )
        closing = survey_builder.survey_set_status(
            survey=closing, by=coordinator, status="open"
        )
    made.append(f"survey {closing.title}: sent when the program closes")
    # Their announcements belong to the past, like the story's emails.
    Notification.objects.filter(
        kind__startswith="survey-",
        status=Notification.Status.SCHEDULED,
        due_at__lte=now,
    ).update(status=Notification.Status.SENT, sent_at=F("due_at"))
    return made


def _outbox_settle(*, now: datetime) -> None:
    """Record the story's emails and digest items as sent when they fell due.

    They belong to its past: delivering them now would mail dozens of stale match
    notices and invitations on the demo's first start. Reminders still ahead (next
    week's meeting) stay scheduled and go out for real; the tasks enqueued for
    these rows on commit find them sent and skip them.
    """
    Notification.objects.filter(
        status__in=[Notification.Status.SCHEDULED, Notification.Status.QUEUED],
        due_at__lte=now,
    ).update(status=Notification.Status.SENT, sent_at=F("due_at"))


def _answers(run: MatchRun, *, now: datetime) -> None:
    """Both sides accept each proposal on their story's days, oldest answer first."""
    answers = []
    for match in pair_queryset().filter(run=run).order_by("pk"):
        story = PAIR_STORIES.get(
            match.mentee.participant.user.email, DEFAULT_PAIR_STORY
        )
        if story.accepted_days_ago is None:
            continue
        mentee_days, mentor_days = story.accepted_days_ago
        answers.append((mentee_days, match, match.mentee.participant.user))
        answers.append((mentor_days, match, match.mentor.participant.user))
    for days, match, person in sorted(answers, key=lambda a: (-a[0], a[1].pk)):
        with _clock(now - timedelta(days=days)):
            match_accept(match=match, by=person)


def _first_slot(pair: Pair, *, after: datetime, minutes: int) -> datetime:
    """The earliest time from the pair page's suggestions (checkins.timezones)."""
    slots = timezones.propose_slots(
        pair.mentor.working_pattern(),
        pair.mentee.working_pattern(),
        after=after,
        weeks=1,
        duration=timedelta(minutes=minutes),
    )
    return slots[0].start


def _held_meeting(
    pair: Pair, held: HeldMeeting, *, now: datetime, minutes: int
) -> Meeting:
    starts_at = _first_slot(
        pair, after=now - timedelta(days=held.days_ago), minutes=minutes
    )
    ends_at = starts_at + timedelta(minutes=minutes)
    if ends_at + timedelta(hours=3) > now:
        raise ValueError(f"A held meeting must be over by now: {held}")
    mentor, mentee = pair.mentor.user, pair.mentee.user
    details = MeetingDetails(
        duration_minutes=minutes, agenda=held.topics, online_link=ONLINE_LINK
    )
    with _clock(starts_at - timedelta(days=3)):
        meeting = meeting_propose(
            pair=pair, by=mentor, starts_at=starts_at, details=details
        )
    # Confirmed within the hour before: no reminder falls due after that, so the
    # outbox is left nothing to send about a meeting long past.
    with _clock(starts_at - timedelta(minutes=50)):
        meeting_accept(meeting=meeting, pair=pair, by=mentee)
    for person, after, usefulness in (
        (mentee, timedelta(hours=1), held.pulses[0]),
        (mentor, timedelta(hours=3), held.pulses[1]),
    ):
        with _clock(ends_at + after):
            meeting_log_save(
                meeting=meeting,
                owner=pair,
                by=person,
                entry=LogEntry(
                    happened=True,
                    duration_minutes=minutes,
                    topics=held.topics,
                    shared_notes=held.notes if person == mentee else "",
                    action_items=held.action_items if person == mentee else "",
                    private_note=(
                        f"Ask {mentor.greeting_name} how they prepare for reviews "
                        "with senior staff."
                        if person == mentee and pair.mentee.user.email == MINH
                        else ""
                    ),
                ),
            )
            pulse_submit(
                meeting=meeting,
                pair=pair,
                by=person,
                usefulness=usefulness,
                for_coordinator=held.mentee_says if person == mentee else "",
            )
    return meeting


def _minh_goal_and_next_meeting(
    pair: Pair, *, program: Program, now: datetime
) -> list[str]:
    """A goal with milestones and progress, updates between meetings, and a meeting
    confirmed for next week at the first time that suits both."""
    minh, mentor = pair.mentee.user, pair.mentor.user

    def days_ago(days: int) -> datetime:
        return now - timedelta(days=days)

    with _clock(days_ago(9)):
        goal = goal_create(
            pair=pair,
            by=minh,
            title="Lead the design review of payment retries",
            description="Own the design doc and run the review with the payments "
            "and platform leads.",
            objective=program.objectives.order_by("order", "id").first(),
        )
        draft = milestone_add(
            pair=pair, goal=goal, by=minh, title="Draft the design doc"
        )
        milestone_add(
            pair=pair, goal=goal, by=minh, title=f"Walk {mentor.greeting_name} through it"
        )
        milestone_add(pair=pair, goal=goal, by=minh, title="Run the design review")
    with _clock(days_ago(6)):
        async_update_post(
            pair=pair,
            by=mentor,
            body="<p>The talk on idempotency keys I mentioned is in the platform "
            "wiki under <em>Payments reliability</em>. Worth 20 minutes before you "
            "write the failure-modes section.</p>",
        )
    with _clock(days_ago(4)):
        milestone_toggle(pair=pair, milestone=draft, by=minh)
        goal_progress_set(pair=pair, goal=goal, by=minh, progress=40)
        async_update_post(
            pair=pair,
            by=minh,
            body="<p>First draft of the design doc is done and shared with you. "
            "The retry budget section still needs numbers.</p>",
        )
    with _clock(days_ago(3)):
        goal_comment(
            pair=pair,
            goal=goal,
            by=mentor,
            text="Good first draft. Lead with the failure modes; that is what the "
            "reviewers will ask about first.",
        )
    today = now.astimezone(ZoneInfo(minh.time_zone)).date()
    next_monday = today + timedelta(days=7 - today.weekday())
    starts_at = _first_slot(
        pair,
        after=timezones.local_instant(minh.time_zone, next_monday, time(0, 0)),
        minutes=program.meeting_length_minutes,
    )
    details = MeetingDetails(
        duration_minutes=program.meeting_length_minutes,
        agenda="Walk through the design doc draft; plan the review.",
        online_link=ONLINE_LINK,
    )
    with _clock(now - timedelta(days=1)):
        meeting = meeting_propose(
            pair=pair, by=minh, starts_at=starts_at, details=details
        )
    with _clock(now - timedelta(hours=2)):
        meeting_accept(meeting=meeting, pair=pair, by=mentor)
    return [f"goal {goal}", f"upcoming {meeting}"]
