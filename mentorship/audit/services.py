"""The audit log's and consent records' writes, callable from every app.

- ``record``: one audit entry for an action that is not a plain model change
  (imports, exports, match publishing, password sets, erasures…). Model changes of
  the models named in settings ``AUDITLOG_INCLUDE_TRACKING_MODELS`` (roles,
  permissions, groups, share links) are logged by django-auditlog itself. Both land
  in ``auditlog.LogEntry``: who (``actor``, ``actor_email``), what, when
  (``timestamp``, UTC), from which address (``remote_addr``, set by
  ``audit.middleware.AuditMiddleware`` for requests).
- ``consent_record``: one consent answer with the version of the text and the time.
- ``redaction``: the only way to change audit rows (the erasure service replaces a
  person's name and email in them; the database trigger refuses anything else).
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from typing import Any

from auditlog.cid import get_cid
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from mentorship.accounts.models import User
from mentorship.audit.models import ConsentRecord, ConsentText

Action = LogEntry.Action

#: Actions recorded through ``record``: name → (label in the admin, LogEntry action).
ACTIONS: dict[str, tuple[str, int]] = {
    "password.set_by_admin": ("Password set by an administrator", Action.UPDATE),
    "password.reset_link_sent": ("Password reset link sent", Action.ACCESS),
    "two_factor.removed_by_admin": (
        "Two-factor removed by an administrator",
        Action.UPDATE,
    ),
    "import.committed": ("People imported", Action.CREATE),
    "export.downloaded": ("Data exported", Action.ACCESS),
    "matches.published": ("Matches published", Action.UPDATE),
    "share_link.revoked": ("Share link revoked", Action.UPDATE),
    "program.closed": ("Program closed", Action.UPDATE),
    "person.erased": ("Personal data erased", Action.DELETE),
    "person.data_exported": ("A person exported their own data", Action.ACCESS),
    "retention.anonymised": ("Anonymised after the retention period", Action.DELETE),
    "retention.changed": ("Retention period changed", Action.UPDATE),
    "membership.added": ("Added to a member organization", Action.CREATE),
    "membership.lead_set": ("Member organization's lead changed", Action.UPDATE),
    "membership.ended": ("Left a member organization", Action.UPDATE),
    "pair.paused": ("Pair paused", Action.CREATE),
    "pair.pause_ended": ("Pair's pause ended early", Action.UPDATE),
}


def action_label(entry: LogEntry) -> str:
    """What an entry says happened, for the admin: the recorded action's label, or
    the model change (``Updated``, ``Created``…)."""
    name = (entry.additional_data or {}).get("action")
    if name in ACTIONS:
        return ACTIONS[name][0]
    return str(entry.get_action_display()).capitalize()


def record(
    *,
    action: str,
    target: models.Model | type[models.Model],
    actor: User | None = None,
    details: dict[str, Any] | None = None,
    message: str = "",
) -> LogEntry:
    """Write one audit entry: ``actor`` did ``action`` (a key of ``ACTIONS``) to
    ``target`` (a row, or a model class for a whole table), now. ``details``: small JSON facts (ids, counts, formats) — never a
    person's name or email, which the entry's object and actor already point to.

    Inside a request the actor (when not given) and the client address come from
    ``AuditMiddleware``; in tasks pass ``actor``. Raises ``ValueError`` for an
    unknown action. Append-only: the row can't be changed or deleted afterwards.
    """
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}.")
    fields: dict[str, Any] = {
        "action": ACTIONS[action][1],
        "changes_text": message,
        "additional_data": {"action": action, **(details or {})},
    }
    if actor is not None and actor.is_authenticated:
        fields.update(actor=actor, actor_email=actor.email)
    if isinstance(target, type):
        return LogEntry.objects.create(
            content_type=ContentType.objects.get_for_model(target),
            object_pk="",
            object_repr=str(target._meta.verbose_name_plural),
            cid=get_cid(),
            **fields,
        )
    return LogEntry.objects.log_create(target, force_log=True, **fields)


def consent_text_version(text: str) -> str:
    """The version of a consent text: the first 16 hex digits of its sha256."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@transaction.atomic
def consent_record(
    *,
    user: User,
    kind: str,
    subject: str,
    decision: str = ConsentRecord.Decision.GIVEN,
    text: str | None = None,
    version: str = "",
    details: dict[str, Any] | None = None,
) -> ConsentRecord:
    """Store one consent answer of ``user``, now (UTC).

    ``kind``: a ``ConsentRecord.Kind`` (``program_agreement``, ``notifications``);
    ``subject``: what it is about (``f"program:{program.pk}"``, ``"notifications"``);
    ``text``: the exact text the person accepted — stored once, and its sha256
    prefix becomes the ``version`` unless a ``version`` label is given; ``details``:
    the choice's parts (``{"email_enabled": False}``). Append-only: a change of mind
    is a new record (``decision="withdrawn"``). Raises ``ValueError`` when neither a
    text nor a version is given.
    """
    text_row = None
    if text is not None:
        digest = hashlib.sha256(text.encode()).hexdigest()
        text_row, _ = ConsentText.objects.get_or_create(
            sha256=digest, defaults={"text": text}
        )
        version = version or digest[:16]
    if not version:
        raise ValueError("A consent needs the text or its version.")
    return ConsentRecord.objects.create(
        user=user,
        kind=kind,
        subject=subject,
        decision=decision,
        version=version,
        text=text_row,
        details=details or {},
        at=timezone.now(),
    )


@contextlib.contextmanager
def redaction() -> Iterator[None]:
    """Inside: the current transaction may replace text in audit rows (the trigger
    still refuses other changes and any DELETE). For the erasure service only."""
    # A setting local to the transaction (and to this savepoint: an error inside
    # rolls it back with everything else); switched off again on the way out.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('mentorship.audit_redaction', 'on', true)"
            )
        yield
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('mentorship.audit_redaction', 'off', true)"
            )
