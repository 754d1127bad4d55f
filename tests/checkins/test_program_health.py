"""Relationship health: the at-risk rules, and the coordinator's health view."""

import datetime

import pytest
from django.utils import timezone

from checkins.models import Goal, Meeting, MeetingLog, Pulse
from checkins.selectors import pair_health
from programs.models import Program
from tests.checkins.bulk import bulk_pairs


def _meeting(
    pair, *, days_ago, status=Meeting.Status.HELD, by=None, proposed_days_ago=None
):
    now = timezone.now()
    return Meeting.objects.create(
        match=pair.match,
        starts_at=now - datetime.timedelta(days=days_ago),
        status=status,
        proposed_by=by or pair.mentor.user,
        proposed_at=now
        - datetime.timedelta(
            days=proposed_days_ago if proposed_days_ago else days_ago + 2
        ),
    )


def _both_take_part(pair, meeting, scores=(4, 5)):
    for attendee, score in zip(pair.attendees, scores, strict=True):
        MeetingLog.objects.create(meeting=meeting, author=attendee.user, happened=True)
        Pulse.objects.create(meeting=meeting, author=attendee.user, usefulness=score)


def _health(pair):
    return pair_health(match=pair.match, now=timezone.now())


def test_a_pair_meeting_on_rhythm_is_healthy(pair):
    _both_take_part(pair, _meeting(pair, days_ago=20), scores=(3, 4))
    _both_take_part(pair, _meeting(pair, days_ago=8), scores=(4, 5))
    Goal.objects.create(match=pair.match, title="a", progress=40)
    Goal.objects.create(match=pair.match, title="b", progress=60)
    health = _health(pair)
    assert health.risks == []
    assert health.held == 2
    assert health.expected == 2  # started 30 days ago, every 14 days
    assert health.goal_progress == 50
    assert health.pulse_trend == [3.5, 4.5]
    assert health.pulse_direction == "up"


def test_no_meeting_for_twice_the_cadence(pair):
    # started 30 days ago, never met: 30 > 2 × 14
    assert _health(pair).risks == ["No meeting for 30 days"]
    _both_take_part(pair, _meeting(pair, days_ago=29))
    assert _health(pair).risks == ["No meeting for 29 days"]
    _both_take_part(pair, _meeting(pair, days_ago=27))
    assert _health(pair).risks == []


def test_low_pulse(pair):
    _both_take_part(pair, _meeting(pair, days_ago=20), scores=(5, 5))
    _both_take_part(pair, _meeting(pair, days_ago=8), scores=(4, 2))
    assert _health(pair).risks == ["Low pulse: 2/5 on the last meeting"]


def test_only_the_last_three_rated_meetings_count_for_the_trend(pair):
    for days, score in ((26, 1), (20, 3), (14, 4), (8, 5)):
        _both_take_part(pair, _meeting(pair, days_ago=days), scores=(score, score))
    health = _health(pair)
    assert health.pulse_trend == [3.0, 4.0, 5.0]
    assert health.risks == []


def test_unanswered_proposal_for_more_than_a_week(pair):
    _both_take_part(pair, _meeting(pair, days_ago=8))
    _meeting(
        pair,
        days_ago=-3,
        status=Meeting.Status.PROPOSED,
        by=pair.mentor.user,
        proposed_days_ago=8,
    )
    risks = _health(pair).risks
    assert len(risks) == 1
    assert "Priya Mentee" in risks[0]
    assert "hasn't answered a proposal for 8 days" in risks[0]


def test_a_fresh_proposal_is_not_a_risk(pair):
    _both_take_part(pair, _meeting(pair, days_ago=8))
    _meeting(pair, days_ago=-3, status=Meeting.Status.PROPOSED, proposed_days_ago=2)
    assert _health(pair).risks == []


def test_only_one_side_logging(pair):
    meeting = _meeting(pair, days_ago=10)
    MeetingLog.objects.create(meeting=meeting, author=pair.mentor.user, happened=True)
    Pulse.objects.create(meeting=meeting, author=pair.mentor.user, usefulness=4)
    risks = _health(pair).risks
    assert len(risks) == 1
    assert risks[0].startswith("Only one side logs: Priya Mentee")


