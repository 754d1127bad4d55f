from datetime import UTC, datetime, time, timedelta

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from mentorship.notifications import services
from mentorship.notifications.models import Notification
from tests.notifications.factories import make_notification, make_user

Status, Channel = Notification.Status, Notification.Channel


def test_claims_due_rows_only(alpha):
    user = make_user()
    now = timezone.now()
    due = make_notification(recipient=user, due_at=now - timedelta(minutes=1))
    later = make_notification(recipient=user, due_at=now + timedelta(minutes=1))
    in_app = make_notification(recipient=user, channel=Channel.IN_APP, due_at=now)
    sent = make_notification(recipient=user, status=Status.SENT, due_at=now)

    assert services.notifications_claim_due(now=now, limit=100) == [due.pk]

    statuses = dict(Notification.objects.values_list("id", "status"))
    assert statuses == {
        due.pk: Status.QUEUED,
        later.pk: Status.SCHEDULED,
        in_app.pk: Status.SENT,
        sent.pk: Status.SENT,
    }
    assert Notification.objects.get(pk=due.pk).claimed_at == now


def test_second_tick_claims_nothing(alpha):
    user = make_user()
    now = timezone.now()
    for _ in range(3):
        make_notification(recipient=user, due_at=now)
    first = services.notifications_claim_due(now=now, limit=100)
    second = services.notifications_claim_due(now=now, limit=100)
    assert (len(first), second) == (3, [])


def test_limit_takes_the_oldest_first(alpha):
    user = make_user()
    now = timezone.now()
    rows = [
        make_notification(recipient=user, due_at=now - timedelta(minutes=m))
        for m in range(5)
    ]
    assert services.notifications_claim_due(now=now, limit=2) == [
        rows[4].pk,
        rows[3].pk,
    ]


def _utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_bundles_a_persons_items_into_one_digest_per_local_date(alpha):
    # given: two people, three due items; Minh's two are for the same local date
    minh = make_user(zone="Asia/Ho_Chi_Minh")
    priya = make_user(zone="Asia/Kolkata")
    now = _utc(2026, 6, 2, 3, 30)
    a = make_notification(
        recipient=minh, channel=Channel.DIGEST, due_at=_utc(2026, 6, 2, 2)
    )
    b = make_notification(
        recipient=minh, channel=Channel.DIGEST, due_at=_utc(2026, 6, 2, 2)
    )
    c = make_notification(recipient=priya, channel=Channel.DIGEST, due_at=now)

    claimed = services.notifications_claim_due(now=now, limit=100)

    digests = Notification.objects.filter(kind=services.DIGEST_KIND)
    assert sorted(claimed) == sorted(digests.values_list("id", flat=True))
    assert sorted(digests.values_list("dedupe_key", flat=True)) == [
        f"digest:{minh.pk}:2026-06-02",
        f"digest:{priya.pk}:2026-06-02",
    ]
    minh_digest = digests.get(recipient=minh)
    assert minh_digest.status == Status.QUEUED
    assert set(minh_digest.items.values_list("id", flat=True)) == {a.pk, b.pk}
    assert set(
        Notification.objects.filter(pk__in=[a.pk, b.pk, c.pk]).values_list(
            "status", flat=True
        )
    ) == {Status.BUNDLED}


def test_item_arriving_after_its_digest_left_moves_to_the_next_one(alpha):
    # given: Monday's digest in Warsaw already sent, a late item for Monday
    user = make_user(zone="Europe/Warsaw", digest_hour=time(9))
    now = _utc(2026, 6, 1, 7, 5)
    make_notification(
        recipient=user,
        kind=services.DIGEST_KIND,
        dedupe_key=f"digest:{user.pk}:2026-06-01",
        status=Status.SENT,
    )
    late = make_notification(
        recipient=user,
        channel=Channel.DIGEST,
        due_at=_utc(2026, 6, 1, 7),
        digest_days="01234",
    )

    assert services.notifications_claim_due(now=now, limit=100) == []

    late.refresh_from_db()
    assert (late.status, late.due_at) == (Status.SCHEDULED, _utc(2026, 6, 2, 7))


@pytest.fixture
def committed_rows(django_db_blocker):
    """Due rows committed in org_alpha (a second connection must see them)."""
    from django_tenants.utils import schema_context

    from mentorship.accounts.models import User

    with django_db_blocker.unblock(), schema_context("org_alpha"):
        user = User.objects.get(email="mentee@alpha.example")
        now = timezone.now()
        rows = [
            Notification.objects.create(
                recipient=user,
                kind="skip-locked",
                dedupe_key=f"skip-locked:{index}",
                subject="s",
                due_at=now - timedelta(minutes=10 - index),
            )
            for index in range(4)
        ]
        yield [row.pk for row in rows]
        Notification.objects.filter(kind="skip-locked").delete()


def test_skips_rows_another_tick_holds(committed_rows):
    from django_tenants.utils import schema_context

    settings = connection.settings_dict
    other = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        password=settings["PASSWORD"] or None,
    )
    try:
        # given: another tick holds the two oldest rows in an open transaction
        other.execute("SET search_path TO org_alpha")
        held = [
            row[0]
            for row in other.execute(
                "SELECT id FROM notifications_notification WHERE kind = 'skip-locked' "
                "ORDER BY due_at LIMIT 2 FOR UPDATE"
            )
        ]
        with schema_context("org_alpha"):
            # when: this tick runs meanwhile, it neither waits nor takes them
            claimed = services.notifications_claim_due(now=timezone.now(), limit=10)
            assert sorted(claimed) == sorted(set(committed_rows) - set(held))
            # then: once the other lets go, the rest can be claimed
            other.rollback()
            again = services.notifications_claim_due(now=timezone.now(), limit=10)
            assert sorted(again) == sorted(held)
    finally:
        other.close()
