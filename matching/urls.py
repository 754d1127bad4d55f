from django.urls import path

from matching.views import matches, portal, review

app_name = "matching"

_program = "manage/programs/<int:program_id>"

urlpatterns = [
    # Coordinator dashboard
    path(f"{_program}/matching/", review.review, name="review"),
    path(f"{_program}/matching/criteria/", review.criteria_edit, name="criteria-edit"),
    path(f"{_program}/matching/runs/", review.run_start, name="run-start"),
    path(
        f"{_program}/matching/runs/<int:run_id>/status/",
        review.run_status,
        name="run-status",
    ),
    path(
        f"{_program}/matching/runs/<int:run_id>/publish/",
        review.run_publish,
        name="run-publish",
    ),
    path(
        f"{_program}/matching/runs/<int:run_id>/discard/",
        review.run_discard,
        name="run-discard",
    ),
    path(
        f"{_program}/matching/proposals/<int:match_id>/remove/",
        review.match_remove,
        name="match-remove",
    ),
    path(
        f"{_program}/matching/proposals/<int:match_id>/reassign/",
        review.match_reassign,
        name="match-reassign",
    ),
    path(f"{_program}/matches/", matches.match_list, name="match-list"),
    path(f"{_program}/matches/new/", matches.match_create, name="match-create"),
    path(
        f"{_program}/matches/<int:match_id>/end/", matches.match_end, name="match-end"
    ),
    path(
        f"{_program}/matches/<int:match_id>/remind/",
        matches.match_remind,
        name="match-remind",
    ),
    # Participant portal
    path("matches/", portal.my_matches, name="my-matches"),
    path(
        "programs/<int:program_id>/mentors/",
        portal.mentor_choose,
        name="mentor-choose",
    ),
    path("matches/summary/", portal.my_matches_summary, name="my-matches-summary"),
    path("matches/<int:match_id>/accept/", portal.match_accept, name="match-accept"),
    path("matches/<int:match_id>/decline/", portal.match_decline, name="match-decline"),
    path(
        "matches/suggestions/<int:suggestion_id>/pick/",
        portal.suggestion_pick,
        name="suggestion-pick",
    ),
]
