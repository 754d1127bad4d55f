from django.urls import path

from checkins import pause_views, views

app_name = "checkins"

urlpatterns = [
    # Portal: the viewer's pairs and circles
    path("pairs/", views.pair_list, name="pair-list"),
    path("pairs/<int:match_id>/", views.pair_detail, name="pair-detail"),
    path(
        "pairs/<int:match_id>/meetings/propose/",
        views.meeting_propose,
        name="meeting-propose",
    ),
    path("pairs/<int:match_id>/goals/", views.goal_create, name="goal-create"),
    path(
        "pairs/<int:match_id>/goals/<int:goal_id>/progress/",
        views.goal_progress,
        name="goal-progress",
    ),
    path(
        "pairs/<int:match_id>/goals/<int:goal_id>/milestones/",
        views.milestone_add,
        name="milestone-add",
    ),
    path(
        "pairs/<int:match_id>/goals/<int:goal_id>/comments/",
        views.goal_comment,
        name="goal-comment",
    ),
    path(
        "pairs/<int:match_id>/milestones/<int:milestone_id>/toggle/",
        views.milestone_toggle,
        name="milestone-toggle",
    ),
    path("pairs/<int:match_id>/updates/", views.update_post, name="update-post"),
    path(
        "pairs/<int:match_id>/updates/<int:update_id>/reply/",
        views.update_reply,
        name="update-reply",
    ),
    path("pairs/<int:match_id>/rhythm/", views.pair_rhythm, name="pair-rhythm"),
    path("pairs/<int:match_id>/pause/", pause_views.pair_pause, name="pair-pause"),
    path(
        "pairs/<int:match_id>/pause/end/",
        pause_views.pair_pause_end,
        name="pair-pause-end",
    ),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting-detail"),
    path(
        "meetings/<int:meeting_id>/accept/", views.meeting_accept, name="meeting-accept"
    ),
    path(
        "meetings/<int:meeting_id>/decline/",
        views.meeting_decline,
        name="meeting-decline",
    ),
    path(
        "meetings/<int:meeting_id>/counter/",
        views.meeting_counter,
        name="meeting-counter",
    ),
    path(
        "meetings/<int:meeting_id>/reschedule/",
        views.meeting_reschedule,
        name="meeting-reschedule",
    ),
    path(
        "meetings/<int:meeting_id>/cancel/", views.meeting_cancel, name="meeting-cancel"
    ),
    path("meetings/<int:meeting_id>/log/", views.meeting_log, name="meeting-log"),
    path("meetings/<int:meeting_id>/pulse/", views.meeting_pulse, name="meeting-pulse"),
    path(
        "meetings/<int:meeting_id>/feedback/",
        views.meeting_feedback,
        name="meeting-feedback",
    ),
    path(
        "meetings/<int:meeting_id>/action-items/<int:item_id>/toggle/",
        views.action_item_toggle,
        name="action-item-toggle",
    ),
    path("meetings/<int:meeting_id>/invite.ics", views.meeting_ics, name="meeting-ics"),
    path("circles/<int:circle_id>/", views.circle_detail, name="circle-detail"),
    # Coordinator dashboard
    path(
        "manage/programs/<int:program_id>/health/",
        views.program_health,
        name="program-health",
    ),
    path(
        "manage/pairs/<int:match_id>/checkins/",
        views.coordinator_checkin,
        name="coordinator-checkin",
    ),
    path(
        "manage/pairs/<int:match_id>/message/",
        views.pair_message,
        name="pair-message",
    ),
    path("manage/pairs/<int:match_id>/nudge/", views.pair_nudge, name="pair-nudge"),
]
