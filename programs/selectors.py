"""Reads for the dashboard and the portal, with their fetching baked in.

Every listing here runs a fixed number of queries whatever the data size; the
tests assert it (tests/programs/test_program_detail_view.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from mentorship import localtime
from mentorship.accounts.models import User
from mentorship.fields import normalize_text
from mentorship.names import by_name, order_term
from programs.answers import answers_readable
from programs.models import (
    AudienceRole,
    Enrollment,
    ImportBatch,
    Participant,
    Program,
    Resource,
    TrainingCompletion,
    TrainingModule,
    TrainingWaiver,
)

ENROLLMENT_PAGE_SIZE = 50
# ?sort= value -> ORDER BY; a leading "-" on the value reverses it.
ENROLLMENT_SORTS = {
    "name": ("participant__user__full_name", "participant__user__email"),
    "email": ("participant__user__email",),
    "role": ("role", "participant__user__full_name"),
    "status": ("status", "participant__user__full_name"),
    "applied": ("applied_at", "id"),
    "department": ("participant__department", "participant__user__full_name"),
    "seniority": ("participant__seniority", "participant__user__full_name"),
}


def program_is_managed_by(*, program: Program, user: User) -> bool:
    """HR admins manage every program; coordinators the ones they coordinate."""
    if not user.is_authenticated:
        return False
    if user.is_hr_admin:
        return True
    return user.is_coordinator and program.coordinators.filter(pk=user.pk).exists()


def _managed_programs(user: User) -> QuerySet[Program]:
    programs = Program.objects.all()
    if not user.is_hr_admin:
        programs = programs.filter(coordinators=user)
    return programs


# --- The training gate ---------------------------------------------------------------
# A person is matched only once every training module their program requires of
# their role is done, or a coordinator waived it for them (TrainingWaiver).
TRAINING_NOT_COMPLETED = "training not completed"


def training_missing() -> Exists:
    """For ``Enrollment`` querysets: True when a module required of the enrolment's
    role is not done (whether or not it was waived). Use in filter() or annotate()."""
    required = TrainingModule.objects.filter(program=OuterRef("program")).filter(
        Q(required_for_role=OuterRef("role")) | Q(required_for_role=AudienceRole.BOTH)
    )
    done = TrainingCompletion.objects.filter(
        enrollment=OuterRef(OuterRef("pk")), module=OuterRef("pk")
    )
    return Exists(required.filter(~Exists(done)))


def training_blocked() -> Q:
    """For ``Enrollment`` querysets: training missing and not waived, i.e. held
    back by the gate. ``filter(training_blocked())`` or, negated, ``exclude``."""
    waived = TrainingWaiver.objects.filter(enrollment=OuterRef("pk"))
    return Q(training_missing()) & ~Q(Exists(waived))


# Match statuses that hold a mentee's place (matching.models.Match.LIVE). Matches
# point at enrolments, so the reverse lookup below names the relation without
# importing matching (which depends on programs, not the other way).
_PLACE_HOLDING = ("proposed", "accepted", "active")


def training_held_back(enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """The enrolments the gate keeps out of the next matching run: training
    missing, not waived, and not a mentee who already holds a place (the engine
    leaves those out before the gate, as matching_input_build does)."""
    return enrollments.filter(training_blocked()).exclude(
        Q(role="mentee") & Q(mentee_matches__status__in=_PLACE_HOLDING)
    )


def training_blocked_counts(*, program_ids: list[int]) -> dict[int, int]:
    """Approved people held back by the training gate (``training_held_back``),
    per program id (programs with none are absent): 1 query at any size. For the
    coordinator's home."""
    if not program_ids:
        return {}
    rows = (
        training_held_back(
            Enrollment.objects.filter(
                program_id__in=list(program_ids), status=Enrollment.Status.APPROVED
            )
        )
        .values("program_id")
        .annotate(count=Count("id"))
        .order_by()
        .values_list("program_id", "count")
    )
    return dict(rows)


