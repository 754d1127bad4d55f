from django.urls import path

from matching import views

app_name = "matching"

_program = "manage/programs/<int:program_id>"

urlpatterns = [
    # Coordinator dashboard
    path(f"{_program}/matching/", views.review, name="review"),
    path(f"{_program}/matching/criteria/", views.criteria_edit, name="criteria-edit"),
    path(f"{_program}/matching/runs/", views.run_start, name="run-start"),
    path(
        f"{_program}/matching/runs/<int:run_id>/status/",
        views.run_status,
        name="run-status",
    ),
    path(
        f"{_program}/matching/runs/<int:run_id>/publish/",
        views.run_publish,
        name="run-publish",
    ),
    path(
        f"{_program}/matching/runs/<int:run_id>/discard/",
        views.run_discard,
        name="run-discard",
    ),
    path(
        f"{_program}/matching/proposals/<int:match_id>/remove/",
        views.match_remove,
        name="match-remove",
    ),
    path(
        f"{_program}/matching/proposals/<int:match_id>/reassign/",
        views.match_reassign,
        name="match-reassign",
    ),
    path(f"{_program}/matches/", views.match_list, name="match-list"),
    path(f"{_program}/matches/new/", views.match_create, name="match-create"),
    path(f"{_program}/matches/<int:match_id>/end/", views.match_end, name="match-end"),
    path(
        f"{_program}/matches/<int:match_id>/remind/",
        views.match_remind,
        name="match-remind",
    ),
    # Participant portal
    path("matches/", views.my_matches, name="my-matches"),
    path(
        "programs/<int:program_id>/mentors/",
        views.mentor_choose,
        name="mentor-choose",
    ),
    path("matches/summary/", views.my_matches_summary, name="my-matches-summary"),
    path("matches/<int:match_id>/accept/", views.match_accept, name="match-accept"),
    path("matches/<int:match_id>/decline/", views.match_decline, name="match-decline"),
    path(
        "matches/suggestions/<int:suggestion_id>/pick/",
        views.suggestion_pick,
        name="suggestion-pick",
    ),
]
