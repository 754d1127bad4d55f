"""Organization mentoring end to end (issue 18): a coordinator creates a member
organization with its brief and adds three people (Dhaka, Tunis, Toronto); runs
matching and publishes; the match is accepted (services); the mentor in New York
reads the brief on the engagement page and proposes a meeting to everyone; all
three accept and the meeting is confirmed. Screenshots in ``screenshots/`` at
1280 and 390 px.

The server is another process, so the data is committed in a throwaway program
and member organization with unique names, and removed afterwards.
"""

from __future__ import annotations

import datetime
import re
import secrets

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from tests.conftest import persona_email
from tests.e2e.people import people_create, people_remove
from tests.e2e.test_acting_on_risk_flow import sign_in

pytestmark = pytest.mark.e2e

# (role key, full name, organization role, time zone, role on the team)
TEAM = [
    ("rafiq", "Rafiq Hossain", "member", "Asia/Dhaka", "President"),
    ("amina", "Amina Ben Salah", "member", "Africa/Tunis", "Vice president"),
    ("nadia", "Nadia Rahman", "member", "America/Toronto", "Program officer"),
]
MENTOR = ("claire", "Claire Dubois", "member", "America/New_York")
ECONOMY = "Most members export jute and leather; the central bank charges a fee"
NEEDS = "Advocacy on **credit-history fees** with the central bank."
TRIED = "- A petition in 2024 (no answer)\n- A round table with two ministries"


@pytest.fixture
def world(django_db_blocker, server):
    """Committed: an organization-mentoring program in matching of the coordinator
    persona; an approved mentor (New York) and three approved mentees, the future
    team, who have accounts but no member organization yet."""
    from mentorship.accounts.models import User
    from mentorship.notifications.models import Notification
    from programs.models import Enrollment, Participant, Program

    tag = secrets.token_hex(3)
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        coordinator = User.objects.get(email=persona_email("coordinator", "alpha"))
        program = Program.objects.create(
            name=f"Bridges Associations {tag}",
            kind=Program.Kind.ORGANIZATION,
            status=Program.Status.MATCHING,
            focus_areas=["Advocacy"],
        )
        program.coordinators.add(coordinator)
        people = people_create(tag, [MENTOR, *(spec[:4] for spec in TEAM)])
        for key, user in people.items():
            is_mentor = key == MENTOR[0]
            participant = Participant.objects.create(
                user=user,
                title="Trade policy adviser" if is_mentor else "Association officer",
                languages=["en", "fr"] if is_mentor else ["en"],
                seniority=5 if is_mentor else 3,
                working_hours_start=datetime.time(9),
                working_hours_end=datetime.time(17),
                mentoring_capacity=2,
                skills_offered=["advocacy", "trade policy"] if is_mentor else [],
                skills_wanted=[] if is_mentor else ["advocacy"],
            )
            Enrollment.objects.create(
                participant=participant,
                program=program,
                role="mentor" if is_mentor else "mentee",
                status=Enrollment.Status.APPROVED,
            )
        started = datetime.datetime.now(datetime.UTC)
    yield {"program": program, "people": people, "tag": tag}
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        from members.models import MemberOrganization

        Program.objects.filter(pk=program.pk).delete()
        MemberOrganization.objects.filter(name__endswith=tag).delete()
        people_remove(tag, people)
        Notification.objects.filter(
            recipient=coordinator, created_at__gte=started, kind__startswith="match-"
        ).delete()


