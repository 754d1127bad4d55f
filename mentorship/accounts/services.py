"""Writes on users: the one place accounts change."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from mentorship.accounts.models import User
from mentorship.accounts.timezones import is_valid_zone


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None,
    full_name: str = "",
    role: str = User.Role.MEMBER,
    time_zone: str = "UTC",
    verified: bool = False,
) -> User:
    """Create a user in the current organization, with allauth's email record."""
    email = email.strip().lower()
    validate_email(email)
    if role not in User.Role.values:
        raise ValidationError(f"Unknown role {role!r}.")
    if not is_valid_zone(time_zone):
        raise ValidationError(f"Unknown time zone {time_zone!r}.")
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(f"{email} already has an account here.")
    is_admin = role == User.Role.HR_ADMIN
    user = User.objects.create_user(
        email,
        password,
        full_name=full_name.strip(),
        role=role,
        time_zone=time_zone,
        is_staff=is_admin,
        # HR admins administer their own schema entirely; it holds nothing else.
        is_superuser=is_admin,
    )
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user


@transaction.atomic
def user_update_preferences(*, user: User, time_zone: str, full_name: str) -> User:
    if not is_valid_zone(time_zone):
        raise ValidationError({"time_zone": f"Unknown time zone {time_zone!r}."})
    user.time_zone = time_zone
    user.full_name = full_name.strip()
    user.save(update_fields=["time_zone", "full_name"])
    return user


@dataclass(frozen=True)
class NewUser:
    email: str
    full_name: str = ""
    time_zone: str = "UTC"


@transaction.atomic
def user_create_many(*, people: list[NewUser], verified: bool = False) -> list[User]:
    """Create many members at once, without passwords (they set one from an emailed
    link): a few queries for the whole list, for imports of thousands of people.

    Validates like user_create; raises ValidationError naming the first bad entry.
    """
    emails = []
    for person in people:
        email = person.email.strip().lower()
        validate_email(email)
        if not is_valid_zone(person.time_zone):
            raise ValidationError(f"Unknown time zone {person.time_zone!r}.")
        emails.append(email)
    if len(set(emails)) != len(emails):
        raise ValidationError("The same email appears twice.")
    taken = list(User.objects.filter(email__in=emails).values_list("email", flat=True))
    if taken:
        raise ValidationError(f"{taken[0]} already has an account here.")
    users = []
    for email, person in zip(emails, people, strict=True):
        user = User(
            email=email,
            full_name=person.full_name.strip(),
            time_zone=person.time_zone,
        )
        user.set_unusable_password()
        users.append(user)
    User.objects.bulk_create(users, batch_size=500)
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=user, email=user.email, primary=True, verified=verified)
            for user in users
        ],
        batch_size=500,
    )
    return users
