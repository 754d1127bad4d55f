from django.urls import path

from programs import views

app_name = "programs"

urlpatterns = [
    path("manage/", views.manage_home, name="manage-home"),
]
