"""Writes on matching: the one place criteria, runs and matches change.

Split by sub-domain (STYLE.md rule 8): ``criteria`` (weights and hard rules),
``runs`` (a bulk matching: start, execute, discard), ``review`` (a finished
run's edits and publishing) and ``matches``
(the life of one pair: accept, decline, end, manual pick); ``preferences`` (mentees
naming the mentors they'd like). Services raise
ValidationError (a message fit for the page) or PermissionDenied; notifications go
through the outbox in the caller's transaction.
"""

from matching.services.criteria import criteria_ensure, criteria_update
from matching.services.matches import (
    match_accept,
    match_create_manual,
    match_decline,
    match_end,
    match_remind,
    match_suggestion_pick,
    match_unanswered_by,
    matches_complete_for_program,
    program_start_instant,
)
from matching.services.preferences import (
    mentor_choice_refusal,
    mentor_preferences_set,
)
from matching.services.review import (
    match_reassign,
    match_remove,
    match_run_publish,
)
from matching.services.runs import (
    SYNC_MENTEE_LIMIT,
    match_run_discard,
    match_run_execute,
    match_run_start,
)

__all__ = [
    "SYNC_MENTEE_LIMIT",
    "criteria_ensure",
    "criteria_update",
    "match_accept",
    "match_create_manual",
    "match_decline",
    "match_end",
    "match_reassign",
    "match_remind",
    "match_remove",
    "match_run_discard",
    "match_run_execute",
    "match_run_publish",
    "match_run_start",
    "match_suggestion_pick",
    "match_unanswered_by",
    "matches_complete_for_program",
    "mentor_choice_refusal",
    "mentor_preferences_set",
    "program_start_instant",
]
