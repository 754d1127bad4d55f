"""A pair's rhythm: when it is next due to be in touch, and whether it has gone quiet.

Pure logic (no Django), shared by the health view and the nudges so both say the
same thing. Two ways to keep in touch count:

- meetings, every ``meeting_days`` (the program's cadence);
- written updates (or replies), every ``update_days`` when the pair or program set
  an async rhythm ("an update a week").

A pair that keeps either rhythm is in touch: an async-only pair writing every week
is not due to meet nor at risk. Without an async rhythm an update still counts as
a touchpoint for risk (the pair is not silent), at the meeting cadence, but the
nudge keeps asking them to meet.

A pair back from a pause (``resumed``) counts both clocks afresh from that day, as
if it had just started: no "due" or "at risk" on its first day back. While it is
paused the callers skip it altogether (not due, not at risk).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Rhythm:
    """What is known about one pair, all instants UTC."""

    started: datetime.datetime
    meeting_days: int
    last_held: datetime.datetime | None = None
    last_update: datetime.datetime | None = None
    # None: no written rhythm (meetings only).
    update_days: int | None = None
    # When the pair last came back from a pause; the clocks restart there.
    resumed: datetime.datetime | None = None

    @property
    def meeting_cadence(self) -> datetime.timedelta:
        return datetime.timedelta(days=self.meeting_days)

    @property
    def is_async(self) -> bool:
        return self.update_days is not None

    @property
    def last_touch(self) -> datetime.datetime:
        """The latest meeting held, update posted or return from a pause; the
        start when none."""
        return max(
            moment
            for moment in (self.started, self.last_held, self.last_update, self.resumed)
            if moment is not None
        )

    def _since(self, moment: datetime.datetime | None) -> datetime.datetime:
        """Where a clock counts from: ``moment`` (else the start), or the return
        from a pause when that is later."""
        base = moment or self.started
        return max(base, self.resumed) if self.resumed else base

    def next_due(self) -> datetime.datetime:
        """When the pair is next due to meet, or to write when it has an async
        rhythm: the later of the two (keeping either one is enough)."""
        meeting_due = self._since(self.last_held) + self.meeting_cadence
        if self.update_days is None:
            return meeting_due
        update_due = self._since(self.last_update) + datetime.timedelta(
            days=self.update_days
        )
        return max(meeting_due, update_due)

    def nudge_period(self) -> datetime.timedelta:
        """How often a pair that stays due is reminded: its async cadence when it
        has one (it is asked to write), else the meeting cadence."""
        if self.update_days is not None:
            return datetime.timedelta(days=self.update_days)
        return self.meeting_cadence

    def quiet_for(self, now: datetime.datetime) -> datetime.timedelta | None:
        """How long the pair has been out of touch, when that is more than twice
        its rhythm (at risk); None while it is in touch.

        Meetings are judged at the meeting cadence; updates at the async cadence,
        or at the meeting cadence when the pair has none."""
        meeting_window = 2 * self.meeting_cadence
        update_window = 2 * datetime.timedelta(
            days=self.update_days if self.update_days is not None else self.meeting_days
        )
        in_touch_until = max(
            self._since(self.last_held) + meeting_window,
            self._since(self.last_update) + update_window,
        )
        if now <= in_touch_until:
            return None
        return now - self.last_touch
