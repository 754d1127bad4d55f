"""Writes on programs, participants and enrolments: the one place they change
(see each module).

Services raise ValidationError (a message fit for the page) or PermissionDenied;
multi-row operations are atomic. Side effects run after commit.

- ``programs``: create and edit programs (objectives, questions, training
  modules, coordinators) and move them along their lifecycle.
- ``participants``: the person's profile in the organization.
- ``enrollments``: apply, withdraw, accept an invitation, the coordinator's
  decisions, training completion, completion when a program closes.
- ``imports``: participant files: preview, read again, commit (and invite).
- ``nudges``: the periodic "finish your training before matching" producer.
"""

from programs.services._common import require_manager
from programs.services.enrollments import (
    BulkDecision,
    Decision,
    Skipped,
    enrollment_accept_invitation,
    enrollment_apply,
    enrollment_approve,
    enrollment_bulk_decide,
    enrollment_decline,
    enrollment_waitlist,
    enrollment_withdraw,
    enrollments_complete_for_program,
    training_completion_set,
)
from programs.services.imports import (
    participant_import_commit,
    participant_import_preview,
    participant_import_reread,
)
from programs.services.nudges import training_due_nudges_create
from programs.services.participants import (
    PARTICIPANT_FIELDS,
    participant_ensure,
    participant_update,
)
from programs.services.programs import (
    CANCEL_UNDO_WINDOW,
    PROGRAM_FIELDS,
    TRANSITION_LABELS,
    TRANSITIONS,
    ModuleData,
    ObjectiveData,
    QuestionData,
    program_can_undo_cancel,
    program_save,
    program_transition,
)

__all__ = [
    "CANCEL_UNDO_WINDOW",
    "PARTICIPANT_FIELDS",
    "PROGRAM_FIELDS",
    "TRANSITIONS",
    "TRANSITION_LABELS",
    "BulkDecision",
    "Decision",
    "ModuleData",
    "ObjectiveData",
    "QuestionData",
    "Skipped",
    "enrollment_accept_invitation",
    "enrollment_apply",
    "enrollment_approve",
    "enrollment_bulk_decide",
    "enrollment_decline",
    "enrollment_waitlist",
    "enrollment_withdraw",
    "enrollments_complete_for_program",
    "participant_ensure",
    "participant_import_commit",
    "participant_import_preview",
    "participant_import_reread",
    "participant_update",
    "program_can_undo_cancel",
    "program_save",
    "program_transition",
    "require_manager",
    "training_completion_set",
    "training_due_nudges_create",
]
