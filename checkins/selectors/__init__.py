"""Check-in reads: access (who may see what), pages, and relationship health."""

from checkins.selectors.access import (
    Attendee,
    Group,
    Pair,
    group_get_for_member,
    group_list_for_participant,
    meeting_get_for_member,
    pair_get_for_member,
    pair_get_for_viewer,
    pair_list_for_participant,
    pair_of,
    pair_queryset,
    pairs_of,
)
from checkins.selectors.health import (
    HealthFilters,
    HealthRow,
    HealthTable,
    pair_health,
    pairs_at_risk,
    program_health,
)
from checkins.selectors.meeting_detail import meeting_page
from checkins.selectors.pages import circle_page, pair_cards_for_participant
from checkins.selectors.pair_detail import pair_page

__all__ = [
    "Attendee",
    "Group",
    "HealthFilters",
    "HealthRow",
    "HealthTable",
    "Pair",
    "circle_page",
    "group_get_for_member",
    "group_list_for_participant",
    "meeting_get_for_member",
    "meeting_page",
    "pair_cards_for_participant",
    "pair_get_for_member",
    "pair_get_for_viewer",
    "pair_health",
    "pair_list_for_participant",
    "pair_of",
    "pair_page",
    "pair_queryset",
    "pairs_at_risk",
    "pairs_of",
    "program_health",
]
