"""The platform operator's admin: organizations and their domains.

Served only by the public site (mentorship/urls_public.py). These models live in the
public schema alone, so they are registered on ``platform_admin_site``, never on
``django.contrib.admin.site`` — an organization's admin (every tenant host) does not
route to them at all: each of their URLs is a 404 there.
"""

from django.contrib import admin
from django.contrib.admin import AdminSite
from django.http import HttpRequest
from django_tenants.admin import TenantAdminMixin

from mentorship.admin_lookups import ShownLookupsOnlyMixin
from mentorship.organizations.models import Domain, Organization


class PlatformAdminSite(AdminSite):
    site_header = "Mentorship platform"
    site_title = "Mentorship platform"


platform_admin_site = PlatformAdminSite(name="admin")


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Organization, site=platform_admin_site)
class OrganizationAdmin(ShownLookupsOnlyMixin, TenantAdminMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "schema_name",
        "staff_two_factor",
        "is_active",
        "is_template",
        "created_at",
    ]
    list_filter = ["is_active", "is_template", "staff_two_factor"]
    search_fields = ["name", "schema_name"]
    inlines = [DomainInline]
    # The schema is the organization's data: renaming the row would orphan it.
    readonly_fields = ["schema_name", "is_template", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # `manage.py create_org` clones the template (org_create)