def test_one_sided_logging_gets_a_week_of_grace(pair):
    meeting = _meeting(pair, days_ago=3)
    MeetingLog.objects.create(meeting=meeting, author=pair.mentor.user, happened=True)
    assert _health(pair).risks == []


# --- The view ------------------------------------------------------------------------------


def test_lists_active_pairs_with_their_health(alpha, program, pair):
    _both_take_part(pair, _meeting(pair, days_ago=8), scores=(4, 5))
    response = alpha.client("coordinator").get(f"/manage/programs/{program.pk}/health/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f"/pairs/{pair.match.pk}/" in body
    assert f'href="/manage/programs/{program.pk}/"' in body  # back to the program
    assert "Healthy" in body
    assert "1 / 2" in body


def test_filters_at_risk_and_by_name(alpha, program, pair, stranger, coordinator):
    from tests.checkins.conftest import make_pair

    other_mentor = stranger
    from mentorship.accounts.models import User

    other_mentee = User.objects.create_user(
        "olga@alpha.example", full_name="Olga Other"
    )
    healthy = make_pair(program=program, mentor=other_mentor, mentee=other_mentee)
    _both_take_part(healthy, _meeting(healthy, days_ago=5))
    client = alpha.client("coordinator")
    url = f"/manage/programs/{program.pk}/health/"
    at_risk = client.get(url, {"at_risk": "1"}).context["table"]
    assert [row.match_id for row in at_risk.page.object_list] == [pair.match.pk]
    found = client.get(url, {"q": "olga"}).context["table"]
    assert [row.match_id for row in found.page.object_list] == [healthy.match.pk]
    partial = client.get(url, {"q": "olga"}, HTTP_HX_REQUEST="true")
    assert 'id="health-table"' in partial.content.decode()
    assert "<html" not in partial.content.decode()


def test_paginates(alpha, program):
    bulk_pairs(program=program, count=60, prefix="page")
    client = alpha.client("coordinator")
    url = f"/manage/programs/{program.pk}/health/"
    first = client.get(url).context["table"]
    second = client.get(url, {"page": "2"}).context["table"]
    assert len(first.page.object_list) == 50
    assert len(second.page.object_list) == 10
    # at-risk pairs come first
    assert first.page.object_list[0].is_at_risk


def test_hr_admin_sees_every_program(alpha, program):
    assert (
        alpha.client("hradmin")
        .get(f"/manage/programs/{program.pk}/health/")
        .status_code
        == 200
    )


def test_another_coordinator_gets_404(alpha, program):
    assert (
        alpha.client("coordinator2")
        .get(f"/manage/programs/{program.pk}/health/")
        .status_code
        == 404
    )


@pytest.mark.parametrize("persona", ["mentor", "mentee"])
def test_participants_are_refused(alpha, program, persona):
    assert (
        alpha.client(persona).get(f"/manage/programs/{program.pk}/health/").status_code
        == 403
    )


def test_outsider_from_another_organization(beta, program):
    response = beta.client("coordinator").get(f"/manage/programs/{program.pk}/health/")
    assert response.status_code == 404


def test_anonymous_is_sent_to_login(alpha, program):
    response = alpha.client().get(f"/manage/programs/{program.pk}/health/")
    assert response.status_code == 302


@pytest.mark.parametrize("size", [10, 1000])
def test_query_count_does_not_grow_with_pairs(
    alpha, coordinator, size, django_assert_max_num_queries
):
    program = Program.objects.create(
        name=f"Bulk {size}", status=Program.Status.ACTIVE, meeting_cadence_days=14
    )
    program.coordinators.add(coordinator)
    bulk_pairs(program=program, count=size, prefix=f"q{size}")
    client = alpha.client("coordinator")
    url = f"/manage/programs/{program.pk}/health/"
    client.get(url)  # warm-up: session, content types
    # Expected: session, user, program (with the coordinator check), then the 4 health
    # queries (pairs with meeting aggregates, goals, pulse trend, who took part);
    # plus savepoints around the request in tests. No query per pair.
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200
    table = response.context["table"]
    assert table.at_risk_count == len(
        [n for n in range(size) if n % 3 == 0 or n % 5 == 4]
    )
    with django_assert_max_num_queries(10):
        client.get(url, {"at_risk": "1", "page": "2"})
