"""Reads for the dashboard and the portal, with their fetching baked in (see each
module).

Every listing here runs a fixed number of queries whatever the data size; the
tests assert it (tests/programs/test_program_detail_view.py).

- ``programs``: who manages a program, the coordinator's list, one program and
  its counts, the portal's open programs, import batches, coordinator choices.
- ``enrollments``: the enrolment table (filters, sorting, status tabs), rows
  chosen for a decision, a person's own applications and invitations.
- ``training``: the training gate (who matching holds back), training progress
  per row, a person's own training.
- ``participants``: a person's profile and roles, the resources they may open,
  their local time and working pattern.
"""

from programs.selectors.enrollments import (
    ENROLLMENT_COLUMNS,
    ENROLLMENT_PAGE_SIZE,
    ENROLLMENT_SORTS,
    EnrollmentFilters,
    EnrollmentTable,
    SortColumn,
    StatusTab,
    enrollment_get_for_participant,
    enrollment_list_for_participant,
    enrollment_status_tabs,
    enrollment_table,
    enrollments_for_decision,
    invitation_get_for_participant,
)
from programs.selectors.participants import (
    local_now,
    local_today,
    participant_for_user,
    participant_get_for_user,
    participant_roles,
    resource_get_for_user,
    resources_for_participant,
    working_pattern_of,
)
from programs.selectors.programs import (
    ProgramCounts,
    coordinator_choices,
    import_batch_get,
    program_counts,
    program_get_for_coordinator,
    program_get_for_editing,
    program_get_open,
    program_is_managed_by,
    program_list_for_coordinator,
    programs_open_for_enrollment,
)
from programs.selectors.training import (
    TRAINING_NOT_COMPLETED,
    TrainingItem,
    training_blocked,
    training_blocked_counts,
    training_for_participant,
    training_held_back,
    training_label,
    training_missing,
    training_module_get,
    training_progress_annotate,
)

__all__ = [
    "ENROLLMENT_COLUMNS",
    "ENROLLMENT_PAGE_SIZE",
    "ENROLLMENT_SORTS",
    "TRAINING_NOT_COMPLETED",
    "EnrollmentFilters",
    "EnrollmentTable",
    "ProgramCounts",
    "SortColumn",
    "StatusTab",
    "TrainingItem",
    "coordinator_choices",
    "enrollment_get_for_participant",
    "enrollment_list_for_participant",
    "enrollment_status_tabs",
    "enrollment_table",
    "enrollments_for_decision",
    "import_batch_get",
    "invitation_get_for_participant",
    "local_now",
    "local_today",
    "participant_for_user",
    "participant_get_for_user",
    "participant_roles",
    "program_counts",
    "program_get_for_coordinator",
    "program_get_for_editing",
    "program_get_open",
    "program_is_managed_by",
    "program_list_for_coordinator",
    "programs_open_for_enrollment",
    "resource_get_for_user",
    "resources_for_participant",
    "training_blocked",
    "training_blocked_counts",
    "training_for_participant",
    "training_held_back",
    "training_label",
    "training_missing",
    "training_module_get",
    "training_progress_annotate",
    "working_pattern_of",
]
