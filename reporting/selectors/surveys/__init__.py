"""Reads for the survey pages: access getters, lists, the portal panel, results.

- ``access``: the coordinator's and the participant's getters, the survey list,
  previous answers, the portal's pending surveys;
- ``results``: survey results with filters and breakdowns, under the small-group
  rule for anonymous surveys (its docstring).
"""

from reporting.selectors.surveys.access import (
    PendingSurvey,
    assignment_get_for_participant,
    pending_surveys_for_user,
    previous_answers,
    question_get,
    survey_get_for_coordinator,
    survey_list_for_program,
)
from reporting.selectors.surveys.results import (
    BREAKDOWNS,
    BreakdownRow,
    ChangeRow,
    QuestionResult,
    ResultFilters,
    SurveyResults,
    survey_results,
)

__all__ = [
    "BREAKDOWNS",
    "BreakdownRow",
    "ChangeRow",
    "PendingSurvey",
    "QuestionResult",
    "ResultFilters",
    "SurveyResults",
    "assignment_get_for_participant",
    "pending_surveys_for_user",
    "previous_answers",
    "question_get",
    "survey_get_for_coordinator",
    "survey_list_for_program",
    "survey_results",
]
