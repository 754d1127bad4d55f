"""Keeping in touch in writing, and honest feedback (issue 15): the mentee posts an
update in Markdown, the mentor replies from the pair page and the outbox holds a
digest item for each partner; after a held meeting each side leaves feedback for
the other; a mentee names mentors they'd like; a mentee's profile asks only what a
mentee needs, with a filterable language list. Screenshots at 1280 and 390 px."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from checkins.models import Meeting, MeetingLog
from matching.models import Match
from mentorship.accounts.models import User
from mentorship.notifications.models import Notification
from programs.models import Enrollment, Participant, Program
from tests.e2e.people import people_create, people_remove
from tests.e2e.test_checkins_flow import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(django_db_setup, django_db_blocker):
    tag = uuid.uuid4().hex[:6]
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        people = people_create(
            tag,
            (
                ("mentor", "Minh Tran", User.Role.MEMBER, "Asia/Ho_Chi_Minh"),
                ("mentee", "Priya Nair", User.Role.MEMBER, "America/Chicago"),
                ("other", "Amara Okafor", User.Role.MEMBER, "Africa/Lagos"),
                ("third", "Lucía Fernández", User.Role.MEMBER, "Europe/Madrid"),
            ),
        )
        active = Program.objects.create(
            name=f"Cross-border mentoring {tag}",
            status=Program.Status.ACTIVE,
            meeting_cadence_days=14,
            update_cadence_days=7,
        )
        profiles = {
            key: Participant.objects.create(
                user=people[key],
                title=title,
                country=country,
                languages=languages,
                skills_offered=skills,
            )
            for key, title, country, languages, skills in (
                ("mentor", "Staff engineer", "VN", ["vi", "en"], ["system design"]),
                ("mentee", "Engineer", "US", ["en", "es"], []),
                ("other", "Head of Data", "NG", ["en", "yo"], ["negotiation", "sql"]),
                ("third", "Product lead", "ES", ["es", "en"], ["roadmaps"]),
            )
        }
        mentor_in, mentee_in = (
            Enrollment.objects.create(
                participant=profiles[key],
                program=active,
                role=key,
                status=Enrollment.Status.APPROVED,
            )
            for key in ("mentor", "mentee")
        )
        match = Match.objects.create(
            program=active,
            mentor=mentor_in,
            mentee=mentee_in,
            status=Match.Status.ACTIVE,
            started_at=timezone.now() - datetime.timedelta(days=20),
        )
        meeting = Meeting.objects.create(
            match=match,
            starts_at=timezone.now() - datetime.timedelta(days=2),
            status=Meeting.Status.HELD,
            proposed_by=people["mentor"],
            proposed_at=timezone.now() - datetime.timedelta(days=5),
        )
        MeetingLog.objects.create(
            meeting=meeting, author=people["mentor"], happened=True
        )
        choosing = Program.objects.create(
            name=f"Leadership circle {tag}",
            status=Program.Status.MATCHING,
            mentor_choices_limit=2,
        )
        Enrollment.objects.create(
            participant=profiles["mentee"],
            program=choosing,
            role="mentee",
            status=Enrollment.Status.APPROVED,
        )
        for key in ("other", "third", "mentor"):
            Enrollment.objects.create(
                participant=profiles[key],
                program=choosing,
                role="mentor",
                status=Enrollment.Status.APPROVED,
            )
    yield {
        "people": people,
        "match": match,
        "meeting": meeting,
        "choosing": choosing,
    }
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        Program.objects.filter(pk__in=[active.pk, choosing.pk]).delete()
        people_remove(tag, people)


def test_update_reply_feedback_mentor_choice_and_profile(
    page, site, shoot, world, django_db_blocker
):
    people, match, meeting = world["people"], world["match"], world["meeting"]
    pair_url = site("alpha", f"/pairs/{match.pk}/")

    # The mentee posts an update in Markdown.
    sign_in(page, site, people["mentee"])
    page.goto(pair_url)
    page.get_by_label("Post an update").fill(
        "Sent the **board minutes** to Ana.\n\n- budget draft\n- hiring plan"
    )
    page.get_by_role("button", name="Post update").click()
    expect(page.get_by_text("Update posted.")).to_be_visible()
    update = page.locator(".timeline-entry.kind-update").first
    expect(update.locator("strong", has_text="board minutes")).to_be_visible()

    # The mentor replies under it.
    sign_in(page, site, people["mentor"])
    page.goto(pair_url)
    update = page.locator(".timeline-entry.kind-update").first
    update.locator("summary", has_text="Reply").click()
    update.get_by_label("Your reply").fill("Great progress — let's look at the budget.")
    update.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text("Reply posted.")).to_be_visible()
    expect(page.locator(".replies .reply")).to_contain_text("look at the budget")
    shoot("p2-pair-update-reply")

    # Each side's partner has a digest item in the outbox.
    with django_db_blocker.unblock(), schema_context("org_alpha"):
        kinds = set(
            Notification.objects.filter(kind="pair-update").values_list(
                "recipient__email", "channel"
            )
        )
    assert kinds == {
        (people["mentor"].email, Notification.Channel.DIGEST),
        (people["mentee"].email, Notification.Channel.DIGEST),
    }

    # After the held meeting, the mentee leaves feedback for the mentor.
    sign_in(page, site, people["mentee"])
    page.goto(site("alpha", f"/meetings/{meeting.pk}/"))
    page.get_by_label("What worked for you").fill("Clear next steps.")
    page.get_by_label("What could we try next time").fill("Ten minutes on hiring.")
    shoot("p2-feedback-form")
    page.get_by_role("button", name="Share with Minh Tran").click()
    expect(page.get_by_text("Saved. Minh Tran will see it.")).to_be_visible()
    sign_in(page, site, people["mentor"])
    page.goto(site("alpha", f"/meetings/{meeting.pk}/"))
    expect(page.locator(".feedback-from")).to_contain_text("Ten minutes on hiring.")

    # In the program still matching, the mentee names mentors she'd like.
    sign_in(page, site, people["mentee"])
    page.goto(site("alpha", f"/programs/{world['choosing'].pk}/mentors/"))
    expect(page.locator(".mentor-card")).to_have_count(3)
    page.locator(".mentor-card", has_text="Amara Okafor").click()
    page.locator(".mentor-card", has_text="Lucía Fernández").click()
    shoot("p2-mentor-browse")
    page.get_by_role("button", name="Save my choices").click()
    expect(page.get_by_text("Saved: 2 mentors you'd like.")).to_be_visible()

    # Her profile: no mentor-only questions; languages filter as she types.
    page.goto(site("alpha", "/profile/"))
    expect(page.get_by_text("Mentees you could take at once")).to_have_count(0)
    page.get_by_placeholder("Type to find a language").fill("swa")
    expect(page.locator("#language-choices label:visible")).to_contain_text(
        ["English", "Spanish", "Swahili"]
    )
    shoot("p2-profile")
