import pytest

from programs.models import ApplicationQuestion, Program
from tests.programs.factories import (
    EnrollingProgramFactory,
    ModuleFactory,
    QuestionFactory,
)


def _management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _post_data(**overrides) -> dict:
    data = {
        "name": "Leaders Exchange",
        "kind": "one_to_one",
        "description": "Pairs across the network.",
        "focus_areas": "Governance\nAdvocacy",
        "meeting_cadence_days": "14",
        "meeting_length_minutes": "45",
        "confidentiality_agreement": "Sessions are confidential.",
        "communication_norms": "Reply within two working days.",
        "sponsor_name": "Claire",
        "sponsor_message": "Welcome!",
        "enrollment_opens_on": "2027-01-01",
        "enrollment_closes_on": "2027-01-31",
        "starts_on": "2027-02-01",
        "ends_on": "2027-07-31",
        "mentee_capacity": "",
        **_management("objectives", 1),
        "objectives-0-text": "Grow leaders",
        "objectives-0-measure": "80% report progress",
        **_management("questions", 2),
        "questions-0-text": "Which area?",
        "questions-0-kind": "single_choice",
        "questions-0-choices": "Governance\nAdvocacy",
        "questions-0-required": "on",
        "questions-0-for_role": "mentee",
        "questions-1-text": "",
        "questions-1-kind": "short_text",
        "questions-1-for_role": "both",
        **_management("modules", 1),
        "modules-0-title": "Mentoring 101",
        "modules-0-url": "https://learning.example/101",
        "modules-0-required_for_role": "both",
    }
    data.update(overrides)
    return data


def test_creates_a_program_with_its_parts(alpha, coordinator):
    # when
    response = alpha.client("coordinator").post("/manage/programs/new/", _post_data())
    # then
    assert response.status_code == 302
    program = Program.objects.get(name="Leaders Exchange")
    assert program.status == "draft"
    assert program.focus_areas == ["governance", "advocacy"]
    assert list(program.coordinators.all()) == [coordinator]
    assert [o.text for o in program.objectives.all()] == ["Grow leaders"]
    question = program.questions.get()
    assert (question.kind, question.choices, question.for_role) == (
        "single_choice",
        ["Governance", "Advocacy"],
        "mentee",
    )
    assert program.training_modules.get().title == "Mentoring 101"
    assert response["Location"] == f"/manage/programs/{program.pk}/"


def test_errors_come_back_next_to_fields(alpha):
    data = _post_data(
        name="",
        enrollment_closes_on="2026-12-01",
        **{"questions-0-choices": "Only one"},
    )
    response = alpha.client("coordinator").post("/manage/programs/new/", data)
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_name_errors"' in page
    assert "Give at least two choices." in page
    assert not Program.objects.exists()


def test_window_closing_before_opening_is_refused(alpha):
    response = alpha.client("coordinator").post(
        "/manage/programs/new/", _post_data(enrollment_closes_on="2026-12-01")
    )
    assert response.status_code == 422
    assert b"Enrolment must close on or after it opens." in response.content


def test_edits_keep_question_ids(alpha, coordinator):
    # given
    program = EnrollingProgramFactory(coordinators=[coordinator])
    question = QuestionFactory(program=program, text="Old?")
    ModuleFactory(program=program)
    objective = program.objectives.get()
    data = _post_data(
        **_management("objectives", 1, 1),
        **{"objectives-0-id": str(objective.pk)},
        **_management("questions", 1, 1),
        **{
            "questions-0-id": str(question.pk),
            "questions-0-text": "New?",
            "questions-0-kind": "short_text",
            "questions-0-choices": "",
        },
        **_management("modules", 0),
    )
    # when
    response = alpha.client("coordinator").post(
        f"/manage/programs/{program.pk}/edit/", data
    )
    # then
    assert response.status_code == 302
    assert list(
        ApplicationQuestion.objects.filter(program=program).values_list("id", "text")
    ) == [(question.pk, "New?")]
    assert not program.training_modules.exists()


def test_edit_page_renders(alpha, coordinator):
    program = EnrollingProgramFactory(coordinators=[coordinator])
    QuestionFactory(program=program)
    response = alpha.client("coordinator").get(f"/manage/programs/{program.pk}/edit/")
    assert response.status_code == 200
    assert b"Save program" in response.content


@pytest.mark.parametrize("persona", ["coordinator2"])
def test_other_coordinator_cannot_edit(alpha, coordinator, persona):
    program = EnrollingProgramFactory(name="Kept", coordinators=[coordinator])
    client = alpha.client(persona)
    assert client.get(f"/manage/programs/{program.pk}/edit/").status_code == 404
    assert (
        client.post(f"/manage/programs/{program.pk}/edit/", _post_data()).status_code
        == 404
    )
    program.refresh_from_db()
    assert program.name == "Kept"


def test_hr_admin_edits_any_program(alpha, coordinator):
    program = EnrollingProgramFactory(coordinators=[coordinator])
    assert (
        alpha.client("hradmin").get(f"/manage/programs/{program.pk}/edit/").status_code
        == 200
    )


def test_mentee_cannot_create(alpha):
    assert (
        alpha.client("mentee").post("/manage/programs/new/", _post_data()).status_code
        == 403
    )
    assert not Program.objects.exists()


def test_transition_button_refuses_with_a_message(alpha, coordinator):
    from tests.programs.factories import ProgramFactory

    program = ProgramFactory(coordinators=[coordinator])
    response = alpha.client("coordinator").post(
        f"/manage/programs/{program.pk}/transition/", {"to": "enrolling"}, follow=True
    )
    assert b"needs more first" in response.content
    program.refresh_from_db()
    assert program.status == "draft"


def test_organization_mentoring_is_a_kind_with_its_help(alpha):
    client = alpha.client("coordinator")
    page = client.get("/manage/programs/new/").content.decode()
    assert '<option value="organization"' in page
    assert "the mentee is a member organization" in page
    response = client.post(
        "/manage/programs/new/", _post_data(name="Bridges", kind="organization")
    )
    assert response.status_code == 302
    assert Program.objects.get(name="Bridges").kind == Program.Kind.ORGANIZATION
