"""Forms parse and validate shape; the views hand the cleaned data to services.

Modules: ``programs`` (the program editor and the dashboard's actions),
``imports`` (upload and how to read the file), ``portal`` (profile, application,
invitation), ``settings`` (preferences and the welcome), ``fields`` (shared
fields and widgets).
"""

from programs.forms.fields import DateInput, ListField, TimeInput
from programs.forms.imports import ImportReadingForm, ImportUploadForm
from programs.forms.portal import ApplicationForm, InvitationForm, ProfileForm
from programs.forms.programs import (
    BulkDecisionForm,
    ModuleForm,
    ModuleFormSet,
    ObjectiveForm,
    ObjectiveFormSet,
    ProgramForm,
    QuestionForm,
    QuestionFormSet,
    TransitionForm,
    formset_items,
    program_initial_children,
)
from programs.forms.settings import PreferencesForm, WelcomeForm, WorkingPatternFields

__all__ = [
    "ApplicationForm",
    "BulkDecisionForm",
    "DateInput",
    "ImportReadingForm",
    "ImportUploadForm",
    "InvitationForm",
    "ListField",
    "ModuleForm",
    "ModuleFormSet",
    "ObjectiveForm",
    "ObjectiveFormSet",
    "PreferencesForm",
    "ProfileForm",
    "ProgramForm",
    "QuestionForm",
    "QuestionFormSet",
    "TimeInput",
    "TransitionForm",
    "WelcomeForm",
    "WorkingPatternFields",
    "formset_items",
    "program_initial_children",
]
