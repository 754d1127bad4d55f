from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.my_data, name="my-data"),
    path("privacy/export/", views.data_export_request, name="export-request"),
    path(
        "privacy/export/<str:token>/",
        views.data_export_download,
        name="export-download",
    ),
]
