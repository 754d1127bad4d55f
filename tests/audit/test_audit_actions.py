"""Every action the audit log promises writes exactly one entry, with who and where:
role changes (test_audit_log.py), password sets, imports, exports, match
publishing, share links; erasures in tests/privacy/test_erasure.py."""

from __future__ import annotations

import re

import pytest
from auditlog.models import LogEntry
from django.db.models import Q

from matching import services as matching_services
from mentorship.accounts import services as account_services
from programs.models import Participant
from programs.services import participant_import_commit, participant_import_preview
from reporting.models import SharedReport
from tests.matching.factories import matching_program
from tests.matching.factories import mentee as enrol_mentee
from tests.matching.factories import mentor as enrol_mentor
from tests.programs.factories import EnrollingProgramFactory
from tests.programs.importfiles import csv_bytes, people_rows
from tests.reporting.factories import survey_program


@pytest.fixture(autouse=True)
def _floor(alpha):
    """Entries from before the test (browser tests commit theirs) don't count."""
    global _FLOOR
    _FLOOR = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


_FLOOR = 0


def _entries(action: str):
    return LogEntry.objects.filter(additional_data__action=action, pk__gt=_FLOOR)


def test_password_set_by_admin(alpha, hr_admin, mentee):
    # given
    client = alpha.client("hradmin")
    url = f"/admin/accounts/user/{mentee.pk}/password/"
    # when
    response = client.post(
        url,
        {
            "password1": "a-new-and-long-password-1",
            "password2": "a-new-and-long-password-1",
            "usable_password": "true",
        },
        REMOTE_ADDR="198.51.100.4",
    )
    # then
    assert response.status_code == 302
    entry = _entries("password.set_by_admin").get()
    assert entry.actor == hr_admin
    assert entry.object_id == mentee.pk
    assert entry.remote_addr == "198.51.100.4"
    assert "a-new-and-long-password-1" not in str(entry.__dict__)


def test_password_reset_link_and_two_factor_removal(alpha, hr_admin, mentee):
    account_services.user_password_reset_link_send(users=[mentee], by=hr_admin)
    account_services.user_authenticators_removed_by_admin_record(
        user=mentee, kinds=["TOTP"], by=hr_admin
    )
    assert _entries("password.reset_link_sent").get().actor == hr_admin
    assert _entries("two_factor.removed_by_admin").get().object_id == mentee.pk


def test_import(alpha, coordinator):
    program = EnrollingProgramFactory(coordinators=[coordinator])
    batch = participant_import_preview(
        program=program,
        by=coordinator,
        filename="people.csv",
        content=csv_bytes(people_rows(3)),
    )
    participant_import_commit(batch=batch, by=coordinator)
    entry = _entries("import.committed").get()
    assert entry.actor == coordinator
    assert entry.additional_data["rows"] == 3
    assert entry.additional_data["program"] == program.pk
    # the people it created are not named in it
    assert "people.example" not in str(entry.additional_data)


def test_dashboard_export(alpha, coordinator):
    program = survey_program(coordinators=[coordinator], name="Export program")
    response = alpha.client("coordinator").get(
        f"/manage/programs/{program.pk}/impact/export/pairs.csv",
        REMOTE_ADDR="192.0.2.7",
    )
    assert response.status_code == 200
    entry = _entries("export.downloaded").get()
    assert entry.actor == coordinator
    assert entry.remote_addr == "192.0.2.7"
    assert entry.additional_data == {
        "action": "export.downloaded",
        "table": "pairs",
        "format": "csv",
    }


def test_admin_export(alpha, hr_admin, mentee):
    Participant.objects.get_or_create(user=mentee)
    client = alpha.client("hradmin")
    response = client.post(
        "/admin/programs/participant/export/",
        {"format": "0", "resource": "0", "participantresource_email": "on"},
        REMOTE_ADDR="192.0.2.9",
    )
    assert response.status_code == 200
    assert "attachment" in response.get("Content-Disposition", "")
    entry = _entries("export.downloaded").get()
    assert entry.actor == hr_admin
    assert entry.content_type.model == "participant"
    assert entry.remote_addr == "192.0.2.9"


def test_match_publishing(alpha, coordinator):
    program = matching_program(coordinators=[coordinator])
    enrol_mentor(program)
    enrol_mentee(program)
    run = matching_services.match_run_start(program=program, by=coordinator)
    matching_services.match_run_publish(run=run, by=coordinator)
    entry = _entries("matches.published").get()
    assert entry.actor == coordinator
    assert entry.object_id == run.pk


def test_share_link_created_and_revoked(alpha, coordinator):
    program = survey_program(coordinators=[coordinator], name="Shared program")
    client = alpha.client("coordinator")
    base = f"/manage/programs/{program.pk}/impact/share/"
    made = client.post(base + "new/", {"label": "Sponsor Q3"}, REMOTE_ADDR="192.0.2.8")
    token = re.search(r"/r/([A-Za-z0-9_-]{43})/", made.content.decode()).group(1)
    share = SharedReport.objects.get()
    client.post(f"{base}{share.pk}/revoke/")
    client.post(f"{base}{share.pk}/revoke/")  # twice: still one entry
    entries = list(LogEntry.objects.get_for_object(share).order_by("timestamp"))
    assert [entry.action for entry in entries] == [
        LogEntry.Action.CREATE,
        LogEntry.Action.UPDATE,
    ]
    assert {entry.actor for entry in entries} == {coordinator}
    assert entries[0].remote_addr == "192.0.2.8"
    assert entries[0].changes["label"] == [None, "Sponsor Q3"]
    assert entries[1].additional_data["action"] == "share_link.revoked"
    # neither the token nor its hash is in the log
    assert not LogEntry.objects.filter(
        Q(changes__icontains=token) | Q(changes__icontains=share.token_hash)
    ).exists()


@pytest.mark.parametrize("persona", ["coordinator", "mentor"])
def test_audit_log_is_for_hr_admins_only(alpha, persona):
    response = alpha.client(persona).get("/admin/auditlog/logentry/")
    assert response.status_code in (302, 403)


def test_admin_import(alpha, hr_admin, mentee):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.programs.factories import participant_for

    participant_for(mentee)
    client = alpha.client("hradmin")
    content = f"email,title,department\r\n{mentee.email},Analyst,Data\r\n".encode()
    preview = client.post(
        "/admin/programs/participant/import/",
        {
            "format": "0",
            "resource": "0",
            "import_file": SimpleUploadedFile("p.csv", content),
        },
    )
    assert preview.status_code == 200
    assert not _entries("import.committed").exists()  # a preview imports nothing
    confirm = preview.context["confirm_form"]
    response = client.post(
        "/admin/programs/participant/process_import/",
        {name: confirm.initial.get(name, "") for name in confirm.fields},
        REMOTE_ADDR="192.0.2.10",
    )
    assert response.status_code == 302
    entry = _entries("import.committed").get()
    assert entry.actor == hr_admin
    assert entry.remote_addr == "192.0.2.10"
    assert entry.content_type.model == "participant"
