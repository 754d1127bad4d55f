"""The resource library on the dashboard: links and documents per program and
role, in order; add, edit, reorder, delete (asking first); the portal shows each
person the resources for their role, and downloads keep their permission checks."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from programs.models import Enrollment, Resource
from programs.selectors import resources_for_participant
from tests.programs.factories import (
    EnrollingProgramFactory,
    EnrollmentFactory,
    participant_for,
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def program(alpha, coordinator):
    return EnrollingProgramFactory(name="Reverse 2026", coordinators=[coordinator])


def url(program, suffix=""):
    return f"/manage/programs/{program.pk}/resources/{suffix}"


def _link(program, title, for_role="both", order=0):
    return Resource.objects.create(
        program=program,
        title=title,
        url="https://intranet.example/guide",
        for_role=for_role,
        order=order,
    )


def test_add_a_link_and_a_document(alpha, program):
    client = alpha.client("coordinator")
    response = client.post(
        url(program),
        {
            "title": "Program guide",
            "url": "https://intranet.example/guide",
            "for_role": "both",
        },
    )
    assert response.status_code == 302
    upload = SimpleUploadedFile(
        "checklist.pdf", b"%PDF-1.4 first meeting", "application/pdf"
    )
    client.post(
        url(program),
        {"title": "First-meeting checklist", "document": upload, "for_role": "mentor"},
    )
    library = list(Resource.objects.filter(program=program).order_by("order"))
    assert [(r.title, r.for_role, r.order) for r in library] == [
        ("Program guide", "both", 0),
        ("First-meeting checklist", "mentor", 1),
    ]
    assert library[1].document.name.endswith(".pdf")
    page = client.get(url(program)).content.decode()
    assert "Program guide" in page
    assert "First-meeting checklist" in page


def test_a_link_or_a_document_is_required(alpha, program):
    response = alpha.client("coordinator").post(
        url(program), {"title": "Nothing", "for_role": "both"}
    )
    assert response.status_code == 422
    assert "Give a link or upload a document." in response.content.decode()
    assert not Resource.objects.exists()


def test_refuses_executables_and_big_files(alpha, program):
    client = alpha.client("coordinator")
    bad = SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream")
    response = client.post(
        url(program), {"title": "x", "document": bad, "for_role": "both"}
    )
    assert response.status_code == 422
    big = SimpleUploadedFile(
        "big.pdf", b"0" * (10 * 1024 * 1024 + 1), "application/pdf"
    )
    response = client.post(
        url(program), {"title": "y", "document": big, "for_role": "both"}
    )
    assert response.status_code == 422
    assert not Resource.objects.exists()


def test_edit_and_reorder(alpha, program):
    first = _link(program, "First", order=0)
    second = _link(program, "Second", order=1)
    client = alpha.client("coordinator")
    client.post(url(program, f"{second.pk}/move/"), {"direction": "up"})
    assert list(
        Resource.objects.filter(program=program)
        .order_by("order")
        .values_list("title", flat=True)
    ) == ["Second", "First"]
    response = client.post(
        url(program, f"{first.pk}/"),
        {
            "title": "First, renamed",
            "url": "https://intranet.example/new",
            "for_role": "mentee",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.title, first.for_role) == ("First, renamed", "mentee")


def test_delete_asks_first(alpha, program):
    resource = _link(program, "Old guide")
    client = alpha.client("coordinator")
    page = client.post(url(program, f"{resource.pk}/delete/"))
    assert page.status_code == 200
    assert "Delete “Old guide”?" in page.content.decode()
    assert Resource.objects.filter(pk=resource.pk).exists()
    client.post(url(program, f"{resource.pk}/delete/"), {"confirmed": "yes"})
    assert not Resource.objects.filter(pk=resource.pk).exists()


def test_portal_shows_each_role_its_resources_in_order(alpha, program, mentor, mentee):
    _link(program, "For everyone", order=2)
    _link(program, "For mentors", for_role="mentor", order=0)
    _link(program, "For mentees", for_role="mentee", order=1)
    as_mentor = EnrollmentFactory(
        program=program,
        participant=participant_for(mentor),
        role="mentor",
        status=Enrollment.Status.APPROVED,
    )
    EnrollmentFactory(
        program=program,
        participant=participant_for(mentee),
        role="mentee",
        status=Enrollment.Status.APPROVED,
    )
    titles = [
        r.title for r in resources_for_participant(participant=as_mentor.participant)
    ]
    assert titles == ["For mentors", "For everyone"]
    mentee_titles = [
        r.title for r in resources_for_participant(participant=participant_for(mentee))
    ]
    assert mentee_titles == ["For mentees", "For everyone"]


def test_download_is_for_the_role_it_is_for(alpha, program, mentor, mentee):
    upload = SimpleUploadedFile("guide.pdf", b"%PDF mentors only", "application/pdf")
    resource = Resource.objects.create(
        program=program, title="Mentor guide", document=upload, for_role="mentor"
    )
    for user, role in ((mentor, "mentor"), (mentee, "mentee")):
        EnrollmentFactory(
            program=program,
            participant=participant_for(user),
            role=role,
            status=Enrollment.Status.APPROVED,
        )
    assert alpha.client("mentor").get(f"/resources/{resource.pk}/").status_code == 200
    assert alpha.client("mentee").get(f"/resources/{resource.pk}/").status_code == 404
    assert (
        alpha.client("coordinator").get(f"/resources/{resource.pk}/").status_code == 200
    )


def test_other_coordinators_and_members_cannot_manage(alpha, program):
    resource = _link(program, "Guide")
    for persona, code in (("coordinator2", 404), ("mentee", 403)):
        client = alpha.client(persona)
        assert client.get(url(program)).status_code == code
        assert (
            client.post(
                url(program, f"{resource.pk}/delete/"), {"confirmed": "yes"}
            ).status_code
            == code
        )
    assert Resource.objects.filter(pk=resource.pk).exists()


def test_another_programs_resource_is_404(alpha, program, coordinator):
    other = EnrollingProgramFactory(coordinators=[coordinator])
    theirs = _link(other, "Theirs")
    client = alpha.client("coordinator")
    assert client.get(url(program, f"{theirs.pk}/")).status_code == 404
    assert (
        client.post(
            url(program, f"{theirs.pk}/delete/"), {"confirmed": "yes"}
        ).status_code
        == 404
    )


@pytest.mark.parametrize("size", [2, 40])
def test_constant_queries(alpha, program, size, django_assert_max_num_queries):
    for n in range(size):
        _link(program, f"Resource {n:02d}", order=n)
    client = alpha.client("coordinator")
    client.get(url(program))
    # routing and migration check, session, user, program, the library
    with django_assert_max_num_queries(10):
        response = client.get(url(program))
    assert response.status_code == 200


def test_another_organization_gets_404_and_changes_nothing(alpha, beta, program):
    resource = _link(program, "Ours SNT-resource")
    client = beta.client("hradmin")
    responses = [
        client.get(url(program)),
        client.post(url(program, f"{resource.pk}/delete/"), {"confirmed": "yes"}),
        client.get(f"/resources/{resource.pk}/"),
    ]
    alpha.activate()
    assert all(r.status_code == 404 for r in responses)
    assert all(b"SNT-resource" not in r.content for r in responses)
    assert Resource.objects.filter(pk=resource.pk).exists()
