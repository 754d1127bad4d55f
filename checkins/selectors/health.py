"""Relationship health: per active pair, how it's going, and whether it's at risk.

At risk when any of:

- out of touch: no meeting for twice the program's cadence and no update for twice
  the pair's async cadence (``checkins.rhythm``: an async-only pair writing on its
  rhythm is in touch; an update always counts as a touchpoint);
- a low pulse: someone rated the latest rated meeting 2/5 or less;
- one side unresponsive: a proposal has waited more than 7 days for an answer, or,
  over the pair's last 3 logged meetings (older than a week, so both had time),
  one person logged or answered the pulse and the other never did.

A paused pair (``checkins.selectors.pauses``) is never at risk while paused, and
its rhythm restarts on the day it comes back (no flag on its first day back).

Commitment, counted per pair on its row:

- ``reschedules``: how many times a confirmed meeting was moved to another time
  (each move bumps the meeting's iCalendar SEQUENCE; a cancellation bumps it once
  more, which is not a move). A counter-proposal to an unconfirmed proposal is
  negotiation, not counted.
- ``missed``: meetings logged as "didn't happen", plus confirmed meetings nobody
  logged within a week of their start (``LOG_GRACE``).

The coordinator's table runs a fixed number of queries whatever the number of
pairs (tests/checkins/test_health_view.py): the matches with their meeting
aggregates (here); then, in ``checkins.selectors.health_signals``, mean goal
progress; the last 3 pulse averages; who took part in the last 3 logged meetings.
Risk is computed for every active pair (the filter needs it), then the table is
paginated in memory: rows are small.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import QueryDict

from checkins.models import AsyncUpdate, Meeting
from checkins.rhythm import Rhythm
from checkins.selectors.health_signals import (
    LOG_GRACE,
    _add_goals,
    _add_pulses,
    _add_unresponsive,
)
from checkins.selectors.health_signals import LOW_PULSE as LOW_PULSE
from checkins.selectors.pauses import (
    PauseInfo,
    day_start,
    open_pause_annotation,
    pause_info,
    resumed_on_annotation,
)
from matching.models import Match
from programs.models import Program

PAGE_SIZE = 50
WAITING_WINDOW = datetime.timedelta(days=30)
ID_LIST_LIMIT = 500


@dataclass(frozen=True)
class HealthFilters:
    at_risk: bool = False
    q: str = ""
    page: int = 1

    @classmethod
    def from_query(cls, query: QueryDict) -> HealthFilters:
        try:
            page = max(1, int(query.get("page", "1")))
        except ValueError:
            page = 1
        return cls(
            at_risk=query.get("at_risk") in ("1", "on", "true"),
            q=(query.get("q") or "").strip()[:100],
            page=page,
        )

    def query_string(self, **changes: object) -> str:
        values = {"at_risk": self.at_risk, "q": self.q, "page": self.page, **changes}
        query = QueryDict(mutable=True)
        if values["at_risk"]:
            query["at_risk"] = "1"
        if values["q"]:
            query["q"] = values["q"]
        if values["page"] and values["page"] != 1:
            query["page"] = str(values["page"])
        return query.urlencode()


@dataclass
class HealthRow:
    match_id: int
    mentor_name: str
    mentee_name: str
    started_at: datetime.datetime
    last_meeting: datetime.datetime | None
    next_due: datetime.datetime
    held: int
    expected: int
    program_id: int = 0
    program_name: str = ""
    cadence_days: int = 0
    # The pair's written rhythm (its own, else the program's); None: meetings only.
    update_days: int | None = None
    updates: int = 0
    last_update: datetime.datetime | None = None
    goal_progress: float | None = None
    pulse_trend: list[float] = field(default_factory=list)
    risks: list[str] = field(default_factory=list)
    reschedules: int = 0
    missed: int = 0
    # The open pause (current or planned), if any.
    pause: PauseInfo | None = None

    @property
    def is_at_risk(self) -> bool:
        return bool(self.risks)

    @property
    def is_paused(self) -> bool:
        return self.pause is not None and self.pause.is_current

    @property
    def is_async(self) -> bool:
        return self.update_days is not None

    @property
    def is_behind(self) -> bool:
        """Fewer meetings than expected, unless the pair keeps its written rhythm
        or is paused."""
        if self.is_paused:
            return False
        return self.held < self.expected and not (self.is_async and not self.risks)

    @property
    def held_note(self) -> str:
        """Why "held" may be above "expected" ("expected" counts whole cadence
        periods since the start, so meeting early or often is ahead, not an error)."""
        if self.held > self.expected:
            return f"ahead of the every-{self.cadence_days}-days rhythm"
        return ""

    @property
    def pulse_direction(self) -> str:
        """'up', 'down' or '' comparing the newest average with the one before."""
        if len(self.pulse_trend) < 2:
            return ""
        newest, previous = self.pulse_trend[-1], self.pulse_trend[-2]
        return "up" if newest > previous else "down" if newest < previous else "flat"


@dataclass
class HealthTable:
    program: Program
    filters: HealthFilters
    page: Page
    total: int
    at_risk_count: int
    shown: int

    @property
    def all_query(self) -> str:
        return self.filters.query_string(at_risk=False, page=1)

    @property
    def risk_query(self) -> str:
        return self.filters.query_string(at_risk=True, page=1)

    @property
    def previous_query(self) -> str:
        return (
            self.filters.query_string(page=self.page.previous_page_number())
            if self.page.has_previous()
            else ""
        )

    @property
    def next_query(self) -> str:
        return (
            self.filters.query_string(page=self.page.next_page_number())
            if self.page.has_next()
            else ""
        )


def _name(full_name: str | None, email: str) -> str:
    return full_name or email


def _mentee_name(record: dict) -> str:
    """The mentee's name; an engagement's: its organization, with the lead contact."""
    name = _name(
        record["mentee__participant__user__full_name"],
        record["mentee__participant__user__email"],
    )
    team = record["member_organization__name"]
    return f"{team} (lead: {name})" if team else name


def _active_matches(program_id: int) -> QuerySet[Match]:
    return Match.objects.filter(program_id=program_id, status=Match.Status.ACTIVE)


def _rows(matches: QuerySet[Match], *, now: datetime.datetime) -> list[HealthRow]:
    """Health rows for ``matches`` (all active, any programs): 4 queries."""
    # An unanswered proposal counts for a month, even once its time has passed.
    waiting = Meeting.objects.filter(
        match=OuterRef("pk"),
        status=Meeting.Status.PROPOSED,
        proposed_at__gte=now - WAITING_WINDOW,
    ).order_by("proposed_at")
    updates = (
        AsyncUpdate.objects.filter(match=OuterRef("pk")).order_by().values("match")
    )
    today = now.astimezone(datetime.UTC).date()
    # Query 1: the pairs, their names and meeting aggregates (one join on meetings;
    # updates as subqueries so they don't multiply the meeting rows).
    records = matches.annotate(
        last_held=Max("meetings__starts_at", filter=Q(meetings__status="held")),
        held_count=Count("meetings", filter=Q(meetings__status="held")),
        waiting_since=Subquery(waiting.values("proposed_at")[:1]),
        waiting_by=Subquery(waiting.values("proposed_by_id")[:1]),
        last_update=Subquery(updates.annotate(last=Max("created_at")).values("last")),
        update_count=Subquery(
            updates.annotate(count=Count("id")).values("count"),
            output_field=IntegerField(),
        ),
        update_days=Coalesce(
            "rhythm__update_cadence_days", "program__update_cadence_days"
        ),
        # Moves of confirmed meetings: SEQUENCE, less the bump of a cancellation.
        reschedules=Coalesce(
            Sum("meetings__sequence"), Value(0), output_field=IntegerField()
        )
        - Count(
            "meetings",
            filter=Q(meetings__status="cancelled", meetings__sequence__gt=0),
        ),
        missed_count=Count(
            "meetings",
            filter=Q(meetings__status="missed")
            | Q(meetings__status="confirmed", meetings__starts_at__lt=now - LOG_GRACE),
        ),
        open_pause=open_pause_annotation(today),
        resumed_on=resumed_on_annotation(today),
    ).values(
        "id",
        "started_at",
        "created_at",
        "last_held",
        "held_count",
        "waiting_since",
        "waiting_by",
        "program_id",
        "program__name",
        "program__meeting_cadence_days",
        "last_update",
        "update_count",
        "update_days",
        "reschedules",
        "missed_count",
        "open_pause",
        "resumed_on",
        "mentor__participant__user_id",
        "mentor__participant__user__full_name",
        "mentor__participant__user__email",
        "mentee__participant__user_id",
        "mentee__participant__user__full_name",
        "mentee__participant__user__email",
        "member_organization__name",
    )
    rows: dict[int, HealthRow] = {}
    people: dict[int, tuple[int, int]] = {}
    waiting_by: dict[int, tuple[datetime.datetime, int | None]] = {}
    for record in records:
        cadence = datetime.timedelta(days=record["program__meeting_cadence_days"])
        started = record["started_at"] or record["created_at"]
        pause = pause_info(record["open_pause"], match_id=record["id"], today=today)
        is_paused = pause is not None and pause.is_current
        rhythm = Rhythm(
            started=started,
            meeting_days=record["program__meeting_cadence_days"],
            last_held=record["last_held"],
            last_update=record["last_update"],
            update_days=record["update_days"],
            # Paused: the clocks start again on the day it is back.
            resumed=day_start(pause.ends_on if is_paused else record["resumed_on"]),
        )
        row = HealthRow(
            match_id=record["id"],
            mentor_name=_name(
                record["mentor__participant__user__full_name"],
                record["mentor__participant__user__email"],
            ),
            mentee_name=_mentee_name(record),
            started_at=started,
            last_meeting=record["last_held"],
            next_due=rhythm.next_due(),
            held=record["held_count"],
            expected=max(0, (now - started) // cadence),
            program_id=record["program_id"],
            program_name=record["program__name"],
            cadence_days=record["program__meeting_cadence_days"],
            update_days=record["update_days"],
            updates=record["update_count"] or 0,
            last_update=record["last_update"],
            reschedules=record["reschedules"],
            missed=record["missed_count"],
            pause=pause,
        )
        quiet = rhythm.quiet_for(now)
        if quiet is not None and not is_paused:
            row.risks.append(
                f"No meeting or update for {quiet.days} days"
                if record["last_update"]
                else f"No meeting for {quiet.days} days"
            )
        rows[row.match_id] = row
        people[row.match_id] = (
            record["mentor__participant__user_id"],
            record["mentee__participant__user_id"],
        )
        if record["waiting_since"] is not None:
            waiting_by[row.match_id] = (record["waiting_since"], record["waiting_by"])
    if not rows:
        return []
    # Past a few hundred pairs the follow-up queries take the pairs as a subquery:
    # a list of 18,000 ids cost more to send and plan than the lookups themselves
    # (the coordinator home over 20 programs). A pair that became active between
    # the queries is then skipped by the lookups below (rows.get).
    ids = list(rows) if len(rows) <= ID_LIST_LIMIT else matches.values("pk")
    _add_goals(rows, ids)
    _add_pulses(rows, ids)
    _add_unresponsive(rows, ids, people, waiting_by, now)
    for row in rows.values():
        if row.is_paused:
            row.risks.clear()
    return list(rows.values())


def program_health(
    *, program: Program, filters: HealthFilters, now: datetime.datetime
) -> HealthTable:
    """The coordinator's health table for one program: 4 queries at any size."""
    matches = _active_matches(program.pk)
    if filters.q:
        for word in filters.q.split()[:5]:
            matches = matches.filter(
                Q(mentor__participant__user__full_name__icontains=word)
                | Q(mentor__participant__user__email__icontains=word)
                | Q(mentee__participant__user__full_name__icontains=word)
                | Q(mentee__participant__user__email__icontains=word)
            )
    rows = _rows(matches, now=now)
    at_risk_count = sum(row.is_at_risk for row in rows)
    if filters.at_risk:
        rows = [row for row in rows if row.is_at_risk]
    rows.sort(
        key=lambda row: (not row.is_at_risk, row.mentee_name.lower(), row.match_id)
    )
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(filters.page)
    return HealthTable(
        program=program,
        filters=filters,
        page=page,
        total=len(rows) if not filters.at_risk else at_risk_count,
        at_risk_count=at_risk_count,
        shown=len(rows),
    )


def pair_health(*, match: Match, now: datetime.datetime) -> HealthRow | None:
    """One pair's health row (for its page); None unless the pair is active."""
    if match.status != Match.Status.ACTIVE:
        return None
    rows = _rows(Match.objects.filter(pk=match.pk, status=Match.Status.ACTIVE), now=now)
    return rows[0] if rows else None


def pairs_at_risk(
    *, program_ids: Collection[int] | None, now: datetime.datetime
) -> list[HealthRow]:
    """At-risk active pairs of ``program_ids`` (None: every program not closed), by
    program then mentee: 4 queries at any size. Rows carry names and reasons only,
    never notes, so they are safe to put in a message."""
    matches = Match.objects.filter(status=Match.Status.ACTIVE).exclude(
        program__status=Program.Status.CLOSED
    )
    if program_ids is not None:
        if not program_ids:
            return []
        matches = matches.filter(program_id__in=program_ids)
    rows = [row for row in _rows(matches, now=now) if row.is_at_risk]
    rows.sort(
        key=lambda row: (
            row.program_name.lower(),
            row.program_id,
            row.mentee_name.lower(),
            row.match_id,
        )
    )
    return rows
