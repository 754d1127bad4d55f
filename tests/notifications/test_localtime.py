"""The pure local-time helper: digest instants, DST gaps and folds, quiet hours."""

from datetime import UTC, date, datetime, time

import pytest

from mentorship.localtime import (
    is_quiet,
    local_instant,
    next_digest_due,
    quiet_ends_at,
)

NIGHT = (time(21), time(7))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_half_hour_zones():
    assert local_instant("Asia/Kolkata", date(2026, 6, 1), time(9)) == utc(
        2026, 6, 1, 3, 30
    )
    assert local_instant("America/St_Johns", date(2026, 1, 5), time(9)) == utc(
        2026, 1, 5, 12, 30
    )


def test_gap_means_the_first_instant_after_it():
    # Chicago springs forward 02:00 -> 03:00 on 2026-03-08: 02:30 does not exist.
    # The one rule (mentorship.localtime): the jump itself, 03:00 CDT.
    assert local_instant("America/Chicago", date(2026, 3, 8), time(2, 30)) == utc(
        2026, 3, 8, 8, 0
    )


def test_fold_takes_the_first_occurrence():
    # Warsaw falls back 03:00 -> 02:00 on 2026-10-25: 02:30 happens twice.
    assert local_instant("Europe/Warsaw", date(2026, 10, 25), time(2, 30)) == utc(
        2026, 10, 25, 0, 30
    )  # 02:30 CEST


def test_digest_recomputed_per_local_date_across_dst():
    # 09:00 in Chicago is 15:00Z on Friday and 14:00Z on Monday after DST starts.
    friday = next_digest_due(
        zone="America/Chicago", after=utc(2026, 3, 6, 12), hour=time(9)
    )
    monday = next_digest_due(zone="America/Chicago", after=friday, hour=time(9))
    assert (friday, monday) == (utc(2026, 3, 6, 15), utc(2026, 3, 9, 14))


def test_digest_is_strictly_after():
    due = utc(2026, 6, 1, 3, 30)  # Monday 09:00 in Kolkata
    assert next_digest_due(zone="Asia/Kolkata", after=due, hour=time(9)) == utc(
        2026, 6, 2, 3, 30
    )


def test_digest_skips_days_off():
    # Sunday-to-Thursday week: Friday evening in Warsaw -> Sunday 09:00.
    due = next_digest_due(
        zone="Europe/Warsaw",
        after=utc(2026, 6, 5, 18),
        hour=time(9),
        working_days=frozenset({6, 0, 1, 2, 3}),
    )
    assert due == utc(2026, 6, 7, 7)


@pytest.mark.parametrize(
    ("hour", "expected"),
    [(time(6), utc(2026, 6, 2, 19)), (time(22), utc(2026, 6, 2, 19))],
)
def test_digest_hour_in_quiet_hours_moves_to_their_end_that_day(hour, expected):
    # Auckland (NZST, +12): quiet 21:00-07:00, so 06:00 and 22:00 become 07:00.
    due = next_digest_due(
        zone="Pacific/Auckland",
        after=utc(2026, 6, 2, 12),
        hour=hour,
        quiet_start=NIGHT[0],
        quiet_end=NIGHT[1],
    )
    assert due == expected


def test_quiet_hours_wrap_midnight():
    assert is_quiet("Asia/Ho_Chi_Minh", utc(2026, 6, 1, 16), *NIGHT)  # 23:00
    assert is_quiet("Asia/Ho_Chi_Minh", utc(2026, 6, 1, 23, 59), *NIGHT)  # 06:59
    assert not is_quiet("Asia/Ho_Chi_Minh", utc(2026, 6, 2, 0), *NIGHT)  # 07:00
    assert not is_quiet("Asia/Ho_Chi_Minh", utc(2026, 6, 1, 16), None, None)
    assert is_quiet("UTC", utc(2026, 6, 1, 13), time(12), time(14))


def test_quiet_ends_at():
    assert quiet_ends_at("UTC", utc(2026, 6, 1, 23), *NIGHT) == utc(2026, 6, 2, 7)
    assert quiet_ends_at("UTC", utc(2026, 6, 1, 3), *NIGHT) == utc(2026, 6, 1, 7)
    assert quiet_ends_at("UTC", utc(2026, 6, 1, 12), *NIGHT) == utc(2026, 6, 1, 12)


def test_rejects_naive_and_empty_days():
    with pytest.raises(ValueError, match="aware"):
        next_digest_due(zone="UTC", after=datetime(2026, 1, 1), hour=time(9))
    with pytest.raises(ValueError, match="working_days"):
        next_digest_due(
            zone="UTC", after=utc(2026, 1, 1), hour=time(9), working_days=frozenset()
        )
