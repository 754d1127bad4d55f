from django.db import models
from django_tenants.models import DomainMixin, TenantMixin


class Organization(TenantMixin):
    """One customer organization, stored in its own PostgreSQL schema."""

    class StaffTwoFactor(models.TextChoices):
        OFF = "off", "Not required"
        HR_ADMINS = "hr_admins", "HR admins"
        STAFF = "staff", "HR admins and program coordinators"

    name = models.CharField(max_length=200)
    # "Require two-factor for staff": those in scope who have no authenticator are
    # sent to set one up before anything else (accounts.middleware).
    staff_two_factor = models.CharField(
        "require two-factor for",
        max_length=20,
        choices=StaffTwoFactor,
        default=StaffTwoFactor.OFF,
    )
    is_active = models.BooleanField(default=True)
    # The template schema new organizations are cloned from: a tenant row so that
    # every migrate_schemas run keeps it current, but never routed or served.
    is_template = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    auto_create_schema = True
    auto_drop_schema = True

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def requires_two_factor(self, user) -> bool:
        """Whether ``user`` (of this organization) must have an authenticator: HR admins
        and anyone with admin access under ``hr_admins``, coordinators too under
        ``staff``."""
        if self.staff_two_factor == self.StaffTwoFactor.OFF:
            return False
        if user.is_hr_admin or user.is_staff or user.is_superuser:
            return True
        return self.staff_two_factor == self.StaffTwoFactor.STAFF and user.is_coordinator


class Domain(DomainMixin):
    def __str__(self) -> str:
        return self.domain


class SpareSchema(models.Model):
    """A finished clone of the template schema, waiting to become an organization.

    Cloning takes 0.3-1.5 s and grows with the number of tables and tenants; renaming a
    ready clone takes milliseconds. A Celery task keeps a few of these ready.
    """

    schema_name = models.CharField(max_length=63, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.schema_name
