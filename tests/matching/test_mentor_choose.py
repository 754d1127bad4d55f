"""Mentees name the mentors they'd like, in the portal, where the program allows
it: a browse of approved mentors' public profiles (nothing else), up to N, scored
by the run as stated preferences."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from matching import selectors, services
from matching.models import MentorPreference
from programs.models import Enrollment
from tests.matching import factories as f
from tests.programs.factories import participant_for


@pytest.fixture
def program(alpha, coordinator):
    return f.matching_program(coordinators=[coordinator], mentor_choices_limit=2)


@pytest.fixture
def me(program, mentee):
    """The `mentee` persona, a mentee of the program."""
    return f.enroll(program, participant_for(mentee), "mentee")


def _url(program):
    return f"/programs/{program.pk}/mentors/"


def test_lists_approved_mentors_with_their_public_profile_only(alpha, program, me):
    # given
    shown = f.mentor(
        program,
        name="Ana Mentor",
        zone="Asia/Kolkata",
        title="Head of Data",
        country="IN",
        languages=["en", "hi"],
        skills_offered=["negotiation"],
        department="SECRET-dept",
        bio="SECRET-bio",
        city="SECRET-city",
    )
    f.enroll(program, f.person(name="Pending Mentor"), "mentor", status="applied")
    other = f.matching_program(mentor_choices_limit=2)
    f.mentor(other, name="Elsewhere Mentor")
    # when
    page = alpha.client("mentee").get(_url(program)).content.decode()
    # then: the approved mentor of this program, with name, title, country,
    # languages, skills and local time...
    for text in (
        "Ana Mentor",
        "Head of Data",
        "India",
        "Hindi",
        "negotiation",
        "Asia/Kolkata",
    ):
        assert text in page
    assert f'value="{shown.pk}"' in page
    # ...and nothing else: not their private profile, not other programs' mentors
    for text in ("SECRET-", "Pending Mentor", "Elsewhere Mentor"):
        assert text not in page


def test_names_up_to_the_limit_and_the_run_scores_them(alpha, program, me):
    first, second, third = (f.mentor(program) for _ in range(3))
    client = alpha.client("mentee")
    # too many
    response = client.post(_url(program), {"mentors": [first.pk, second.pk, third.pk]})
    assert response.status_code == 422
    assert not MentorPreference.objects.exists()
    # within the limit
    response = client.post(_url(program), {"mentors": [first.pk, third.pk]})
    assert response.status_code == 302
    assert set(
        MentorPreference.objects.filter(mentee=me).values_list("mentor_id", flat=True)
    ) == {first.pk, third.pk}
    # the matching input carries them as stated preferences
    f.mentee(program)
    criteria = services.criteria_ensure(program=program)
    problem = selectors.matching_input_build(program=program, criteria=criteria).problem
    assert len(problem.preferred) == 2
    # changing one's mind replaces the list
    client.post(_url(program), {"mentors": [second.pk]})
    assert list(
        MentorPreference.objects.filter(mentee=me).values_list("mentor_id", flat=True)
    ) == [second.pk]


def test_a_mentor_of_another_program_is_refused(alpha, program, me, mentee):
    other = f.matching_program(mentor_choices_limit=2)
    foreign = f.mentor(other)
    response = alpha.client("mentee").post(_url(program), {"mentors": [foreign.pk]})
    assert response.status_code == 422
    with pytest.raises(ValidationError):
        services.mentor_preferences_set(mentee=me, by=mentee, mentor_ids=[foreign.pk])
    assert not MentorPreference.objects.exists()


def test_only_the_mentee_sets_their_list(program, me, mentor):
    with pytest.raises(PermissionDenied):
        services.mentor_preferences_set(mentee=me, by=mentor, mentor_ids=[])


def test_programs_that_dont_let_mentees_choose_answer_404(alpha, program, me):
    program.mentor_choices_limit = 0
    program.save(update_fields=["mentor_choices_limit"])
    assert alpha.client("mentee").get(_url(program)).status_code == 404


def test_people_who_are_not_its_mentees_get_404(alpha, program, me):
    for persona in ("mentor", "coordinator", "hradmin"):
        assert alpha.client(persona).get(_url(program)).status_code == 404


def test_after_matching_nothing_to_browse(alpha, program, me):
    f.mentor(program, name="Late Mentor")
    program.status = program.Status.ACTIVE
    program.save(update_fields=["status"])
    page = alpha.client("mentee").get(_url(program)).content.decode()
    assert "only before matching" in page
    assert "Late Mentor" not in page


def test_another_organization_gets_nothing(alpha, beta, program, me):
    f.mentor(program, name="Alpha Only Mentor")
    response = beta.client("mentee").get(_url(program))
    assert response.status_code == 404
    assert "Alpha Only Mentor" not in response.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_query_count_does_not_grow_with_mentors(
    alpha, program, me, count, django_assert_max_num_queries
):
    for _ in range(count):
        f.mentor(program)
    client = alpha.client("mentee")
    client.get(_url(program))  # warm the session and tenant caches
    # session + user, the mentee's enrolment, the refusal's match check, the
    # preferences, the mentors (one join), and the layout's own few
    with django_assert_max_num_queries(12):
        response = client.get(_url(program))
    assert response.content.decode().count('name="mentors"') == count


def test_withdrawn_mentee_is_told_why(alpha, program, me):
    Enrollment.objects.filter(pk=me.pk).update(status=Enrollment.Status.WITHDRAWN)
    page = alpha.client("mentee").get(_url(program)).content.decode()
    assert "Only mentees taking part" in page
