"""The HR admin's bulk tool. Decisions and lifecycle moves call the services."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from import_export.admin import ExportActionModelAdmin, ImportExportActionModelAdmin

from mentorship.admin_lookups import ModelAdmin, ShownLookupsOnlyMixin
from programs import services
from programs.admin_resources import (
    EnrollmentResource,
    ParticipantResource,
    ProgramResource,
)
from programs.answers import answers_readable
from programs.models import (
    ApplicationQuestion,
    Enrollment,
    ImportBatch,
    Participant,
    Program,
    ProgramObjective,
    Resource,
    TrainingCompletion,
    TrainingModule,
)


class ObjectiveInline(admin.TabularInline):
    model = ProgramObjective
    extra = 0


class QuestionInline(admin.TabularInline):
    model = ApplicationQuestion
    extra = 0


class TrainingModuleInline(admin.TabularInline):
    model = TrainingModule
    extra = 0


class ResourceInline(admin.TabularInline):
    model = Resource
    extra = 0


def _transition_action(to: str, label: str):
    def action(modeladmin, request, queryset):
        moved = 0
        for program in queryset:
            try:
                services.program_transition(program=program, to=to, by=request.user)
                moved += 1
            except (ValidationError, PermissionDenied) as error:
                messages.error(
                    request,
                    f"{program}: {' '.join(getattr(error, 'messages', [str(error)]))}",
                )
        if moved:
            messages.success(request, f"{label}: {moved} program(s).")

    action.__name__ = f"transition_to_{to}"
    return admin.action(description=label)(action)


@admin.register(Program)
class ProgramAdmin(ShownLookupsOnlyMixin, ImportExportActionModelAdmin):
    resource_classes = [ProgramResource]
    list_display = [
        "name",
        "kind",
        "status",
        "enrollment_opens_on",
        "enrollment_closes_on",
        "starts_on",
        "dashboard_link",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["name", "description", "sponsor_name"]
    filter_horizontal = ["coordinators"]
    readonly_fields = ["status", "created_at", "updated_at"]
    inlines = [ObjectiveInline, QuestionInline, TrainingModuleInline, ResourceInline]
    actions = [
        _transition_action("enrolling", "Open enrolment"),
        _transition_action("matching", "Close enrolment, start matching"),
        _transition_action("active", "Start the program"),
        "close_program",
    ]

    @admin.action(description="Close the program (asks for confirmation)")
    def close_program(self, request, queryset):
        """Closing completes matches and enrolments and sends closing surveys, so it
        goes through the dashboard's confirmation page (served by reporting, which
        this layer can't import) rather than a bare status change."""
        programs = list(queryset[:2])
        if len(programs) != 1:
            messages.error(
                request, "Select one program to close: closing asks for confirmation."
            )
            return None
        return HttpResponseRedirect(
            reverse("reporting:program-close", args=[programs[0].pk])
        )

    @admin.display(description="Dashboard")
    def dashboard_link(self, program: Program) -> str:
        url = reverse("programs:program-detail", args=[program.pk])
        return format_html('<a href="{}">Open</a>', url)


@admin.register(Participant)
class ParticipantAdmin(ShownLookupsOnlyMixin, ImportExportActionModelAdmin):
    resource_classes = [ParticipantResource]
    list_display = [
        "user",
        "title",
        "department",
        "seniority",
        "country",
        "city",
        "mentoring_capacity",
        "affiliation",
        "employment_status",
    ]
    list_filter = [
        "seniority",
        "country",
        "department",
        "communication_style",
        "employment_status",
    ]
    search_fields = [
        "user__email",
        "user__full_name",
        "title",
        "department",
        "affiliation",
    ]
    list_select_related = ["user"]
    raw_id_fields = ["user", "manager"]


def _decision_action(decision: str, label: str):
    def action(modeladmin, request, queryset):
        try:
            result = services.enrollment_bulk_decide(
                enrollments=list(queryset), decision=decision, by=request.user
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, f"{label}: {len(result.decided)} enrolment(s).")
            for row in result.skipped:
                messages.warning(
                    request, f"Not {row.enrollment.participant.user}: {row.reason}."
                )

    action.__name__ = f"{decision}_selected"
    return admin.action(description=f"{label} selected enrolments")(action)


@admin.register(Enrollment)
class EnrollmentAdmin(ShownLookupsOnlyMixin, ExportActionModelAdmin):
    resource_classes = [EnrollmentResource]
    list_display = [
        "participant",
        "program",
        "role",
        "status",
        "applied_at",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["program", "role", "status"]
    search_fields = [
        "participant__user__email",
        "participant__user__full_name",
        "program__name",
    ]
    list_select_related = ["participant__user", "program", "decided_by"]
    raw_id_fields = ["participant", "program"]
    # The stored answers are JSON keyed by question id: shown with their questions.
    exclude = ["answers"]
    readonly_fields = [
        "status",
        "applied_at",
        "decided_by",
        "decided_at",
        "agreed_at",
        "application_answers",
    ]
    actions = [
        _decision_action("approve", "Approve"),
        _decision_action("waitlist", "Waitlist"),
        _decision_action("decline", "Decline"),
    ]

    @admin.display(description="Application answers")
    def application_answers(self, obj: Enrollment) -> str:
        if obj.pk is None:
            return "—"
        answers = answers_readable(
            questions=obj.program.questions.all(), answers=obj.answers, role=obj.role
        )
        if not answers:
            return "No application questions."
        return format_html(
            "<dl>{}</dl>",
            format_html_join(
                "",
                "<dt><strong>{}</strong></dt><dd>{}</dd>",
                ((a.question, a.text or "(no answer)") for a in answers),
            ),
        )


@admin.register(ProgramObjective)
class ProgramObjectiveAdmin(ModelAdmin):
    list_display = ["text", "program", "measure", "order"]
    list_filter = ["program"]
    search_fields = ["text", "measure"]


@admin.register(ApplicationQuestion)
class ApplicationQuestionAdmin(ModelAdmin):
    list_display = ["text", "program", "kind", "for_role", "required", "order"]
    list_filter = ["program", "kind", "for_role", "required"]
    search_fields = ["text"]


@admin.register(TrainingModule)
class TrainingModuleAdmin(ModelAdmin):
    list_display = ["title", "program", "required_for_role", "url"]
    list_filter = ["program", "required_for_role"]
    search_fields = ["title", "content"]


@admin.register(TrainingCompletion)
class TrainingCompletionAdmin(ModelAdmin):
    list_display = ["module", "enrollment", "completed_at"]
    list_filter = ["module__program", "module"]
    search_fields = ["enrollment__participant__user__email", "module__title"]
    list_select_related = [
        "module",
        "enrollment__participant__user",
        "enrollment__program",
    ]
    raw_id_fields = ["enrollment", "module"]


@admin.register(Resource)
class ResourceAdmin(ModelAdmin):
    list_display = ["title", "program", "url", "document", "created_at"]
    list_filter = ["program"]
    search_fields = ["title", "description"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ModelAdmin):
    """Read-only history of participant imports (made from the dashboard)."""

    list_display = [
        "filename",
        "program",
        "status",
        "row_count",
        "error_count",
        "created_count",
        "updated_count",
        "uploaded_by",
        "created_at",
    ]
    list_filter = ["status", "program"]
    search_fields = ["filename", "uploaded_by__email"]
    readonly_fields = [field.name for field in ImportBatch._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
