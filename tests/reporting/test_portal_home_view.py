"""The portal home renders every app's card in its first response (issue 16: its
late-loading cards cost Lighthouse its LCP and layout shifts), in a constant number
of queries."""

from __future__ import annotations

from checkins.models import Meeting
from matching.models import Match
from mentorship.accounts.models import User
from programs.models import Program
from tests.checkins.conftest import make_pair
from tests.checkins.test_portal_waiting import _meeting
from tests.programs.factories import EnrollingProgramFactory, ModuleFactory
from tests.reporting.factories import assign, survey

# The portal home's own (13, tests/programs/test_portal_home_view.py) plus its
# "Waiting for you" card's (12, tests/checkins/test_portal_waiting.py).
BUDGET = 25


def _program_with_everything(mentee: User, n: int) -> None:
    """An active pair with a meeting request, a meeting to log and a survey, a
    proposal in a second program, training, and a program open for applications."""
    mentor = User.objects.create_user(f"mentor{n}@alpha.example", None)
    program = Program.objects.create(name=f"Active {n}", status=Program.Status.ACTIVE)
    pair = make_pair(program=program, mentor=mentor, mentee=mentee)
    _meeting(pair, by=mentor, days=3, status=Meeting.Status.PROPOSED)
    _meeting(pair, by=mentor, days=-2, status=Meeting.Status.CONFIRMED)
    ModuleFactory(program=program, required_for_role="mentee")
    assign(survey(program, title=f"Pulse {n}"), pair.match.mentee)
    proposer = User.objects.create_user(f"proposed{n}@alpha.example", None)
    other = Program.objects.create(name=f"Proposed {n}", status=Program.Status.ACTIVE)
    make_pair(program=other, mentor=proposer, mentee=mentee, status="proposed")
    EnrollingProgramFactory(name=f"Open {n}")


def test_every_card_is_in_the_first_response(alpha, mentee):
    _program_with_everything(mentee, 0)

    page = alpha.client("mentee").get("/").content.decode()

    assert 'id="portal-waiting"' in page
    assert "asks to meet" in page
    assert 'id="portal-matches"' in page
    assert "1 waiting for your answer" in page
    assert "Surveys for you" in page
    assert "Pulse 0" in page
    assert "Loading…" not in page
    assert 'hx-trigger="load"' not in page


def test_an_empty_home_says_so_in_each_card(alpha, mentee):
    page = alpha.client("mentee").get("/").content.decode()

    assert "Nothing waits for you now" in page
    assert "No match yet" in page
    assert "Surveys for you" not in page  # nothing to answer: no card


def test_queries_do_not_grow_with_items(alpha, mentee, django_assert_max_num_queries):
    client = alpha.client("mentee")
    _program_with_everything(mentee, 0)
    with django_assert_max_num_queries(BUDGET) as one:
        client.get("/")
    for n in range(1, 5):
        _program_with_everything(mentee, n)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get("/").content.decode()
    assert page.count("asks to meet") == 5
    assert "5 waiting for your answer" in page
    assert page.count('">Pulse ') == 5
    assert Match.objects.filter(status="proposed").count() == 5
