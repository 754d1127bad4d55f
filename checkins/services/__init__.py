"""Check-in use cases: the one place check-in state changes (see each module).

- ``meetings``: propose, answer, reschedule, cancel.
- ``meeting_messages``: a meeting's .ics, invitations, reminders and log nudges.
- ``logs``: meeting logs with private notes and action items, the relationship
  pulse (for the coordinator), feedback (for the partner).
- ``goals``: goals, milestones, comments; async updates, replies and the pair's
  written rhythm.
- ``nudges``: the periodic "you're due to meet" producer.
- ``pauses``: a pair pausing for a set period, ending it early, the welcome back.
- ``risk_digest``: the coordinators' weekly at-risk digest.
"""

from checkins.services.goals import (
    async_update_post,
    goal_comment,
    goal_create,
    goal_progress_set,
    milestone_add,
    milestone_toggle,
    pair_rhythm_set,
)
from checkins.services.logs import (
    action_item_toggle,
    meeting_feedback_save,
    meeting_log_save,
    pulse_submit,
)
from checkins.services.meeting_messages import meeting_ics_for
from checkins.services.meetings import (
    circle_meeting_schedule,
    meeting_accept,
    meeting_cancel,
    meeting_counter,
    meeting_decline,
    meeting_propose,
    meeting_reschedule,
)
from checkins.services.nudges import checkins_nudges_create
from checkins.services.pauses import (
    pair_pause_end,
    pair_pause_start,
    pair_resume_nudges_create,
)
from checkins.services.risk_digest import coordinator_risk_digest_create
from checkins.services.text import clean_html

__all__ = [
    "action_item_toggle",
    "async_update_post",
    "checkins_nudges_create",
    "circle_meeting_schedule",
    "clean_html",
    "coordinator_risk_digest_create",
    "goal_comment",
    "goal_create",
    "goal_progress_set",
    "meeting_accept",
    "meeting_cancel",
    "meeting_counter",
    "meeting_decline",
    "meeting_feedback_save",
    "meeting_ics_for",
    "meeting_log_save",
    "meeting_propose",
    "meeting_reschedule",
    "milestone_add",
    "milestone_toggle",
    "pair_pause_end",
    "pair_pause_start",
    "pair_resume_nudges_create",
    "pair_rhythm_set",
    "pulse_submit",
]
