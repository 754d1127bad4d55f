"""Reads for matching, split by reader (STYLE.md rule 10): ``input`` (the engine's
problem from a program's criteria and people), ``review`` (a run's review page),
``coordinator`` (the match list and the home's counts) and ``portal`` (what a
participant sees). Display formatting is in ``matching.display``.

Every function runs a fixed number of queries whatever the data size; the tests
assert it.
"""

from matching.selectors.coordinator import (
    PROPOSAL_STALE_AFTER,
    MatchFilters,
    ProgramMatchCounts,
    match_counts_by_program,
    match_table,
    mentor_choices,
    rematch_candidates,
)
from matching.selectors.input import (
    SUGGESTIONS_PER_MENTEE,
    CircleInput,
    MatchingInput,
    circle_input_build,
    criteria_get,
    criteria_settings,
    left_out,
    matching_input_build,
    mentor_load,
    rules_from_criteria,
    training_left_out,
)
from matching.selectors.portal import (
    MentorChoicePage,
    PortalMatches,
    match_get_for_participant,
    mentee_enrollment_for_choice,
    mentor_choice_page,
    portal_matches,
    suggestion_get_for_mentee,
)
from matching.selectors.review import (
    SwapOption,
    circle_rows,
    match_get_for_coordinator,
    proposal_table,
    run_get_for_coordinator,
    run_latest,
    run_publish_audience,
    suggestion_counts,
    swap_options,
    unmatched_rows,
    without_floor,
)
from matching.selectors.teams import NO_MEMBER_ORGANIZATION, Team, team_overlap
from matching.selectors.weeks import shared_week, week_mask_of

__all__ = [
    "NO_MEMBER_ORGANIZATION",
    "PROPOSAL_STALE_AFTER",
    "SUGGESTIONS_PER_MENTEE",
    "CircleInput",
    "MatchFilters",
    "MatchingInput",
    "MentorChoicePage",
    "PortalMatches",
    "ProgramMatchCounts",
    "SwapOption",
    "Team",
    "circle_input_build",
    "circle_rows",
    "criteria_get",
    "criteria_settings",
    "left_out",
    "match_counts_by_program",
    "match_get_for_coordinator",
    "match_get_for_participant",
    "match_table",
    "matching_input_build",
    "mentee_enrollment_for_choice",
    "mentor_choice_page",
    "mentor_choices",
    "mentor_load",
    "portal_matches",
    "proposal_table",
    "rematch_candidates",
    "rules_from_criteria",
    "run_get_for_coordinator",
    "run_latest",
    "run_publish_audience",
    "shared_week",
    "suggestion_counts",
    "suggestion_get_for_mentee",
    "swap_options",
    "team_overlap",
    "training_left_out",
    "unmatched_rows",
    "week_mask_of",
    "without_floor",
]
