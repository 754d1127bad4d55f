"""Dashboard pages (/manage/member-organizations/…): parse, call one service, render.

Every coordinator and HR admin of the organization manages every member
organization (they are not tied to a program yet).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members import selectors, services
from members.forms import MemberOrganizationForm, MembershipAddForm
from members.models import MemberOrganization, Membership
from mentorship import confirm, reference
from mentorship.accounts.decorators import coordinator_required
from mentorship.forms import form_add_errors
from mentorship.http import AppRequest, back, error_text
from mentorship.markdown import markdown_html

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

BRIEF_FIELDS = ("context_economy", "context_needs", "context_tried")


class _DetailPrefetch(TypedDict):
    """Set by ``selectors.member_organization_get`` (a ``to_attr`` prefetch)."""

    active_memberships: list[Membership]


@require_GET
@coordinator_required
def member_organization_list(request: AppRequest) -> HttpResponse:
    member_organizations = list(selectors.member_organization_list())
    return render(
        request,
        "members/member_organization_list.html",
        {"member_organizations": member_organizations},
    )


@require_http_methods(["GET", "POST"])
@coordinator_required
def member_organization_create(request: AppRequest) -> HttpResponse:
    return _editor(request, member_organization=None)


@require_http_methods(["GET", "POST"])
@coordinator_required
def member_organization_edit(
    request: AppRequest, member_organization_id: int
) -> HttpResponse:
    member_organization = selectors.member_organization_get(
        member_organization_id=member_organization_id
    )
    return _editor(request, member_organization=member_organization)


def _editor(
    request: AppRequest, *, member_organization: MemberOrganization | None
) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = MemberOrganizationForm(data, instance=member_organization)
    if data is not None and form.is_valid():
        try:
            saved = services.member_organization_save(
                member_organization=member_organization,
                fields=form.member_organization_fields(),
                by=request.user,
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, f"Saved {saved.name}.")
            return redirect("members:member-organization-detail", saved.pk)
    return render(
        request,
        "members/member_organization_form.html",
        {"form": form, "member_organization": member_organization},
        status=422 if data is not None else 200,
    )


def _detail(
    request: AppRequest,
    member_organization: MemberOrganization,
    *,
    add_form: MembershipAddForm | None = None,
    status: int = 200,
) -> HttpResponse:
    def field(name: str) -> models.Field:
        # The brief fields are the model's own text fields, never a relation.
        return cast(models.Field, MemberOrganization._meta.get_field(name))

    brief = [
        (field(name).verbose_name, markdown_html(getattr(member_organization, name)))
        for name in BRIEF_FIELDS
    ]
    prefetched = cast(
        "WithAnnotations[MemberOrganization, _DetailPrefetch]", member_organization
    )
    team = [
        (membership, _end_confirmation(membership))
        for membership in prefetched.active_memberships
    ]
    context = {
        "member_organization": member_organization,
        "brief": brief,
        "languages": [
            reference.language_names().get(code, code)
            for code in member_organization.languages
        ],
        "team": team,
        "add_form": add_form or MembershipAddForm(),
    }
    return render(
        request, "members/member_organization_detail.html", context, status=status
    )


@require_GET
@coordinator_required
def member_organization_detail(
    request: AppRequest, member_organization_id: int
) -> HttpResponse:
    member_organization = selectors.member_organization_get(
        member_organization_id=member_organization_id
    )
    return _detail(request, member_organization)


@require_POST
@coordinator_required
def membership_add(request: AppRequest, member_organization_id: int) -> HttpResponse:
    member_organization = selectors.member_organization_get(
        member_organization_id=member_organization_id
    )
    form = MembershipAddForm(request.POST)
    if form.is_valid():
        try:
            membership = services.membership_add(
                member_organization=member_organization,
                by=request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, f"{membership.user} is on the team.")
            return _back_to(request, member_organization)
    return _detail(request, member_organization, add_form=form, status=422)


@require_POST
@coordinator_required
def membership_lead_set(
    request: AppRequest, member_organization_id: int, membership_id: int
) -> HttpResponse:
    membership = _membership(member_organization_id, membership_id)
    member_organization = membership.member_organization
    services.membership_lead_set(membership=membership, by=request.user)
    messages.success(request, f"{membership.user} is the lead contact now.")
    return _back_to(request, member_organization)


def _membership(member_organization_id: int, membership_id: int) -> Membership:
    """The active membership named by the URL, inside the member organization it
    names (404 for any mismatch)."""
    member_organization = selectors.member_organization_get(
        member_organization_id=member_organization_id
    )
    return selectors.membership_get(
        member_organization=member_organization, membership_id=membership_id
    )


def _end_confirmation(membership: Membership) -> confirm.Confirmation:
    """Removing someone from the team ends their place in it (re-adding them starts
    a new membership)."""
    team = membership.member_organization
    return confirm.Confirmation(
        question=f"Remove {membership.user} from {team.name}?",
        effects=(
            "They stop being part of the team and of its mentoring from now on; "
            "what they wrote stays theirs.",
            *(
                ("The team has no lead contact until you choose another.",)
                if membership.is_lead
                else ()
            ),
        ),
        action_url=reverse("members:membership-end", args=[team.pk, membership.pk]),
        label="Remove",
        cancel_url=reverse("members:member-organization-detail", args=[team.pk]),
        is_danger=True,
        title="Remove from the team",
    )


@require_POST
@coordinator_required
def membership_end(
    request: AppRequest, member_organization_id: int, membership_id: int
) -> HttpResponse:
    membership = _membership(member_organization_id, membership_id)
    member_organization = membership.member_organization
    if not confirm.is_confirmed(request):
        return confirm.page(request, _end_confirmation(membership))
    try:
        services.membership_end(membership=membership, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"{membership.user} has left {member_organization}.")
    return _back_to(request, member_organization)


def _back_to(
    request: AppRequest, member_organization: MemberOrganization
) -> HttpResponse:
    url = reverse("members:member-organization-detail", args=[member_organization.pk])
    return back(request, url)
