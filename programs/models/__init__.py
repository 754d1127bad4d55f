"""Programs, the people in them, and their enrolments.

Rules the database can hold are constraints here; the rest (status transitions,
capacity, who may decide) live in services.py.

Modules: ``programs`` (Program and what it offers), ``participants`` (people,
enrolments and their training records), ``imports`` (participant imports).
"""

# isort: off
# In the order the models were always defined (the app registry keeps that order).
from programs.models.programs import (
    ApplicationQuestion,
    AudienceRole,
    Program,
    ProgramObjective,
    ProgramRole,
    Resource,
    TrainingModule,
)
from programs.models.participants import (
    Enrollment,
    Participant,
    TrainingCompletion,
    TrainingWaiver,
)
from programs.models.participants import (  # noqa: F401  (named by migrations)
    _default_weekdays,
    _validate_country,
    _validate_languages,
    _validate_weekdays,
)
from programs.models.imports import ImportBatch, ImportColumnMapping

# isort: on

__all__ = [
    "ApplicationQuestion",
    "AudienceRole",
    "Enrollment",
    "ImportBatch",
    "ImportColumnMapping",
    "Participant",
    "Program",
    "ProgramObjective",
    "ProgramRole",
    "Resource",
    "TrainingCompletion",
    "TrainingModule",
    "TrainingWaiver",
]
