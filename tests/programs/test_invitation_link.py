"""The invitation an import sends lets the person set a password, reach the portal and
accept the program's agreement."""

from django.core.files.uploadedfile import SimpleUploadedFile

from mentorship.notifications.models import Notification
from programs.models import Enrollment, ImportBatch
from tests.programs.factories import EnrollingProgramFactory
from tests.programs.importfiles import csv_bytes, people_rows


def test_invited_person_sets_a_password_and_lands_in_the_portal(alpha, coordinator):
    # given: one person imported
    program = EnrollingProgramFactory(name="Growth", coordinators=[coordinator])
    client = alpha.client("coordinator")
    client.post(
        f"/manage/programs/{program.pk}/import/",
        {
            "file": SimpleUploadedFile(
                "people.csv", csv_bytes(people_rows(1, role="mentee"))
            )
        },
    )
    client.post(
        f"/manage/programs/{program.pk}/import/{ImportBatch.objects.get().pk}/confirm/"
    )
    invitation = Notification.objects.get(kind="program-invitation")
    assert invitation.recipient.email == "imported0@people.example"
    # when: they follow the link and choose a password
    person = alpha.client()
    response = person.get(invitation.link, follow=True)
    assert response.status_code == 200
    form_url = (
        response.redirect_chain[-1][0] if response.redirect_chain else invitation.link
    )
    response = person.post(
        form_url,
        {
            "password1": "a-long-new-passphrase-9",
            "password2": "a-long-new-passphrase-9",
        },
    )
    assert response.status_code == 302
    # then: they can sign in and land in their portal, invited
    response = person.post(
        "/accounts/login/",
        {"login": "imported0@people.example", "password": "a-long-new-passphrase-9"},
    )
    assert response["Location"] == "/"
    page = person.get("/").content.decode()
    assert "Growth" in page
    assert "Invited" in page
    enrollment = Enrollment.objects.get(
        participant__user__email="imported0@people.example"
    )
    assert f"/invitations/{enrollment.pk}/" in page
    # and they are enrolled once they accept the program's agreement
    response = person.post(f"/invitations/{enrollment.pk}/", {"agreed": "on"})
    assert response.status_code == 302
    assert "Approved" in person.get("/").content.decode()
