from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "mentorship.audit"
    label = "audit"
    verbose_name = "Audit log and consents"
    default_auto_field = "django.db.models.BigAutoField"
