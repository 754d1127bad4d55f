"""django-import-export resources for the admin (HR admins' bulk tool).

Every export neutralises spreadsheet formulas with ``mentorship.spreadsheets.neutralise``
(the one neutraliser of every export): a text cell starting with = + - @, a tab or a
carriage return, after leading spaces, is prefixed with ' (more than the library's own
option, which only strips a leading "="). Admin imports run in one transaction and refuse
formula-looking cells, like the dashboard import.
"""

from __future__ import annotations

from import_export import fields, resources, widgets

from mentorship.accounts.models import User
from mentorship.accounts.services import user_create
from mentorship.spreadsheets import is_formula_like, neutralise
from programs.models import Enrollment, Participant, Program


class SafeModelResource(resources.ModelResource):
    def export_field(self, field, instance, **kwargs):
        return neutralise(super().export_field(field, instance, **kwargs))

    def before_import_row(self, row, **kwargs):
        for column, value in row.items():
            if isinstance(value, str) and is_formula_like(value):
                raise ValueError(
                    f"{column}: cells that look like formulas are refused ({value[:20]!r})."
                )


def _list_field(attribute: str) -> fields.Field:
    return fields.Field(
        attribute=attribute,
        column_name=attribute,
        widget=widgets.SimpleArrayWidget(separator=";"),
    )


class ParticipantResource(SafeModelResource):
    """Profiles keyed by the person's email. Also the HR staff list: everyone in the
    organization with their HR dates (retention and promotion reports compare
    participants with everyone else). A person without an account gets one, with no
    password and no invitation; program imports are what invite people."""

    email = fields.Field(
        attribute="user",
        column_name="email",
        widget=widgets.ForeignKeyWidget(User, field="email"),
    )
    full_name = fields.Field(
        attribute="user__full_name", column_name="full_name", readonly=True
    )
    time_zone = fields.Field(
        attribute="user__time_zone", column_name="time_zone", readonly=True
    )
    manager_email = fields.Field(
        attribute="manager",
        column_name="manager_email",
        widget=widgets.ForeignKeyWidget(Participant, field="user__email"),
    )
    languages = _list_field("languages")
    skills_offered = _list_field("skills_offered")
    skills_wanted = _list_field("skills_wanted")
    working_days = _list_field("working_days")
    learning_preferences = _list_field("learning_preferences")

    class Meta:
        model = Participant
        import_id_fields = ["email"]
        fields = [
            "email",
            "full_name",
            "time_zone",
            "title",
            "department",
            "seniority",
            "manager_email",
            "country",
            "city",
            "working_hours_start",
            "working_hours_end",
            "working_days",
            "languages",
            "skills_offered",
            "skills_wanted",
            "communication_style",
            "learning_preferences",
            "mentoring_capacity",
            "affiliation",
            "bio",
            "employment_status",
            "hired_on",
            "left_on",
            "grade",
            "last_promoted_on",
        ]
        export_order = fields
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True

    def get_queryset(self):
        return Participant.objects.select_related("user", "manager__user")

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        email = str(row.get("email") or "").strip()
        if email and not User.objects.filter(email__iexact=email).exists():
            user = user_create(
                email=email,
                password=None,
                full_name=str(row.get("full_name") or ""),
            )
            row["email"] = user.email


class ProgramResource(SafeModelResource):
    focus_areas = _list_field("focus_areas")

    class Meta:
        model = Program
        fields = [
            "id",
            "name",
            "kind",
            "status",
            "description",
            "focus_areas",
            "meeting_cadence_days",
            "meeting_length_minutes",
            "confidentiality_agreement",
            "communication_norms",
            "sponsor_name",
            "sponsor_message",
            "enrollment_opens_on",
            "enrollment_closes_on",
            "starts_on",
            "ends_on",
            "mentee_capacity",
        ]
        export_order = fields
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True

    def before_import_row(self, row, **kwargs):
        super().before_import_row(row, **kwargs)
        # The lifecycle moves only through program_transition (it checks readiness).
        row.pop("status", None)


class EnrollmentResource(SafeModelResource):
    """Export only: decisions go through the services (capacity, permissions)."""

    email = fields.Field(attribute="participant__user__email", column_name="email")
    full_name = fields.Field(
        attribute="participant__user__full_name", column_name="full_name"
    )
    program = fields.Field(attribute="program__name", column_name="program")
    decided_by = fields.Field(attribute="decided_by__email", column_name="decided_by")

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "email",
            "full_name",
            "program",
            "role",
            "status",
            "applied_at",
            "agreed_at",
            "decided_by",
            "decided_at",
        ]
        export_order = fields

    def get_queryset(self):
        return Enrollment.objects.select_related(
            "participant__user", "program", "decided_by"
        )
