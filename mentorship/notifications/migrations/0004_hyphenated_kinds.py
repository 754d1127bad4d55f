"""One naming style for notification kinds: words joined by hyphens.

The kinds once written with underscores are renamed in the outbox (``kind``, and the
``dedupe_key`` built from it, so a message already sent is not sent again under its
new key) and in the kinds people muted (``User.muted_kinds``).
"""

from django.db import migrations
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr

#: The kinds renamed here, old → new, frozen (this migration never follows the code).
RENAMED = {
    "match_proposed": "match-proposed",
    "match_accepted": "match-accepted",
    "match_active": "match-active",
    "match_declined": "match-declined",
    "match_ended": "match-ended",
    "match_choose": "match-choose",
    "match_reminder": "match-reminder",
    "circle_published": "circle-published",
    "program_invitation": "program-invitation",
    "data_export_ready": "data-export-ready",
    "password_set_by_admin": "password-set-by-admin",
    "password_reset_link": "password-reset-link",
    "authenticator_removed_by_admin": "authenticator-removed-by-admin",
}


def rename_kinds(apps, schema_editor, renamed=RENAMED):
    """Rename each kind in ``renamed`` in the outbox and in people's muted kinds."""
    alias = schema_editor.connection.alias
    notifications = apps.get_model("notifications", "Notification").objects.using(alias)
    for old, new in renamed.items():
        notifications.filter(kind=old).update(kind=new)
        notifications.filter(dedupe_key__startswith=f"{old}:").update(
            dedupe_key=Concat(Value(new), Substr("dedupe_key", len(old) + 1))
        )
    users = apps.get_model("accounts", "User").objects.using(alias)
    muted_old = Q()
    for old in renamed:
        muted_old |= Q(muted_kinds__contains=[old])
    for user in users.filter(muted_old).only("pk", "muted_kinds"):
        user.muted_kinds = sorted(
            {renamed.get(kind, kind) for kind in user.muted_kinds}
        )
        user.save(update_fields=["muted_kinds"])


def restore_kinds(apps, schema_editor):
    """The reverse: the hyphenated kinds get their underscores back."""
    rename_kinds(apps, schema_editor, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_inbox_shown_at"),
        ("accounts", "0004_person_name_collation"),
    ]

    operations = [
        migrations.RunPython(rename_kinds, restore_kinds),
    ]
