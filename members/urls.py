from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path(
        "manage/member-organizations/",
        views.member_organization_list,
        name="member-organization-list",
    ),
    path(
        "manage/member-organizations/new/",
        views.member_organization_create,
        name="member-organization-create",
    ),
    path(
        "manage/member-organizations/<int:member_organization_id>/",
        views.member_organization_detail,
        name="member-organization-detail",
    ),
    path(
        "manage/member-organizations/<int:member_organization_id>/edit/",
        views.member_organization_edit,
        name="member-organization-edit",
    ),
    path(
        "manage/member-organizations/<int:member_organization_id>/people/add/",
        views.membership_add,
        name="membership-add",
    ),
    path(
        "manage/member-organizations/<int:member_organization_id>/people/"
        "<int:membership_id>/lead/",
        views.membership_lead_set,
        name="membership-lead-set",
    ),
    path(
        "manage/member-organizations/<int:member_organization_id>/people/"
        "<int:membership_id>/remove/",
        views.membership_end,
        name="membership-end",
    ),
]
