"""Notification kinds are hyphenated; migration 0004 renames the old underscored ones."""

import importlib
from types import SimpleNamespace

from django.apps import apps
from django.db import connection

from mentorship.accounts import preferences
from mentorship.notifications.models import Notification
from tests.notifications.factories import make_notification, make_user

migration = importlib.import_module(
    "mentorship.notifications.migrations.0004_hyphenated_kinds"
)


def _run(function):
    function(apps, SimpleNamespace(connection=connection))


def test_old_kinds_keys_and_mutes_are_renamed_and_restored(alpha):
    # given: rows and mutes under the old names, beside ones that must not change
    person = make_user(muted_kinds=["meeting-reminder", "match_proposed"])
    other = make_user(muted_kinds=["reminder"])
    proposed = make_notification(
        recipient=person, kind="match_proposed", dedupe_key="match_proposed:7:1"
    )
    link = make_notification(
        recipient=person,
        kind="password_reset_link",
        dedupe_key="password_reset_link:1:99",
    )
    meeting = make_notification(
        recipient=person, kind="meeting-proposed", dedupe_key="meeting-proposed:3:1"
    )
    # when
    _run(migration.rename_kinds)
    # then: old values in, new values out; the rest untouched
    rows = {
        row.pk: (row.kind, row.dedupe_key)
        for row in Notification.objects.filter(recipient=person)
    }
    assert rows == {
        proposed.pk: ("match-proposed", "match-proposed:7:1"),
        link.pk: ("password-reset-link", "password-reset-link:1:99"),
        meeting.pk: ("meeting-proposed", "meeting-proposed:3:1"),
    }
    person.refresh_from_db()
    other.refresh_from_db()
    assert person.muted_kinds == ["match-proposed", "meeting-reminder"]
    assert other.muted_kinds == ["reminder"]
    # and: the reverse gives the old names back
    _run(migration.restore_kinds)
    proposed.refresh_from_db()
    person.refresh_from_db()
    assert (proposed.kind, proposed.dedupe_key) == (
        "match_proposed",
        "match_proposed:7:1",
    )
    assert person.muted_kinds == ["match_proposed", "meeting-reminder"]


def test_every_known_kind_is_hyphenated():
    assert not [kind for kind in preferences.KIND_LABELS if "_" in kind]
    assert not [kind for kind in preferences.STAFF_KINDS if "_" in kind]
    assert not [new for new in migration.RENAMED.values() if "_" in new]


def test_unsubscribe_link_from_an_old_email_mutes_the_renamed_kind(alpha):
    person = make_user()
    assert preferences.user_kind_mute(user=person, kind="match_proposed")
    person.refresh_from_db()
    assert person.muted_kinds == ["match-proposed"]
    assert preferences.kind_label("match_proposed") == "A match is proposed to you"
