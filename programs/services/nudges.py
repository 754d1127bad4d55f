"""The periodic "finish your training before matching" producer (beat, hourly,
through the tenant fan-out).

While a program is enrolling or matching, every approved person whose role still
has required training modules left gets a digest item listing them, linking to the
portal (where modules are ticked off).

When and how often. An item is made only when the person's next digest instant
(their local digest hour, on one of their working days, out of their quiet hours)
is at most ``LOOKAHEAD`` away, and it is due at that instant: so what it says is
at most a couple of hours old when it goes out (someone who finishes the training
over the weekend hears nothing on Monday), and nothing is made for a day that is
not a working day. ``LOOKAHEAD`` is longer than the beat period, so one missed
tick does not drop a day.

The dedupe key is ``training-due:<program id>:<user id>:<local date of the
digest>``: one item per person per program per local date, whatever the number of
runs and whatever their roles (a mentor and a mentee enrolment in one program
share it). Keyed by the date it is *delivered* on, not the date of the run, so
runs either side of local midnight can't put two items in one digest.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.urls import reverse

from mentorship import localtime
from mentorship.accounts.models import User
from mentorship.notifications import services as notification_services
from mentorship.notifications.models import Notification
from programs.models import (
    Enrollment,
    Program,
    TrainingCompletion,
    TrainingModule,
)
from programs.selectors import training_blocked

KIND = "training-due"
LOOKAHEAD = datetime.timedelta(hours=2)
DEFAULT_WORKING_DAYS = frozenset(range(5))  # Monday to Friday
# Programs whose people are waiting to be matched.
BEFORE_MATCHING = (Program.Status.ENROLLING, Program.Status.MATCHING)


@dataclass
class _Pending:
    """One person's unfinished training in one program (over all their roles)."""

    user: User
    program: Program
    working_days: frozenset[int]
    modules: dict[int, TrainingModule] = field(default_factory=dict)


def training_due_nudges_create(*, now: datetime.datetime) -> int:
    """Digest nudges for approved people with required training left in programs
    that are enrolling or matching; returns how many were new. Idempotent (outbox
    dedupe keys); 6 queries whatever the size: the enrolments with their person
    and program, the programs' modules, the completions, then the outbox's 3."""
    specs = []
    for pending in _pending_training():
        due_at = notification_services.digest_due_at(
            user=pending.user, after=now, working_days=pending.working_days
        )
        if due_at - now > LOOKAHEAD:
            continue
        local_date = localtime.local_date_of(pending.user.time_zone, due_at)
        specs.append(
            notification_services.NotificationSpec(
                recipient=pending.user,
                kind=KIND,
                dedupe_key=f"{KIND}:{pending.program.pk}:{pending.user.pk}:"
                f"{local_date.isoformat()}",
                subject=_subject(pending),
                body=_body(pending),
                link=reverse("home"),
                due_at=due_at,
                channel=Notification.Channel.DIGEST,
                working_days=pending.working_days,
            )
        )
    return notification_services.notifications_create_bulk(specs=specs)


def _pending_training() -> list[_Pending]:
    """Unfinished required training per (person, program): 3 queries."""
    # Query 1 keeps only enrolments with something left and not waived, so people
    # who finished (most of them, most of the time) cost nothing; queries 2 and 3
    # fetch what to list.
    enrollments = (
        Enrollment.objects.filter(
            status=Enrollment.Status.APPROVED,
            program__status__in=BEFORE_MATCHING,
            participant__user__is_active=True,
        )
        .filter(training_blocked())
        .select_related("participant__user", "program")
        .prefetch_related(
            "program__training_modules",
            Prefetch(
                "training_completions",
                queryset=TrainingCompletion.objects.only("enrollment_id", "module_id"),
            ),
        )
        .order_by("program_id", "participant_id", "role")
    )
    pending: dict[tuple[int, int], _Pending] = {}
    for enrollment in enrollments:
        participant = enrollment.participant
        entry = pending.setdefault(
            (enrollment.program_id, participant.pk),
            _Pending(
                user=participant.user,
                program=enrollment.program,
                working_days=frozenset(participant.working_days or ())
                or DEFAULT_WORKING_DAYS,
            ),
        )
        finished = {c.module_id for c in enrollment.training_completions.all()}
        for module in enrollment.program.training_modules.all():
            if module.is_for(enrollment.role) and module.pk not in finished:
                entry.modules[module.pk] = module
    return [entry for entry in pending.values() if entry.modules]


def _deadline(program: Program) -> str:
    if program.status == Program.Status.ENROLLING:
        return "before matching starts"
    return "before you are matched"


def _modules_in_order(pending: _Pending) -> list[TrainingModule]:
    return sorted(
        pending.modules.values(), key=lambda module: (module.order, module.pk)
    )


def _subject(pending: _Pending) -> str:
    modules = _modules_in_order(pending)
    what = (
        f"'{modules[0].title}'"
        if len(modules) == 1
        else f"{len(modules)} training modules"
    )
    return f"Finish {what} {_deadline(pending.program)}"


def _body(pending: _Pending) -> str:
    lines = [
        f"{pending.program.name} asks you to complete this training "
        f"{_deadline(pending.program)}:"
    ]
    lines += [f"- {module.title}" for module in _modules_in_order(pending)]
    lines.append("Tick each module off in your portal once it's done.")
    return "\n".join(lines)
