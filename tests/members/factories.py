"""Factories for member organizations; rows land in whichever tenant schema is active."""

from __future__ import annotations

import factory
from django.utils import timezone

from members.models import MemberOrganization, Membership
from tests.programs.factories import UserFactory


class MemberOrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberOrganization

    name = factory.Sequence(lambda n: f"Chamber of Commerce {n:04d}")
    country = "TN"
    city = "Sfax"
    sector = "Chamber of commerce"
    size = MemberOrganization.Size.SMALL
    languages = factory.LazyFunction(lambda: ["ar", "fr"])
    context_needs = "Advocacy on **credit-history fees**."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    member_organization = factory.SubFactory(MemberOrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role_title = "Program officer"
    joined_at = factory.LazyFunction(timezone.now)
