"""T-CONF-3: the admin filters only on what it shows, so an HR admin cannot recover a
pair's words (shared notes, action items, updates, goal comments) a character at a
time through URL lookups; broken lookups answer 400, never 500."""

from __future__ import annotations

import datetime

import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils import timezone

from checkins.models import AsyncUpdate, Goal, GoalEvent, Meeting, MeetingLog
from mentorship.admin_lookups import ShownLookupsOnlyMixin
from mentorship.organizations.admin import platform_admin_site
from tests.checkins.conftest import make_pair

SECRET = "SNT-alpha-pairtext"


@pytest.fixture
def pair_text(alpha, coordinator, mentor, mentee):
    """One pair with each kind of pair text holding SECRET."""
    from programs.models import Program

    program = Program.objects.create(name="Lookups", status=Program.Status.ACTIVE)
    program.coordinators.add(coordinator)
    pair = make_pair(program=program, mentor=mentor, mentee=mentee)
    now = timezone.now()
    meeting = Meeting.objects.create(
        match=pair.match,
        starts_at=now - datetime.timedelta(days=1),
        status=Meeting.Status.CONFIRMED,
        proposed_by=mentor,
        proposed_at=now - datetime.timedelta(days=3),
    )
    MeetingLog.objects.create(
        meeting=meeting,
        author=mentor,
        happened=True,
        shared_notes=f"<p>{SECRET} notes</p>",
        action_items=f"{SECRET} items",
    )
    goal = Goal.objects.create(match=pair.match, title="Speak up", created_by=mentee)
    GoalEvent.objects.create(
        goal=goal, author=mentor, kind=GoalEvent.Kind.COMMENT, text=f"{SECRET} comment"
    )
    AsyncUpdate.objects.create(match=pair.match, author=mentee, body=f"{SECRET} body")
    return meeting


HIDDEN_PAIR_TEXT = [
    (MeetingLog, "shared_notes"),
    (MeetingLog, "action_items"),
    (GoalEvent, "text"),
    (AsyncUpdate, "body"),
]


def _changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.parametrize(("model", "field"), HIDDEN_PAIR_TEXT)
def test_pair_text_cannot_be_probed_through_lookups(alpha, pair_text, model, field):
    client = alpha.client("hradmin")
    # a matching and a non-matching probe answer alike: refused, no count
    for probe in (SECRET[:5], "no-such-text"):
        for lookup in ("contains", "icontains", "startswith", "regex", "exact"):
            response = client.get(_changelist(model), {f"{field}__{lookup}": probe})
            assert response.status_code == 400, (field, lookup, probe)
            assert SECRET not in response.content.decode()


def test_pair_text_is_shown_on_no_admin_page(alpha, pair_text):
    client = alpha.client("hradmin")
    for model, _ in HIDDEN_PAIR_TEXT:
        # searching for the text finds nothing (search covers shown fields only)
        if not admin.site._registry[model].get_search_fields(None):
            continue
        response = client.get(_changelist(model), {"q": SECRET})
        assert response.status_code == 200
        assert "0 results" in response.content.decode(), model
    pages = [_changelist(model) for model, _ in HIDDEN_PAIR_TEXT]
    for model in (MeetingLog, GoalEvent, AsyncUpdate, Meeting, Goal):
        opts = model._meta
        for obj in model.objects.all():
            for view in ("change", "history", "delete"):
                pages.append(
                    reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_{view}",
                        args=[obj.pk],
                    )
                )
    for page in pages:
        response = client.get(page)
        assert response.status_code < 500, page
        assert SECRET not in response.content.decode(), page


def _text_fields(model) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, (models.CharField, models.TextField, models.JSONField))
    ]


def test_every_changelist_refuses_lookups_it_does_not_offer(alpha, pair_text):
    client = alpha.client("hradmin")
    checked = 0
    for model, model_admin in admin.site._registry.items():
        url = _changelist(model)
        # a broken regex on the id never reaches PostgreSQL
        assert client.get(url, {"id__regex": "("}).status_code == 400, url
        offered = model_admin.filterable_paths(None)
        for name in _text_fields(model):
            # not even on a shown filter: comparisons only, never text matching
            response = client.get(url, {f"{name}__contains": "x"})
            assert response.status_code == 400, (url, name, response.status_code)
            if name not in offered:
                response = client.get(url, {name: "x"})
                assert response.status_code == 400, (url, name, response.status_code)
            checked += 1
    assert checked > 50


def test_nul_in_a_filter_or_the_search_is_refused(alpha):
    client = alpha.client("hradmin")
    for model, model_admin in admin.site._registry.items():
        url = _changelist(model)
        if model_admin.get_search_fields(None):
            response = client.get(url, {"q": "a\x00b"})
            # refused: a 400 (mentorship.badinput) or the search form's own message
            assert response.status_code in (200, 400), url
            if response.status_code == 200:
                assert b"Null characters are not allowed" in response.content, url
        for path in model_admin.filterable_paths(None):
            assert client.get(url, {path: "a\x00b"}).status_code == 400, (url, path)


def test_offered_filters_still_work(alpha, pair_text):
    client = alpha.client("hradmin")
    for url in (
        "/admin/checkins/meeting/?status__exact=confirmed",
        f"/admin/checkins/meeting/?starts_at__year={timezone.now().year}",
        "/admin/checkins/meetinglog/?happened__exact=1",
        "/admin/notifications/notification/?dead_letter=yes",
        "/admin/programs/enrollment/?program__id__exact=1&status__exact=approved",
        "/admin/accounts/user/?role__exact=hr_admin",
        "/admin/mfa/authenticator/?type__exact=totp",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"errornote" not in response.content


def test_every_model_admin_filters_only_on_what_it_shows():
    for site in (admin.site, platform_admin_site):
        for model, model_admin in site._registry.items():
            assert isinstance(model_admin, ShownLookupsOnlyMixin), (site.name, model)
