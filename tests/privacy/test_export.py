"""Export my data: a ZIP with every kind of record for a person who has all of
them — never their partner's private notes or anyone's anonymous answers — built
by the worker's task, announced with a signed link only its owner can open."""

from __future__ import annotations

import datetime
import io
import json
import zipfile

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from mentorship.notifications.models import Notification
from privacy import selectors, tasks
from privacy.models import DataExport
from privacy.services import exports
from tests.privacy.world import MENTEE_PRIVATE, full_history


@pytest.fixture
def history(alpha, coordinator, mentor, mentee, hr_admin):
    return full_history(
        coordinator=coordinator, mentor=mentor, mentee=mentee, hr_admin=hr_admin
    )


def _zip(content: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(content))


def test_zip_has_every_kind_and_none_of_the_partners_private_notes(
    alpha, history, mentee, mentor, django_capture_on_commit_callbacks
):
    # given: the person asks in the portal
    client = alpha.client("mentee")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post("/privacy/export/")
    assert response.status_code == 302
    assert len(callbacks) == 1  # the build is enqueued after commit
    export = DataExport.objects.get(user=mentee)
    # when: the worker's task runs
    assert tasks.data_export_build_task(export.pk) == {"status": "ready"}
    # then: one email with the link; the link gives the ZIP to its owner
    note = Notification.objects.get(recipient=mentee, kind="data-export-ready")
    download = client.get(note.link)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    archive = _zip(b"".join(download.streaming_content))
    names = set(archive.namelist())
    assert {"data.json", "index.html"} <= names
    data = json.loads(archive.read("data.json"))["records"]
    for kind in selectors.KINDS:
        assert f"{kind}.json" in names
        assert data[kind], f"no {kind} in the export"
    everything = (
        archive.read("data.json").decode() + archive.read("index.html").decode()
    )
    assert MENTEE_PRIVATE in everything
    assert "MENTOR-PRIVATE-NOTE" not in everything
    assert "ANONYMOUS-ANSWER" not in everything
    assert "pbkdf2" not in everything
    assert '"password"' not in everything
    assert data["matches"][0]["explanation"] == {"skills": 40.0, "overlap": 20.0}
    assert {p["author_id"] for p in data["pulses"]} == {mentee.pk}
    assert all(not r["is_anonymous"] for r in data["survey_responses"])
    assert data["survey_responses"][0]["answers"]
    assert "Why join?" in data["enrollments"][0]["answered_questions"]
    assert data["consents"][0]["kind"] == "program_agreement"


def test_link_is_for_its_owner_only_and_expires(alpha, history, mentee, mentor):
    export = exports.data_export_request(user=mentee)
    exports.data_export_build(export_id=export.pk, now=timezone.now())
    export.refresh_from_db()
    link = exports.data_export_path(export)
    assert alpha.client("mentee").get(link).status_code == 200
    assert alpha.client("mentor").get(link).status_code == 404
    assert alpha.client().get(link).status_code == 302  # to sign in
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        assert alpha.client("mentee").get(link).status_code == 404


def test_link_of_another_organization_opens_nothing(alpha, beta, history, mentee):
    connection.set_tenant(alpha.organization)
    export = exports.data_export_request(user=mentee)
    exports.data_export_build(export_id=export.pk, now=timezone.now())
    export.refresh_from_db()
    link = exports.data_export_path(export)
    # the same path on beta's host, signed in as beta's mentee (ids may coincide)
    assert beta.client("mentee").get(link).status_code == 404


def test_expired_files_are_deleted(alpha, history, mentee):
    export = exports.data_export_request(user=mentee)
    exports.data_export_build(export_id=export.pk, now=timezone.now())
    export.refresh_from_db()
    storage, name = export.file.storage, export.file.name
    assert storage.exists(name)
    later = timezone.now() + datetime.timedelta(days=exports.LINK_DAYS, seconds=1)
    assert exports.data_exports_expire(now=later) == 1
    assert not storage.exists(name)


def test_my_data_page(alpha, mentee, django_assert_max_num_queries):
    client = alpha.client("mentee")
    for _ in range(3):
        exports.data_export_request(user=mentee)
    with django_assert_max_num_queries(12):
        response = client.get("/privacy/")
    assert response.status_code == 200
    assert b"Prepare my data" in response.content