def test_coordinator_builds_the_team_and_the_mentor_meets_all_three(
    page, site, shoot, world, django_db_blocker
):
    program, people, tag = world["program"], world["people"], world["tag"]
    name = f"Bengal Exporters Association {tag}"

    # The coordinator creates the member organization with its brief.
    sign_in(page, site, persona_email("coordinator", "alpha"))
    expect(page).to_have_url(re.compile(r"/manage/$"))
    page.goto(site("alpha", "/manage/member-organizations/new/"))
    page.get_by_role("textbox", name="Name", exact=True).fill(name)
    page.get_by_label("Country", exact=True).select_option("BD")
    page.get_by_label("City", exact=True).fill("Dhaka")
    page.get_by_label("Sector", exact=True).fill("Exporters' association")
    page.get_by_role("checkbox", name="English").check()
    page.get_by_label("Focus areas", exact=True).fill("Advocacy\nTrade policy")
    page.get_by_label("The economy and regulation we work in").fill(ECONOMY)
    page.get_by_label("What we need", exact=True).fill(NEEDS)
    page.get_by_label("What we have tried").fill(TRIED)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page.get_by_text(f"Saved {name}.")).to_be_visible()

    # Three people join the team; the first is the lead contact.
    for key, full_name, _, _, role_title in TEAM:
        form = page.locator("form.member-add")
        form.get_by_role("textbox", name="Email", exact=True).fill(people[key].email)
        form.get_by_label("Role", exact=True).fill(role_title)
        if key == "rafiq":
            form.get_by_label("Lead contact", exact=True).check()
        form.get_by_role("button", name="Add to the team").click()
        expect(page.get_by_text(f"{full_name} is on the team.")).to_be_visible()
    team = page.locator(".member-org-team .member-row")
    expect(team).to_have_count(3)
    expect(team.filter(has_text="Rafiq Hossain")).to_contain_text("Lead contact")
    expect(page.locator(".member-org-facts")).to_contain_text("Africa/Tunis")
    brief = page.locator(".member-org-brief")
    expect(brief.locator("strong", has_text="credit-history fees")).to_be_visible()
    expect(brief.locator("li", has_text="A petition in 2024")).to_be_visible()
    shoot("org-member-organization")

    # Matching proposes the New York mentor for the whole team; publish.
    review = site("alpha", f"/manage/programs/{program.pk}/matching/")
    page.goto(review)
    page.get_by_role("button", name="Run matching").click()
    expect(
        page.get_by_role("heading", name="Proposals ready for review")
    ).to_be_visible()
    rows = page.locator(".proposal-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(name)
    expect(rows.first).to_contain_text("Lead: Rafiq Hossain")
    expect(rows.first).to_contain_text("Claire Dubois")
    expect(rows.first).to_contain_text("with the whole team")
    shoot("org-match-review")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Publish to participants").click()
    expect(page.get_by_text("Published. Everyone concerned")).to_be_visible()

    # Both sides accept the proposal (the portal's path is test_matching_flow's).
    from matching.models import Match
    from matching.services import match_accept

    with django_db_blocker.unblock(), schema_context("org_alpha"):
        match = Match.objects.get(program=program)
        assert match.member_organization.name == name
        for key in ("rafiq", "claire"):
            match = match_accept(match=match, by=people[key])
        assert match.status == Match.Status.ACTIVE

    # The mentor reads the brief on the engagement page, then proposes to everyone.
    engagement = site("alpha", f"/pairs/{match.pk}/")
    sign_in(page, site, people["claire"].email)
    page.goto(engagement)
    card = page.locator(".engagement-brief")
    expect(card.get_by_role("heading", name=f"Before you meet: {name}")).to_be_visible()
    expect(card).to_contain_text("Dhaka, Bangladesh")
    expect(card.locator("strong", has_text="credit-history fees")).to_be_visible()
    expect(card).to_contain_text("A round table with two ministries")
    propose = page.locator("#propose")
    expect(propose).to_contain_text("Rafiq")
    shoot("org-engagement-brief")
    # the first meeting's agenda starts from the brief, as plain text
    expect(propose.get_by_label("Agenda", exact=True)).to_have_value(
        "Advocacy on credit-history fees with the central bank."
    )
    propose.locator("input[name=slot]").first.check()
    propose.get_by_label("Agenda", exact=True).fill(
        "Your brief first: the credit-history fee, and who decides it."
    )
    propose.get_by_role("button", name="Propose to everyone").click()
    waiting = page.locator("#meetings .meeting-item", has_text="Waiting for answers")
    expect(waiting).to_have_count(1)
    expect(waiting.locator(".team-answers li")).to_have_count(3)

    # Each of the three accepts; the others' answers show as they come.
    for number, (key, *_) in enumerate(TEAM, start=1):
        sign_in(page, site, people[key].email)
        page.goto(engagement)
        asked = page.locator("section", has_text="Waiting for your answer")
        item = asked.locator(".meeting-item").first
        expect(item).to_contain_text("proposed by Claire")
        answers = item.locator(".team-answers li")
        expect(answers).to_have_count(3)
        expect(answers.filter(has_text="You")).to_contain_text("Waiting")
        if number == 2:
            expect(answers.filter(has_text="Rafiq Hossain")).to_contain_text("Accepted")
            expect(answers.filter(has_text="Nadia Rahman")).to_contain_text("Waiting")
            shoot("org-team-meeting-answers")
        item.get_by_role("button", name="Accept").click()
        expect(
            page.get_by_role("heading", name="Waiting for your answer")
        ).to_have_count(0)

    # All three accepted: confirmed under Upcoming, for the mentor too.
    sign_in(page, site, people["claire"].email)
    page.goto(engagement)
    upcoming = page.locator("section", has=page.get_by_role("heading", name="Upcoming"))
    expect(upcoming.locator(".meeting-item").first).to_contain_text("Confirmed")
    shoot("org-meeting-confirmed")

    from checkins.models import Meeting

    with django_db_blocker.unblock(), schema_context("org_alpha"):
        meeting = Meeting.objects.get(match=match)
        assert meeting.status == "confirmed"
        assert {i.answer for i in meeting.invitees.all()} == {"accepted"}


@pytest.mark.django_db
def test_no_throwaway_program_is_left_behind(alpha):
    """Runs after the flow (and makes pytest-django set up the test database when
    this file runs alone)."""
    from members.models import MemberOrganization
    from programs.models import Program

    assert not Program.objects.filter(name__startswith="Bridges Associations ").exists()
    assert not MemberOrganization.objects.filter(
        name__startswith="Bengal Exporters Association "
    ).exists()
