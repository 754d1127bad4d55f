"""URLs of an organization's site (any tenant host)."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from mentorship import views
from programs import views as program_views

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Mentorship administration"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("notifications/", include("mentorship.notifications.urls")),
    path("", program_views.portal_home, name="home"),
    path("", include("programs.urls")),
    path("", include("matching.urls")),
    path("", include("checkins.urls")),
    path("", include("reporting.urls")),
]
