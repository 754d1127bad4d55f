"""One account per email address whatever its capitals, in every organization.

Existing addresses are lower-cased first (new ones are stored so since this
change). Two accounts whose addresses differ only in capitals can't be merged
automatically — they may both hold history — so the migration stops and names
them; an HR admin merges or renames one, then the deploy runs again.
"""

import django.db.models.functions.text
from django.db import migrations, models
from django.db.models.functions import Lower


def lower_case_emails(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    users = User.objects.using(schema_editor.connection.alias)
    clashes = (
        users.annotate(lowered=Lower("email"))
        .values("lowered")
        .annotate(n=models.Count("id"))
        .filter(n__gt=1)
        .values_list("lowered", flat=True)
    )
    clashes = list(clashes[:20])
    if clashes:
        raise RuntimeError(
            f"Schema {getattr(schema_editor.connection, 'schema_name', '?')!r}: these addresses have "
            "more than one account, differing only in capitals: "
            + ", ".join(clashes)
            + ". Merge or rename them, then migrate again."
        )
    users.exclude(email=Lower("email")).update(email=Lower("email"))


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_preferred_name"),
    ]

    operations = [
        migrations.RunPython(lower_case_emails, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                name="user_email_lower_unique",
                violation_error_message="This email address already has an account "
                "here (addresses are the same whatever their capitals).",
            ),
        ),
    ]