def training_progress_annotate(
    enrollments: QuerySet[Enrollment],
) -> QuerySet[Enrollment]:
    """Add ``training_required``, ``training_done`` (modules of the enrolment's
    role) and ``training_waived`` to each row: subqueries, no extra query."""
    modules = TrainingModule.objects.filter(program=OuterRef("program")).filter(
        Q(required_for_role=OuterRef("role")) | Q(required_for_role=AudienceRole.BOTH)
    )
    done = TrainingCompletion.objects.filter(
        Q(module__required_for_role=OuterRef("role"))
        | Q(module__required_for_role=AudienceRole.BOTH),
        enrollment=OuterRef("pk"),
        module__program=OuterRef("program"),
    )

    def count(queryset) -> Coalesce:
        # COUNT(*) of the correlated rows: a scalar subquery without GROUP BY.
        counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT"))
        return Coalesce(Subquery(counted.values("n")), 0, output_field=IntegerField())

    return enrollments.annotate(
        training_required=count(modules),
        training_done=count(done),
        training_waived=Exists(
            TrainingWaiver.objects.filter(enrollment=OuterRef("pk"))
        ),
    )


def training_label(*, required: int, done: int, waived: bool) -> str:
    """'Done', 'Waived', '1 of 2 done' or '' (nothing required) for one person."""
    if not required:
        return ""
    if done >= required:
        return "Done"
    if waived:
        return "Waived"
    return f"{done} of {required} done"


def program_list_for_coordinator(*, user: User) -> QuerySet[Program]:
    """The dashboard list: one query, counts as annotations."""
    return _managed_programs(user).annotate(
        applied_count=Count("enrollments", filter=Q(enrollments__status="applied")),
        approved_count=Count("enrollments", filter=Q(enrollments__status="approved")),
        waitlisted_count=Count(
            "enrollments", filter=Q(enrollments__status="waitlisted")
        ),
        mentor_count=Count(
            "enrollments",
            filter=Q(enrollments__status="approved", enrollments__role="mentor"),
        ),
        mentee_count=Count(
            "enrollments",
            filter=Q(enrollments__status="approved", enrollments__role="mentee"),
        ),
    )


def program_get_for_coordinator(*, user: User, program_id: int) -> Program:
    """The program if the viewer manages it; 404 otherwise (no existence oracle)."""
    program = _managed_programs(user).filter(pk=program_id).first()
    if program is None:
        raise Http404("No such program.")
    return program


def program_get_for_editing(*, user: User, program_id: int) -> Program:
    program = program_get_for_coordinator(user=user, program_id=program_id)
    return (
        Program.objects.prefetch_related(
            "objectives", "questions", "training_modules", "coordinators"
        )
        .filter(pk=program.pk)
        .get()
    )


@dataclass(frozen=True)
class ProgramCounts:
    invited: int = 0
    applied: int = 0
    approved: int = 0
    waitlisted: int = 0
    declined: int = 0
    withdrawn: int = 0
    completed: int = 0
    mentors: int = 0
    mentees: int = 0

    @property
    def total(self) -> int:
        return (
            self.invited
            + self.applied
            + self.approved
            + self.waitlisted
            + self.declined
            + self.withdrawn
            + self.completed
        )


def program_counts(*, program: Program) -> ProgramCounts:
    """Enrolment counts by status, and approved mentors/mentees: one query."""
    aggregates = {
        status: Count("id", filter=Q(status=status))
        for status in Enrollment.Status.values
    }
    aggregates["mentors"] = Count("id", filter=Q(status="approved", role="mentor"))
    aggregates["mentees"] = Count("id", filter=Q(status="approved", role="mentee"))
    return ProgramCounts(
        **Enrollment.objects.filter(program=program).aggregate(**aggregates)
    )


