from django.urls import path

from checkins.views import circles, coordinator, goals, meetings, pairs, pause

app_name = "checkins"

urlpatterns = [
    # Portal: the viewer's pairs and circles
    path("pairs/", pairs.pair_list, name="pair-list"),
    path("pairs/<int:match_id>/", pairs.pair_detail, name="pair-detail"),
    path(
        "pairs/<int:match_id>/meetings/propose/",
        meetings.meeting_propose,
        name="meeting-propose",
    ),
    path("pairs/<int:match_id>/goals/", goals.goal_create, name="goal-create"),
    path(
        "pairs/<int:match_id>/goals/<int:goal_id>/progress/",
        goals.goal_progress,
        name="goal-progress",
    ),
    path(
        "pairs/<int:match_id>/goals/<int:goal_id>/milestones/",
        goals.milestone_add,
        name="milestone-add",
    ),
    path(
        "pairs/<int:match_id>/goals/<int:goal_id>/comments/",
        goals.goal_comment,
        name="goal-comment",
    ),
    path(
        "pairs/<int:match_id>/milestones/<int:milestone_id>/toggle/",
        goals.milestone_toggle,
        name="milestone-toggle",
    ),
    path("pairs/<int:match_id>/updates/", goals.update_post, name="update-post"),
    path(
        "pairs/<int:match_id>/updates/<int:update_id>/reply/",
        goals.update_reply,
        name="update-reply",
    ),
    path("pairs/<int:match_id>/rhythm/", goals.pair_rhythm, name="pair-rhythm"),
    path("pairs/<int:match_id>/pause/", pause.pair_pause, name="pair-pause"),
    path(
        "pairs/<int:match_id>/pause/end/",
        pause.pair_pause_end,
        name="pair-pause-end",
    ),
    path("meetings/<int:meeting_id>/", meetings.meeting_detail, name="meeting-detail"),
    path(
        "meetings/<int:meeting_id>/accept/",
        meetings.meeting_accept,
        name="meeting-accept",
    ),
    path(
        "meetings/<int:meeting_id>/decline/",
        meetings.meeting_decline,
        name="meeting-decline",
    ),
    path(
        "meetings/<int:meeting_id>/counter/",
        meetings.meeting_counter,
        name="meeting-counter",
    ),
    path(
        "meetings/<int:meeting_id>/reschedule/",
        meetings.meeting_reschedule,
        name="meeting-reschedule",
    ),
    path(
        "meetings/<int:meeting_id>/cancel/",
        meetings.meeting_cancel,
        name="meeting-cancel",
    ),
    path("meetings/<int:meeting_id>/log/", meetings.meeting_log, name="meeting-log"),
    path(
        "meetings/<int:meeting_id>/pulse/", meetings.meeting_pulse, name="meeting-pulse"
    ),
    path(
        "meetings/<int:meeting_id>/feedback/",
        meetings.meeting_feedback,
        name="meeting-feedback",
    ),
    path(
        "meetings/<int:meeting_id>/action-items/<int:item_id>/toggle/",
        meetings.action_item_toggle,
        name="action-item-toggle",
    ),
    path(
        "meetings/<int:meeting_id>/invite.ics", meetings.meeting_ics, name="meeting-ics"
    ),
    path("circles/<int:circle_id>/", circles.circle_detail, name="circle-detail"),
    # Coordinator dashboard
    path(
        "manage/programs/<int:program_id>/health/",
        coordinator.program_health,
        name="program-health",
    ),
    path(
        "manage/pairs/<int:match_id>/checkins/",
        coordinator.coordinator_checkin,
        name="coordinator-checkin",
    ),
    path(
        "manage/pairs/<int:match_id>/message/",
        coordinator.pair_message,
        name="pair-message",
    ),
    path(
        "manage/pairs/<int:match_id>/nudge/", coordinator.pair_nudge, name="pair-nudge"
    ),
]
