"""An ICU collation for people's names (mentorship/names.py), in the public schema
so every organization's schema sees it. Without ICU, a copy of "C" (byte order, as before)."""

from django.db import migrations

CREATE = """
DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace
        WHERE c.collname = 'person_name' AND n.nspname = 'public'
    ) THEN
        IF EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'und-x-icu') THEN
            CREATE COLLATION public.person_name (provider = icu, locale = 'und');
        ELSE
            CREATE COLLATION public.person_name FROM pg_catalog."C";
        END IF;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;  -- another schema's migration made it at the same moment
END
$$;
"""


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_email_unique_case_insensitive"),
    ]

    operations = [
        migrations.RunSQL(CREATE, migrations.RunSQL.noop),
    ]
