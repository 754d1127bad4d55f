from django.urls import path

from reporting.views import (
    closing,
    home,
    impact,
    people,
    portal,
    sharing,
    stories,
    surveys,
)

app_name = "reporting"

_program = "manage/programs/<int:program_id>"
_survey = f"{_program}/surveys/<int:survey_id>"
_impact = f"{_program}/impact"

urlpatterns = [
    # Coordinator dashboard: the home, what to do next in each program
    path("manage/", home.manage_home, name="manage-home"),
    path(
        "manage/people/<int:participant_id>/",
        people.participant_detail,
        name="participant-detail",
    ),
    # Coordinator dashboard: surveys
    path(f"{_program}/surveys/", surveys.survey_list, name="survey-list"),
    path(f"{_program}/surveys/new/", surveys.survey_create, name="survey-create"),
    path(f"{_survey}/", surveys.survey_builder, name="survey-builder"),
    path(f"{_survey}/action/", surveys.survey_action, name="survey-action"),
    path(f"{_survey}/questions/new/", surveys.question_edit, name="question-create"),
    path(
        f"{_survey}/questions/<int:question_id>/",
        surveys.question_edit,
        name="question-edit",
    ),
    path(
        f"{_survey}/questions/<int:question_id>/change/",
        surveys.question_change,
        name="question-change",
    ),
    path(f"{_survey}/preview/", surveys.survey_preview, name="survey-preview"),
    path(f"{_survey}/send/", surveys.survey_send, name="survey-send"),
    path(f"{_survey}/results/", surveys.survey_results, name="survey-results"),
    # Coordinator dashboard: ends that trigger surveys
    path(f"{_program}/close/", closing.program_close, name="program-close"),
    path(
        f"{_program}/matches/<int:match_id>/end/confirm/",
        closing.match_end,
        name="match-end",
    ),
    # Participant portal
    path("surveys/panel/", portal.portal_surveys_panel, name="portal-surveys-panel"),
    path("surveys/<int:assignment_id>/", portal.survey_answer, name="survey-answer"),
    # Impact reporting: dashboards, compare, objectives' measures
    path(f"{_impact}/", impact.impact_dashboard, name="impact-dashboard"),
    path(f"{_impact}/compare/", impact.impact_compare, name="impact-compare"),
    path(
        f"{_impact}/objectives/",
        impact.objective_measures,
        name="objective-measures",
    ),
    path("manage/impact/", impact.organization_impact, name="organization-impact"),
    # Impact reporting: stories, sharing, exports, the printable report
    path(f"{_impact}/stories/", stories.story_list, name="story-list"),
    path(f"{_impact}/stories/new/", stories.story_edit, name="story-create"),
    path(f"{_impact}/stories/<int:story_id>/", stories.story_edit, name="story-edit"),
    path(
        f"{_impact}/stories/<int:story_id>/action/",
        stories.story_action,
        name="story-action",
    ),
    path(f"{_impact}/share/", sharing.share_list, name="share-list"),
    path(f"{_impact}/share/new/", sharing.share_create, name="share-create"),
    path(
        f"{_impact}/share/<int:share_id>/revoke/",
        sharing.share_revoke,
        name="share-revoke",
    ),
    path(f"{_impact}/report/", sharing.impact_report, name="impact-report"),
    path(
        "manage/impact/report/", sharing.organization_report, name="organization-report"
    ),
    path(
        f"{_impact}/export/<slug:table>.<slug:fmt>",
        sharing.impact_export,
        name="impact-export",
    ),
    path("stories/", stories.my_stories, name="my-stories"),
    path("stories/<int:story_id>/", stories.story_consent, name="story-consent"),
    # The published report: no login, a live token or 404.
    path("r/<str:token>/", sharing.shared_report, name="shared-report"),
]
