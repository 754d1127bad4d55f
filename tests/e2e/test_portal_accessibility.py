"""axe-core on every portal page, as a mentor and as a mentee, at 1280 and 390 px:
no serious or critical violation (issue 15: badge text #1a7f4b on #e3f4ea was 4.39:1,
"serious" on 12 pages).

The pages are discovered, not listed: every URL the permission table
(tests/security/url_roles.py) lets a mentor or mentee GET, outside the dashboard, the
admin and allauth, filled with the ids of a committed pair (its meetings, an open
program, an invitation, a survey), and kept when it answers a full HTML page (htmx
fragments, calendar files and downloads are parts of pages, checked where they
load). A new portal URL is swept as soon as it is declared. One browser, one signed-in
context per role; each page is loaded once and checked at both widths."""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from checkins.models import Goal, Meeting, MeetingLog
from matching.models import Match
from mentorship.accounts import preferences
from mentorship.accounts.models import User
from programs.models import Enrollment, Participant, Program
from reporting.models import Question, Survey, SurveyAssignment
from tests.e2e.people import people_create, people_remove
from tests.e2e.test_checkins_flow import sign_in
from tests.security.routes import all_routes
from tests.security.url_roles import MENTEE, MENTOR, OK, rule_for

pytestmark = pytest.mark.e2e

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
WIDTHS = (1280, 390)
SKIPPED_PREFIXES = ("accounts/", "manage/", "admin/", "healthz")
PROBE = (
    "async path => { const r = await fetch(path);"
    " return r.ok ? r.headers.get('content-type') || '' : '' }"
)


def portal_routes(role: str):
    """The URL patterns ``role`` may GET in the portal (from the permission table)."""
    for route in all_routes():
        if route.is_public_site or route.route.startswith(SKIPPED_PREFIXES):
            continue
        rule = rule_for(route.key)
        if rule is not None and "GET" in rule.methods and rule.expect[role] == OK:
            yield route


@pytest.fixture(scope="module")
def portal_world(django_db_setup, django_db_blocker):
    """A mentor and a mentee in an active pair with a held and a proposed meeting and
    a goal, an open program, an invitation to another, and a survey to answer."""
    tag = uuid.uuid4().hex[:6]
    now = timezone.now()
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        people = people_create(
            tag,
            (
                ("mentor", "Rafael Costa", User.Role.MEMBER, "America/Sao_Paulo"),
                ("mentee", "Ana Ferreira", User.Role.MEMBER, "Europe/Lisbon"),
            ),
        )
        participants = {
            key: Participant.objects.create(user=user, title="Engineer")
            for key, user in people.items()
        }
        active = Program.objects.create(
            name=f"Women in tech {tag}",
            status=Program.Status.ACTIVE,
            meeting_cadence_days=14,
            confidentiality_agreement="What is said here stays here.",
        )
        enrollments = {
            key: Enrollment.objects.create(
                participant=participants[key],
                program=active,
                role=key,
                status=Enrollment.Status.APPROVED,
            )
            for key in ("mentor", "mentee")
        }
        match = Match.objects.create(
            program=active,
            mentor=enrollments["mentor"],
            mentee=enrollments["mentee"],
            status=Match.Status.ACTIVE,
            started_at=now - datetime.timedelta(days=20),
        )
        held = Meeting.objects.create(
            match=match,
            starts_at=now - datetime.timedelta(days=3),
            status=Meeting.Status.HELD,
            proposed_by=people["mentor"],
            proposed_at=now - datetime.timedelta(days=6),
        )
        MeetingLog.objects.create(
            meeting=held, author=people["mentor"], happened=True, topics="career"
        )
        Meeting.objects.create(
            match=match,
            starts_at=now + datetime.timedelta(days=4),
            status=Meeting.Status.PROPOSED,
            proposed_by=people["mentor"],
            proposed_at=now,
        )
        Goal.objects.create(match=match, title="Lead a design review")
        open_program = Program.objects.create(
            name=f"Reverse mentoring {tag}",
            status=Program.Status.ENROLLING,
            enrollment_opens_on=now.date() - datetime.timedelta(days=1),
            enrollment_closes_on=now.date() + datetime.timedelta(days=20),
        )
        invited_to = Program.objects.create(
            name=f"Leadership circle {tag}",
            status=Program.Status.ENROLLING,
            confidentiality_agreement="Stays in the room.",
        )
        invitations = {
            key: Enrollment.objects.create(
                participant=participants[key],
                program=invited_to,
                role=key,
                status=Enrollment.Status.INVITED,
            )
            for key in ("mentor", "mentee")
        }
        survey = Survey.objects.create(
            program=active, title="How is it going?", status=Survey.Status.OPEN
        )
        Question.objects.create(
            survey=survey, order=0, kind="likert", text="My pair helps me grow"
        )
        assignments = {
            key: SurveyAssignment.objects.create(
                survey=survey,
                participant=participants[key],
                enrollment=enrollments[key],
                role=key,
                occasion="e2e",
                due_on=now.date() + datetime.timedelta(days=7),
            )
            for key in ("mentor", "mentee")
        }
        ids = {
            key: {
                "match_id": match.pk,
                "meeting_id": held.pk,
                "program_id": open_program.pk,
                "role": key,
                "enrollment_id": invitations[key].pk,
                "assignment_id": assignments[key].pk,
                "token": preferences.preferences_token(people[key]),
                "kind": "meeting-reminder",
            }
            for key in ("mentor", "mentee")
        }
    yield {"people": people, "ids": ids}
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        Program.objects.filter(
            pk__in=[active.pk, open_program.pk, invited_to.pk]
        ).delete()
        people_remove(tag, people)


def serious_violations(page) -> list[str]:
    page.evaluate(AXE)
    return page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))"
    )


@pytest.mark.parametrize("role", [MENTOR, MENTEE])
def test_portal_pages_have_no_serious_violations(browser, site, portal_world, role):
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
    page = context.new_page()
    sign_in(page, site, portal_world["people"][role])
    ids = portal_world["ids"][role]
    found: dict[str, list[str]] = {}
    checked, unfilled, not_pages = [], [], []
    for route in portal_routes(role):
        if set(route.params) - set(ids):
            unfilled.append(route.key)
            continue
        path = route.path(lambda name: str(ids[name]))
        # Asked first from the page (same origin, its cookies): a calendar file or a
        # download would start a download instead of loading a page.
        content_type = page.evaluate(PROBE, path)
        if "text/html" not in content_type:
            not_pages.append(route.key)
            continue
        page.goto(site("alpha", path))
        if page.locator("header.topbar").count() != 1:  # an htmx fragment
            not_pages.append(route.key)
            continue
        page.wait_for_load_state("networkidle")  # the htmx-loaded cards too
        checked.append(route.key)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for violation in serious_violations(page):
                found.setdefault(f"{path} @{width}px", []).append(violation)
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    context.close()
    summary = (
        f"{role}: checked {len(checked)} pages: {', '.join(checked)}; "
        f"not full pages: {', '.join(not_pages)}; "
        f"no ids in the world for: {', '.join(unfilled) or 'none'}"
    )
    assert len(checked) >= 12, summary
    assert found == {}, summary
