"""The coordinator's home (/manage/): per program its stage, the one next step and
the figures that need attention, each linking to the list behind it; at-risk pairs
link to their pair page; a constant number of queries at any size."""

from __future__ import annotations

import datetime
import html

import pytest
from django.utils import timezone

from matching.models import Match
from programs.models import Enrollment
from tests.matching.factories import matching_program, mentee, mentor
from tests.programs.factories import (
    EnrollingProgramFactory,
    EnrollmentFactory,
    ModuleFactory,
    ProgramFactory,
)
from tests.reporting.home_bulk import bulk_home_programs

pytestmark = pytest.mark.django_db


def page_of(client) -> str:
    response = client.get("/manage/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def pair(program, *, status="active", days_ago=20, **fields) -> Match:
    return Match.objects.create(
        program=program,
        mentor=mentor(program),
        mentee=mentee(program),
        status=status,
        **fields,
    )


def test_enrolling_program_next_step_is_deciding_its_applications(alpha, coordinator):
    # given
    program = EnrollingProgramFactory(name="Growth 2027", coordinators=[coordinator])
    EnrollmentFactory.create_batch(2, program=program, status="applied")
    EnrollmentFactory(program=program, status="approved")
    ProgramFactory(name="Someone else's", coordinators=[alpha.user("coordinator2")])
    # when
    page = page_of(alpha.client("coordinator"))
    # then
    assert "Growth 2027" in page
    assert "Someone else's" not in page
    detail = f"/manage/programs/{program.pk}/"
    assert (
        f'class="button next-step" href="{detail}?status=applied">Decide 2 applications<'
        in page
    )
    assert (
        f'<a href="{detail}?status=applied"><span class="value">2</span> <span class="label">applications to decide'
        in page
    )


def test_active_program_shows_pairs_risk_and_stale_proposals(alpha, coordinator):
    # given: an active program with two healthy pairs, one at risk (no meeting for
    # 60 days at a 14-day cadence) and a proposal unanswered for 41 days
    now = timezone.now()
    program = matching_program(
        coordinators=[coordinator], status="active", name="Reverse 2027"
    )
    for _ in range(2):
        pair(program, started_at=now - datetime.timedelta(days=5))
    risky = pair(program, started_at=now - datetime.timedelta(days=60))
    pair(program, status="proposed", proposed_at=now - datetime.timedelta(days=41))
    # when
    page = page_of(alpha.client("coordinator"))
    # then: the next step is the pair at risk, and every figure links to its list
    health = f"/manage/programs/{program.pk}/health/"
    matches = f"/manage/programs/{program.pk}/matches/"
    assert f'href="{health}?at_risk=1">Check on 1 pair at risk<' in page
    assert (
        f'<a href="{matches}?status=active"><span class="value">3</span> <span class="label">active pairs'
        in page
    )
    assert (
        f'<a href="{health}?at_risk=1"><span class="value">1</span> <span class="label">at risk'
        in page
    )
    assert (
        f'<a href="{matches}?stale=1"><span class="value">1</span> <span class="label">proposal waiting over 7 days'
        in page
    )
    # the pair at risk is named and links to its pair page
    assert f'href="/pairs/{risky.pk}/"' in page
    assert "No meeting for 60 days" in page


def test_matching_program_next_step_is_running_matching(alpha, coordinator):
    program = matching_program(coordinators=[coordinator])
    page = page_of(alpha.client("coordinator"))
    assert f'href="/manage/programs/{program.pk}/matching/">Run matching<' in page


def test_people_blocked_by_training_are_counted(alpha, coordinator):
    program = matching_program(coordinators=[coordinator])
    ModuleFactory(program=program, required_for_role="mentor")
    mentor(program)
    mentor(program)
    page = page_of(alpha.client("coordinator"))
    assert (
        f'<a href="/manage/programs/{program.pk}/training/?blocked=1">'
        '<span class="value">2</span> <span class="label">blocked by training'
    ) in page


def test_hr_admin_sees_every_program(alpha):
    ProgramFactory(name="Unassigned program")
    assert "Unassigned program" in page_of(alpha.client("hradmin"))


def test_empty_state_says_what_to_do(alpha):
    page = page_of(alpha.client("coordinator"))
    assert "No programs yet" in page
    assert "New program" in page


def test_mentee_cannot_open_it(alpha):
    assert alpha.client("mentee").get("/manage/").status_code == 403


def test_outsider_gets_the_login_page(alpha, beta):
    EnrollingProgramFactory(name="Alpha secret program")
    response = beta.client("coordinator").get("/manage/")
    assert b"Alpha secret program" not in response.content


@pytest.mark.parametrize("programs", [1, 20])
def test_queries_do_not_grow_with_programs_or_people(
    alpha, coordinator, programs, django_assert_max_num_queries
):
    # given: `programs` active programs with 2,000 people each (1,000 pairs)
    bulk_home_programs(
        coordinator=coordinator, programs=programs, participants=2000, prefix="q"
    )
    assert Enrollment.objects.count() == programs * 2000
    client = alpha.client("coordinator")
    # when / then — tenant routing (3) and the migration check (2), session, user;
    # the programs with enrolment counts; pairs by status; runs in review; at-risk
    # pairs (4: pairs with meeting aggregates, goals, pulses, who logged); people
    # blocked by training; survey answers due
    with django_assert_max_num_queries(16):
        page = page_of(client)
    assert page.count('class="card home-card"') == programs
    assert "waiting over 7 days" in page
