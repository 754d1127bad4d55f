"""Reads of member organizations and their teams, with their fetching baked in."""

from __future__ import annotations

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.safestring import SafeString

from members.models import MemberOrganization, Membership
from mentorship.accounts.models import User
from mentorship.markdown import markdown_html

# joined_at is never null on a real row: it keeps out the LEFT JOIN's empty row of an
# organization with no memberships, whose left_at is null too.
_ACTIVE = Q(memberships__joined_at__isnull=False, memberships__left_at__isnull=True)


def member_organization_list() -> QuerySet[MemberOrganization]:
    """Every member organization by name, each annotated with ``member_count``
    (active members) and ``team_zones`` (their distinct time zones, sorted): one
    query, whatever the number of organizations and people."""
    return MemberOrganization.objects.annotate(
        member_count=Count("memberships", filter=_ACTIVE),
        team_zones=ArrayAgg(
            "memberships__user__time_zone",
            filter=_ACTIVE,
            distinct=True,
            order_by="memberships__user__time_zone",
            default=[],
        ),
    ).order_by("name", "id")


def member_organization_get(*, member_organization_id: int) -> MemberOrganization:
    """One member organization with ``member_count`` and ``team_zones`` as in the
    list, and ``active_memberships`` (lead first, with their users) prefetched;
    404 when there is none."""
    active = Membership.objects.filter(left_at__isnull=True).select_related("user")
    queryset = member_organization_list().prefetch_related(
        Prefetch("memberships", queryset=active, to_attr="active_memberships")
    )
    return get_object_or_404(queryset, pk=member_organization_id)


def membership_get(
    *, member_organization: MemberOrganization, membership_id: int
) -> Membership:
    """An active membership of ``member_organization`` (404 otherwise: someone who
    left, or a membership of another member organization)."""
    return get_object_or_404(
        Membership.objects.select_related("user", "member_organization"),
        pk=membership_id,
        member_organization=member_organization,
        left_at__isnull=True,
    )


def team_zones(*, member_organization: MemberOrganization) -> list[str]:
    """The distinct time zones of the team's active members, sorted."""
    return list(
        User.objects.filter(
            memberships__member_organization=member_organization,
            memberships__left_at__isnull=True,
        )
        .values_list("time_zone", flat=True)
        .distinct()
        .order_by("time_zone")
    )


def active_member_user_ids(*, member_organization: MemberOrganization) -> set[int]:
    """The ids of the users on the team now (memberships not ended)."""
    return set(
        Membership.objects.filter(
            member_organization=member_organization, left_at__isnull=True
        ).values_list("user_id", flat=True)
    )


def member_organizations_of(*, user: User) -> QuerySet[MemberOrganization]:
    """The member organizations ``user`` is on the team of now, by name."""
    return MemberOrganization.objects.filter(
        memberships__user=user, memberships__left_at__isnull=True
    ).order_by("name", "id")


def member_organization_brief(
    *, member_organization: MemberOrganization
) -> list[tuple[str, SafeString]]:
    """The local-context brief as (heading, rendered Markdown) in reading order:
    the economy and regulation, what they need, what they have tried. No query."""
    fields = {f.name: f for f in MemberOrganization._meta.fields}
    return [
        (
            str(fields[name].verbose_name),
            markdown_html(getattr(member_organization, name)),
        )
        for name in ("context_economy", "context_needs", "context_tried")
    ]
