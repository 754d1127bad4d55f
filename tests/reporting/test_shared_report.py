"""The published report for sponsors: unguessable, hashed, bound to the
organization, read-only without login, small groups hidden, revocable at once."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.utils import timezone

from reporting.models import SharedReport
from reporting.services import sharing, stories
from reporting.services.stories import StoryFields
from tests.matching.factories import enroll, person
from tests.reporting.factories import active_match, people, survey_program


@pytest.fixture
def program(alpha, coordinator):
    return survey_program(coordinators=[coordinator], name="Bridges to Leadership")


@pytest.fixture
def pair(program, mentor, mentee):
    return active_match(
        program,
        enroll(program, person(user=mentor), "mentor"),
        enroll(program, person(user=mentee), "mentee"),
    )


def _approved_story(program, coordinator, pair, mentor, mentee, title):
    story = stories.story_create(
        program=program,
        by=coordinator,
        fields=StoryFields(title=title, what_happened="What happened."),
        match=pair,
    )
    for user in (mentor, mentee):
        stories.story_consent_set(story=story, by=user, agree=True)
    return stories.story_approve(story=story, by=coordinator)


def test_token_is_long_random_and_only_its_hash_is_stored(program, coordinator):
    new = sharing.shared_report_create(program=program, by=coordinator)
    # token_urlsafe(32): 32 random bytes = 256 bits, 43 URL-safe characters
    assert len(new.token) >= 43
    assert re.fullmatch(r"[A-Za-z0-9_-]+", new.token)
    stored = SharedReport.objects.get()
    assert new.token not in stored.token_hash
    assert stored.token_hash == sharing.token_hash(
        token=new.token, schema=connection.schema_name
    )
    # the schema is part of what is hashed
    assert stored.token_hash != sharing.token_hash(token=new.token, schema="org_beta")
    other = sharing.shared_report_create(program=program, by=coordinator)
    assert other.token != new.token


def test_anyone_with_the_link_sees_aggregates_and_approved_stories(
    alpha, program, coordinator, pair, mentor, mentee
):
    # given: 6 more mentees (so the people count is shown), one approved story, one draft
    people(program, 6)
    _approved_story(program, coordinator, pair, mentor, mentee, "Fee cut in half")
    stories.story_create(
        program=program,
        by=coordinator,
        fields=StoryFields(title="Draft only DRAFT-SNT", what_happened="x"),
        match=pair,
    )
    new = sharing.shared_report_create(program=program, by=coordinator)
    # when: no session at all
    response = alpha.client().get(f"/r/{new.token}/")
    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert "Fee cut in half" in page
    assert "DRAFT-SNT" not in page
    assert '<meta name="robots" content="noindex' in page
    assert response["X-Robots-Tag"].startswith("noindex")
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    assert "Bridges to Leadership" in page
    # no person's name: only aggregates
    assert mentee.full_name not in page
    assert mentor.full_name not in page
    assert SharedReport.objects.get().view_count == 1
    alpha.client().get(f"/r/{new.token}/")
    assert SharedReport.objects.get().view_count == 2


def test_groups_under_five_show_fewer_than_five(alpha, program, coordinator, pair):
    # given: 2 people in the program
    new = sharing.shared_report_create(program=program, by=coordinator)
    page = alpha.client().get(f"/r/{new.token}/").content.decode()
    assert "fewer than 5 people, fewer than 5 pairs" in page
    assert "2 people" not in page
    # the coordinator's own printable report shows the real counts
    own = alpha.client("coordinator").get(
        f"/manage/programs/{program.pk}/impact/report/"
    )
    assert own.status_code == 200


def test_revoking_answers_404_at_once(alpha, program, coordinator):
    new = sharing.shared_report_create(program=program, by=coordinator)
    url = f"/r/{new.token}/"
    assert alpha.client().get(url).status_code == 200
    sharing.shared_report_revoke(share=new.share, by=coordinator)
    assert alpha.client().get(url).status_code == 404


def test_expired_links_answer_404(alpha, program, coordinator):
    new = sharing.shared_report_create(
        program=program, by=coordinator, expires_on=timezone.localdate()
    )
    url = f"/r/{new.token}/"
    assert alpha.client().get(url).status_code == 200
    SharedReport.objects.update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert alpha.client().get(url).status_code == 404


def test_a_token_of_one_organization_opens_nothing_in_another(
    alpha, beta, program, coordinator
):
    new = sharing.shared_report_create(program=program, by=coordinator)
    beta_client = beta.client()
    assert beta_client.get(f"/r/{new.token}/").status_code == 404
    # control: the same token works where it was made
    assert alpha.client().get(f"/r/{new.token}/").status_code == 200


@pytest.mark.parametrize("token", ["0", "x" * 43, "a" * 200])
def test_unknown_tokens_answer_404(alpha, token):
    assert alpha.client().get(f"/r/{token}/").status_code == 404


def test_expiry_in_the_past_is_refused(program, coordinator):
    with pytest.raises(Exception, match="today or a later day"):
        sharing.shared_report_create(
            program=program,
            by=coordinator,
            expires_on=timezone.localdate() - datetime.timedelta(days=2),
        )


def test_coordinator_publishes_sees_the_token_once_and_revokes_after_confirming(
    alpha, program
):
    client = alpha.client("coordinator")
    base = f"/manage/programs/{program.pk}/impact/share/"
    made = client.post(base + "new/", {"label": "Sponsor Q3"})
    assert made.status_code == 200
    assert "no-store" in made["Cache-Control"]
    token = re.search(r"/r/([A-Za-z0-9_-]{43})/", made.content.decode()).group(1)
    # shown once: the list page doesn't have it any more
    assert token not in client.get(base).content.decode()
    share = SharedReport.objects.get()
    assert share.label == "Sponsor Q3"
    # GET asks; nothing is revoked until POST
    confirm = client.get(f"{base}{share.pk}/revoke/")
    assert "Revoke the link" in confirm.content.decode()
    assert alpha.client().get(f"/r/{token}/").status_code == 200
    client.post(f"{base}{share.pk}/revoke/")
    assert alpha.client().get(f"/r/{token}/").status_code == 404
    share.refresh_from_db()
    assert share.revoked_at is not None


def test_share_pages_for_members_and_other_coordinators(alpha, program):
    url = f"/manage/programs/{program.pk}/impact/share/"
    assert alpha.client("mentee").get(url).status_code == 403
    assert alpha.client("coordinator2").get(url).status_code == 404
    assert alpha.client("coordinator2").post(url + "new/").status_code == 404
    assert not SharedReport.objects.exists()


def test_share_page_query_count_is_flat(
    alpha, program, coordinator, django_assert_max_num_queries
):
    client = alpha.client("coordinator")
    url = f"/manage/programs/{program.pk}/impact/share/"
    for _ in range(2):
        sharing.shared_report_create(program=program, by=coordinator)
    client.get(url)
    with django_assert_max_num_queries(15) as small:
        assert client.get(url).status_code == 200
    for _ in range(20):
        new = sharing.shared_report_create(program=program, by=coordinator)
        sharing.shared_report_revoke(share=new.share, by=coordinator)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_report_pages_query_count_is_flat(
    alpha, program, coordinator, pair, mentor, mentee, django_assert_max_num_queries
):
    new = sharing.shared_report_create(program=program, by=coordinator)
    printable = f"/manage/programs/{program.pk}/impact/report/"
    client, sponsor = alpha.client("coordinator"), alpha.client()
    _approved_story(program, coordinator, pair, mentor, mentee, "One")
    sponsor.get(f"/r/{new.token}/")
    client.get(printable)
    with django_assert_max_num_queries(40) as public_small:
        assert sponsor.get(f"/r/{new.token}/").status_code == 200
    with django_assert_max_num_queries(45) as own_small:
        assert client.get(printable).status_code == 200
    for number in range(8):
        _approved_story(program, coordinator, pair, mentor, mentee, f"Story {number}")
        people(program, 3)
    with django_assert_max_num_queries(len(public_small.captured_queries)):
        page = sponsor.get(f"/r/{new.token}/").content.decode()
    assert "Story 7" in page
    with django_assert_max_num_queries(len(own_small.captured_queries)):
        assert client.get(printable).status_code == 200


def test_organization_report_prints_each_managed_program_on_its_own_page(
    alpha, program, coordinator
):
    other = survey_program(coordinators=[coordinator], name="Second program")
    not_mine = survey_program(name="Someone else's program")
    draft = survey_program(
        coordinators=[coordinator], name="Draft program", status="draft"
    )
    page = alpha.client("coordinator").get("/manage/impact/report/")
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count('class="report-page"') == 2
    assert program.name in text
    assert other.name in text
    assert not_mine.name not in text
    assert draft.name not in text
    everything = alpha.client("hradmin").get("/manage/impact/report/").content.decode()
    assert everything.count('class="report-page"') == 3
    assert alpha.client("mentee").get("/manage/impact/report/").status_code == 403
