"""The demo seed's programs part, run against a test organization's schema."""

from demo.data.people import BRIDGES, MERIDIAN
from demo.programs import seed_programs
from mentorship.accounts.models import User
from mentorship.accounts.services import user_create
from programs.models import Enrollment, Participant, Program


def _users(org):
    users = {}
    for person in org.people:
        users[person.email] = User.objects.filter(
            email=person.email
        ).first() or user_create(
            email=person.email,
            password=None,
            full_name=person.name,
            role=person.role,
            time_zone=person.zone,
        )
    return users


def test_creates_profiles_program_and_enrolments_once(alpha):
    # given
    users = _users(MERIDIAN)
    # when: run twice
    first = seed_programs(MERIDIAN, users)
    second = seed_programs(MERIDIAN, users)
    # then
    assert "Engineering Growth Mentoring 2027" in first
    assert second == []
    program = Program.objects.get(name="Engineering Growth Mentoring 2027")
    assert program.status == "enrolling"
    assert program.objectives.count() == 2
    assert program.questions.exists()
    assert program.training_modules.exists()
    assert list(program.coordinators.values_list("email", flat=True)) == [
        "coordinator@meridian.example"
    ]
    with_role = [p for p in MERIDIAN.people if p.program_role]
    assert Enrollment.objects.filter(program=program, status="approved").count() == len(
        with_role
    )
    minh = Participant.objects.get(user__email="mentee@meridian.example")
    assert minh.manager.user.email == "anh.pham@meridian.example"
    assert minh.languages == ["vi", "en"]
    assert minh.working_days == [0, 1, 2, 3, 4]


def test_bangladesh_works_sunday_to_thursday(alpha):
    seed_programs(BRIDGES, _users(BRIDGES))
    farhana = Participant.objects.get(user__email="mentee@bridges.example")
    assert farhana.working_days == [0, 1, 2, 3, 6]
    assert farhana.affiliation == "Dhaka Garment Exporters Association"
    assert (
        Program.objects.get(name="Association Leaders Exchange").status == "enrolling"
    )
