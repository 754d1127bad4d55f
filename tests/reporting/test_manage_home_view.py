from tests.programs.factories import (
    EnrollingProgramFactory,
    EnrollmentFactory,
    ProgramFactory,
)


def test_lists_coordinated_programs_with_counts(alpha, coordinator):
    # given
    program = EnrollingProgramFactory(name="Growth 2027", coordinators=[coordinator])
    EnrollmentFactory.create_batch(2, program=program, status="applied")
    EnrollmentFactory(program=program, status="approved")
    ProgramFactory(name="Someone else's", coordinators=[alpha.user("coordinator2")])
    # when
    response = alpha.client("coordinator").get("/manage/")
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "Growth 2027" in page
    assert "Someone else&#x27;s" not in page
    assert [p.applied_count for p in response.context["programs"]] == [2]
    assert [p.approved_count for p in response.context["programs"]] == [1]


def test_hr_admin_sees_every_program(alpha):
    ProgramFactory(name="Unassigned program")
    page = alpha.client("hradmin").get("/manage/").content.decode()
    assert "Unassigned program" in page


def test_empty_state_says_what_to_do(alpha):
    page = alpha.client("coordinator").get("/manage/").content.decode()
    assert "No programs yet" in page
    assert "New program" in page


def test_one_query_for_the_list_whatever_its_size(
    alpha, coordinator, django_assert_max_num_queries
):
    for _ in range(3):
        EnrollmentFactory(program=EnrollingProgramFactory(coordinators=[coordinator]))
    client = alpha.client("coordinator")
    # tenant routing (search_path public, domain lookup, search_path tenant), session,
    # user, then the one annotated program list
    with django_assert_max_num_queries(6):
        client.get("/manage/")


def test_mentee_cannot_open_it(alpha):
    assert alpha.client("mentee").get("/manage/").status_code == 403


def test_outsider_gets_the_login_page(alpha, beta):
    EnrollingProgramFactory(name="Alpha secret program")
    response = beta.client("coordinator").get("/manage/")
    assert b"Alpha secret program" not in response.content
