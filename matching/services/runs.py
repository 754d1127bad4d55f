"""A bulk matching run: start, execute (build → score → solve → save), discard.
Review edits and publishing are in ``services/review.py``.

Life of a run::

    queued --execute claims--> running --saved--> done --publish--> published
                                  |                 |
                                  +--> failed       +--> discarded (a newer run)

Execution reads and solves outside a transaction, writing only its progress, so
the review page can poll it; everything it proposes is saved in ONE transaction
at the end. A failure anywhere leaves no proposal behind, only the failed run
with its error.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from matching import engine, selectors, tasks
from matching.models import (
    Circle,
    Match,
    MatchingCriteria,
    MatchRun,
    MatchSuggestion,
)
from matching.services._common import (
    MATCHABLE_STATUSES,
)
from matching.services.criteria import criteria_ensure
from mentorship.accounts.models import User
from mentorship.celery import enqueue_on_commit
from programs.models import Enrollment, Program
from programs.services import require_manager

logger = logging.getLogger(__name__)

# Runs with up to this many mentees finish inside the request (well under a second
# with the dense solver); larger ones go to a worker and the page polls.
SYNC_MENTEE_LIMIT = 300
# A run still queued or running after this long lost its worker: a new run may
# replace it.
STALE_RUN_AFTER = timedelta(minutes=15)
CIRCLE_KINDS = (Program.Kind.GROUP_CIRCLE, Program.Kind.PEER)

Status = MatchRun.Status
Stage = MatchRun.Stage


# --- Start ------------------------------------------------------------------------------


def _mode_check(program: Program, mode: str, circle_size: int | None) -> None:
    if mode not in MatchRun.Mode.values:
        raise ValidationError({"mode": "Choose how pairs are formed."})
    if program.status not in MATCHABLE_STATUSES:
        raise ValidationError(
            "Matching runs on programs that are enrolling, matching or active."
        )
    if (mode == MatchRun.Mode.CIRCLES) != (program.kind in CIRCLE_KINDS):
        raise ValidationError(
            {
                "mode": "Group and peer programs match in circles; one-to-one and "
                "reverse programs in pairs."
            }
        )
    if (
        mode == MatchRun.Mode.MENTEE_CHOICE
        and program.kind == Program.Kind.ORGANIZATION
    ):
        raise ValidationError(
            {
                "mode": "In organization mentoring the coordinator matches teams to "
                "mentors: choose the best overall or the stable pairing."
            }
        )
    if mode == MatchRun.Mode.CIRCLES and not (circle_size and 2 <= circle_size <= 20):
        raise ValidationError({"circle_size": "A circle has 2 to 20 participants."})


def _runs_discard(program: Program, *, keep: MatchRun | None = None) -> int:
    """Discard the program's unpublished finished runs and everything they proposed."""
    runs = MatchRun.objects.filter(program=program, status=Status.DONE)
    if keep is not None:
        runs = runs.exclude(pk=keep.pk)
    run_ids = list(runs.values_list("pk", flat=True))
    if not run_ids:
        return 0
    Match.objects.filter(run_id__in=run_ids, status=Match.Status.SUGGESTED).update(
        status=Match.Status.DISCARDED
    )
    MatchSuggestion.objects.filter(run_id__in=run_ids).delete()
    Circle.objects.filter(run_id__in=run_ids, is_published=False).delete()
    return MatchRun.objects.filter(pk__in=run_ids).update(
        status=Status.DISCARDED, stage=Stage.FINISHED
    )


def _in_progress_check(program: Program) -> None:
    now = timezone.now()
    busy = MatchRun.objects.select_for_update().filter(
        program=program, status__in=[Status.QUEUED, Status.RUNNING]
    )
    for run in busy:
        if run.created_at > now - STALE_RUN_AFTER:
            raise ValidationError(
                "A matching run is still in progress for this program. Wait for it "
                "to finish."
            )
        run.status, run.error, run.finished_at = (
            Status.FAILED,
            "No worker finished this run in time; it was replaced by a new one.",
            now,
        )
        run.save(update_fields=["status", "error", "finished_at"])


