"""Success stories: drafts from survey answers, consent per person, approval."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from mentorship.notifications.models import Notification
from reporting.models import StoryPerson, SuccessStory
from reporting.selectors.stories import outcome_text, published_stories
from reporting.services import responses
from reporting.services import stories as services
from reporting.services.stories import StoryFields
from tests.matching.factories import enroll, person
from tests.reporting.factories import (
    active_match,
    assign,
    people,
    respond,
    survey,
    survey_program,
)

FIELDS = StoryFields(
    title="Cheaper credit checks",
    what_happened="Aziz and Leyla rewrote the association's fee schedule.",
    outcome="Credit-history fee reduced",
    outcome_before=Decimal("2"),
    outcome_after=Decimal("1"),
    outcome_unit="manat",
)
CLOSING = [
    {"kind": "likert", "key": "confidence", "text": "Confident?"},
    {"kind": "long_text", "key": "story", "text": "A story?", "required": False},
]


@pytest.fixture
def program(alpha, coordinator):
    return survey_program(coordinators=[coordinator], name="Bridges")


@pytest.fixture
def pair(program, mentor, mentee):
    mentor_enrollment = enroll(program, person(user=mentor), "mentor")
    mentee_enrollment = enroll(program, person(user=mentee), "mentee")
    return active_match(program, mentor_enrollment, mentee_enrollment)


def _agree(story, *users):
    for user in users:
        services.story_consent_set(story=story, by=user, agree=True)


def test_outcome_reads_as_one_line(program, coordinator, pair):
    story = services.story_create(
        program=program, by=coordinator, fields=FIELDS, match=pair
    )
    assert outcome_text(story) == "Credit-history fee reduced from 2 to 1 manat"


def test_names_both_people_of_the_pair_by_default(program, coordinator, pair):
    story = services.story_create(
        program=program, by=coordinator, fields=FIELDS, match=pair
    )
    named = set(story.people.values_list("participant_id", flat=True))
    assert named == {pair.mentor.participant_id, pair.mentee.participant_id}
    assert set(story.people.values_list("consent", flat=True)) == {"pending"}


def test_approval_waits_for_everyone_named(program, coordinator, pair, mentor, mentee):
    story = services.story_create(
        program=program, by=coordinator, fields=FIELDS, match=pair
    )
    with pytest.raises(ValidationError, match="2 of the people named"):
        services.story_approve(story=story, by=coordinator)
    _agree(story, mentee)
    with pytest.raises(ValidationError, match="1 of the people named"):
        services.story_approve(story=story, by=coordinator)
    _agree(story, mentor)
    services.story_approve(story=story, by=coordinator)
    assert list(published_stories(program=program)) == [story]
    # consent is recorded per person with its time and the version read
    for row in StoryPerson.objects.filter(story=story):
        assert row.consent == "given"
        assert row.consent_at is not None
        assert row.consent_version == 1


def test_withdrawn_consent_hides_an_approved_story_at_once(
    program, coordinator, pair, mentor, mentee
):
    story = services.story_create(
        program=program, by=coordinator, fields=FIELDS, match=pair
    )
    _agree(story, mentor, mentee)
    services.story_approve(story=story, by=coordinator)
    services.story_consent_set(story=story, by=mentor, agree=False)
    assert not published_stories(program=program).exists()


def test_editing_the_text_asks_everyone_again(
    program, coordinator, pair, mentor, mentee
):
    story = services.story_create(
        program=program, by=coordinator, fields=FIELDS, match=pair
    )
    _agree(story, mentor, mentee)
    services.story_approve(story=story, by=coordinator)
    changed = StoryFields(**{**FIELDS.__dict__, "what_happened": "Reworded."})
    story = services.story_update(
        story=story, by=coordinator, fields=changed, match=pair
    )
    assert story.status == SuccessStory.Status.DRAFT
    assert story.version == 2
    assert not published_stories(program=program).exists()
    assert set(story.people.values_list("consent", flat=True)) == {"pending"}


def test_an_unchanged_save_keeps_consents(program, coordinator, pair, mentor, mentee):
    story = services.story_create(
        program=program, by=coordinator, fields=FIELDS, match=pair
    )
    _agree(story, mentor, mentee)
    services.story_approve(story=story, by=coordinator)
    services.story_update(story=story, by=coordinator, fields=FIELDS, match=pair)
    assert list(published_stories(program=program)) == [story]


def test_only_people_named_can_consent(program, coordinator, pair, hr_admin):
    story = services.story_create(
        program=program, by=coordinator, fields=FIELDS, match=pair
    )
    with pytest.raises(PermissionDenied):
        services.story_consent_set(story=story, by=hr_admin, agree=True)


def test_people_of_another_program_are_refused(program, coordinator):
    other = survey_program(name="Elsewhere")
    stranger = people(other, 1)[0].participant
    with pytest.raises(ValidationError):
        services.story_create(
            program=program, by=coordinator, fields=FIELDS, people=[stranger]
        )


def test_asking_for_consent_goes_through_the_outbox_once_per_version(
    program, coordinator, pair
):
    story = services.story_create(
        program=program, by=coordinator, fields=FIELDS, match=pair
    )
    assert services.story_consent_request(story=story, by=coordinator) == 2
    services.story_consent_request(story=story, by=coordinator)
    notes = Notification.objects.filter(kind="story-consent")
    assert notes.count() == 2
    assert {note.link for note in notes} == {f"/stories/{story.pk}/"}


def test_a_coordinator_of_another_program_cant_approve(program, pair, alpha):
    story = services.story_create(
        program=program, by=alpha.user("coordinator"), fields=FIELDS, match=pair
    )
    with pytest.raises(PermissionDenied):
        services.story_approve(story=story, by=alpha.user("coordinator2"))


# --- Drafts from the closing survey -------------------------------------------------


def test_attributed_story_answer_becomes_a_draft_naming_the_pair(program, pair):
    closing = survey(program, questions=CLOSING)
    response = respond(
        closing, pair.mentee, {"confidence": 4, "story": "We cut the fee. It worked."}
    )
    story = services.story_draft_from_response(response=response)
    again = services.story_draft_from_response(response=response)
    assert again.pk == story.pk
    assert SuccessStory.objects.count() == 1
    assert story.status == "draft"
    assert story.source == "survey"
    assert story.title == "We cut the fee"
    assert story.match_id == pair.pk
    named = set(story.people.values_list("participant_id", flat=True))
    assert named == {pair.mentee.participant_id, pair.mentor.participant_id}


def test_anonymous_story_answer_names_nobody(program, pair):
    closing = survey(program, questions=CLOSING, is_anonymous=True, show_free_text=True)
    response = respond(closing, pair.mentee, {"confidence": 4, "story": "It helped."})
    story = services.story_draft_from_response(response=response)
    assert story.match_id is None
    assert not story.people.exists()
    assert story.created_by_id is None
    assert story.created_on == response.submitted_on


def test_no_story_answer_no_draft(program, pair):
    closing = survey(program, questions=CLOSING)
    response = respond(closing, pair.mentee, {"confidence": 4})
    assert services.story_draft_from_response(response=response) is None
    assert not SuccessStory.objects.exists()


# --- Pages ---------------------------------------------------------------------------


def test_the_person_named_agrees_in_the_portal(alpha, program, coordinator, pair):
    story = services.story_create(
        program=program, by=coordinator, fields=FIELDS, match=pair
    )
    client = alpha.client("mentee")
    page = client.get(f"/stories/{story.pk}/")
    assert page.status_code == 200
    assert "Credit-history fee reduced from 2 to 1 manat" in page.content.decode()
    client.post(f"/stories/{story.pk}/", {"decision": "agree"})
    row = story.people.get(participant__user__email=alpha.user("mentee").email)
    assert row.consent == "given"
    listing = client.get("/stories/").content.decode()
    assert "You agreed" in listing


@pytest.mark.parametrize("persona", ["coordinator", "hradmin", "coordinator2"])
def test_consent_page_is_only_for_people_named(
    alpha, program, coordinator, pair, persona
):
    story = services.story_create(
        program=program, by=coordinator, fields=FIELDS, match=pair
    )
    assert alpha.client(persona).get(f"/stories/{story.pk}/").status_code == 404


def test_coordinator_enters_and_approves_a_story(alpha, program, pair, mentor, mentee):
    client = alpha.client("coordinator")
    base = f"/manage/programs/{program.pk}/impact/stories/"
    response = client.post(
        base + "new/",
        {
            "title": "Cheaper credit checks",
            "what_happened": "They rewrote the fee schedule.",
            "outcome": "Credit-history fee reduced",
            "outcome_before": "2",
            "outcome_after": "1",
            "outcome_unit": "manat",
            "match": pair.pk,
        },
    )
    assert response.status_code == 302
    story = SuccessStory.objects.get()
    client.post(f"{base}{story.pk}/action/", {"action": "approve"})
    story.refresh_from_db()
    assert story.status == "draft"  # nobody agreed yet
    _agree(story, mentor, mentee)
    client.post(f"{base}{story.pk}/action/", {"action": "approve"})
    story.refresh_from_db()
    assert story.status == "approved"
    page = client.get(base).content.decode()
    assert "In reports" in page
    assert "from 2 to 1 manat" in page


def test_story_form_refuses_a_pair_of_another_program(alpha, program):
    other = survey_program(name="Elsewhere")
    mentor_enrollment, mentee_enrollment = people(other, 2)
    foreign = active_match(other, mentor_enrollment, mentee_enrollment)
    client = alpha.client("coordinator")
    response = client.post(
        f"/manage/programs/{program.pk}/impact/stories/new/",
        {"title": "T", "what_happened": "W", "match": foreign.pk},
    )
    assert response.status_code == 422
    assert not SuccessStory.objects.exists()


def test_story_pages_for_members_and_other_coordinators(alpha, program):
    url = f"/manage/programs/{program.pk}/impact/stories/"
    assert alpha.client("mentee").get(url).status_code == 403
    assert alpha.client("coordinator2").get(url).status_code == 404
    assert alpha.client().get(url).status_code == 302


def test_story_list_query_count_is_flat(
    alpha, program, coordinator, django_assert_max_num_queries
):
    client = alpha.client("coordinator")
    url = f"/manage/programs/{program.pk}/impact/stories/"

    def add(count):
        for enrollment in people(program, count):
            services.story_create(
                program=program,
                by=coordinator,
                fields=FIELDS,
                people=[enrollment.participant],
            )

    add(2)
    client.get(url)
    with django_assert_max_num_queries(12) as small:
        assert client.get(url).status_code == 200
    add(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("anonymous", [False, True])
def test_answering_the_closing_survey_drafts_the_story(
    program, pair, mentee, anonymous
):
    # given: the closing survey sent to the mentee
    closing = survey(
        program, questions=CLOSING, is_anonymous=anonymous, show_free_text=True
    )
    assignment = assign(closing, pair.mentee)
    questions = {q.key: q for q in closing.questions.all()}
    data = {
        f"q{questions['confidence'].pk}": ["4"],
        f"q{questions['story'].pk}": ["The fee went from 2 to 1 manat. Thanks!"],
    }
    # when
    responses.response_submit(
        assignment=assignment, by=mentee, data=data, today=timezone.localdate()
    )
    # then
    story = SuccessStory.objects.get()
    assert story.status == "draft"
    assert story.what_happened.startswith("The fee went from 2 to 1 manat")
    named = set(story.people.values_list("participant__user_id", flat=True))
    assert named == (
        set() if anonymous else {mentee.pk, pair.mentor.participant.user_id}
    )


def test_archive_hides_a_story_and_restore_brings_back_a_draft(
    program, coordinator, pair, mentor, mentee
):
    story = services.story_create(
        program=program, by=coordinator, fields=FIELDS, match=pair
    )
    _agree(story, mentor, mentee)
    services.story_approve(story=story, by=coordinator)
    services.story_archive(story=story, by=coordinator)
    assert not published_stories(program=program).exists()
    story = services.story_restore(story=story, by=coordinator)
    assert story.status == "draft"
    assert not published_stories(program=program).exists()


def test_anonymous_written_answers_stay_hidden_unless_chosen(program, pair):
    closing = survey(program, questions=CLOSING, is_anonymous=True)
    response = respond(closing, pair.mentee, {"confidence": 4, "story": "Mine."})
    assert services.story_draft_from_response(response=response) is None


def test_anonymous_drafts_are_listed_from_five_responses(alpha, program, pair):
    closing = survey(program, questions=CLOSING, is_anonymous=True, show_free_text=True)
    response = respond(closing, pair.mentee, {"confidence": 4, "story": "ANON-STORY"})
    services.story_draft_from_response(response=response)
    client = alpha.client("coordinator")
    url = f"/manage/programs/{program.pk}/impact/stories/"
    assert "ANON-STORY" not in client.get(url).content.decode()
    for enrollment in people(program, 4):
        respond(closing, enrollment, {"confidence": 3})
    assert "ANON-STORY" in client.get(url).content.decode()
