"""Meetings, their logs, goals, async updates and the relationship pulse; every
model is imported here so ``checkins.models.X`` keeps working.

- ``meetings``: meetings, invitees, logs, private notes, pulses, feedback, action
  items;
- ``goals``: goals, milestones, goal events, async updates, the pair's rhythm;
- ``coordinator``: coordinator check-ins and pair pauses.

Every instant is UTC. Who may see what (services and selectors enforce it):

- the pair sees meetings, logs (shared notes, action items), goals, updates;
- a ``PrivateNote`` is read by its author alone: no selector returns another
  person's, it is not registered in the admin, it never goes into a notification;
- coordinators and HR admins see that things happened and the numbers (meeting
  times, log metadata, goal progress, pulses), never what the pair wrote to each
  other nor anyone's private notes;
- a ``Pulse`` is for the coordinator: its author and the coordinators read it, the
  partner does not.
"""

from checkins.models.coordinator import CoordinatorCheckIn, PairPause
from checkins.models.goals import AsyncUpdate, Goal, GoalEvent, Milestone, PairRhythm
from checkins.models.meetings import (
    ActionItem,
    Meeting,
    MeetingFeedback,
    MeetingInvitee,
    MeetingLog,
    PrivateNote,
    Pulse,
)

__all__ = [
    "ActionItem",
    "AsyncUpdate",
    "CoordinatorCheckIn",
    "Goal",
    "GoalEvent",
    "Meeting",
    "MeetingFeedback",
    "MeetingInvitee",
    "MeetingLog",
    "Milestone",
    "PairPause",
    "PairRhythm",
    "PrivateNote",
    "Pulse",
]
