"""The reporting app's own artefacts, one module per area; every model is imported
here so ``reporting.models.X`` keeps working.

- ``surveys``: impact surveys, their questions, sends, assignments, responses and
  answers (the shape and the anonymity rules are in its docstring);
- ``stories``: success stories, the people they name, and shared report links;
- ``objectives``: how a program objective is measured.
"""

from reporting.models.objectives import ObjectiveMeasure
from reporting.models.stories import SharedReport, StoryPerson, SuccessStory
from reporting.models.surveys import (
    Answer,
    Question,
    Response,
    Survey,
    SurveyAssignment,
    SurveySend,
)

__all__ = [
    "Answer",
    "ObjectiveMeasure",
    "Question",
    "Response",
    "SharedReport",
    "StoryPerson",
    "SuccessStory",
    "Survey",
    "SurveyAssignment",
    "SurveySend",
]
