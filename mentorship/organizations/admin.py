from django.contrib import admin
from django_tenants.admin import TenantAdminMixin
from django_tenants.utils import get_public_schema_name

from mentorship.organizations.models import Domain, Organization


class PublicSchemaOnlyAdmin(admin.ModelAdmin):
    """Organizations are the platform operator's, never visible inside a tenant."""

    def has_module_permission(self, request):
        return (
            request.tenant.schema_name == get_public_schema_name()
            and super().has_module_permission(request)
        )

    def has_view_permission(self, request, obj=None):
        return (
            request.tenant.schema_name == get_public_schema_name()
            and super().has_view_permission(request, obj)
        )


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(TenantAdminMixin, PublicSchemaOnlyAdmin):
    list_display = ["name", "schema_name", "is_active", "is_template", "created_at"]
    list_filter = ["is_active", "is_template"]
    search_fields = ["name", "schema_name"]
    inlines = [DomainInline]
