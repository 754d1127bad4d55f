"""The training gate and training progress: who is held back from matching,
per-row progress for tables, and a person's own training."""

from __future__ import annotations

from dataclasses import dataclass

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

from programs.models import (
    AudienceRole,
    Enrollment,
    Participant,
    TrainingCompletion,
    TrainingModule,
    TrainingWaiver,
)

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


def training_module_get(*, program_id: int, module_id: int) -> TrainingModule:
    module = TrainingModule.objects.filter(pk=module_id, program_id=program_id).first()
    if module is None:
        raise Http404("No such module.")
    return module
