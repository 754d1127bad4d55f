"""T-ISO-9: the platform's models (organizations, domains — public schema only) are not
reachable from an organization's admin: every one of their admin URLs is a 404 on a
tenant host, and no response there names another organization."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.test import Client

from mentorship.accounts.models import User
from mentorship.organizations.admin import platform_admin_site
from mentorship.organizations.models import Organization

PUBLIC_ONLY_APPS = [
    app for app in settings.SHARED_APPS if app not in settings.TENANT_APPS
]


def _public_only_models():
    return [
        model
        for config in apps.get_app_configs()
        if config.name in PUBLIC_ONLY_APPS
        for model in config.get_models()
    ]


def _admin_urls(model, pk: int) -> list[str]:
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    return [
        base,
        f"{base}?q=a",
        f"{base}add/",
        f"{base}{pk}/",
        f"{base}{pk}/change/",
        f"{base}{pk}/delete/",
        f"{base}{pk}/history/",
        f"/admin/{model._meta.app_label}/",
    ]


def test_public_models_are_a_404_in_an_organizations_admin(alpha, beta):
    # given: the HR admin of alpha (a superuser of alpha's schema)
    client = alpha.client("hradmin")
    other_names = [
        org.name
        for org in Organization.objects.exclude(schema_name="org_alpha")
        if org.name
    ]
    beta_org = Organization.objects.get(schema_name="org_beta")
    models = _public_only_models()
    assert Organization in models
    seen = 0
    for model in models:
        for url in _admin_urls(model, beta_org.pk):
            # when: each admin URL of a public-schema model is opened directly
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                seen += 1
                # then: it does not exist here
                assert response.status_code == 404, (method, url)
                body = response.content.decode()
                for name in other_names:
                    assert name not in body, (url, name)
    # the autocomplete endpoint can't be pointed at them either
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "organizations", "model_name": "domain", "field_name": "tenant"},
    )
    assert response.status_code in (403, 404)
    assert seen >= 48


def test_organizations_admin_index_names_no_organization(alpha):
    body = alpha.client("hradmin").get("/admin/").content.decode()
    assert "Organizations" not in body
    for org in Organization.objects.exclude(schema_name="org_alpha"):
        assert org.name not in body


@pytest.mark.parametrize("model", _public_only_models(), ids=lambda m: m.__name__)
def test_no_public_model_is_registered_on_the_tenant_admin(model):
    assert model not in admin.site._registry


def test_the_platform_site_keeps_its_organization_admin(db):
    assert Organization in platform_admin_site._registry
    # and nothing of an organization's own data, which the public schema doesn't have
    for model in platform_admin_site._registry:
        assert model._meta.app_config.name in PUBLIC_ONLY_APPS


def test_the_platform_host_still_serves_its_admin(db):
    response = Client(HTTP_HOST="localhost").get("/admin/organizations/organization/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_platform_operator_sets_an_organizations_two_factor_rule(db):
    # given: an operator of the platform (a user of the public schema)
    operator = User.objects.create_superuser("operator@platform.example", "x" * 20)
    client = Client(HTTP_HOST="localhost")
    client.force_login(operator)
    alpha = Organization.objects.get(schema_name="org_alpha")
    url = f"/admin/organizations/organization/{alpha.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert b"Require two-factor for" in page.content
    # when: they require it of alpha's staff (the domain inline posted unchanged)
    data = {
        "name": alpha.name,
        "is_active": "on",
        "staff_two_factor": Organization.StaffTwoFactor.STAFF,
    }
    domains = page.context["inline_admin_formsets"][0].formset
    management = domains.management_form
    data.update({f"{management.prefix}-{k}": v for k, v in management.initial.items()})
    for form in domains.forms:
        domain = form.instance
        data[f"{form.prefix}-id"] = domain.pk
        data[f"{form.prefix}-tenant"] = alpha.pk
        data[f"{form.prefix}-domain"] = domain.domain
        if domain.is_primary:
            data[f"{form.prefix}-is_primary"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, (
        response.context and response.context["adminform"].form.errors
    )
    alpha.refresh_from_db()
    assert alpha.staff_two_factor == Organization.StaffTwoFactor.STAFF
    assert alpha.schema_name == "org_alpha"
    # organizations are created by `create_org` (a clone of the template), not here
    assert client.get("/admin/organizations/organization/add/").status_code == 403
