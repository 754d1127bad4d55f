from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "mentorship.audit"
    label = "audit"
    verbose_name = "Audit log and consents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from import_export import signals as import_export_signals

        from mentorship.audit import receivers

        # The admin's bulk imports and exports (django-import-export).
        import_export_signals.post_import.connect(
            receivers.admin_import_recorded, dispatch_uid="audit_admin_import"
        )
        import_export_signals.post_export.connect(
            receivers.admin_export_recorded, dispatch_uid="audit_admin_export"
        )
