import datetime
from typing import Any, ClassVar

from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from mentorship.fields import LowercaseEmailField, SingleLineCharField, TimeZoneField


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(
        self, email: str, password: str | None = None, **fields: Any
    ) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True, role=User.Role.HR_ADMIN)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A login identity inside one organization (each schema has its own users)."""

    class Role(models.TextChoices):
        HR_ADMIN = "hr_admin", "HR admin"
        COORDINATOR = "coordinator", "Program coordinator"
        MEMBER = "member", "Member"

    # Stored lower-cased; the database also refuses a second account whose address
    # differs only in capitals (user_email_lower_unique), whatever path writes it.
    email = LowercaseEmailField(unique=True)
    full_name = SingleLineCharField(max_length=200, blank=True)
    # "What should we call you?" — used in greetings, buttons and emails.
    preferred_name = SingleLineCharField(
        "preferred name",
        max_length=100,
        blank=True,
        help_text="What should we call you? Used in greetings and emails.",
    )
    role = models.CharField(max_length=20, choices=Role, default=Role.MEMBER)
    time_zone = TimeZoneField(max_length=64, default="UTC")
    language = models.CharField(max_length=10, default="en")
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Notification preferences: digest at a local hour, nothing in quiet hours.
    digest_hour = models.TimeField(default=datetime.time(9, 0))
    quiet_start = models.TimeField(default=datetime.time(21, 0), null=True, blank=True)
    quiet_end = models.TimeField(default=datetime.time(7, 0), null=True, blank=True)
    email_enabled = models.BooleanField(default=True)
    muted_kinds = models.JSONField(default=list, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["hr_admin", "coordinator", "member"]),
                name="user_role_valid",
            ),
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_lower_unique",
                violation_error_message="This email address already has an account "
                "here (addresses are the same whatever their capitals).",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def greeting_name(self) -> str:
        """The name to address this person by in greetings, buttons and emails.

        Their preferred name; else their whole full name (never a word of it: in
        many cultures the first word is the family name, "Nguyễn Thị Lan"); else
        the part of their email before the @.
        """
        return self.preferred_name or self.full_name or self.email.partition("@")[0]

    @property
    def is_hr_admin(self) -> bool:
        return self.role == self.Role.HR_ADMIN

    @property
    def is_coordinator(self) -> bool:
        return self.role in (self.Role.COORDINATOR, self.Role.HR_ADMIN)
