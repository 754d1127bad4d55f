"""One overlap figure everywhere: the match card in the portal, the pair page and
the engine agree, for half-hour zones and for overnight hours (issue 12)."""

from __future__ import annotations

import datetime

import pytest

from matching import engine
from matching import selectors as matching_selectors
from mentorship.accounts.models import User
from programs.models import Participant

pytestmark = pytest.mark.django_db


def _hours(user: User, start: int, end: int, zone: str | None = None) -> None:
    Participant.objects.filter(user=user).update(
        working_hours_start=datetime.time(start),
        working_hours_end=datetime.time(end),
        working_days=[0, 1, 2, 3, 4],
    )
    if zone:
        User.objects.filter(pk=user.pk).update(time_zone=zone)


def _figures(alpha, pair) -> tuple[str, str]:
    card = alpha.client("mentee").get("/matches/").content.decode()
    page = alpha.client("mentee").get(f"/pairs/{pair.match.pk}/").content.decode()
    return card, page


def test_kolkata_and_ho_chi_minh_show_two_and_a_half_hours_on_both_pages(alpha, pair):
    # Priya in Kolkata 10-18 (04:30-12:30Z), Minh in Ho Chi Minh 07-12 (00-05Z).
    # Before: the card counted whole UTC hours (0) and the page said otherwise.
    _hours(pair.mentee.user, 10, 18)
    _hours(pair.mentor.user, 7, 12)

    card, page = _figures(alpha, pair)

    assert "Your working hours overlap 2 h 30 min a week." in card
    assert "2 h 30 min a week" in page


def test_london_night_workers_share_24_hours_on_both_pages(alpha, pair):
    # 22:00-06:00 and 00:00-08:00 in London: before, 24 h for the engine and 0 h
    # ("None") on the pair page, which cut overnight hours at midnight.
    _hours(pair.mentee.user, 22, 6, zone="Europe/London")
    _hours(pair.mentor.user, 0, 8, zone="Europe/London")

    card, page = _figures(alpha, pair)

    assert "Your working hours overlap 24 h a week." in card
    assert "24 h a week" in page


def test_the_engine_scores_the_figure_the_pages_show(alpha, pair):
    _hours(pair.mentee.user, 10, 18)
    _hours(pair.mentor.user, 7, 12)
    mentee = Participant.objects.select_related("user").get(user=pair.mentee.user)
    mentor = Participant.objects.select_related("user").get(user=pair.mentor.user)
    today = datetime.datetime.now(datetime.UTC).date()

    masks = [
        matching_selectors.week_mask_of(p, today)[None, :] for p in (mentee, mentor)
    ]
    hours = float(engine.shared_hours(*masks)[0, 0])

    assert hours == 2.5
    shown = matching_selectors.shared_week(mentee, mentor, today)
    assert shown == datetime.timedelta(hours=hours)
