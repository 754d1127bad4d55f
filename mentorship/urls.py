"""URLs of an organization's site (any tenant host)."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path, re_path

from checkins.views import home as checkin_home_views
from mentorship import views
from mentorship.accounts import views as account_views
from programs.views import settings as program_settings
from reporting.views import home as reporting_home

admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Mentorship administration"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Before allauth's own: a first password signs in and opens the welcome.
    path(
        "accounts/",
        include(
            [
                re_path(
                    r"^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
                    account_views.password_reset_from_key,
                    name="account_reset_password_from_key",
                )
            ]
        ),
    ),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("notifications/", include("mentorship.notifications.urls")),
    path("", reporting_home.portal_home, name="home"),
    path("welcome/", program_settings.welcome, name="welcome"),
    path("home/waiting/", checkin_home_views.portal_waiting, name="portal-waiting"),
    path("preferences/", program_settings.preferences_edit, name="preferences"),
    path(
        "preferences/<str:token>/",
        program_settings.preferences_signed,
        name="preferences-signed",
    ),
    path(
        "preferences/<str:token>/unsubscribe/<str:kind>/",
        program_settings.unsubscribe,
        name="unsubscribe",
    ),
    path("", include("members.urls")),
    path("", include("programs.urls")),
    path("", include("matching.urls")),
    path("", include("checkins.urls")),
    path("", include("reporting.urls")),
    path("", include("privacy.urls")),
]
