import datetime

import time_machine

from tests.programs.factories import (
    EnrollingProgramFactory,
    EnrollmentFactory,
    ModuleFactory,
    ProgramFactory,
    participant_for,
)


def test_shows_the_persons_local_time(alpha, mentor):
    participant_for(mentor, city="Ho Chi Minh City")
    with time_machine.travel(
        datetime.datetime(2027, 3, 1, 7, 5, tzinfo=datetime.UTC), tick=False
    ):
        page = alpha.client("mentor").get("/").content.decode()
    assert "It's <strong>14:05</strong> in Ho Chi Minh City" in page


def test_without_a_profile_asks_to_complete_it(alpha):
    page = alpha.client("mentee").get("/").content.decode()
    assert "Complete your profile" in page
    assert "No program is taking applications right now" in page


def test_lists_open_programs_with_apply_buttons(alpha, mentee):
    program = EnrollingProgramFactory(name="Open Program")
    ProgramFactory(name="Draft Program")
    page = alpha.client("mentee").get("/").content.decode()
    assert "Open Program" in page
    assert "Draft Program" not in page
    assert f"/programs/{program.pk}/apply/mentee/" in page
    assert "Apply as mentor" in page


def test_my_applications_and_withdraw(alpha, mentee):
    enrollment = EnrollmentFactory(
        participant=participant_for(mentee), program__name="Applied Program"
    )
    client = alpha.client("mentee")
    page = client.get("/").content.decode()
    assert "Applied Program" in page
    assert "Withdraw" in page
    response = client.post(f"/enrollments/{enrollment.pk}/withdraw/")
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.status == "withdrawn"


def test_cannot_withdraw_someone_elses(alpha, mentor):
    enrollment = EnrollmentFactory(participant=participant_for(mentor))
    assert (
        alpha.client("mentee")
        .post(f"/enrollments/{enrollment.pk}/withdraw/")
        .status_code
        == 404
    )
    enrollment.refresh_from_db()
    assert enrollment.status == "applied"


def test_training_checkboxes(alpha, mentee):
    # given
    enrollment = EnrollmentFactory(
        participant=participant_for(mentee), status="approved"
    )
    module = ModuleFactory(
        program=enrollment.program, title="Mentoring 101", required_for_role="mentee"
    )
    ModuleFactory(
        program=enrollment.program, title="For mentors only", required_for_role="mentor"
    )
    client = alpha.client("mentee")
    page = client.get("/").content.decode()
    assert "Mentoring 101" in page
    assert "For mentors only" not in page
    # when
    response = client.post(
        f"/enrollments/{enrollment.pk}/training/{module.pk}/",
        {"done": "on"},
        HTTP_HX_REQUEST="true",
    )
    # then
    assert response.status_code == 200
    assert b"checked" in response.content
    assert enrollment.training_completions.filter(module=module).exists()
    client.post(f"/enrollments/{enrollment.pk}/training/{module.pk}/", {})
    assert not enrollment.training_completions.exists()


def test_constant_queries(alpha, mentee, django_assert_max_num_queries):
    participant = participant_for(mentee)
    for _ in range(3):
        enrollment = EnrollmentFactory(participant=participant, status="approved")
        ModuleFactory.create_batch(2, program=enrollment.program)
    client = alpha.client("mentee")
    # routing (3), session, user, participant, my enrolments, open programs +
    # their objectives, training (enrolments, modules, completions), resources (13),
    # and the cards the home now renders itself: "Waiting for you" (12, as in
    # tests/checkins/test_portal_waiting.py), "Your matches", "Surveys for you"
    with django_assert_max_num_queries(25):
        client.get("/")


def test_anonymous_is_sent_to_login(alpha):
    response = alpha.client().get("/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
