"""The outbox: every email and in-app message goes through these functions.

Life of a row (``Notification.status``)::

    scheduled --beat tick claims (due_at <= now)--> queued --deliver claims--> sending --> sent
       |                                              ^   |  transient SMTP error:
       |                                              |   |  back to queued, retried with
       |  in-app: sent at once when claimed           +---+  backoff; the 5th failure -> failed
       |  digest item: bundled into its digest email (an ordinary email row)
    sending older than the timeout --sweeper--> unknown --next sweep--> queued (attempts < 5)
    queued whose message was lost (Redis restart, killed worker) --sweeper--> enqueued again

The table in PostgreSQL is the source of truth; the Redis queue only carries ids.

Idempotency. ``dedupe_key`` is unique and rows are created with INSERT ... ON CONFLICT
DO NOTHING semantics, so producers, beat ticks and retries can't create a message
twice. Every state change is a claim: an UPDATE filtered on the old state that acts
only if it changed exactly one row (``notification_deliver``) or a ``SELECT ... FOR
UPDATE SKIP LOCKED`` (the tick, the sweeper), so two workers or two ticks never send
the same row, and a redelivered message for a row already sent is "skipped".

The crash window. A row is claimed (queued -> sending) before the SMTP call and marked
sent after it. A worker killed in between leaves the row ``sending``: it may or may
not have gone out, and nothing can tell. After ``NOTIFICATION_SENDING_TIMEOUT_SECONDS``
the sweeper marks it ``unknown`` (``lost_count`` + 1, a note in ``last_error``, visible in
the admin's dead-letter filter) and, on the following sweep, queues it again while
attempts remain (``NOTIFICATION_MAX_ATTEMPTS`` = 5, counting every claim). So a crash
never loses a message; it can repeat at most the messages in flight at that moment
(worker concurrency x crashes), and a message that kills its worker every time stops
after 5 tries, staying ``unknown`` for a person to look at. For reminders a rare repeat
is the lesser harm. Rows that are ``queued`` but whose Celery message vanished are
enqueued again once they are ``NOTIFICATION_REQUEUE_AFTER_SECONDS`` old and the broker
queue is idle (``..._BUSY_SECONDS`` when it is not, so a long backlog isn't doubled);
the extra message for a row that was not lost is "skipped" by the claim.

Digests. Nudges not tied to a meeting are created with ``channel="digest"``: a row
``scheduled`` at the person's next digest instant (local digest hour on a working
day, never in quiet hours; ``digest_due_at``). When the tick claims such items it
bundles each person's due items into ONE email row per local date, dedupe key
``digest:<user id>:<local date>``, created ``queued`` on the spot; the items become
``bundled`` and point at it. The digest's body is built from its items when it is
sent, so an item that arrives while the digest is still queued rides along; one that
arrives after the day's digest left moves to the next digest. A digest that is late
(an outage) and would now land in quiet hours waits for their end.

Kinds. A kind is named in lower-case words joined by hyphens (``meeting-proposed``,
``match-accepted``), like the dedupe keys built from it.

Preferences. A kind the person muted, or any email when ``email_enabled`` is off,
becomes an in-app message instead (it shows under the bell, it never interrupts). An
email whose person turned it off (or left) after it was created is cancelled at send.

Cancelling. A producer that no longer wants a scheduled message (a meeting moved or
cancelled, a nudge made moot) cancels it by key prefix with
``notifications_cancel_scheduled``; a row the tick already claimed goes out anyway.

Delivery messages. The tick enqueues ids in batches (``NOTIFICATION_DELIVERY_BATCH_SIZE``,
one SMTP session per batch, pipelined publishing: 100,000 people in ~9 s, see
bench/nudges.py); every row is still claimed on its own, so a killed batch repeats at
most the row it was sending. A row that fails for a passing reason is retried alone by
``notification_deliver_task`` with exponential backoff. A message due now created by
``notification_create`` is enqueued on commit, in the schema it was created in
(``mentorship.celery.enqueue_on_commit``).
"""

from mentorship.notifications.models import DIGEST_KIND
from mentorship.notifications.services.cancelling import (
    notifications_cancel_scheduled,
    notifications_delete,
    notifications_record_sent,
)
from mentorship.notifications.services.creating import (
    NotificationSpec,
    digest_due_at,
    notification_create,
    notification_retry,
    notifications_create_bulk,
    notifications_mark_read,
)
from mentorship.notifications.services.delivering import (
    BatchResult,
    notification_deliver,
    notifications_deliver_batch,
)
from mentorship.notifications.services.dispatching import (
    DispatchResult,
    SweepResult,
    notifications_claim_due,
    notifications_dispatch_due,
    notifications_sweep,
)

__all__ = [
    "DIGEST_KIND",
    "BatchResult",
    "DispatchResult",
    "NotificationSpec",
    "SweepResult",
    "digest_due_at",
    "notification_create",
    "notification_deliver",
    "notification_retry",
    "notifications_cancel_scheduled",
    "notifications_claim_due",
    "notifications_create_bulk",
    "notifications_delete",
    "notifications_deliver_batch",
    "notifications_dispatch_due",
    "notifications_mark_read",
    "notifications_record_sent",
    "notifications_sweep",
]
