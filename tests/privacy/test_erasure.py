"""Erasing a person: no trace of their name or email in any text or JSON column of
the organization's schema or the public schema; the program's metrics unchanged;
their private notes gone, their partner's intact; they can't sign in; audited."""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db import connection

from checkins.models import MeetingLog, PrivateNote, Pulse
from mentorship.accounts.models import User
from privacy.services.erasure import FORMER_NAME, person_erase
from reporting.selectors.impact import program_impact
from tests.conftest import PASSWORD
from tests.privacy.world import MENTEE_PRIVATE, full_history

NOW = datetime.datetime(2026, 11, 30, 12, 0, tzinfo=datetime.UTC)

#: information_schema types scanned: every text, character, array and JSON column.
SCANNED = ("text", "character varying", "character", "json", "jsonb", "ARRAY")


def _scan(schema: str, needles: list[str]) -> list[tuple[str, str, str]]:
    """(table, column, needle) for every text-like column of every table of
    ``schema`` holding one of ``needles`` (case-insensitive): the test's own scan,
    from the catalog, so a table added later is covered without touching this."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.table_name, c.column_name FROM information_schema.columns c "
            "JOIN information_schema.tables t ON t.table_schema = c.table_schema "
            "AND t.table_name = c.table_name "
            "WHERE c.table_schema = %s AND t.table_type = 'BASE TABLE' "
            "AND c.data_type = ANY(%s)",
            [schema, list(SCANNED)],
        )
        found = []
        for table, column in cursor.fetchall():
            for needle in needles:
                cursor.execute(
                    f'SELECT 1 FROM "{schema}"."{table}" '
                    f'WHERE strpos(lower("{column}"::text), lower(%s)) > 0 LIMIT 1',
                    [needle],
                )
                if cursor.fetchone():
                    found.append((table, column, needle))
        return found


@pytest.fixture
def history(alpha, coordinator, mentor, mentee, hr_admin):
    return full_history(
        coordinator=coordinator, mentor=mentor, mentee=mentee, hr_admin=hr_admin
    )


def test_no_trace_of_name_or_email_and_metrics_unchanged(
    alpha, history, mentee, mentor, hr_admin
):
    # given
    needles = [mentee.full_name, mentee.email]
    assert _scan("org_alpha", needles), "the world should mention them first"
    before = program_impact(program=history.program, now=NOW)
    mentor_notes = list(PrivateNote.objects.filter(author=mentor).values_list("body"))
    # when
    person_erase(user=mentee, by=hr_admin)
    # then: nowhere in the organization's schema, nor in public
    assert _scan("org_alpha", needles) == []
    assert _scan("public", needles) == []
    connection.set_tenant(alpha.organization)
    # the numbers are the same
    assert program_impact(program=history.program, now=NOW) == before
    # their private notes are gone, the partner's stay (their name replaced)
    assert not PrivateNote.objects.filter(author=mentee).exists()
    assert not PrivateNote.objects.filter(body__contains=MENTEE_PRIVATE).exists()
    assert PrivateNote.objects.filter(author=mentor).count() == len(mentor_notes)
    assert FORMER_NAME in PrivateNote.objects.get(author=mentor).body
    # rows that metrics count stay; their own text is gone
    assert MeetingLog.objects.filter(author=mentee, happened=True).exists()
    assert MeetingLog.objects.get(author=mentee).shared_notes == ""
    assert Pulse.objects.get(author=mentee).usefulness == 4
    assert Pulse.objects.get(author=mentee).for_coordinator == ""
    assert (
        "Met Former participant" in MeetingLog.objects.get(author=mentor).shared_notes
    )


def test_account_can_no_longer_sign_in(alpha, history, mentee, hr_admin):
    email = mentee.email
    signed_in = alpha.client("mentee")
    person_erase(user=mentee, by=hr_admin)
    user = User.objects.get(pk=mentee.pk)
    assert not user.is_active
    assert not user.has_usable_password()
    assert user.full_name == FORMER_NAME
    response = alpha.client().post(
        "/accounts/login/", {"login": email, "password": PASSWORD}
    )
    assert response.status_code == 200  # the form again, not a redirect in
    assert "_auth_user_id" not in alpha.client().session
    # a session from before is dead
    assert signed_in.get("/profile/").status_code == 302


def test_is_audited_by_id_without_the_name(alpha, history, mentee, hr_admin):
    name, email = mentee.full_name, mentee.email
    person_erase(user=mentee, by=hr_admin)
    entry = LogEntry.objects.get(
        additional_data__action="person.erased", object_id=mentee.pk
    )
    assert entry.actor == hr_admin
    assert entry.object_id == mentee.pk
    assert entry.additional_data["user_id"] == mentee.pk
    text = str(entry.__dict__)
    assert name not in text
    assert email not in text
    # earlier entries about them keep who and when; their name is replaced
    role_entries = LogEntry.objects.get_for_object(mentee).filter(
        changes__has_key="role", action=LogEntry.Action.UPDATE
    )
    assert role_entries.count() == 2
    assert all(entry.object_repr == FORMER_NAME for entry in role_entries)


def test_erasing_twice_records_once(alpha, history, mentee, hr_admin):
    person_erase(user=mentee, by=hr_admin)
    person_erase(user=User.objects.get(pk=mentee.pk), by=hr_admin)
    erased = LogEntry.objects.filter(
        additional_data__action="person.erased", object_id=mentee.pk
    )
    assert erased.count() == 1


def test_cannot_erase_oneself(alpha, hr_admin):
    with pytest.raises(PermissionDenied):
        person_erase(user=hr_admin, by=hr_admin)
