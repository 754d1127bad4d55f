"""A failure part-way through confirming an import leaves nothing behind.

Planted bug 4 of issue 9: with ``transaction.atomic`` removed from
``participant_import_commit`` the whole suite stayed green. Each test here breaks
the commit at a different step, after earlier steps have written rows, and checks
that every table the import writes is exactly as before.
"""

from __future__ import annotations

from unittest import mock

import pytest
from allauth.account.models import EmailAddress
from django.db import IntegrityError

from mentorship.accounts.models import User
from mentorship.notifications.models import Notification
from programs import services
from programs.models import Enrollment, ImportBatch, Participant
from programs.services import imports
from tests.programs.factories import EnrollingProgramFactory
from tests.programs.importfiles import csv_bytes, people_rows


def _state() -> dict:
    return {
        "users": User.objects.count(),
        "emails": EmailAddress.objects.count(),
        "participants": Participant.objects.count(),
        "enrollments": list(
            Enrollment.objects.order_by("pk").values_list("pk", "status")
        ),
        "notifications": Notification.objects.count(),
        "batches": list(ImportBatch.objects.values_list("pk", "status")),
    }


def _fail_on_call(real, n: int):
    """A wrapper that calls ``real`` and raises on its n-th call (1-based)."""
    calls = {"count": 0}

    def wrapper(*args, **kwargs):
        calls["count"] += 1
        if calls["count"] == n:
            raise IntegrityError(f"injected failure on call {n}")
        return real(*args, **kwargs)

    return wrapper


@pytest.mark.parametrize(
    ("target", "real", "n"),
    [
        # after the users and profiles exist: the enrolments step breaks
        (
            "programs.services.imports._imported_enrollments_invite",
            imports._imported_enrollments_invite,
            1,
        ),
        # the last step: every row of users, profiles and enrolments is written
        (
            "programs.services.imports.notifications_create_bulk",
            imports.notifications_create_bulk,
            1,
        ),
        # row by row: the 3rd profile's insert batch fails (batch size 1)
        (
            "programs.models.Participant.objects.bulk_create",
            None,
            3,
        ),
    ],
    ids=["enrolments", "invitations", "third-profile"],
)
def test_a_failure_mid_import_writes_nothing(alpha, coordinator, target, real, n):
    # given: a clean file of new people and one existing account
    program = EnrollingProgramFactory(coordinators=[coordinator])
    rows = [
        *people_rows(6),
        people_rows(1, start=99, role="mentee")[0]
        | {"email": alpha.user("mentee").email},
    ]
    batch = services.participant_import_preview(
        program=program, by=coordinator, filename="people.csv", content=csv_bytes(rows)
    )
    assert batch.error_count == 0
    before = _state()
    if real is None:
        manager_create = Participant.objects.bulk_create

        def one_at_a_time(objs, batch_size=None, **kwargs):
            created = []
            for obj in objs:
                created += manager_create([obj], **kwargs)
            return created

        patched = _fail_on_call_per_object(one_at_a_time, n)
    else:
        patched = _fail_on_call(real, n)
    # when
    with mock.patch(target, patched), pytest.raises(IntegrityError, match="injected"):
        services.participant_import_commit(batch=batch, by=coordinator)
    # then
    assert _state() == before


def _fail_on_call_per_object(bulk_create, n: int):
    """bulk_create that writes objects one by one and fails on the n-th object."""

    def wrapper(objs, *args, **kwargs):
        objs = list(objs)
        assert len(objs) >= n
        bulk_create(objs[: n - 1], **kwargs)
        raise IntegrityError(f"injected failure on object {n}")

    return wrapper


def test_the_import_still_works_unpatched(alpha, coordinator):
    program = EnrollingProgramFactory(coordinators=[coordinator])
    batch = services.participant_import_preview(
        program=program,
        by=coordinator,
        filename="people.csv",
        content=csv_bytes(people_rows(6)),
    )
    before = _state()
    services.participant_import_commit(batch=batch, by=coordinator)
    after = _state()
    assert after["users"] == before["users"] + 6
    assert after["participants"] == before["participants"] + 6
    assert len(after["enrollments"]) == len(before["enrollments"]) + 6
