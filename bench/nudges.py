"""Benchmark the outbox tick and delivery: 50 organizations x 2,000 people with a due nudge.

Run from the repository root with the dev database and Redis reachable:

    .venv/bin/python bench/nudges.py [--tenants 50] [--people 2000] [--sample 5000]

1. Creates the organizations (clones of the template), bulk-inserts people spread over
   six time zones and one due digest item each (no quiet hours, so that all of them
   may go out now).
2. Times one full beat tick: in every organization, claim what is due (bundling each
   person's items into one digest email) and enqueue the deliveries, as the dispatch
   task does. The target is < 15 s for 100,000 people.
3. Delivers a sample (default 5,000 of the digests) with a real worker (`-c 2`) to a
   local SMTP sink and reports messages per second (delivering all 100,000 at that
   rate would take minutes; the sample is stated in the table).
4. Counts duplicates at the sink (by recipient and X-Notification-Key) and in the
   table (digests per person); both must be 0. Drops the organizations at the end.

Prints a table, then, as the LAST line, one JSON object.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

from mentorship.accounts.models import User  # noqa: E402
from mentorship.celery import app  # noqa: E402
from mentorship.notifications import services, tasks  # noqa: E402
from mentorship.notifications.models import Notification  # noqa: E402
from mentorship.organizations.models import Organization  # noqa: E402
from mentorship.organizations.services import (  # noqa: E402
    org_create,
    platform_ensure,
    template_missing_migrations,
)

ZONES = [
    "Pacific/Auckland",
    "Asia/Kolkata",
    "Asia/Ho_Chi_Minh",
    "Europe/Warsaw",
    "America/Chicago",
    "America/St_Johns",
]
SLUG = "nbench"


class Sink:
    def __init__(self) -> None:
        self.received: Counter = Counter()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        key = None
        for line in envelope.content.split(b"\r\n"):
            if line.startswith(b"X-Notification-Key:"):
                key = line.split(b":", 1)[1].strip().decode()
                break
        with self.lock:
            self.received[(envelope.rcpt_tos[0], key)] += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_migrated() -> None:
    """A fresh database is migrated first; so is one whose template lags the code."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('public.organizations_organization')")
        if cursor.fetchone()[0] is None:
            call_command("migrate_schemas", "--shared", verbosity=0)
    platform_ensure()
    if template_missing_migrations():
        print("Migrating the database first (migrate_schemas) ...", flush=True)
        call_command("migrate_schemas", verbosity=0)


