"""Pauses: a pair stops for a set period with a reason, isn't flagged at risk nor
nudged meanwhile, and comes back with a welcome; plus the reschedule and missed
counts on the health row."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from checkins import services
from checkins.models import Meeting, MeetingLog, PairPause
from checkins.selectors import pair_health, pairs_at_risk
from checkins.services.pauses import RESUME_KIND
from mentorship.accounts.models import User
from mentorship.notifications.models import Notification
from mentorship.notifications.services import digest_due_at
from programs.models import Program
from tests.checkins.bulk import bulk_pairs
from tests.checkins.conftest import make_pair

UTC = datetime.UTC
# Monday 8 June 2026, noon UTC. The mentor is in Ho Chi Minh City (UTC+7), the
# mentee in Kolkata (UTC+5:30); both have their digest at 09:00 local.
MONDAY_NOON = datetime.datetime(2026, 6, 8, 12, 0, tzinfo=UTC)
TODAY = MONDAY_NOON.date()


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _pause(pair, *, starts_on, ends_on, reason=PairPause.Reason.TRAVEL, note=""):
    """A pause made directly (past dates allowed), as if set earlier."""
    return PairPause.objects.create(
        match=pair.match,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason,
        note=note,
        created_by=pair.mentor.user,
    )


def _meeting(pair, *, starts_at, status, sequence=0):
    return Meeting.objects.create(
        match=pair.match,
        starts_at=starts_at,
        status=status,
        sequence=sequence,
        proposed_by=pair.mentor.user,
        proposed_at=starts_at - _days(3),
    )


@pytest.fixture
def frozen():
    with time_machine.travel(MONDAY_NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def paused_world(frozen, program, mentor, mentee):
    """The pair, started 30 days before MONDAY_NOON and never met: at risk."""
    return make_pair(program=program, mentor=mentor, mentee=mentee)


# --- Validation ----------------------------------------------------------------------------


def _start(pair, by, **changes):
    values = {
        "starts_on": TODAY,
        "ends_on": TODAY + _days(21),
        "reason": PairPause.Reason.ELECTIONS,
        "note": "",
    } | changes
    return services.pair_pause_start(pair=pair, by=by, **values)


def test_refuses_a_start_in_the_past(paused_world, mentor):
    with pytest.raises(ValidationError) as error:
        _start(paused_world, mentor, starts_on=TODAY - _days(1))
    assert "past" in error.value.message_dict["starts_on"][0]


def test_refuses_a_pause_over_90_days(paused_world, mentor):
    _start(paused_world, mentor, ends_on=TODAY + _days(90))  # exactly 90: fine
    PairPause.objects.all().delete()
    with pytest.raises(ValidationError) as error:
        _start(paused_world, mentor, ends_on=TODAY + _days(91))
    assert "at most 90 days" in error.value.message_dict["ends_on"][0]


def test_refuses_an_end_before_the_start(paused_world, mentor):
    with pytest.raises(ValidationError) as error:
        _start(paused_world, mentor, ends_on=TODAY)
    assert "ends_on" in error.value.message_dict


def test_refuses_a_second_open_pause(paused_world, mentor, mentee):
    _start(paused_world, mentor, starts_on=TODAY + _days(10), ends_on=TODAY + _days(20))
    with pytest.raises(ValidationError, match="already has a pause"):
        _start(paused_world, mentee, starts_on=TODAY, ends_on=TODAY + _days(5))
    assert PairPause.objects.count() == 1


def test_other_needs_a_note(paused_world, mentor):
    with pytest.raises(ValidationError) as error:
        _start(paused_world, mentor, reason=PairPause.Reason.OTHER)
    assert "note" in error.value.message_dict
    pause = _start(
        paused_world, mentor, reason=PairPause.Reason.OTHER, note="Office move"
    )
    assert pause.reason_text == "Office move"


def test_a_new_pause_once_the_last_is_over(paused_world, mentor):
    _pause(paused_world, starts_on=TODAY - _days(20), ends_on=TODAY)
    assert _start(paused_world, mentor).ends_on == TODAY + _days(21)


def test_someone_outside_the_pair_cannot_pause(paused_world, stranger):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _start(paused_world, stranger)


def test_pausing_and_ending_are_audited(paused_world, mentor, coordinator):
    pause = _start(paused_world, mentor)
    services.pair_pause_end(pair=paused_world, by=coordinator)
    # (browser tests commit entries of their own: this pause's only)
    entries = LogEntry.objects.filter(object_pk=str(pause.pk))
    paused = entries.get(additional_data__action="pair.paused")
    ended = entries.get(additional_data__action="pair.pause_ended")
    assert paused.actor == mentor
    assert ended.actor == coordinator
    pause.refresh_from_db()
    assert pause.ended_early_by == coordinator


# --- Not at risk, not nudged, back on rhythm ---------------------------------------------------


def test_a_paused_pair_is_not_at_risk(paused_world, program):
    assert pair_health(match=paused_world.match, now=timezone.now()).is_at_risk
    _pause(paused_world, starts_on=TODAY, ends_on=TODAY + _days(14))
    row = pair_health(match=paused_world.match, now=timezone.now())
    assert row.risks == []
    assert row.is_paused
    assert row.pause.line == "Paused until 22 Jun 2026 — Travel"
    # due again a cadence after it is back, not before
    assert row.next_due == datetime.datetime(2026, 7, 6, tzinfo=UTC)
    assert pairs_at_risk(program_ids=[program.pk], now=timezone.now()) == []


def test_a_planned_pause_does_not_hide_risk_yet(paused_world):
    _pause(paused_world, starts_on=TODAY + _days(3), ends_on=TODAY + _days(14))
    row = pair_health(match=paused_world.match, now=timezone.now())
    assert row.is_at_risk
    assert not row.is_paused
    assert row.pause.line.startswith("Pause planned 11 Jun to 22 Jun 2026")


def test_a_paused_pair_is_not_in_the_risk_digest(paused_world, program, coordinator):
    # given a coordinator whose digest is due within the lookahead
    coordinator.time_zone = "UTC"
    coordinator.digest_hour = datetime.time(13, 0)
    coordinator.save()
    _pause(paused_world, starts_on=TODAY, ends_on=TODAY + _days(14))
    # when / then: nothing at risk, so no digest
    assert services.coordinator_risk_digest_create(now=timezone.now()) == 0


def test_a_paused_pair_is_not_nudged_to_meet(paused_world):
    _pause(paused_world, starts_on=TODAY, ends_on=TODAY + _days(14))
    assert services.checkins_nudges_create(now=timezone.now()) == 0
    assert not Notification.objects.filter(kind="checkins-due").exists()


def test_back_from_a_pause_the_rhythm_restarts(paused_world, frozen):
    # given a pause over today, after 30 days with no meeting
    _pause(paused_world, starts_on=TODAY - _days(20), ends_on=TODAY)
    # then on the day back: not at risk, not due, until a cadence has passed
    row = pair_health(match=paused_world.match, now=timezone.now())
    assert row.risks == []
    assert not row.is_paused
    assert row.next_due == datetime.datetime(2026, 6, 22, tzinfo=UTC)
    services.checkins_nudges_create(now=timezone.now())
    assert not Notification.objects.filter(kind="checkins-due").exists()
    frozen.move_to(MONDAY_NOON + _days(14))
    assert services.checkins_nudges_create(now=timezone.now()) >= 2
    assert Notification.objects.filter(kind="checkins-due").count() == 2
    frozen.move_to(MONDAY_NOON + _days(29))
    assert pair_health(match=paused_world.match, now=timezone.now()).is_at_risk


def test_ending_early_restarts_the_rhythm_from_that_day(paused_world, mentee):
    _pause(paused_world, starts_on=TODAY - _days(5), ends_on=TODAY + _days(30))
    services.pair_pause_end(pair=paused_world, by=mentee)
    row = pair_health(match=paused_world.match, now=timezone.now())
    assert row.pause is None
    assert row.risks == []
    assert row.next_due == datetime.datetime(2026, 6, 22, tzinfo=UTC)


def test_a_pause_called_off_before_it_began_is_no_fresh_start(paused_world, mentor):
    _pause(paused_world, starts_on=TODAY + _days(5), ends_on=TODAY + _days(30))
    services.pair_pause_end(pair=paused_world, by=mentor)
    assert pair_health(match=paused_world.match, now=timezone.now()).is_at_risk


# --- The welcome back --------------------------------------------------------------------------


def test_welcome_back_once_each_at_their_local_digest_hour(paused_world, frozen):
    # given a pause that ends on Wednesday 10 June
    pause = _pause(
        paused_world, starts_on=TODAY - _days(20), ends_on=datetime.date(2026, 6, 10)
    )
    mentor, mentee = paused_world.mentor.user, paused_world.mentee.user
    # 09:00 in Ho Chi Minh City = 02:00 UTC; 09:00 in Kolkata = 03:30 UTC
    mentor_due = datetime.datetime(2026, 6, 10, 2, 0, tzinfo=UTC)
    mentee_due = datetime.datetime(2026, 6, 10, 3, 30, tzinfo=UTC)
    assert digest_due_at(user=mentor, after=mentor_due - _days(1)) == mentor_due

    def run_at(at):
        frozen.move_to(at)
        return services.pair_resume_nudges_create(now=at)

    # when the producer runs hourly through the day before and the day itself
    assert run_at(datetime.datetime(2026, 6, 9, 12, 0, tzinfo=UTC)) == 0
    assert run_at(datetime.datetime(2026, 6, 10, 0, 30, tzinfo=UTC)) == 1
    assert run_at(datetime.datetime(2026, 6, 10, 1, 30, tzinfo=UTC)) == 1
    for hour in range(2, 24):
        assert run_at(datetime.datetime(2026, 6, 10, hour, 30, tzinfo=UTC)) == 0
    assert run_at(datetime.datetime(2026, 6, 13, 9, 0, tzinfo=UTC)) == 0

    # then each got one, due at their digest hour, on the pair's page
    items = Notification.objects.filter(kind=RESUME_KIND)
    assert {(item.recipient_id, item.due_at) for item in items} == {
        (mentor.pk, mentor_due),
        (mentee.pk, mentee_due),
    }
    mentor_item = items.get(recipient=mentor)
    assert mentor_item.channel == Notification.Channel.DIGEST
    assert (
        mentor_item.subject
        == f"Welcome back: time to catch up with {mentee.greeting_name}"
    )
    assert mentor_item.link == f"/pairs/{paused_world.match.pk}/"
    assert mentor_item.dedupe_key == f"{RESUME_KIND}:{pause.pk}:{mentor.pk}"


def test_welcome_back_comes_through_the_hourly_nudge_run(paused_world, frozen):
    _pause(paused_world, starts_on=TODAY - _days(20), ends_on=TODAY + _days(1))
    frozen.move_to(datetime.datetime(2026, 6, 9, 4, 0, tzinfo=UTC))
    services.checkins_nudges_create(now=timezone.now())
    assert Notification.objects.filter(kind=RESUME_KIND).count() == 2


def test_no_welcome_back_for_an_ended_pair(paused_world, frozen):
    _pause(paused_world, starts_on=TODAY - _days(20), ends_on=TODAY)
    paused_world.match.status = "completed"
    paused_world.match.save(update_fields=["status"])
    assert services.pair_resume_nudges_create(now=timezone.now()) == 0


def test_ended_early_welcomes_back_at_the_next_digest(paused_world, mentor):
    _pause(paused_world, starts_on=TODAY - _days(3), ends_on=TODAY + _days(30))
    services.pair_pause_end(pair=paused_world, by=mentor)
    # Monday 12:00 UTC: the next 09:00 is Tuesday's, more than 2 hours away
    assert services.pair_resume_nudges_create(now=timezone.now()) == 0
    tuesday = datetime.datetime(2026, 6, 9, 1, 45, tzinfo=UTC)
    with time_machine.travel(tuesday, tick=False):
        assert services.pair_resume_nudges_create(now=tuesday) == 2


# --- Commitment counts -------------------------------------------------------------------------


def test_counts_reschedules_and_missed_meetings(paused_world):
    now = timezone.now()
    _meeting(paused_world, starts_at=now + _days(3), status="confirmed", sequence=2)
    # moved once, then called off (the cancellation bumps SEQUENCE once more)
    _meeting(paused_world, starts_at=now + _days(5), status="cancelled", sequence=2)
    _meeting(paused_world, starts_at=now + _days(6), status="cancelled", sequence=0)
    _meeting(paused_world, starts_at=now - _days(20), status="missed")
    # confirmed, over a week ago, nobody logged it: missed
    _meeting(paused_world, starts_at=now - _days(10), status="confirmed")
    # confirmed three days ago: still time to log it
    _meeting(paused_world, starts_at=now - _days(3), status="confirmed")
    held = _meeting(paused_world, starts_at=now - _days(12), status="held", sequence=1)
    MeetingLog.objects.create(
        meeting=held, author=paused_world.mentor.user, happened=True
    )
    row = pair_health(match=paused_world.match, now=now)
    assert row.reschedules == 4
    assert row.missed == 2
    assert row.held == 1


# --- Views -------------------------------------------------------------------------------------


def _url(pair, end=False):
    return f"/pairs/{pair.match.pk}/pause/{'end/' if end else ''}"


def _form(**changes):
    return {
        "starts_on": TODAY.isoformat(),
        "ends_on": (TODAY + _days(14)).isoformat(),
        "reason": "fiscal_year_end",
        "note": "",
    } | changes


@pytest.mark.parametrize("persona", ["mentor", "mentee", "coordinator", "hradmin"])
def test_the_pair_or_a_coordinator_may_pause(alpha, paused_world, persona):
    client = alpha.client(persona)
    assert client.get(_url(paused_world)).status_code == 200
    response = client.post(_url(paused_world), _form())
    assert response.status_code == 302
    assert response["Location"] == f"/pairs/{paused_world.match.pk}/"
    pause = PairPause.objects.get(match=paused_world.match)
    assert pause.created_by == alpha.user(persona)
    page = client.get(f"/pairs/{paused_world.match.pk}/").content.decode()
    assert "Paused until 22 Jun 2026 — Fiscal year end" in page


def test_errors_come_back_on_the_form(alpha, paused_world):
    response = alpha.client("mentee").post(
        _url(paused_world), _form(ends_on=(TODAY + _days(120)).isoformat())
    )
    assert response.status_code == 422
    assert "at most 90 days" in response.content.decode()
    assert not PairPause.objects.exists()


def test_another_pairs_member_gets_404(alpha, paused_world, program, stranger):
    other = User.objects.create_user("olga@alpha.example", full_name="Olga Other")
    make_pair(program=program, mentor=stranger, mentee=other)
    client = alpha.client()
    client.force_login(stranger)
    assert client.get(_url(paused_world)).status_code == 404
    assert client.post(_url(paused_world), _form()).status_code == 404
    assert client.post(_url(paused_world, end=True)).status_code == 404


def test_another_programs_coordinator_gets_404(alpha, paused_world):
    assert alpha.client("coordinator2").get(_url(paused_world)).status_code == 404


def test_another_organization_gets_404(beta, paused_world):
    for persona in ("coordinator", "mentor"):
        client = beta.client(persona)
        assert client.get(_url(paused_world)).status_code == 404
        assert client.post(_url(paused_world, end=True)).status_code == 404


def test_ending_early_asks_first(alpha, paused_world):
    _pause(paused_world, starts_on=TODAY, ends_on=TODAY + _days(14))
    client = alpha.client("mentor")
    # without JavaScript: the confirmation page, nothing changed
    asked = client.post(_url(paused_world, end=True))
    assert asked.status_code == 200
    assert "End the pause now?" in asked.content.decode()
    assert PairPause.objects.get().ended_early_at is None
    # the pair page offers it with htmx's hx-confirm
    page = client.get(f"/pairs/{paused_world.match.pk}/").content.decode()
    assert 'hx-confirm="End the pause now?' in page
    done = client.post(_url(paused_world, end=True), {"confirmed": "yes"})
    assert done.status_code == 302
    assert PairPause.objects.get().ended_early_at == timezone.now()


def test_the_health_view_shows_the_pause(alpha, program, paused_world):
    _pause(paused_world, starts_on=TODAY, ends_on=TODAY + _days(14))
    response = alpha.client("coordinator").get(f"/manage/programs/{program.pk}/health/")
    body = response.content.decode()
    assert "Paused until 22 Jun 2026 — Travel" in body
    assert response.context["table"].at_risk_count == 0


@pytest.mark.parametrize("size", [10, 400])
def test_health_view_query_count_with_pauses(
    alpha, coordinator, size, django_assert_max_num_queries
):
    # given pairs of which every fourth is paused and every fifth back from a pause
    program = Program.objects.create(
        name=f"Paused {size}", status=Program.Status.ACTIVE, meeting_cadence_days=14
    )
    program.coordinators.add(coordinator)
    matches = bulk_pairs(program=program, count=size, prefix=f"p{size}")
    today = timezone.now().date()
    PairPause.objects.bulk_create(
        [
            PairPause(
                match=match,
                starts_on=today - _days(3 if n % 4 == 0 else 40),
                ends_on=today + _days(10) if n % 4 == 0 else today - _days(1),
                reason="travel",
            )
            for n, match in enumerate(matches)
            if n % 4 == 0 or n % 5 == 0
        ]
    )
    client = alpha.client("coordinator")
    url = f"/manage/programs/{program.pk}/health/"
    client.get(url)  # warm-up: session, content types
    # Expected as in test_program_health.py: session, user, program, the 4 health
    # queries (the pause and the reschedule/missed counts ride on the first).
    with django_assert_max_num_queries(10):
        response = client.get(url)
    # then no paused pair is counted at risk
    at_risk_unless_paused = [
        n for n in range(size) if (n % 3 == 0 or n % 5 == 4) and n % 4 != 0
    ]
    assert response.context["table"].at_risk_count <= len(at_risk_unless_paused)
    with django_assert_max_num_queries(10):
        client.get(url, {"at_risk": "1", "page": "2"})
