"""Audit entries and consent records are append-only, enforced by PostgreSQL.

A trigger refuses every DELETE and UPDATE on ``auditlog_logentry`` and
``audit_consentrecord``, with two exceptions:

- the account FK going to NULL and nothing else (Django's ``on_delete=SET_NULL`` when
  an account is deleted; the entry keeps ``actor_email``);
- inside a transaction that set ``mentorship.audit_redaction`` (only the erasure
  service, through ``audit.services.redaction``), changes to the text columns that
  may carry a person's name or email — never to who, what, when or which object.

The function lives in ``public`` so every schema's trigger (and the template clones,
which copy triggers) calls the same one; each schema's migration re-creates it.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION public.mentorship_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    account_column text := TG_ARGV[0];
    text_columns text[] := TG_ARGV[1]::text[];
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF (to_jsonb(NEW) - account_column) = (to_jsonb(OLD) - account_column)
           AND to_jsonb(NEW) -> account_column = 'null'::jsonb THEN
            RETURN NEW;
        END IF;
        IF current_setting('mentorship.audit_redaction', true) = 'on'
           AND (to_jsonb(NEW) - text_columns) = (to_jsonb(OLD) - text_columns) THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""

TRIGGERS = """
CREATE TRIGGER auditlog_logentry_append_only
    BEFORE UPDATE OR DELETE ON auditlog_logentry
    FOR EACH ROW EXECUTE FUNCTION public.mentorship_append_only(
        'actor_id',
        '{object_repr,serialized_data,changes_text,changes,additional_data,actor_email}'
    );
CREATE TRIGGER audit_consentrecord_append_only
    BEFORE UPDATE OR DELETE ON audit_consentrecord
    FOR EACH ROW EXECUTE FUNCTION public.mentorship_append_only('user_id', '{details}');
"""

DROP = """
DROP TRIGGER IF EXISTS auditlog_logentry_append_only ON auditlog_logentry;
DROP TRIGGER IF EXISTS audit_consentrecord_append_only ON audit_consentrecord;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_consent_records"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunSQL(FUNCTION + TRIGGERS, DROP)]
