"""The coordinator's training page (/manage/programs/<id>/training/): who finished
the required training, bulk marking (training done elsewhere), waivers; roles and
a constant number of queries."""

from __future__ import annotations

import pytest
from django.utils import timezone

from programs.models import AudienceRole, Enrollment, TrainingCompletion, TrainingWaiver
from tests.programs.factories import (
    EnrollingProgramFactory,
    EnrollmentFactory,
    ModuleFactory,
    ParticipantFactory,
    UserFactory,
)

APPROVED = Enrollment.Status.APPROVED


@pytest.fixture
def program(alpha, coordinator):
    program = EnrollingProgramFactory(name="Reverse 2026", coordinators=[coordinator])
    ModuleFactory(
        program=program,
        title="Cultural competence",
        required_for_role=AudienceRole.MENTOR,
    )
    ModuleFactory(
        program=program, title="Openness", required_for_role=AudienceRole.MENTEE
    )
    return program


def _person(program, name, role="mentee", status=APPROVED):
    user = UserFactory(full_name=name)
    return EnrollmentFactory(
        program=program,
        participant=ParticipantFactory(user=user),
        role=role,
        status=status,
    )


def url(program, suffix=""):
    return f"/manage/programs/{program.pk}/training/{suffix}"


def test_shows_who_is_held_back_per_person(alpha, program):
    done = _person(program, "Dana Done", role="mentor")
    TrainingCompletion.objects.create(
        enrollment=done,
        module=program.training_modules.get(title="Cultural competence"),
        completed_at=timezone.now(),
    )
    _person(program, "Nina Notyet")
    response = alpha.client("coordinator").get(url(program))
    assert response.status_code == 200
    table = response.context["table"]
    assert (table.approved, table.blocked) == (2, 1)
    rows = {row.enrollment.participant.user.full_name: row for row in table.rows}
    assert rows["Dana Done"].is_complete
    assert rows["Nina Notyet"].is_blocked
    assert [s.module.title for s in rows["Nina Notyet"].modules] == ["Openness"]
    page = response.content.decode()
    assert "1 left" in page
    assert "Complete" in page


def test_bulk_marks_everything_each_person_needs(alpha, program):
    mentor = _person(program, "Mo Mentor", role="mentor")
    mentee = _person(program, "Mia Mentee")
    untouched = _person(program, "Una Untouched")
    client = alpha.client("coordinator")
    response = client.post(
        url(program, "mark/"), {"enrollment": [mentor.pk, mentee.pk]}
    )
    assert response.status_code == 302
    assert set(
        TrainingCompletion.objects.values_list(
            "enrollment__participant__user__full_name", "module__title"
        )
    ) == {("Mo Mentor", "Cultural competence"), ("Mia Mentee", "Openness")}
    assert not untouched.training_completions.exists()
    # marking again adds nothing
    client.post(url(program, "mark/"), {"enrollment": [mentor.pk]})
    assert TrainingCompletion.objects.count() == 2


def test_bulk_marks_one_module(alpha, program):
    mentee = _person(program, "Mia Mentee")
    openness = program.training_modules.get(title="Openness")
    alpha.client("coordinator").post(
        url(program, "mark/"), {"enrollment": [mentee.pk], "module": openness.pk}
    )
    assert list(mentee.training_completions.values_list("module", flat=True)) == [
        openness.pk
    ]


def test_bulk_mark_ignores_other_programs_rows(alpha, program, coordinator):
    elsewhere = EnrollingProgramFactory(coordinators=[coordinator])
    ModuleFactory(program=elsewhere)
    stranger = EnrollmentFactory(program=elsewhere, status=APPROVED)
    alpha.client("coordinator").post(
        url(program, "mark/"), {"enrollment": [stranger.pk]}
    )
    assert not TrainingCompletion.objects.exists()


def test_waive_with_a_reason_then_remove(alpha, program, coordinator):
    person = _person(program, "Wes Waived")
    client = alpha.client("coordinator")
    # a reason is required
    client.post(url(program, f"{person.pk}/waiver/"), {"action": "waive", "reason": ""})
    assert not TrainingWaiver.objects.exists()
    client.post(
        url(program, f"{person.pk}/waiver/"),
        {"action": "waive", "reason": "Did it at the last company"},
    )
    waiver = TrainingWaiver.objects.get(enrollment=person)
    assert (waiver.reason, waiver.waived_by) == (
        "Did it at the last company",
        coordinator,
    )
    page = client.get(url(program)).content.decode()
    assert "Did it at the last company" in page
    assert client.get(url(program)).context["table"].blocked == 0
    client.post(url(program, f"{person.pk}/waiver/"), {"action": "remove"})
    assert not TrainingWaiver.objects.exists()


@pytest.mark.parametrize("persona", ["mentee", "mentor"])
def test_members_are_refused(alpha, program, persona):
    assert alpha.client(persona).get(url(program)).status_code == 403


def test_coordinator_of_another_program_gets_404(alpha, program):
    person = _person(program, "Pia")
    client = alpha.client("coordinator2")
    assert client.get(url(program)).status_code == 404
    assert (
        client.post(url(program, "mark/"), {"enrollment": [person.pk]}).status_code
        == 404
    )
    assert (
        client.post(
            url(program, f"{person.pk}/waiver/"), {"action": "waive", "reason": "x"}
        ).status_code
        == 404
    )
    assert not TrainingCompletion.objects.exists()
    assert not TrainingWaiver.objects.exists()


def test_empty_program_says_what_to_do(alpha, coordinator):
    program = EnrollingProgramFactory(coordinators=[coordinator])
    page = alpha.client("coordinator").get(url(program)).content.decode()
    assert "requires no training" in page


@pytest.mark.parametrize("size", [3, 60])
def test_constant_queries(alpha, program, size, django_assert_max_num_queries):
    for n in range(size):
        _person(program, f"Person {n:03d}", role="mentee" if n % 2 else "mentor")
    client = alpha.client("coordinator")
    client.get(url(program))
    # tenant routing and migration check, session, user, program; then the table:
    # modules, approved and held-back counts, page COUNT, the page (people, users,
    # waivers), the page's completions
    with django_assert_max_num_queries(14):
        response = client.get(url(program))
    assert len(response.context["table"].rows) == min(size, 50)


def test_another_organization_gets_404_and_writes_nothing(alpha, beta, program):
    person = _person(program, "Iso Lated")
    client = beta.client("hradmin")
    responses = [
        client.get(url(program)),
        client.post(url(program, "mark/"), {"enrollment": [person.pk]}),
        client.post(
            url(program, f"{person.pk}/waiver/"), {"action": "waive", "reason": "x"}
        ),
    ]
    alpha.activate()
    assert [r.status_code for r in responses] == [404, 404, 404]
    assert not TrainingCompletion.objects.exists()
    assert not TrainingWaiver.objects.exists()
