"""Helpers the matching services share: permission checks, links, notifications."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse

from matching import engine, selectors
from matching.models import Match, MatchingCriteria, MatchRun
from mentorship.accounts.models import User
from mentorship.notifications.services import notification_create
from programs.models import Enrollment, Participant, Program

MATCHABLE_STATUSES = (
    Program.Status.ENROLLING,
    Program.Status.MATCHING,
    Program.Status.ACTIVE,
)


def portal_link() -> str:
    return reverse("matching:my-matches")


def notify(
    *, recipient: User, kind: str, key: str, subject: str, body: str, link: str = ""
) -> None:
    notification_create(
        recipient=recipient,
        kind=kind,
        dedupe_key=key,
        subject=subject,
        body=body,
        link=link or portal_link(),
    )


def coordinators_of(program: Program) -> list[User]:
    return list(program.coordinators.filter(is_active=True))


def lock_mentors(participant_ids: Iterable[int]) -> dict[int, int]:
    """Lock the mentors' profiles (in id order, so two writers can't deadlock) and
    return each one's mentoring capacity. Capacity spans programs, so the lock is
    on the person, not on one enrolment."""
    rows = (
        Participant.objects.select_for_update()
        .filter(pk__in=list(participant_ids))
        .order_by("pk")
        .values_list("pk", "mentoring_capacity")
    )
    return dict(rows)


def pair_check(
    *,
    program: Program,
    mentee: Enrollment,
    mentor: Enrollment,
    criteria: MatchingCriteria,
    run: MatchRun | None = None,
    ignore_match_id: int | None = None,
) -> tuple[float, dict[str, float]]:
    """Score one pair, or raise ValidationError naming the hard rule it breaks.

    The minimum score is not enforced: a coordinator's manual choice overrides it.
    """
    if mentor.program_id != program.pk or mentor.role != "mentor":
        raise ValidationError("Choose a mentor of this program.")
    if mentor.status != Enrollment.Status.APPROVED:
        raise ValidationError("This mentor's enrolment is not approved.")
    built = selectors.matching_input_build(
        program=program,
        criteria=criteria,
        mentee_ids=[mentee.pk],
        mentor_ids=[mentor.pk],
        run=run,
        ignore_match_id=ignore_match_id,
    )
    if built.held_back:
        raise ValidationError(
            f"{built.held_back[0].participant.user} hasn't completed the program's required "
            "training. Mark it done or waive it on the program's training page."
        )
    if not built.mentees:
        raise ValidationError("This mentee already has a mentor, or is not approved.")
    if not built.mentors:
        raise ValidationError("This mentor's enrolment is not approved.")
    problem = selectors.without_floor(built.problem)
    if problem.capacity[0] <= 0:
        raise ValidationError(
            f"{mentor.participant.user} has no room for another mentee."
        )
    if (0, 0) in set(problem.excluded):
        raise ValidationError(
            "These two can't be paired: same person or reporting line, or they "
            "were paired (or declined) before."
        )
    scores = engine.score(problem)
    if not scores.feasible[0, 0]:
        raise ValidationError("These two share no language.")
    points = engine.explain(problem, [0], [0])[0]
    explanation = dict(zip(engine.CRITERIA, points.tolist(), strict=True))
    return sum(explanation.values()), explanation


def live_mentee_match_exists(mentee: Enrollment) -> bool:
    return Match.objects.filter(Q(status__in=Match.HOLDING), mentee=mentee).exists()
