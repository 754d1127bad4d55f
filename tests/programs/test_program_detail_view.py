import pytest

from programs.models import Enrollment
from tests.programs.factories import (
    EnrollingProgramFactory,
    EnrollmentFactory,
    enrollments_bulk,
    participant_for,
)

# tenant routing (search_path public, domain lookup, search_path tenant), session,
# user, the program (with the coordinator check), the status counts (one aggregate),
# the page COUNT, the page rows (participant and user joined, training progress as
# subqueries), the program's application questions, the objectives list.
DETAIL_QUERIES = 11


@pytest.fixture
def program(coordinator):
    return EnrollingProgramFactory(name="Growth", coordinators=[coordinator])


@pytest.mark.parametrize("size", [20, 2000])
def test_constant_queries_whatever_the_size(
    alpha, program, size, django_assert_max_num_queries
):
    # given
    enrollments_bulk(program, size)
    client = alpha.client("coordinator")
    # then: the full page and the htmx partial stay within the same budget
    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = client.get(f"/manage/programs/{program.pk}/?sort=-applied")
    assert response.status_code == 200
    assert response.content.count(b'name="enrollment"') == min(size, 50)
    with django_assert_max_num_queries(DETAIL_QUERIES - 1):
        client.get(
            f"/manage/programs/{program.pk}/?page=3&status=approved",
            HTTP_HX_REQUEST="true",
        )


