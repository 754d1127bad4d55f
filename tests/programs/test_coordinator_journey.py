"""A coordinator opens a program, imports 200 people, approves applications and
watches the counts move — through the pages, as they would."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile

from mentorship.notifications.models import Notification
from programs.models import Enrollment, ImportBatch
from tests.programs.factories import (
    EnrollmentFactory,
    ObjectiveFactory,
    ProgramFactory,
    today,
)
from tests.programs.importfiles import csv_bytes, people_rows


def _count(page: str, label: str) -> int:
    match = re.search(
        rf'<span class="value">(\d+)</span><span class="label">{label}</span>', page
    )
    return int(match.group(1))


def test_draft_to_enrolling_import_approve(alpha, coordinator):
    # given: a draft program with dates and an objective
    program = ProgramFactory(
        name="Engineering Growth",
        coordinators=[coordinator],
        enrollment_opens_on=today(),
        enrollment_closes_on=today(),
    )
    ObjectiveFactory(program=program)
    client = alpha.client("coordinator")
    detail = f"/manage/programs/{program.pk}/"
    assert "Open enrolment" in client.get(detail).content.decode()

    # when: open enrolment
    response = client.post(f"{detail}transition/", {"to": "enrolling"})
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.status == "enrolling"

    # when: import 200 people in one file
    response = client.post(
        f"{detail}import/",
        {"file": SimpleUploadedFile("people.csv", csv_bytes(people_rows(200)))},
    )
    preview = client.get(response["Location"]).content.decode()
    assert "200 people ready to import" in preview
    batch = ImportBatch.objects.get(program=program)
    client.post(f"{detail}import/{batch.pk}/confirm/")
    assert Notification.objects.filter(kind="program-invitation").count() == 200
    page = client.get(detail).content.decode()
    # imported people are invited; they are enrolled once they accept the agreement
    assert _count(page, "Invited") == 200
    assert _count(page, "Approved") == 0

    # when: three people apply, and the coordinator approves two of them
    applications = EnrollmentFactory.create_batch(3, program=program)
    page = client.get(f"{detail}?status=applied").content.decode()
    assert _count(page, "Applied") == 3
    client.post(
        f"{detail}enrollments/decide/",
        {"enrollment": [a.pk for a in applications[:2]], "decision": "approve"},
        HTTP_HX_REQUEST="true",
    )

    # then: the counts changed, on the program page and the dashboard list
    page = client.get(detail).content.decode()
    assert _count(page, "Applied") == 1
    assert _count(page, "Approved") == 2
    # the coordinator home (reporting:manage-home) has one card per program
    home = client.get("/manage/")
    cards = home.context["cards"]
    assert [(c.program.applied_count, c.program.approved_count) for c in cards] == [
        (1, 2)
    ]
    assert cards[0].next_step.label == "Decide 1 application"
    assert "Decide 1 application" in home.content.decode()
    assert Enrollment.objects.filter(program=program).count() == 203
