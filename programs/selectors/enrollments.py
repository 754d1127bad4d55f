"""Enrolments: the program's enrolment table (filters, sorting, status tabs,
one page at a fixed number of queries), rows chosen for a decision, and a
person's own applications and invitations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict, cast
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.http import Http404

from mentorship.accounts.models import User
from mentorship.fields import normalize_text
from mentorship.names import order_term
from programs.answers import Answer, answers_readable
from programs.models import Enrollment, Participant, Program
from programs.selectors.programs import ProgramCounts
from programs.selectors.training import training_label, training_progress_annotate

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

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


class _EnrollmentRowExtras(TypedDict):
    """What an enrolment_table row carries beyond the model: the training
    annotations, then the attributes set per row for the template."""

    training_required: int
    training_done: int
    training_waived: bool
    readable_answers: list[Answer]
    training_text: str


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
    rows = cast(
        "list[WithAnnotations[Enrollment, _EnrollmentRowExtras]]",
        list(page.object_list),
    )
    page.object_list = rows
    questions = list(program.questions.all())
    for enrollment in rows:
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
        has_training=any(e.training_required for e in rows),
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


def enrollment_get_for_participant(*, user: User, enrollment_id: int) -> Enrollment:
    enrollment = (
        Enrollment.objects.select_related("program", "participant__user")
        .filter(pk=enrollment_id, participant__user=user)
        .first()
    )
    if enrollment is None:
        raise Http404("No such application.")
    return enrollment
