"""URLs of the platform site (the public schema's host): organizations only."""

from allauth.account.decorators import secure_admin_login
from django.urls import include, path

from mentorship import views
from mentorship.organizations.admin import platform_admin_site

platform_admin_site.login = secure_admin_login(platform_admin_site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", views.landing, name="landing"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("admin/", platform_admin_site.urls),
]