@dataclass
class EnrollmentFilters:
    status: str = ""
    role: str = ""
    q: str = ""
    sort: str = "name"
    page: int = 1

    @classmethod
    def from_query(cls, query) -> EnrollmentFilters:
        """Unknown values fall back to defaults: a bad link shows the whole table."""
        status = query.get("status", "")
        role = query.get("role", "")
        sort = query.get("sort", "name")
        try:
            page = max(1, min(int(query.get("page", "1")), 100_000))
        except ValueError:
            page = 1
        return cls(
            status=status if status in Enrollment.Status.values else "",
            role=role if role in ("mentor", "mentee") else "",
            # NFC: a name typed decomposed (macOS) finds the stored, composed one.
            q=normalize_text(query.get("q", ""))[:100],
            sort=sort if sort.lstrip("-") in ENROLLMENT_SORTS else "name",
            page=page,
        )

    def query_string(self, **overrides) -> str:
        values = {
            "status": self.status,
            "role": self.role,
            "q": self.q,
            "sort": self.sort,
            "page": self.page,
        }
        values.update(overrides)
        return urlencode(
            {
                key: value
                for key, value in values.items()
                if value and (key, value) not in (("page", 1), ("sort", "name"))
            }
        )


ENROLLMENT_COLUMNS = [
    ("name", "Name"),
    ("email", "Email"),
    ("role", "Role"),
    ("status", "Status"),
    ("applied", "Applied"),
    ("department", "Department"),
    ("seniority", "Seniority"),
]


@dataclass(frozen=True)
class SortColumn:
    key: str
    label: str
    query: str  # the query string that sorts by this column (reversed if current)
    arrow: str  # "↑", "↓" or ""


@dataclass(frozen=True)
class StatusTab:
    status: str
    label: str
    count: int
    query: str
    is_current: bool


@dataclass
class EnrollmentTable:
    page: Page
    filters: EnrollmentFilters
    columns: list[SortColumn] = field(default_factory=list)
    previous_query: str = ""
    next_query: str = ""
    # Whether to show the application answers and training columns.
    has_questions: bool = False
    has_training: bool = False


def enrollment_table(
    *, program: Program, filters: EnrollmentFilters
) -> EnrollmentTable:
    """One page of a program's enrolments: 3 queries (COUNT; the page with
    participant and user joined and training progress as subqueries; the
    program's questions). Each row gets ``readable_answers`` (programs.answers)
    and ``training_text`` ("Done", "Waived", "1 of 2 done" or "")."""
    enrollments = training_progress_annotate(
        Enrollment.objects.filter(program=program).select_related("participant__user")
    )
    if filters.status:
        enrollments = enrollments.filter(status=filters.status)
    if filters.role:
        enrollments = enrollments.filter(role=filters.role)
    if filters.q:
        enrollments = enrollments.filter(
            Q(participant__user__full_name__icontains=filters.q)
            | Q(participant__user__email__icontains=filters.q)
        )
    descending = filters.sort.startswith("-")
    current = filters.sort.lstrip("-")
    enrollments = enrollments.order_by(
        *[order_term(key, descending=descending) for key in ENROLLMENT_SORTS[current]],
        "id",
    )
    page = Paginator(enrollments, ENROLLMENT_PAGE_SIZE).get_page(filters.page)
    page.object_list = list(page.object_list)
    questions = list(program.questions.all())
    for enrollment in page.object_list:
        enrollment.readable_answers = answers_readable(
            questions=questions, answers=enrollment.answers, role=enrollment.role
        )
        enrollment.training_text = training_label(
            required=enrollment.training_required,
            done=enrollment.training_done,
            waived=enrollment.training_waived,
        )
    columns = [
        SortColumn(
            key=key,
            label=label,
            query=filters.query_string(
                sort=f"-{key}" if filters.sort == key else key, page=1
            ),
            arrow=("↓" if descending else "↑") if key == current else "",
        )
        for key, label in ENROLLMENT_COLUMNS
    ]
    return EnrollmentTable(
        page=page,
        filters=filters,
        columns=columns,
        previous_query=filters.query_string(page=page.number - 1)
        if page.has_previous()
        else "",
        next_query=filters.query_string(page=page.number + 1)
        if page.has_next()
        else "",
        has_questions=bool(questions),
        has_training=any(e.training_required for e in page.object_list),
    )