@transaction.atomic
def match_run_start(
    *,
    program: Program,
    by: User,
    mode: str | None = None,
    circle_size: int | None = None,
) -> MatchRun:
    """Start a run: discards the previous unpublished one; runs small programs at
    once, enqueues ``match_run_execute_task`` after commit for large ones."""
    require_manager(program=program, by=by)
    criteria = criteria_ensure(program=program)
    if mode is None:
        mode = MatchRun.Mode.CIRCLES if program.kind in CIRCLE_KINDS else criteria.mode
    _mode_check(program, mode, circle_size)
    Program.objects.select_for_update().filter(pk=program.pk).first()  # one starter
    _in_progress_check(program)
    counts = dict(
        Enrollment.objects.filter(program=program, status=Enrollment.Status.APPROVED)
        .values_list("role")
        .annotate(count=Count("id"))
        .order_by()
    )
    mentees, mentors = counts.get("mentee", 0), counts.get("mentor", 0)
    if not mentees or not mentors:
        raise ValidationError(
            "Approve at least one mentor and one mentee before matching "
            f"(approved now: {mentors} mentor{'s' * (mentors != 1)}, "
            f"{mentees} mentee{'s' * (mentees != 1)})."
        )
    _runs_discard(program)
    settings = selectors.criteria_settings(criteria=criteria)
    if circle_size:
        settings["circle_size"] = circle_size
    run = MatchRun.objects.create(
        program=program,
        started_by=by,
        mode=mode,
        settings=settings,
        mentee_count=mentees,
        mentor_count=mentors,
    )
    if mentees > SYNC_MENTEE_LIMIT:
        enqueue_on_commit(tasks.match_run_execute_task, run.pk)
        return run
    return match_run_execute(run_id=run.pk)


# --- Execute ----------------------------------------------------------------------------


def _stage(run: MatchRun, stage: str, progress: int) -> None:
    # Outside a transaction (worker path) each update commits at once, so the
    # polling page sees it; inside one (small runs) nobody is polling.
    MatchRun.objects.filter(pk=run.pk).update(stage=stage, progress=progress)


def match_run_execute(*, run_id: int) -> MatchRun:
    """Execute a queued run; a second call for the same run does nothing (claim).

    All proposals are saved in one transaction: a failure leaves none, and the run
    ``failed`` with its error.
    """
    claimed = MatchRun.objects.filter(pk=run_id, status=Status.QUEUED).update(
        status=Status.RUNNING, stage=Stage.BUILDING, progress=5
    )
    run = MatchRun.objects.select_related("program").get(pk=run_id)
    if not claimed:
        return run
    started = time.perf_counter()
    try:
        if run.mode == MatchRun.Mode.CIRCLES:
            _execute_circles(run, started)
        else:
            _execute_pairs(run, started)
    except Exception as error:
        logger.exception("Matching run %s failed", run.pk)
        MatchRun.objects.filter(pk=run.pk).update(
            status=Status.FAILED,
            stage=Stage.FINISHED,
            progress=100,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
            duration_s=time.perf_counter() - started,
        )
    run.refresh_from_db()
    return run


def _solve(
    run: MatchRun, problem: engine.MatchingProblem
) -> tuple[engine.ScoreMatrix, engine.MatchResult | None]:
    if run.mode == MatchRun.Mode.STABLE:
        scores = engine.score(problem, side_utilities=True)
        _stage(run, Stage.SOLVING, 60)
        return scores, engine.solve_stable(problem, scores)
    scores = engine.score(problem)
    _stage(run, Stage.SOLVING, 60)
    if run.mode == MatchRun.Mode.MENTEE_CHOICE:
        return scores, None
    return scores, engine.solve_optimal(problem, scores)


def _execute_pairs(run: MatchRun, started: float) -> None:
    program = run.program
    with transaction.atomic():  # a savepoint when a small run is inside start
        criteria = MatchingCriteria.objects.get(program=program)
        built = selectors.matching_input_build(
            program=program, criteria=criteria, run=None
        )
    _stage(run, Stage.SCORING, 30)
    scores, result = _solve(run, built.problem)
    _stage(run, Stage.SAVING, 85)
    with transaction.atomic():
        if not _still_running(run):
            return
        if result is None:
            totals = _suggestions_save(run, built, scores)
        else:
            totals = _pairs_save(run, built, result)
        _finish(
            run,
            started,
            mentees=len(built.mentees),
            mentors=len(built.mentors),
            totals=totals,
        )


def _still_running(run: MatchRun) -> bool:
    """Lock the run; False if someone discarded or failed it meanwhile."""
    status = (
        MatchRun.objects.select_for_update()
        .filter(pk=run.pk)
        .values_list("status", flat=True)
        .first()
    )
    return status == Status.RUNNING


@dataclass(frozen=True)
class RunTotals:
    """What a run's save step stores on the run: pairs (or mentees with choices,
    or people placed in circles), their total score, who was left out and why
    (``MatchRun.unmatched`` items), and the solver's name."""

    matched: int
    total: float
    unmatched: list[dict[str, Any]]
    solver: str


