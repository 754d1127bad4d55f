from django.urls import path

from programs.views import imports, portal, programs
from programs.views import resources as resource_views
from programs.views import training as training_views

app_name = "programs"

urlpatterns = [
    # Coordinator dashboard
    path("manage/programs/new/", programs.program_create, name="program-create"),
    path(
        "manage/programs/<int:program_id>/",
        programs.program_detail,
        name="program-detail",
    ),
    path(
        "manage/programs/<int:program_id>/edit/",
        programs.program_edit,
        name="program-edit",
    ),
    path(
        "manage/programs/<int:program_id>/transition/",
        programs.program_transition,
        name="program-transition",
    ),
    path(
        "manage/programs/<int:program_id>/enrollments/decide/",
        programs.enrollment_bulk_decide,
        name="enrollment-bulk-decide",
    ),
    path(
        "manage/programs/<int:program_id>/import/",
        imports.participant_import,
        name="participant-import",
    ),
    path(
        "manage/programs/<int:program_id>/import/<int:batch_id>/",
        imports.participant_import_preview,
        name="participant-import-preview",
    ),
    path(
        "manage/programs/<int:program_id>/import/<int:batch_id>/confirm/",
        imports.participant_import_confirm,
        name="participant-import-confirm",
    ),
    path(
        "manage/programs/<int:program_id>/import/<int:batch_id>/read/",
        imports.participant_import_reread,
        name="participant-import-reread",
    ),
    path(
        "manage/programs/<int:program_id>/training/",
        training_views.training_page,
        name="training",
    ),
    path(
        "manage/programs/<int:program_id>/training/mark/",
        training_views.training_mark,
        name="training-mark",
    ),
    path(
        "manage/programs/<int:program_id>/training/<int:enrollment_id>/waiver/",
        training_views.training_waiver,
        name="training-waiver",
    ),
    path(
        "manage/programs/<int:program_id>/resources/",
        resource_views.resource_library,
        name="resource-library",
    ),
    path(
        "manage/programs/<int:program_id>/resources/<int:resource_id>/",
        resource_views.resource_edit,
        name="resource-edit",
    ),
    path(
        "manage/programs/<int:program_id>/resources/<int:resource_id>/move/",
        resource_views.resource_move,
        name="resource-move",
    ),
    path(
        "manage/programs/<int:program_id>/resources/<int:resource_id>/delete/",
        resource_views.resource_delete,
        name="resource-delete",
    ),
    path(
        "manage/participants-template.csv",
        imports.participant_import_template,
        name="participant-import-template",
    ),
    # Participant portal
    path("profile/", portal.profile_edit, name="profile-edit"),
    path(
        "programs/<int:program_id>/apply/<str:role>/",
        portal.enrollment_apply,
        name="enrollment-apply",
    ),
    path(
        "invitations/<int:enrollment_id>/",
        portal.invitation_accept,
        name="invitation-accept",
    ),
    path(
        "enrollments/<int:enrollment_id>/withdraw/",
        portal.enrollment_withdraw,
        name="enrollment-withdraw",
    ),
    path(
        "enrollments/<int:enrollment_id>/training/<int:module_id>/",
        portal.training_toggle,
        name="training-toggle",
    ),
    path(
        "resources/<int:resource_id>/",
        portal.resource_download,
        name="resource-download",
    ),
]