def enrollment_status_tabs(
    *, counts: ProgramCounts, filters: EnrollmentFilters
) -> list[StatusTab]:
    tabs = [
        StatusTab(
            "",
            "All",
            counts.total,
            filters.query_string(status="", page=1),
            not filters.status,
        )
    ]
    for status, label in Enrollment.Status.choices:
        tabs.append(
            StatusTab(
                status,
                label,
                getattr(counts, status),
                filters.query_string(status=status, page=1),
                filters.status == status,
            )
        )
    return tabs


def enrollments_for_decision(
    *, program: Program, enrollment_ids: list[int]
) -> list[Enrollment]:
    """The chosen rows, only from this program (ids from a form are never trusted)."""
    return list(
        Enrollment.objects.filter(program=program, pk__in=enrollment_ids)
        .select_related("program", "participant__user")
        .order_by("id")
    )


def invitation_get_for_participant(*, user: User, enrollment_id: int) -> Enrollment:
    """The viewer's own pending invitation (an imported enrolment); 404 otherwise."""
    enrollment = (
        Enrollment.objects.filter(
            pk=enrollment_id,
            participant__user=user,
            status=Enrollment.Status.INVITED,
        )
        .select_related("program", "participant__user")
        .first()
    )
    if enrollment is None:
        raise Http404("No such invitation.")
    return enrollment


def import_batch_get(*, program: Program, batch_id: int) -> ImportBatch:
    # The uploaded file itself (up to 5 MB) is read only when read again.
    batch = (
        ImportBatch.objects.filter(program=program, pk=batch_id)
        .defer("content")
        .first()
    )
    if batch is None:
        raise Http404("No such import.")
    return batch


def participant_for_user(*, user: User) -> Participant | None:
    return Participant.objects.filter(user=user).select_related("user").first()


def participant_roles(*, user: User) -> frozenset[str]:
    """The roles ("mentor", "mentee") the person holds or is asking for in any
    program (withdrawn and declined enrolments left out): 1 query."""
    return frozenset(
        Enrollment.objects.filter(participant__user=user)
        .exclude(status__in=[Enrollment.Status.WITHDRAWN, Enrollment.Status.DECLINED])
        .values_list("role", flat=True)
        .distinct()
    )


def programs_open_for_enrollment(*, today: datetime.date) -> QuerySet[Program]:
    return (
        Program.objects.filter(
            status=Program.Status.ENROLLING,
            enrollment_opens_on__lte=today,
            enrollment_closes_on__gte=today,
        )
        .prefetch_related("objectives")
        .order_by("enrollment_closes_on", "name")
    )


def enrollment_list_for_participant(
    *, participant: Participant | None
) -> list[Enrollment]:
    if participant is None:
        return []
    return list(
        Enrollment.objects.filter(participant=participant)
        .select_related("program")
        .order_by("-applied_at")
    )


@dataclass(frozen=True)
class TrainingItem:
    enrollment: Enrollment
    module: TrainingModule
    is_done: bool


def training_for_participant(*, participant: Participant | None) -> list[TrainingItem]:
    """Required training of the person's approved enrolments, done or not: 3 queries."""
    if participant is None:
        return []
    enrollments = (
        Enrollment.objects.filter(
            participant=participant, status=Enrollment.Status.APPROVED
        )
        .select_related("program")
        .prefetch_related(
            "program__training_modules",
            Prefetch(
                "training_completions",
                queryset=TrainingCompletion.objects.only("enrollment_id", "module_id"),
            ),
        )
    )
    items = []
    for enrollment in enrollments:
        done = {
            completion.module_id for completion in enrollment.training_completions.all()
        }
        for module in enrollment.program.training_modules.all():
            if module.is_for(enrollment.role):
                items.append(TrainingItem(enrollment, module, module.id in done))
    return items


