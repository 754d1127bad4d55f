"""Writes on member organizations and their teams: the one place they change."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from members.models import MemberOrganization, Membership
from mentorship.accounts.models import User
from mentorship.accounts.services import password_reset_path, user_create
from mentorship.audit.services import record
from mentorship.fields import normalize_email
from mentorship.notifications.services import notification_create

#: The fields ``member_organization_save`` sets (in form order); others are refused.
EDITABLE_FIELDS = (
    "name",
    "country",
    "city",
    "sector",
    "size",
    "website",
    "languages",
    "focus_areas",
    "context_economy",
    "context_needs",
    "context_tried",
)


@transaction.atomic
def member_organization_save(
    *,
    member_organization: MemberOrganization | None,
    fields: dict[str, Any],
    by: User | None = None,
) -> MemberOrganization:
    """Create (``member_organization`` None) or update a member organization with
    ``fields`` (keys from ``EDITABLE_FIELDS``). Validates every field and constraint
    (a name taken, ignoring capitals) and raises ValidationError by field."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable here: {', '.join(sorted(unknown))}.")
    target = member_organization or MemberOrganization()
    for name, value in fields.items():
        setattr(target, name, value)
    if "languages" in fields:
        target.languages = list(dict.fromkeys(target.languages))
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def membership_add(
    *,
    member_organization: MemberOrganization,
    by: User | None,
    user: User | None = None,
    email: str = "",
    full_name: str = "",
    time_zone: str = "UTC",
    role_title: str = "",
    is_lead: bool = False,
) -> Membership:
    """Put a person on the team: ``user``, or the person with ``email`` — created
    without a password when the organization has no account for it, and sent an
    invitation (through the outbox, after commit) with a link to set one.

    A person who left earlier joins again as a new membership (their old one stays
    as history). ``is_lead`` makes them the lead contact in place of the current one.
    Raises ValidationError when the person is already on the team. Audited.
    """
    is_new_user = False
    if user is None:
        email = normalize_email(email)
        if not email:
            raise ValidationError({"email": "Give the person's email address."})
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = user_create(
                email=email, password=None, full_name=full_name, time_zone=time_zone
            )
            is_new_user = True
    if Membership.objects.filter(
        member_organization=member_organization, user=user, left_at__isnull=True
    ).exists():
        raise ValidationError(
            f"{user} is already on the team of {member_organization}."
        )
    membership = Membership(
        member_organization=member_organization,
        user=user,
        role_title=role_title,
        joined_at=timezone.now(),
    )
    membership.full_clean()
    membership.save()
    if is_lead:
        membership = membership_lead_set(membership=membership, by=by)
    _audit("membership.added", membership, by, is_new_user=is_new_user)
    if is_new_user:
        _invite(membership)
    return membership


def _audit(action: str, membership: Membership, by: User | None, **facts: Any) -> None:
    record(
        action=action,
        target=membership,
        actor=by,
        details={
            "member_organization_id": membership.member_organization_id,
            "user_id": membership.user_id,
            **facts,
        },
    )


def _invite(membership: Membership) -> None:
    """The set-password invitation of someone new to the organization (in the
    caller's transaction; deduplicated per membership)."""
    user, team = membership.user, membership.member_organization
    notification_create(
        recipient=user,
        kind="member-invitation",
        dedupe_key=f"member-invitation:{membership.pk}",
        subject=f"You're invited as part of {team.name}",
        body=(
            f"Hello {user.greeting_name},\n\n"
            f"You have been added to the team of {team.name}, so that you can take "
            "part in its mentoring. Follow the link to set your password. The link "
            "works for a few days; after that, use “Forgot password?” on the "
            "sign-in page."
        ),
        link=password_reset_path(user),
    )


@transaction.atomic
def membership_lead_set(*, membership: Membership, by: User | None) -> Membership:
    """Make ``membership``'s person the lead contact of their member organization;
    the previous lead (if any) stays on the team as a member. Raises
    ValidationError for someone who has left. Audited."""
    # Lock the team so two changes of lead can't both pass the unique check.
    team = list(
        Membership.objects.select_for_update()
        .filter(member_organization_id=membership.member_organization_id)
        .order_by("pk")
    )
    current = next(row for row in team if row.pk == membership.pk)
    if current.left_at is not None:
        raise ValidationError(f"{membership.user} has left the team.")
    if current.is_lead:
        return current
    Membership.objects.filter(
        member_organization_id=membership.member_organization_id, is_lead=True
    ).update(is_lead=False)
    current.is_lead = True
    current.save(update_fields=["is_lead"])
    _audit("membership.lead_set", current, by)
    return current


@transaction.atomic
def membership_end(*, membership: Membership, by: User | None) -> Membership:
    """The person leaves the team: ``left_at`` is set to now and they stop being the
    lead; they no longer count as an active member (access that follows from the
    membership ends with it). Their membership row stays, as history. Raises
    ValidationError if they had already left. Audited."""
    now = timezone.now()
    # A claim: only the request that finds the membership still active ends it.
    ended = Membership.objects.filter(pk=membership.pk, left_at__isnull=True).update(
        left_at=now, is_lead=False
    )
    if not ended:
        raise ValidationError(f"{membership.user} has already left the team.")
    membership.left_at, membership.is_lead = now, False
    _audit("membership.ended", membership, by)
    return membership