def test_htmx_gets_only_the_table(alpha, program):
    EnrollmentFactory(program=program)
    response = alpha.client("coordinator").get(
        f"/manage/programs/{program.pk}/", HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="enrollment-table"')
    assert "<html" not in page
    assert response["Vary"] == "HX-Request" or "HX-Request" in response["Vary"]


def test_links_to_matching_and_relationship_health(alpha, program):
    page = alpha.client("coordinator").get(f"/manage/programs/{program.pk}/")
    body = page.content.decode()
    assert f'href="/manage/programs/{program.pk}/matching/"' in body
    assert f'href="/manage/programs/{program.pk}/health/"' in body


def test_filters_by_status_role_and_search(alpha, program, mentee):
    # given
    EnrollmentFactory.create_batch(3, program=program, status="applied", role="mentor")
    findable = EnrollmentFactory(
        program=program,
        status="approved",
        role="mentee",
        participant=participant_for(mentee),
    )
    client = alpha.client("coordinator")
    # when / then
    rows = (
        client.get(f"/manage/programs/{program.pk}/?status=approved")
        .context["table"]
        .page.object_list
    )
    assert list(rows) == [findable]
    rows = (
        client.get(f"/manage/programs/{program.pk}/?role=mentor")
        .context["table"]
        .page.object_list
    )
    assert len(rows) == 3
    rows = (
        client.get(f"/manage/programs/{program.pk}/?q=MENTEE@alpha")
        .context["table"]
        .page.object_list
    )
    assert list(rows) == [findable]


def test_paginates_by_fifty(alpha, program):
    enrollments_bulk(program, 120)
    table = (
        alpha.client("coordinator")
        .get(f"/manage/programs/{program.pk}/?page=3")
        .context["table"]
    )
    assert table.page.number == 3
    assert len(table.page.object_list) == 20


def test_sorts_by_columns(alpha, program):
    enrollments_bulk(program, 5)
    client = alpha.client("coordinator")
    names = [
        e.participant.user.full_name
        for e in client.get(f"/manage/programs/{program.pk}/?sort=-name")
        .context["table"]
        .page
    ]
    assert names == sorted(names, reverse=True)


def test_junk_query_parameters_fall_back_to_defaults(alpha, program):
    client = alpha.client("coordinator")
    for query in [
        "page=abc",
        "page=-5",
        "sort=password",
        "status=<script>",
        "role=boss",
        "q=" + "x" * 5000,
        "page=99999999999999999999",
    ]:
        assert (
            client.get(f"/manage/programs/{program.pk}/?{query}").status_code == 200
        ), query


def test_bulk_approve_via_htmx(alpha, program):
    # given
    enrollments = EnrollmentFactory.create_batch(3, program=program)
    client = alpha.client("coordinator")
    # when
    response = client.post(
        f"/manage/programs/{program.pk}/enrollments/decide/",
        {
            "enrollment": [e.pk for e in enrollments[:2]],
            "decision": "approve",
            "query": "status=applied",
        },
        HTTP_HX_REQUEST="true",
    )
    # then: the table comes back, filtered as before, with the new counts
    assert response.status_code == 200
    page = response.content.decode()
    assert "Approved 2." in page
    assert 'name="query" value="status=applied"' in page
    assert page.count('name="enrollment"') == 1  # the one still applied
    assert Enrollment.objects.filter(program=program, status="approved").count() == 2


def test_bulk_without_selection_is_422(alpha, program):
    response = alpha.client("coordinator").post(
        f"/manage/programs/{program.pk}/enrollments/decide/",
        {"decision": "approve"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 422
    assert b"Tick at least one person" in response.content


def test_bulk_applies_what_it_can_reports_the_rest_and_keeps_them_ticked(
    alpha, program
):
    # given: the case — an approvable mentor and a waitlisted mentee while
    # every mentee place is taken
    program.mentee_capacity = 1
    program.save()
    EnrollmentFactory(program=program, role="mentee", status="approved")
    mentor = EnrollmentFactory(program=program, role="mentor")
    waiting = EnrollmentFactory(program=program, role="mentee", status="waitlisted")
    # when
    response = alpha.client("coordinator").post(
        f"/manage/programs/{program.pk}/enrollments/decide/",
        {"enrollment": [mentor.pk, waiting.pk], "decision": "approve"},
        HTTP_HX_REQUEST="true",
    )
    # then: the mentor is approved, the mentee is reported by name and still ticked
    assert response.status_code == 200
    page = response.content.decode()
    assert "Approved 1. Not 1, still ticked:" in page
    assert f"{waiting.participant.user}</span> — no mentee place left" in page
    assert (
        f'value="{waiting.pk}" aria-label="Select {waiting.participant.user}" checked'
        in page
    )
    assert f'value="{mentor.pk}" aria-label="Select {mentor.participant.user}">' in page
    mentor.refresh_from_db()
    waiting.refresh_from_db()
    assert (mentor.status, waiting.status) == ("approved", "waitlisted")


def test_bulk_without_htmx_redirects_back(alpha, program):
    enrollment = EnrollmentFactory(program=program)
    response = alpha.client("coordinator").post(
        f"/manage/programs/{program.pk}/enrollments/decide/",
        {"enrollment": [enrollment.pk], "decision": "decline", "query": "role=mentee"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/manage/programs/{program.pk}/?role=mentee"
    enrollment.refresh_from_db()
    assert enrollment.status == "declined"


def test_bulk_ignores_ids_of_other_programs(alpha, program):
    other = EnrollmentFactory(program=EnrollingProgramFactory())
    response = alpha.client("coordinator").post(
        f"/manage/programs/{program.pk}/enrollments/decide/",
        {"enrollment": [other.pk], "decision": "approve"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    other.refresh_from_db()
    assert other.status == "applied"


def test_another_coordinators_program_is_404(alpha, program):
    client = alpha.client("coordinator2")
    assert client.get(f"/manage/programs/{program.pk}/").status_code == 404
    enrollment = EnrollmentFactory(program=program)
    response = client.post(
        f"/manage/programs/{program.pk}/enrollments/decide/",
        {"enrollment": [enrollment.pk], "decision": "approve"},
    )
    assert response.status_code == 404
    enrollment.refresh_from_db()
    assert enrollment.status == "applied"


def test_hr_admin_sees_any_program(alpha, program):
    assert (
        alpha.client("hradmin").get(f"/manage/programs/{program.pk}/").status_code
        == 200
    )


def test_mentee_is_refused(alpha, program):
    assert (
        alpha.client("mentee").get(f"/manage/programs/{program.pk}/").status_code == 403
    )


def test_outsider_sees_nothing(alpha, beta, program):
    response = beta.client("hradmin").get(f"/manage/programs/{program.pk}/")
    assert response.status_code == 404
    assert b"Growth" not in response.content
