"""The audit log: append-only in the database, model changes logged by
django-auditlog per organization schema, other actions by ``record``."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.db import DatabaseError, connection, transaction

from mentorship.audit.models import ConsentRecord
from mentorship.audit.services import consent_record, record, redaction


def test_record_writes_who_what_when(alpha, hr_admin, mentee):
    # when
    entry = record(
        action="export.downloaded", target=mentee, actor=hr_admin, details={"rows": 3}
    )
    # then
    entry.refresh_from_db()
    assert entry.actor == hr_admin
    assert entry.actor_email == hr_admin.email
    assert entry.additional_data == {"action": "export.downloaded", "rows": 3}
    assert entry.object_id == mentee.pk
    assert entry.timestamp is not None


def test_record_refuses_unknown_action(alpha, mentee):
    with pytest.raises(ValueError, match="Unknown audit action"):
        record(action="made.up", target=mentee)


def test_entries_cannot_be_changed_or_deleted_in_the_database(alpha, hr_admin, mentee):
    # given: an entry in a cloned organization schema (the trigger came with it)
    entry = record(action="export.downloaded", target=mentee, actor=hr_admin)
    # when / then
    for statement in (
        "UPDATE auditlog_logentry SET object_repr = 'x' WHERE id = %s",
        "UPDATE auditlog_logentry SET timestamp = now() WHERE id = %s",
        "DELETE FROM auditlog_logentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [entry.pk])
    assert LogEntry.objects.filter(pk=entry.pk, object_repr=entry.object_repr).exists()


def test_redaction_may_replace_text_but_not_who_or_when(alpha, hr_admin, mentee):
    entry = record(action="export.downloaded", target=mentee, actor=hr_admin)
    with redaction():
        LogEntry.objects.filter(pk=entry.pk).update(object_repr="Former participant")
    assert LogEntry.objects.get(pk=entry.pk).object_repr == "Former participant"
    with pytest.raises(DatabaseError, match="append-only"), redaction():
        LogEntry.objects.filter(pk=entry.pk).update(actor=None, object_repr="y")


def test_deleting_an_account_keeps_its_entries(alpha, hr_admin, mentee):
    # given
    from mentorship.accounts.services import user_create

    temp = user_create(email="temp@alpha.example", password=None)
    entry = record(action="export.downloaded", target=mentee, actor=temp)
    # when
    temp.delete()
    # then
    entry.refresh_from_db()
    assert entry.actor is None
    assert entry.actor_email == "temp@alpha.example"


def test_role_change_is_logged_with_actor_and_address(alpha, hr_admin, mentee):
    # given
    client = alpha.client("hradmin")
    url = f"/admin/accounts/user/{mentee.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and key not in ("password", "groups", "user_permissions")
    }
    data.update(role="coordinator", muted_kinds="[]", groups=[])
    data.update(
        {
            "date_joined_0": mentee.date_joined.date().isoformat(),
            "date_joined_1": "00:00:00",
        }
    )
    # when
    response = client.post(url, data, REMOTE_ADDR="203.0.113.9")
    # then
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = LogEntry.objects.get_for_object(mentee).latest("timestamp")
    assert entry.changes["role"] == ["member", "coordinator"]
    assert entry.actor == hr_admin
    assert entry.remote_addr == "203.0.113.9"


def test_group_permission_change_is_logged(alpha, hr_admin):
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="Auditors")
    group.permissions.add(Permission.objects.get(codename="view_consentrecord"))
    entries = LogEntry.objects.get_for_object(group)
    assert any("permissions" in (entry.changes or {}) for entry in entries)


def test_admin_lists_and_filters_entries(
    alpha, hr_admin, mentee, django_assert_max_num_queries
):
    for _ in range(3):
        record(action="export.downloaded", target=mentee, actor=hr_admin)
    client = alpha.client("hradmin")
    response = client.get("/admin/auditlog/logentry/?what=export.downloaded")
    assert response.status_code == 200
    assert b"Data exported" in response.content
    for _ in range(20):
        record(action="matches.published", target=mentee, actor=hr_admin)
    with django_assert_max_num_queries(16):
        response = client.get("/admin/auditlog/logentry/")
    assert response.status_code == 200
    entry = LogEntry.objects.latest("timestamp")
    assert client.get(f"/admin/auditlog/logentry/{entry.pk}/delete/").status_code == 403


def test_consent_record_keeps_version_and_text(alpha, mentee):
    consent = consent_record(
        user=mentee, kind="program_agreement", subject="program:1", text="Be kind."
    )
    again = consent_record(
        user=mentee, kind="program_agreement", subject="program:2", text="Be kind."
    )
    assert consent.version == again.version
    assert len(consent.version) == 16
    assert consent.text.text == "Be kind."
    assert consent.text_id == again.text_id
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ConsentRecord.objects.filter(pk=consent.pk).delete()