def _resources_for_role() -> Q:
    """For ``Resource`` querysets joined to an approved enrolment: the resource is
    for everyone or for that enrolment's role."""
    return Q(for_role=AudienceRole.BOTH) | Q(for_role=F("program__enrollments__role"))


def resources_for_participant(*, participant: Participant | None) -> list[Resource]:
    """The libraries of programs the person is approved in, the resources for
    their role there, in each library's order: 1 query."""
    if participant is None:
        return []
    return list(
        # One filter() call: every condition on the same enrolment row.
        Resource.objects.filter(
            _resources_for_role(),
            program__enrollments__participant=participant,
            program__enrollments__status=Enrollment.Status.APPROVED,
        )
        .select_related("program")
        .distinct()
        .order_by("program__name", "program_id", "order", "title", "id")
    )


def resource_get_for_user(*, user: User, resource_id: int) -> Resource:
    """A resource its viewer may open: managers of the program, or its approved
    people in the role it is for."""
    resource = Resource.objects.select_related("program").filter(pk=resource_id).first()
    if resource is None:
        raise Http404("No such resource.")
    roles = (
        [AudienceRole.MENTOR, AudienceRole.MENTEE]
        if resource.for_role == AudienceRole.BOTH
        else [resource.for_role]
    )
    allowed = program_is_managed_by(program=resource.program, user=user) or (
        Enrollment.objects.filter(
            program=resource.program,
            participant__user=user,
            status=Enrollment.Status.APPROVED,
            role__in=roles,
        ).exists()
    )
    if not allowed:
        raise Http404("No such resource.")
    return resource


def coordinator_choices() -> QuerySet[User]:
    return User.objects.filter(
        role__in=[User.Role.COORDINATOR, User.Role.HR_ADMIN], is_active=True
    ).order_by(by_name("full_name"), "email")


def participant_get_for_user(*, user: User) -> Participant:
    participant = participant_for_user(user=user)
    if participant is None:
        raise Http404("No profile yet.")
    return participant


def enrollment_get_for_participant(*, user: User, enrollment_id: int) -> Enrollment:
    enrollment = (
        Enrollment.objects.select_related("program", "participant__user")
        .filter(pk=enrollment_id, participant__user=user)
        .first()
    )
    if enrollment is None:
        raise Http404("No such application.")
    return enrollment


def training_module_get(*, program_id: int, module_id: int) -> TrainingModule:
    module = TrainingModule.objects.filter(pk=module_id, program_id=program_id).first()
    if module is None:
        raise Http404("No such module.")
    return module


def local_now(*, user: User) -> datetime.datetime:
    """Now on the person's wall clock (``localtime.tz``: an unknown zone reads as UTC)."""
    return localtime.wall_clock(user.time_zone, timezone.now())


def working_pattern_of(participant: Participant) -> localtime.WorkingPattern:
    """The person's working hours for ``mentorship.localtime``: their zone (or UTC),
    start and end (an end at or before the start runs overnight), their working
    days (Monday to Friday if none are stored). Needs ``participant.user`` loaded."""
    return localtime.WorkingPattern(
        zone=localtime.zone_name(participant.user.time_zone),
        start=participant.working_hours_start,
        end=participant.working_hours_end,
        days=frozenset(participant.working_days or localtime.WEEKDAYS),
    )


def local_today(*, user: User) -> datetime.date:
    return local_now(user=user).date()


def program_get_open(*, program_id: int) -> Program:
    """A program people may see in the portal: any status but draft."""
    program = (
        Program.objects.exclude(status=Program.Status.DRAFT)
        .prefetch_related("questions", "objectives")
        .filter(pk=program_id)
        .first()
    )
    if program is None:
        raise Http404("No such program.")
    return program
