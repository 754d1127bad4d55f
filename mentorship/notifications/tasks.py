"""Thin Celery wrappers around the outbox services (the design is in services/__init__.py).

No task carries an ETA beyond a retry's backoff: due times wait in PostgreSQL.
"""

from __future__ import annotations

import random

from django.conf import settings
from django.db import connection
from django.utils import timezone
from kombu.exceptions import ChannelError, KombuError

from mentorship.celery import app
from mentorship.notifications import services
from mentorship.notifications.errors import TransientDeliveryError


def retry_countdown(attempts: int) -> float:
    """Exponential backoff with jitter: about 2, 4, 8, 16 s after attempts 1-4."""
    return min(2.0**attempts, 60.0) * random.uniform(0.75, 1.25)  # noqa: S311


@app.task(
    bind=True,
    name="mentorship.notifications.tasks.notification_deliver_task",
    acks_late=True,
    autoretry_for=(TransientDeliveryError,),
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    # The row's attempts decide when to give up; this only stops a runaway loop.
    max_retries=10,
)
def notification_deliver_task(self, notification_id: int) -> str:
    return services.notification_deliver(notification_id=notification_id)


@app.task(
    name="mentorship.notifications.tasks.notifications_deliver_batch_task",
    acks_late=True,
)
def notifications_deliver_batch_task(notification_ids: list[int]) -> dict[str, int]:
    """Deliver a tick's ids in one message; a transient failure retries that row alone."""
    result = services.notifications_deliver_batch(notification_ids=notification_ids)
    for notification_id, attempts in result.to_retry:
        notification_deliver_task.apply_async(
            (notification_id,), countdown=retry_countdown(attempts)
        )
    return dict(result.outcomes)


@app.task(name="mentorship.notifications.tasks.notifications_dispatch_due_task")
def notifications_dispatch_due_task() -> dict[str, int]:
    """The beat tick for one organization: claim due rows, sweep, enqueue at once."""
    result = services.notifications_dispatch_due(
        now=timezone.now(), queue_is_idle=delivery_queue_is_idle()
    )
    deliveries_enqueue(result.to_enqueue)
    swept = result.swept
    return {
        "claimed": result.claimed,
        "requeued": len(swept.requeued_ids),
        "unknown": swept.marked_unknown,
        "enqueued": len(result.to_enqueue),
    }


def deliveries_enqueue(notification_ids: list[int]) -> int:
    """Send delivery messages for these ids, in batches, pipelined; returns messages sent."""
    schema_name = connection.schema_name  # type: ignore[attr-defined]
    size = settings.NOTIFICATION_DELIVERY_BATCH_SIZE
    chunks = [
        notification_ids[i : i + size] for i in range(0, len(notification_ids), size)
    ]
    if not chunks:
        return 0
    with app.producer_or_acquire() as producer, producer.batch(max_size=500):
        for chunk in chunks:
            notifications_deliver_batch_task.apply_async(
                (chunk,), producer=producer, headers={"_schema_name": schema_name}
            )
    return len(chunks)


def delivery_queue_is_idle() -> bool:
    """Whether no delivery message waits in the broker (so a row queued long ago
    has lost its message rather than waiting behind a backlog)."""
    try:
        with app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1)
            declared = conn.default_channel.queue_declare(
                queue=app.conf.task_default_queue, passive=True
            )
            return declared.message_count == 0
    except (ChannelError, KombuError, OSError):
        # An empty Redis list does not exist, which kombu reports as "no queue".
        return True
