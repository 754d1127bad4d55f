"""Typed-in times are read on the viewer's wall clock; DST gaps are refused."""

import datetime

from checkins.forms import MeetingForm


def _form(zone, value):
    return MeetingForm({"starts_at_local": value, "duration_minutes": "45"}, zone=zone)


def test_local_time_is_read_in_the_viewers_zone():
    form = _form("Asia/Kolkata", "2030-06-04T12:30")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_at"] == datetime.datetime(
        2030, 6, 4, 7, 0, tzinfo=datetime.UTC
    )


def test_a_time_the_clocks_skip_is_refused_with_a_clear_message():
    # Europe/Warsaw jumps from 02:00 to 03:00 on 31 March 2030
    form = _form("Europe/Warsaw", "2030-03-31T02:30")
    assert not form.is_valid()
    message = form.errors["starts_at_local"][0]
    assert "doesn't exist in Europe/Warsaw" in message
    assert "jump forward" in message


def test_a_time_that_happens_twice_means_the_first():
    # America/New_York repeats 01:00–02:00 on 3 November 2030 (EDT, then EST)
    form = _form("America/New_York", "2030-11-03T01:30")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_at"] == datetime.datetime(
        2030, 11, 3, 5, 30, tzinfo=datetime.UTC
    )


def test_a_suggested_slot_is_taken_as_is():
    form = MeetingForm(
        {"slot": "2030-06-04T07:00:00+00:00", "duration_minutes": "45"}, zone="UTC"
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_at"].hour == 7


def test_needs_a_time():
    form = MeetingForm({"duration_minutes": "45"}, zone="UTC")
    assert not form.is_valid()
    assert "Pick a suggested time or enter one." in form.non_field_errors()


def test_a_naive_slot_is_refused():
    form = MeetingForm(
        {"slot": "2030-06-04T07:00", "duration_minutes": "45"}, zone="UTC"
    )
    assert not form.is_valid()