def _pairs_save(
    run: MatchRun, built: selectors.MatchingInput, result: engine.MatchResult
) -> RunTotals:
    Match.objects.bulk_create(
        [
            Match(
                program=run.program,
                run=run,
                mentee=built.mentees[pair.mentee],
                mentor=built.mentors[pair.mentor],
                member_organization=(
                    built.teams[pair.mentee].member_organization
                    if built.teams
                    else None
                ),
                status=Match.Status.SUGGESTED,
                score=pair.score,
                explanation=dict(pair.breakdown),
            )
            for pair in result.pairs
        ],
        batch_size=1000,
    )
    return RunTotals(
        matched=len(result.pairs),
        total=result.total,
        unmatched=[
            {"enrollment": built.mentees[u.mentee].pk, "reason": u.reason}
            for u in result.unmatched
        ]
        + selectors.left_out(built),
        solver=result.solver,
    )


def _suggestions_save(
    run: MatchRun, built: selectors.MatchingInput, scores: engine.ScoreMatrix
) -> RunTotals:
    """Each mentee's best few feasible mentors, for the mentee to pick from."""
    result = engine.suggest(
        built.problem, scores, per_mentee=selectors.SUGGESTIONS_PER_MENTEE
    )
    suggestions = [
        MatchSuggestion(
            run=run,
            mentee=built.mentees[s.mentee],
            mentor=built.mentors[s.mentor],
            rank=s.rank,
            score=s.score,
            explanation=dict(s.breakdown),
        )
        for s in result.suggestions
    ]
    MatchSuggestion.objects.bulk_create(suggestions, batch_size=1000)
    firsts = [s.score for s in suggestions if s.rank == 1]
    return RunTotals(
        matched=len(firsts),
        total=math.fsum(firsts),
        unmatched=[
            {"enrollment": built.mentees[u.mentee].pk, "reason": u.reason}
            for u in result.unmatched
        ]
        + selectors.left_out(built),
        solver="top-5",
    )


def _finish(
    run: MatchRun,
    started: float,
    *,
    mentees: int,
    mentors: int,
    totals: RunTotals,
) -> None:
    run.settings = {**run.settings, "solver": totals.solver}
    MatchRun.objects.filter(pk=run.pk).update(
        status=Status.DONE,
        stage=Stage.FINISHED,
        progress=100,
        mentee_count=mentees,
        mentor_count=mentors,
        matched_count=totals.matched,
        total_score=totals.total,
        mean_score=totals.total / totals.matched if totals.matched else None,
        unmatched=totals.unmatched,
        settings=run.settings,
        finished_at=timezone.now(),
        duration_s=time.perf_counter() - started,
    )


def _execute_circles(run: MatchRun, started: float) -> None:
    with transaction.atomic():
        built = selectors.circle_input_build(
            program=run.program, size=int(run.settings.get("circle_size") or 6)
        )
    _stage(run, Stage.SOLVING, 40)
    result = engine.solve_circles(built.problem)
    _stage(run, Stage.SAVING, 85)
    with transaction.atomic():
        if not _still_running(run):
            return
        circles = Circle.objects.bulk_create(
            [
                Circle(
                    program=run.program,
                    run=run,
                    name=_circle_name(number, circle, built.skills),
                    score=circle.score,
                    common_hours=circle.common_hours,
                    shared_skills=[built.skills[s] for s in circle.shared_skills],
                )
                for number, circle in enumerate(result.circles, start=1)
            ]
        )
        Circle.members.through.objects.bulk_create(
            [
                Circle.members.through(
                    circle_id=row.pk, enrollment_id=built.participants[i].pk
                )
                for row, circle in zip(circles, result.circles, strict=True)
                for i in circle.participants
            ]
        )
        Circle.facilitators.through.objects.bulk_create(
            [
                Circle.facilitators.through(
                    circle_id=row.pk, enrollment_id=built.facilitators[f].pk
                )
                for row, circle in zip(circles, result.circles, strict=True)
                for f in circle.facilitators
            ]
        )
        placed = sum(len(c.participants) for c in result.circles)
        _finish(
            run,
            started,
            mentees=len(built.participants),
            mentors=len(built.facilitators),
            totals=RunTotals(
                matched=placed,
                total=math.fsum(c.score * len(c.participants) for c in result.circles),
                unmatched=[
                    {
                        "enrollment": built.participants[u.participant].pk,
                        "reason": u.reason,
                    }
                    for u in result.unplaced
                ]
                + selectors.training_left_out(built.held_back),
                solver="circles",
            ),
        )


def _circle_name(number: int, circle: engine.Circle, skills: list[str]) -> str:
    theme = ", ".join(skills[s] for s in circle.shared_skills[:2])
    return f"Circle {number}" + (f" · {theme}" if theme else "")


# --- Discard ---------------------------------------------------------------------------


@transaction.atomic
def match_run_discard(*, run: MatchRun, by: User) -> MatchRun:
    """Throw away a finished run that was not published."""
    require_manager(program=run.program, by=by)
    run = MatchRun.objects.select_for_update().get(pk=run.pk)
    if run.status != Status.DONE:
        raise ValidationError("Only a run in review can be discarded.")
    _runs_discard(run.program)
    run.refresh_from_db()
    return run
