"""The coordinator's reads past review: a program's match list and the home's
counts per program.

Every function here runs a fixed number of queries whatever the data size; the
tests assert it (tests/matching/test_match_list_view.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict, cast

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.utils import timezone

from matching.models import Match, MatchRun
from matching.selectors.input import _approved
from programs.models import Enrollment, Program

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

MATCH_PAGE_SIZE = 50


# --- The coordinator's home ---------------------------------------------------------

# A published proposal nobody has fully answered for this long is flagged as stale
# (the home's "waiting more than 7 days", the match list's "remind" and "reassign").
PROPOSAL_STALE_AFTER = datetime.timedelta(days=7)


@dataclass(frozen=True)
class ProgramMatchCounts:
    """One program's pairs: ``active`` (meeting clock running), ``ready`` (both
    accepted, waiting for the program to start), ``waiting`` (proposed or accepted
    by one side) and ``stale`` (waiting more than ``PROPOSAL_STALE_AFTER``);
    ``has_run_in_review``: a finished run not yet published or discarded."""

    active: int = 0
    ready: int = 0
    waiting: int = 0
    stale: int = 0
    has_run_in_review: bool = False


def match_counts_by_program(
    *, program_ids: Sequence[int], now: datetime.datetime
) -> dict[int, ProgramMatchCounts]:
    """Pairs per program id for the home: 2 queries at any size (counts grouped
    by program; programs with a run in review)."""
    if not program_ids:
        return {}
    waiting = Q(status__in=(Match.Status.PROPOSED, Match.Status.ACCEPTED))
    active = Q(status=Match.Status.ACTIVE)
    rows = (
        Match.objects.filter(program_id__in=list(program_ids))
        .values("program_id")
        .annotate(
            active=Count("id", filter=active & Q(started_at__lte=now)),
            ready=Count("id", filter=active & Q(started_at__gt=now)),
            waiting=Count("id", filter=waiting),
            stale=Count(
                "id",
                filter=waiting & Q(proposed_at__lt=now - PROPOSAL_STALE_AFTER),
            ),
        )
        .order_by()
    )
    in_review = set(
        MatchRun.objects.filter(
            program_id__in=list(program_ids), status=MatchRun.Status.DONE
        ).values_list("program_id", flat=True)
    )
    counts = {
        row["program_id"]: ProgramMatchCounts(
            active=row["active"],
            ready=row["ready"],
            waiting=row["waiting"],
            stale=row["stale"],
            has_run_in_review=row["program_id"] in in_review,
        )
        for row in rows
    }
    for program_id in in_review - set(counts):
        counts[program_id] = ProgramMatchCounts(has_run_in_review=True)
    return counts


# --- Match list (coordinator) ----------------------------------------------------------


@dataclass
class MatchFilters:
    status: str = ""
    q: str = ""
    page: int = 1
    # Only proposals waiting longer than PROPOSAL_STALE_AFTER (?stale=1).
    stale: bool = False

    @classmethod
    def from_query(cls, query) -> MatchFilters:
        status = query.get("status", "")
        try:
            page = max(1, min(int(query.get("page", "1")), 100_000))
        except ValueError:
            page = 1
        return cls(
            status=status if status in Match.Status.values else "",
            q=query.get("q", "").strip()[:100],
            page=page,
            stale=query.get("stale") in ("1", "on", "true"),
        )

    def query_string(self, **overrides: Any) -> str:
        from urllib.parse import urlencode

        values = {
            "status": self.status,
            "q": self.q,
            "page": self.page,
            "stale": 1 if self.stale else "",
        }
        values.update(overrides)
        return urlencode(
            {k: v for k, v in values.items() if v and (k, v) != ("page", 1)}
        )


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int
    query: str
    is_current: bool


@dataclass
class MatchTable:
    page: Page
    filters: MatchFilters
    tabs: list[StatusCount] = field(default_factory=list)

    @property
    def previous_query(self) -> str:
        """The query string of the page before, or "" on the first."""
        if not self.page.has_previous():
            return ""
        return self.filters.query_string(page=self.page.previous_page_number())

    @property
    def next_query(self) -> str:
        """The query string of the page after, or "" on the last."""
        if not self.page.has_next():
            return ""
        return self.filters.query_string(page=self.page.next_page_number())


LISTED_STATUSES = ("proposed", "accepted", "active", "declined", "completed", "ended")
PAIR_PAGE_STATUSES = ("active", "completed", "ended")


class _MatchRowExtras(TypedDict):
    """Set on each match of ``match_table``'s page."""

    waiting_days: int
    has_pair_page: bool
    is_ready: bool
    is_stale: bool


def match_table(*, program: Program, filters: MatchFilters) -> MatchTable:
    """A program's matches past review, filtered and paged: 3 queries (counts by
    status, COUNT, the page with both people joined)."""
    base = Match.objects.filter(program=program, status__in=LISTED_STATUSES)
    counts = dict(base.values_list("status").annotate(count=Count("id")).order_by())
    matches = base.select_related(
        "mentee__participant__user", "mentor__participant__user", "member_organization"
    )
    now = timezone.now()
    if filters.status:
        matches = matches.filter(status=filters.status)
    if filters.stale:
        matches = matches.filter(
            status__in=(Match.Status.PROPOSED, Match.Status.ACCEPTED),
            proposed_at__lt=now - PROPOSAL_STALE_AFTER,
        )
    if filters.q:
        matches = matches.filter(
            Q(mentee__participant__user__full_name__icontains=filters.q)
            | Q(mentor__participant__user__full_name__icontains=filters.q)
            | Q(mentee__participant__user__email__icontains=filters.q)
            | Q(mentor__participant__user__email__icontains=filters.q)
            | Q(member_organization__name__icontains=filters.q)
        )
    order = ("proposed_at", "id") if filters.stale else ("-created_at", "-id")
    page = Paginator(matches.order_by(*order), MATCH_PAGE_SIZE).get_page(filters.page)
    rows = cast("list[WithAnnotations[Match, _MatchRowExtras]]", list(page.object_list))
    page.object_list = rows
    for match in rows:
        # Days a proposal has waited for an answer; flagged past PROPOSAL_STALE_AFTER.
        waiting = match.status in (Match.Status.PROPOSED, Match.Status.ACCEPTED)
        match.waiting_days = (
            (now - match.proposed_at).days if waiting and match.proposed_at else 0
        )
        # The pair page (checkins) exists once the two have started.
        match.has_pair_page = match.status in PAIR_PAGE_STATUSES
        # Both accepted before the program starts: waiting for its start.
        match.is_ready = bool(
            match.status == Match.Status.ACTIVE
            and match.started_at
            and match.started_at > now
        )
        match.is_stale = bool(
            waiting
            and match.proposed_at
            and now - match.proposed_at > PROPOSAL_STALE_AFTER
        )
    tabs = [
        StatusCount(
            "",
            "All",
            sum(counts.values()),
            filters.query_string(status="", page=1, stale=""),
            not filters.status and not filters.stale,
        )
    ] + [
        StatusCount(
            s,
            Match.Status(s).label,
            counts.get(s, 0),
            filters.query_string(status=s, page=1, stale=""),
            filters.status == s and not filters.stale,
        )
        for s in LISTED_STATUSES
    ]
    return MatchTable(page=page, filters=filters, tabs=tabs)


def rematch_candidates(*, program: Program) -> list[Enrollment]:
    """Approved mentees of the program with no live match: 1 query."""
    return [e for e in _approved(program).filter(role="mentee") if not e.holds_place]


def mentor_choices(*, program: Program) -> list[Enrollment]:
    return list(_approved(program).filter(role="mentor"))
