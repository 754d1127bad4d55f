"""Writes on users: the one place accounts change."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mentorship.accounts.models import User
from mentorship.accounts.timezones import is_valid_zone
from mentorship.audit.services import record
from mentorship.fields import normalize_email, normalize_text, validate_single_line
from mentorship.notifications.services import notification_create


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None,
    full_name: str = "",
    role: str = User.Role.MEMBER,
    time_zone: str = "UTC",
    verified: bool = False,
    preferred_name: str = "",
) -> User:
    """Create a user in the current organization, with allauth's email record.
    The email is stored normalised and lower-cased (fields.normalize_email); one
    differing from an existing account's only in capitals is refused."""
    email = normalize_email(email)
    validate_email(email)
    if role not in User.Role.values:
        raise ValidationError(f"Unknown role {role!r}.")
    if not is_valid_zone(time_zone):
        raise ValidationError(f"Unknown time zone {time_zone!r}.")
    validate_single_line(full_name)
    validate_single_line(preferred_name)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(f"{email} already has an account here.")
    is_admin = role == User.Role.HR_ADMIN
    user = User.objects.create_user(
        email,
        password,
        full_name=full_name.strip(),
        preferred_name=preferred_name.strip(),
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
def user_update_preferences(
    *,
    user: User,
    time_zone: str,
    full_name: str,
    preferred_name: str | None = None,
) -> User:
    """Set the person's zone and names (``preferred_name`` None: unchanged)."""
    if not is_valid_zone(time_zone):
        raise ValidationError({"time_zone": f"Unknown time zone {time_zone!r}."})
    names = {"full_name": full_name}
    if preferred_name is not None:
        names["preferred_name"] = preferred_name
    for field, value in names.items():
        try:
            validate_single_line(value)
        except ValidationError as error:
            raise ValidationError({field: error.messages}) from None
        setattr(user, field, normalize_text(value))
    user.time_zone = time_zone
    user.save(update_fields=["time_zone", *names])
    return user


@dataclass(frozen=True)
class NewUser:
    email: str
    full_name: str = ""
    time_zone: str = "UTC"
    preferred_name: str = ""


@transaction.atomic
def user_create_many(*, people: list[NewUser], verified: bool = False) -> list[User]:
    """Create many members at once, without passwords (they set one from an emailed
    link): a few queries for the whole list, for imports of thousands of people.

    Validates like user_create; raises ValidationError naming the first bad entry.
    """
    emails = []
    for person in people:
        email = normalize_email(person.email)
        validate_email(email)
        if not is_valid_zone(person.time_zone):
            raise ValidationError(f"Unknown time zone {person.time_zone!r}.")
        validate_single_line(person.full_name)
        validate_single_line(person.preferred_name)
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
            preferred_name=person.preferred_name.strip(),
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


def password_reset_path(user: User) -> str:
    """The path of ``user``'s set-password page with a fresh key (allauth's reset-key
    view; the key binds the organization, see accounts.tokens). Valid until the
    password changes or ``PASSWORD_RESET_TIMEOUT`` passes."""
    return reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )


def _record(*, user: User, by: User, message: str) -> None:
    LogEntry.objects.log_actions(
        user_id=by.pk, queryset=[user], action_flag=CHANGE, change_message=message
    )


@transaction.atomic
def user_password_set_by_admin_record(*, user: User, by: User) -> None:
    """After an admin set (or removed) ``user``'s password: tell the person by email and
    keep a record in the admin's history (LogEntry), so no account changes hands
    silently. Sent through the outbox, due now."""
    when = timezone.now()
    what = (
        "set a new password" if user.has_usable_password() else "removed the password"
    )
    notification_create(
        recipient=user,
        kind="password-set-by-admin",
        dedupe_key=f"password-set-by-admin:{user.pk}:{when.timestamp()}",
        subject="An administrator changed your password",
        body=(
            f"Hello {user.greeting_name},\n\n"
            f"{by.full_name or by.email} ({by.email}) {what} for your account on "
            f"{when:%Y-%m-%d %H:%M} UTC. If you did not ask for this, choose "
            "“Forgot password?” on the sign-in page to set your own, and tell your "
            "HR team."
        ),
        link=reverse("account_reset_password"),
    )
    _record(
        user=user,
        by=by,
        message=f"Password: {by.email} {what} in the admin; {user.email} was emailed.",
    )
    record(action="password.set_by_admin", target=user, actor=by)


@transaction.atomic
def user_password_reset_link_send(*, users: list[User], by: User) -> int:
    """Email each of ``users`` a link to choose their own password (the admin's
    preferred way to help someone in), recorded in the admin's history. Returns how
    many emails were queued (one per person per minute at most)."""
    minute = timezone.now().strftime("%Y%m%d%H%M")
    queued = 0
    for user in users:
        created = notification_create(
            recipient=user,
            kind="password-reset-link",
            dedupe_key=f"password-reset-link:{user.pk}:{minute}",
            subject="Choose your password",
            body=(
                f"Hello {user.greeting_name},\n\n"
                f"{by.full_name or by.email} sent you a link to choose a password "
                "for your mentorship account. It works for a few days."
            ),
            link=password_reset_path(user),
        )
        if created is not None:
            queued += 1
            _record(
                user=user,
                by=by,
                message=f"Password reset link sent to {user.email} by {by.email}.",
            )
            record(action="password.reset_link_sent", target=user, actor=by)
    return queued


@transaction.atomic
def user_authenticators_removed_by_admin_record(
    *, user: User, kinds: list[str], by: User
) -> None:
    """After an admin removed ``user``'s two-factor authenticators (``kinds``: their
    display names): email the person and record it, like a password set by hand."""
    when = timezone.now()
    removed = ", ".join(sorted(set(kinds)))
    notification_create(
        recipient=user,
        kind="authenticator-removed-by-admin",
        dedupe_key=f"authenticator-removed-by-admin:{user.pk}:{when.timestamp()}",
        subject="An administrator removed your two-factor authentication",
        body=(
            f"Hello {user.greeting_name},\n\n"
            f"{by.full_name or by.email} ({by.email}) removed your {removed} on "
            f"{when:%Y-%m-%d %H:%M} UTC. Set up two-factor again from your account "
            "page. If you did not ask for this, tell your HR team."
        ),
        link=reverse("mfa_index"),
    )
    _record(
        user=user,
        by=by,
        message=f"Two-factor: {by.email} removed {removed} in the admin; "
        f"{user.email} was emailed.",
    )
    record(action="two_factor.removed_by_admin", target=user, actor=by)
