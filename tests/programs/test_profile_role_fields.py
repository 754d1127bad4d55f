"""The profile asks each person only what their roles need, and languages are a
filterable checklist (their own first), not a 180-item Ctrl-click list."""

import pytest

from programs.models import Enrollment, Participant
from tests.programs.factories import EnrollmentFactory, ProgramFactory, participant_for
from tests.programs.test_profile_edit_view import _data

CAPACITY = "Mentees you could take at once"


def _enrol(user, role, status=Enrollment.Status.APPROVED):
    return EnrollmentFactory(
        participant=participant_for(user),
        program=ProgramFactory(),
        role=role,
        status=status,
    )


def test_a_mentee_is_not_asked_what_only_mentors_need(alpha, mentee):
    # issue 15: "a mentee must fill 'mentees you could take at once'"
    _enrol(mentee, "mentee")
    page = alpha.client("mentee").get("/profile/").content.decode()
    assert CAPACITY not in page
    assert "Skills you can offer" not in page
    assert "Skills you want to grow" in page


def test_a_mentor_is_asked_for_capacity_not_wants(alpha, mentor):
    _enrol(mentor, "mentor")
    page = alpha.client("mentor").get("/profile/").content.decode()
    assert CAPACITY in page
    assert "Skills you can offer" in page
    assert "Skills you want to grow" not in page


@pytest.mark.parametrize(
    "roles", [(), ("mentor", "mentee")], ids=["no-role-yet", "both-roles"]
)
def test_everything_is_asked_without_a_role_or_with_both(alpha, mentee, roles):
    for role in roles:
        _enrol(mentee, role)
    page = alpha.client("mentee").get("/profile/").content.decode()
    assert CAPACITY in page
    assert "Skills you want to grow" in page


def test_a_withdrawn_role_does_not_count(alpha, mentee):
    _enrol(mentee, "mentee")
    _enrol(mentee, "mentor", status=Enrollment.Status.WITHDRAWN)
    assert CAPACITY not in alpha.client("mentee").get("/profile/").content.decode()


def test_saving_without_the_hidden_fields_keeps_their_values(alpha, mentee):
    participant = participant_for(mentee)
    Participant.objects.filter(pk=participant.pk).update(
        mentoring_capacity=3, skills_offered=["mentoring"]
    )
    _enrol(mentee, "mentee")
    data = _data()
    del data["mentoring_capacity"], data["skills_offered"]
    response = alpha.client("mentee").post("/profile/", data)
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.mentoring_capacity == 3
    assert participant.skills_offered == ["mentoring"]
    assert participant.skills_wanted == ["system design", "public speaking"]


def test_languages_are_a_filterable_checklist_with_the_persons_own_first(alpha, mentee):
    participant = participant_for(mentee)
    Participant.objects.filter(pk=participant.pk).update(languages=["vi", "ta"])
    page = alpha.client("mentee").get("/profile/").content.decode()
    assert "Hold Ctrl" not in page
    assert 'data-choice-filter="language-choices"' in page
    assert "js/choice-filter.js" in page
    boxes = page.split('id="language-choices"')[1]
    first_two = [
        chunk.split('"')[0] for chunk in boxes.split('name="languages" value="')[1:3]
    ]
    assert sorted(first_two) == ["ta", "vi"]
    assert boxes.count('type="checkbox" name="languages"') > 150