def setup(tenants: int, people: int) -> list[str]:
    ensure_migrated()
    drop_bench_tenants()
    schemas = []
    started = time.perf_counter()
    for index in range(tenants):
        created = org_create(slug=f"{SLUG}-{index:02d}", name=f"Nudge bench {index}")
        schemas.append(created.organization.schema_name)
    print(f"created {tenants} organizations in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    due = timezone.now() - timedelta(minutes=1)
    for index, schema in enumerate(schemas):
        with schema_context(schema):
            users = User.objects.bulk_create(
                [
                    User(
                        email=f"person{n}@{SLUG}{index}.example",
                        password="!",  # noqa: S106  (an unusable password)
                        time_zone=ZONES[n % len(ZONES)],
                        # No quiet hours: due "now" must not wait for anyone's morning.
                        quiet_start=None,
                        quiet_end=None,
                    )
                    for n in range(people)
                ],
                batch_size=2000,
            )
            Notification.objects.bulk_create(
                [
                    Notification(
                        recipient=user,
                        kind="nudge",
                        channel=Notification.Channel.DIGEST,
                        dedupe_key=f"nudge:{user.pk}:log-a-meeting",
                        subject="Log your last meeting",
                        body="It takes a minute and helps your mentor plan the next.",
                        link="/meetings/",
                        due_at=due,
                        digest_days="01234",
                    )
                    for user in users
                ],
                batch_size=2000,
            )
    print(
        f"inserted {tenants * people:,} people + nudges in {time.perf_counter() - started:.1f} s"
    )
    return schemas


def drop_bench_tenants() -> None:
    connection.set_schema_to_public()
    for organization in Organization.objects.filter(
        schema_name__startswith=f"org_{SLUG}_"
    ):
        organization.delete(force_drop=True)


def tick(schemas: list[str], queue: str) -> tuple[float, int, int]:
    """One beat tick over every organization, as the dispatch task runs it."""
    app.conf.task_default_queue = queue
    claimed = messages = 0
    started = time.perf_counter()
    for schema in schemas:
        with schema_context(schema):
            result = services.notifications_dispatch_due(
                now=timezone.now(), queue_is_idle=True
            )
            claimed += result.claimed
            messages += tasks.deliveries_enqueue(result.to_enqueue)
    return time.perf_counter() - started, claimed, messages


def deliver_sample(
    schemas: list[str], queue: str, sample: int, port: int
) -> tuple[float, list[tuple[str, list[int]]]]:
    picked: list[tuple[str, list[int]]] = []
    remaining = sample
    for schema in schemas:
        if remaining <= 0:
            break
        with schema_context(schema):
            ids = list(
                Notification.objects.filter(status=Notification.Status.QUEUED)
                .order_by("id")
                .values_list("id", flat=True)[:remaining]
            )
        picked.append((schema, ids))
        remaining -= len(ids)
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "DEBUG": "true",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "CELERY_SKIP_CHECKS": "1",
    }
    log = Path(f"/tmp/{queue}.log")  # noqa: S108
    with log.open("w") as out:
        worker = subprocess.Popen(
            [
                str(REPO / ".venv/bin/celery"),
                "-A",
                "mentorship",
                "worker",
                "-c",
                "2",
                "--prefetch-multiplier",
                "1",
                "-Q",
                queue,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "WARNING",
            ],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        time.sleep(1)
        started = time.perf_counter()
        for schema, ids in picked:
            with schema_context(schema):
                tasks.deliveries_enqueue(ids)
        while sent_count(picked) < sample:
            if worker.poll() is not None:
                raise SystemExit(f"worker died, see {log}")
            if time.perf_counter() - started > 900:
                raise SystemExit("delivery did not finish in 15 minutes")
            time.sleep(0.5)
        return time.perf_counter() - started, picked
    finally:
        os.killpg(worker.pid, 15)
        worker.wait(timeout=60)


def sent_count(picked: list[tuple[str, list[int]]]) -> int:
    total = 0
    for schema, ids in picked:
        with schema_context(schema):
            total += Notification.objects.filter(
                id__in=ids, status=Notification.Status.SENT
            ).count()
    return total


def digests_per_person_duplicates(schemas: list[str]) -> int:
    duplicates = 0
    for schema in schemas:
        with schema_context(schema):
            per_person = Counter(
                Notification.objects.filter(kind=services.DIGEST_KIND).values_list(
                    "recipient_id", flat=True
                )
            )
            duplicates += sum(n - 1 for n in per_person.values() if n > 1)
    return duplicates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=50)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--sample", type=int, default=5000)
    args = parser.parse_args()
    queue = f"nudges-bench-{uuid.uuid4().hex[:6]}"
    broker = redis.Redis.from_url(settings.REDIS_URL)
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd: a line per step
    handler, port = Sink(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        schemas = setup(args.tenants, args.people)
        tick_s, claimed, messages = tick(schemas, queue)
        print(f"tick: {tick_s:.2f} s for {claimed:,} digests", flush=True)
        second_tick_s, second_claimed, _ = tick(schemas, queue)
        broker.delete(queue)  # the sample below is delivered from a fresh queue
        deliver_s, picked = deliver_sample(schemas, queue, args.sample, port)
        delivered = sum(len(ids) for _, ids in picked)
        sink_duplicates = sum(n - 1 for n in handler.received.values())
        table_duplicates = digests_per_person_duplicates(schemas)
    finally:
        broker.delete(queue)
        drop_bench_tenants()
        controller.stop()
    people = args.tenants * args.people
    rows = [
        (
            "people (organizations x people)",
            f"{people:,} ({args.tenants} x {args.people:,})",
        ),
        ("tick: claim + bundle + enqueue", f"{tick_s:.2f} s"),
        (
            "  digests claimed / messages sent",
            f"{claimed:,} / {messages:,} (batches of {settings.NOTIFICATION_DELIVERY_BATCH_SIZE})",
        ),
        ("  people per second in the tick", f"{people / tick_s:,.0f}"),
        (
            "second tick (nothing due)",
            f"{second_tick_s:.2f} s, {second_claimed} claimed",
        ),
        (
            "delivered sample (worker -c 2, SMTP sink)",
            f"{delivered:,} in {deliver_s:.1f} s",
        ),
        ("  notifications per second", f"{delivered / deliver_s:,.1f}"),
        (
            "duplicates at the sink / in the table",
            f"{sink_duplicates} / {table_duplicates}",
        ),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print(
        json.dumps(
            {
                "people": people,
                "tick_s": round(tick_s, 2),
                "deliver_per_s": round(delivered / deliver_s, 1),
                "delivered_sample": delivered,
                "duplicates": sink_duplicates + table_duplicates,
            }
        )
    )


if __name__ == "__main__":
    main()
