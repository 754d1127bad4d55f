"""The health table's follow-up lookups, one query each, over the rows
``checkins.selectors.health`` built: mean goal progress, the pulse trend (and a
low pulse), and one side unresponsive (a proposal left waiting, or only one person
logging or rating the last meetings). Each adds to the rows in place and appends
its risks."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import TYPE_CHECKING

from django.db.models import Avg, Exists, F, Min, OuterRef, QuerySet, Window
from django.db.models.functions import RowNumber

from checkins.models import Goal, Meeting, MeetingLog, Pulse
from matching.models import Match

if TYPE_CHECKING:
    from checkins.selectors.health import HealthRow

UNANSWERED_AFTER = datetime.timedelta(days=7)
LOG_GRACE = datetime.timedelta(days=7)
LOW_PULSE = 2
TREND_LENGTH = 3
# The active pairs' ids: a list, or a subquery of them for many pairs.
MatchIds = list[int] | QuerySet[Match]


def _add_goals(rows: dict[int, HealthRow], ids: MatchIds) -> None:
    # Query 2: mean goal progress per pair.
    for match_id, mean in (
        Goal.objects.filter(match_id__in=ids)
        .values("match_id")
        .annotate(mean=Avg("progress"))
        .values_list("match_id", "mean")
    ):
        if match_id in rows:
            rows[match_id].goal_progress = round(float(mean), 1)


def _add_pulses(rows: dict[int, HealthRow], ids: MatchIds) -> None:
    # Query 3: average and lowest pulse of each pair's last 3 rated meetings. One
    # join of pulses on meetings grouped by meeting, ranked per pair (no correlated
    # subqueries: a pair with many meetings costs one more row, not three lookups).
    rated = (
        Pulse.objects.filter(meeting__match_id__in=ids)
        .order_by()
        .values("meeting_id", "meeting__match_id", "meeting__starts_at")
        .annotate(mean=Avg("usefulness"), lowest=Min("usefulness"))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("meeting__match_id"),
                order_by=[F("meeting__starts_at").desc(), F("meeting_id").desc()],
            ),
        )
        .filter(rank__lte=TREND_LENGTH)
        .values_list(
            "meeting__match_id", "meeting__starts_at", "meeting_id", "mean", "lowest"
        )
    )
    latest: dict[int, int] = {}
    for match_id, _starts_at, _meeting_id, mean, lowest in sorted(rated):
        if match_id not in rows:
            continue
        rows[match_id].pulse_trend.append(round(float(mean), 1))
        latest[match_id] = lowest
    for match_id, lowest in latest.items():
        if lowest <= LOW_PULSE:
            rows[match_id].risks.append(f"Low pulse: {lowest}/5 on the last meeting")


def _add_unresponsive(
    rows: dict[int, HealthRow],
    ids: MatchIds,
    people: dict[int, tuple[int, int]],
    waiting_by: dict[int, tuple[datetime.datetime, int | None]],
    now: datetime.datetime,
) -> None:
    for match_id, (since, proposer) in waiting_by.items():
        if now - since > UNANSWERED_AFTER:
            row = rows[match_id]
            mentor_id, _ = people[match_id]
            silent = row.mentee_name if proposer == mentor_id else row.mentor_name
            row.risks.append(
                f"{silent} hasn't answered a proposal for {(now - since).days} days"
            )

    # Query 4: who logged or rated each pair's last 3 logged meetings.
    def took_part(role: str) -> Exists:
        person = OuterRef(f"match__{role}__participant__user_id")
        return Exists(
            MeetingLog.objects.filter(meeting=OuterRef("pk"), author_id=person)
        ) | Exists(Pulse.objects.filter(meeting=OuterRef("pk"), author_id=person))

    # The last 3 are ranked first, in a subquery, so the EXISTS lookups run for
    # those meetings only (not for every meeting the pairs ever had).
    last_three = (
        Meeting.objects.filter(
            match_id__in=ids,
            status__in=[Meeting.Status.HELD, Meeting.Status.MISSED],
            starts_at__lt=now - LOG_GRACE,
        )
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("match_id"),
                order_by=[F("starts_at").desc(), F("id").desc()],
            )
        )
        .filter(rank__lte=TREND_LENGTH)
        .values("id")
    )
    recent = (
        Meeting.objects.filter(pk__in=last_three)
        .annotate(
            mentor_took_part=took_part("mentor"),
            mentee_took_part=took_part("mentee"),
        )
        .values_list("match_id", "mentor_took_part", "mentee_took_part")
    )
    sides: dict[int, list[bool]] = defaultdict(lambda: [False, False])
    for match_id, mentor_part, mentee_part in recent:
        sides[match_id][0] |= mentor_part
        sides[match_id][1] |= mentee_part
    for match_id, (mentor_part, mentee_part) in sides.items():
        row = rows.get(match_id)
        if row is not None and mentor_part != mentee_part:
            silent = row.mentee_name if mentor_part else row.mentor_name
            row.risks.append(f"Only one side logs: {silent} hasn't logged or rated")
