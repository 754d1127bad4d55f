"""Updates between meetings are a way to meet: the partner hears of them (a digest
item through the outbox), they can be replied to, they count as a touchpoint, and
an async rhythm ("an update a week") is honoured by health and the nudges."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from checkins import services
from checkins.models import AsyncUpdate, Meeting, PairRhythm
from checkins.selectors import pair_health
from mentorship.notifications.models import Notification
from tests.checkins.conftest import make_pair


def _post(pair, user, body="Sent the draft to the board.", **kwargs):
    return services.async_update_post(pair=pair, by=user, body=body, **kwargs)


def _age(update, days):
    at = timezone.now() - datetime.timedelta(days=days)
    AsyncUpdate.objects.filter(pk=update.pk).update(created_at=at)


def test_posting_an_update_puts_a_digest_item_for_the_partner_in_the_outbox(
    pair, mentor, mentee
):
    # when
    update = _post(pair, mentee, body="**Board minutes** are done.")
    # then: one message, to the partner only, in their digest
    messages = Notification.objects.filter(kind="pair-update")
    assert [m.recipient_id for m in messages] == [mentor.pk]
    message = messages.get()
    assert message.channel == Notification.Channel.DIGEST
    assert message.status == Notification.Status.SCHEDULED
    assert mentee.greeting_name in message.subject
    assert message.body == "Board minutes are done."  # plain text, no markup
    assert message.link == f"/pairs/{pair.match.pk}/#update-{update.pk}"


def test_a_reply_is_threaded_and_tells_the_partner(pair, mentor, mentee):
    update = _post(pair, mentee)
    reply = _post(pair, mentor, body="Well done!", reply_to=update)
    # a reply to a reply hangs under the first update (one level)
    again = _post(pair, mentee, body="Thanks", reply_to=reply)
    assert reply.reply_to == update
    assert again.reply_to == update
    to_mentee = Notification.objects.get(kind="pair-update", recipient=mentee)
    assert "replied" in to_mentee.subject
    assert to_mentee.link.endswith(f"#update-{update.pk}")
    assert Notification.objects.filter(kind="pair-update").count() == 3


def test_cannot_reply_to_another_pairs_update(alpha, program, pair, mentee, stranger):
    other = make_pair(
        program=program, mentor=alpha.user("coordinator2"), mentee=stranger
    )
    theirs = _post(other, stranger)
    with pytest.raises(PermissionDenied):
        _post(pair, mentee, reply_to=theirs)


def test_an_update_counts_as_a_touchpoint(pair, mentee):
    # started 30 days ago, never met: at risk (issue 15: "updates don't count")
    assert pair_health(match=pair.match, now=timezone.now()).risks
    _age(_post(pair, mentee), days=3)
    assert pair_health(match=pair.match, now=timezone.now()).risks == []


def test_a_silent_pair_with_an_old_update_is_still_at_risk(pair, mentee):
    _age(_post(pair, mentee), days=29)
    risks = pair_health(match=pair.match, now=timezone.now()).risks
    assert risks == ["No meeting or update for 29 days"]


def _async_only(pair, *, days_since_update, program_days=None, pair_days=None):
    if program_days is not None:
        pair.match.program.update_cadence_days = program_days
        pair.match.program.save(update_fields=["update_cadence_days"])
    if pair_days is not None:
        PairRhythm.objects.create(match=pair.match, update_cadence_days=pair_days)
    _age(_post(pair, pair.mentee.user), days=days_since_update)
    Notification.objects.filter(kind="pair-update").delete()


def _due_nudges():
    return Notification.objects.filter(kind="checkins-due")


@pytest.mark.parametrize(("program_days", "pair_days"), [(7, None), (None, 7), (30, 7)])
def test_an_async_only_pair_on_its_rhythm_is_neither_at_risk_nor_nagged(
    pair, program_days, pair_days
):
    # given: never met in 30 days (cadence 14), but writes every week
    _async_only(
        pair, days_since_update=3, program_days=program_days, pair_days=pair_days
    )
    # then
    health = pair_health(match=pair.match, now=timezone.now())
    assert health.risks == []
    assert not health.is_behind
    assert health.next_due > timezone.now()
    assert services.checkins_nudges_create(now=timezone.now()) == 0


def test_an_async_pair_that_stopped_writing_is_asked_to_write(pair, mentor):
    _async_only(pair, days_since_update=9, pair_days=7)
    assert services.checkins_nudges_create(now=timezone.now()) == 2
    nudge = _due_nudges().get(recipient=mentor)
    assert nudge.subject == f"Time to write to {pair.mentee.greeting_name}"
    assert "update every 7 days" in nudge.body
    # not at risk yet (within twice its rhythm)
    assert pair_health(match=pair.match, now=timezone.now()).risks == []


def test_an_async_pair_silent_for_twice_its_rhythm_is_at_risk(pair):
    _async_only(pair, days_since_update=15, pair_days=7)
    assert pair_health(match=pair.match, now=timezone.now()).risks == [
        "No meeting or update for 15 days"
    ]


def test_a_pair_can_set_and_clear_its_rhythm(pair, mentee):
    services.pair_rhythm_set(pair=pair, by=mentee, update_cadence_days=7)
    assert pair.match.rhythm.update_cadence_days == 7
    services.pair_rhythm_set(pair=pair, by=mentee, update_cadence_days=None)
    pair.match.rhythm.refresh_from_db()
    assert pair.match.rhythm.update_cadence_days is None


def test_only_the_pair_sets_its_rhythm(pair, stranger):
    with pytest.raises(PermissionDenied):
        services.pair_rhythm_set(pair=pair, by=stranger, update_cadence_days=7)


def test_more_held_than_expected_is_explained(program, mentor, mentee):
    # issue 15: "Meetings held 1 of 0 expected"
    pair = make_pair(program=program, mentor=mentor, mentee=mentee, started_days_ago=3)
    Meeting.objects.create(
        match=pair.match,
        starts_at=timezone.now() - datetime.timedelta(days=1),
        status=Meeting.Status.HELD,
        proposed_by=mentor,
        proposed_at=timezone.now() - datetime.timedelta(days=2),
    )
    health = pair_health(match=pair.match, now=timezone.now())
    assert (health.held, health.expected) == (1, 0)
    assert health.held_note == "ahead of the every-14-days rhythm"
