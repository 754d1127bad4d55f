"""The training gate, coordinator side: who finished the program's required
training, marking completions in bulk (training done elsewhere), and waivers.

A person is matched only once every module required of their role is done or a
coordinator waived it for them (``selectors.training_blocked``; matching leaves
the others out with the reason "training not completed"). Reads for the
coordinator's training page first, then the writes (the one place these change).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mentorship.accounts.models import User
from mentorship.fields import forbidden_character
from programs.models import (
    Enrollment,
    Program,
    TrainingCompletion,
    TrainingModule,
    TrainingWaiver,
)
from programs.selectors import training_held_back
from programs.services._common import require_manager

PAGE_SIZE = 50

# --- Reads ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingFilters:
    blocked: bool = False
    q: str = ""
    page: int = 1

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> TrainingFilters:
        try:
            page = max(1, min(int(query.get("page", "1")), 100_000))
        except ValueError:
            page = 1
        return cls(
            blocked=query.get("blocked") in ("1", "on", "true"),
            q=(query.get("q") or "").strip()[:100],
            page=page,
        )

    def query_string(self, **changes: object) -> str:
        values = {"blocked": self.blocked, "q": self.q, "page": self.page, **changes}
        return urlencode(
            {
                key: "1" if value is True else value
                for key, value in values.items()
                if value and (key, value) != ("page", 1)
            }
        )


@dataclass(frozen=True)
class ModuleState:
    module: TrainingModule
    is_done: bool


@dataclass
class TrainingRow:
    enrollment: Enrollment
    modules: list[ModuleState]
    waiver: TrainingWaiver | None

    @property
    def left(self) -> int:
        return sum(not state.is_done for state in self.modules)

    @property
    def is_complete(self) -> bool:
        return self.left == 0

    @property
    def is_blocked(self) -> bool:
        return not self.is_complete and self.waiver is None


@dataclass
class TrainingTable:
    program: Program
    modules: list[TrainingModule]
    filters: TrainingFilters
    page: Page[Enrollment]
    rows: list[TrainingRow] = field(default_factory=list)
    approved: int = 0
    blocked: int = 0
    previous_query: str = ""
    next_query: str = ""


def training_status(
    *,
    enrollment: Enrollment,
    modules: Iterable[TrainingModule],
    done: set[int],
    waiver: TrainingWaiver | None,
) -> TrainingRow:
    """One person's required modules, done or not (no query)."""
    return TrainingRow(
        enrollment=enrollment,
        modules=[
            ModuleState(module, module.pk in done)
            for module in modules
            if module.is_for(enrollment.role)
        ],
        waiver=waiver,
    )


def training_table(*, program: Program, filters: TrainingFilters) -> TrainingTable:
    """The program's approved people with their required training: 6 queries at
    any size (modules; approved count; held-back count; page COUNT; the page with
    person, user and waiver joined; the page's completions)."""
    modules = list(program.training_modules.all())
    approved = Enrollment.objects.filter(
        program=program, status=Enrollment.Status.APPROVED
    )
    held_back = training_held_back(approved)
    counts = {"approved": approved.count(), "blocked": held_back.count()}
    rows = (held_back if filters.blocked else approved).select_related(
        "participant__user", "training_waiver"
    )
    if filters.q:
        rows = rows.filter(
            Q(participant__user__full_name__icontains=filters.q)
            | Q(participant__user__email__icontains=filters.q)
        )
    rows = rows.order_by("participant__user__full_name", "participant__user__email")
    page = Paginator(rows, PAGE_SIZE).get_page(filters.page)
    enrollments = list(page.object_list)
    done: dict[int, set[int]] = {e.pk: set() for e in enrollments}
    for enrollment_id, module_id in TrainingCompletion.objects.filter(
        enrollment__in=enrollments
    ).values_list("enrollment_id", "module_id"):
        done[enrollment_id].add(module_id)
    return TrainingTable(
        program=program,
        modules=modules,
        filters=filters,
        page=page,
        rows=[
            training_status(
                enrollment=e,
                modules=modules,
                done=done[e.pk],
                waiver=getattr(e, "training_waiver", None),
            )
            for e in enrollments
        ],
        approved=counts["approved"],
        blocked=counts["blocked"],
        previous_query=filters.query_string(page=page.number - 1)
        if page.has_previous()
        else "",
        next_query=filters.query_string(page=page.number + 1)
        if page.has_next()
        else "",
    )


# --- Writes -----------------------------------------------------------------------------


@transaction.atomic
def training_completions_mark(
    *,
    program: Program,
    enrollment_ids: Iterable[int],
    module: TrainingModule | None,
    by: User,
) -> int:
    """Mark ``module`` (or, with None, every module required of each person's
    role) done for the chosen approved people of ``program`` — training done
    elsewhere. Ids of other programs are ignored. Returns how many completions
    were new (marking twice adds nothing)."""
    require_manager(program=program, by=by)
    if module is not None and module.program_id != program.pk:
        raise ValidationError("Choose a module of this program.")
    enrollments = list(
        Enrollment.objects.filter(
            program=program,
            status=Enrollment.Status.APPROVED,
            pk__in=list(enrollment_ids),
        )
    )
    if not enrollments:
        raise ValidationError("Tick at least one approved person.")
    modules = [module] if module is not None else list(program.training_modules.all())
    now = timezone.now()
    wanted = [
        TrainingCompletion(enrollment=e, module=m, completed_at=now)
        for e in enrollments
        for m in modules
        if m.is_for(e.role)
    ]
    before = TrainingCompletion.objects.filter(enrollment__in=enrollments).count()
    TrainingCompletion.objects.bulk_create(wanted, ignore_conflicts=True)
    return (
        TrainingCompletion.objects.filter(enrollment__in=enrollments).count() - before
    )


@transaction.atomic
def training_waive(*, enrollment: Enrollment, reason: str, by: User) -> TrainingWaiver:
    """Let one person past the training gate, saying why (replaces an earlier
    waiver's reason)."""
    require_manager(program=enrollment.program, by=by)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": "Say why the training is waived."})
    if forbidden_character(reason):
        raise ValidationError({"reason": "Use plain text on one line."})
    waiver, _ = TrainingWaiver.objects.update_or_create(
        enrollment=enrollment,
        defaults={"reason": reason[:300], "waived_by": by, "waived_at": timezone.now()},
    )
    return waiver


@transaction.atomic
def training_waiver_remove(*, enrollment: Enrollment, by: User) -> int:
    """Put the person back behind the gate; returns 1 if there was a waiver."""
    require_manager(program=enrollment.program, by=by)
    deleted, _ = TrainingWaiver.objects.filter(enrollment=enrollment).delete()
    return deleted
