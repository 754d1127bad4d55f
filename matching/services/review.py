"""Review of a finished run and its publication: take a pair out, move a mentee
to another mentor, publish (pairs proposed, choices offered or circles opened).

Both run under the run's row lock and only while it is in review (``done``);
publishing notifies everyone concerned through the outbox in the same transaction.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from matching import selectors
from matching.models import Circle, Match, MatchRun, MatchSuggestion
from matching.services._common import (
    lock_mentors,
    pair_check,
    portal_link,
)
from matching.services.criteria import criteria_ensure
from mentorship.accounts.models import User
from mentorship.audit.services import record
from mentorship.notifications.services import (
    NotificationSpec,
    notifications_create_bulk,
)
from programs.models import Enrollment
from programs.services import require_manager

PAIR_MODES = (MatchRun.Mode.OPTIMAL, MatchRun.Mode.STABLE)

Status = MatchRun.Status

# --- Review edits -----------------------------------------------------------------------


def _reviewable(match: Match) -> MatchRun:
    run = MatchRun.objects.select_for_update().get(pk=match.run_id)  # type: ignore[misc]
    current = Match.objects.filter(pk=match.pk).values_list("status", flat=True).first()
    if run.status != Status.DONE or current != Match.Status.SUGGESTED:
        raise ValidationError("This proposal is no longer in review.")
    return run


def _run_totals_refresh(run: MatchRun) -> None:
    totals = Match.objects.filter(run=run, status=Match.Status.SUGGESTED).aggregate(
        count=Count("id"), total=Sum("score")
    )
    count, total = totals["count"], totals["total"] or 0.0
    MatchRun.objects.filter(pk=run.pk).update(
        matched_count=count,
        total_score=total,
        mean_score=total / count if count else None,
        unmatched=run.unmatched,
    )


@transaction.atomic
def match_remove(*, match: Match, by: User) -> Match:
    """Take a pair out of the proposals; the mentee joins the unmatched list."""
    require_manager(program=match.program, by=by)
    run = _reviewable(match)
    match.status = Match.Status.DISCARDED
    match.save(update_fields=["status"])
    run.unmatched = [
        *run.unmatched,
        {
            "enrollment": match.mentee_id,
            "reason": f"removed from the proposals by {by}",
        },
    ]
    _run_totals_refresh(run)
    return match


@transaction.atomic
def match_reassign(*, match: Match, mentor: Enrollment, by: User) -> Match:
    """Move a proposed mentee to another mentor: hard rules and capacity (counting
    this review's other proposals) are checked; the explanation is recomputed."""
    require_manager(program=match.program, by=by)
    run = _reviewable(match)
    lock_mentors([mentor.participant_id])
    criteria = criteria_ensure(program=match.program)
    score, explanation = pair_check(
        program=match.program,
        mentee=match.mentee,
        mentor=mentor,
        criteria=criteria,
        run=run,
        ignore_match_id=match.pk,
    )
    match.mentor, match.score, match.explanation = mentor, score, explanation
    match.save(update_fields=["mentor", "score", "explanation"])
    _run_totals_refresh(run)
    return match


# --- Publish ----------------------------------------------------------------------------


@transaction.atomic
def match_run_publish(*, run: MatchRun, by: User) -> MatchRun:
    """Publish a reviewed run: suggested pairs become proposed (or mentees get their
    choices, or circles go live); notifies everyone concerned through the outbox."""
    require_manager(program=run.program, by=by)
    run = MatchRun.objects.select_for_update().select_related("program").get(pk=run.pk)
    if run.status != Status.DONE:
        raise ValidationError("Only a finished run in review can be published.")
    now = timezone.now()
    if run.mode in PAIR_MODES:
        specs = _pairs_publish(run, now)
    elif run.mode == MatchRun.Mode.MENTEE_CHOICE:
        specs = _choices_publish(run)
    else:
        specs = _circles_publish(run)
    notifications_create_bulk(specs=specs)
    run.status, run.published_at = Status.PUBLISHED, now
    run.save(update_fields=["status", "published_at"])
    record(
        action="matches.published",
        target=run,
        actor=by,
        details={"program": run.program_id, "mode": run.mode},
    )
    return run


def _pairs_publish(run: MatchRun, now: datetime) -> list[NotificationSpec]:
    matches = list(
        Match.objects.filter(run=run, status=Match.Status.SUGGESTED).select_related(
            "mentee__participant__user", "mentor__participant__user"
        )
    )
    if not matches:
        raise ValidationError("There is nothing to publish: every pair was removed.")
    new_load = Counter(m.mentor.participant_id for m in matches)
    capacity = lock_mentors(new_load)
    held = selectors.mentor_load(participant_ids=new_load)
    full = [
        str(m.mentor.participant.user)
        for m in {m.mentor.participant_id: m for m in matches}.values()
        if held.get(m.mentor.participant_id, 0) + new_load[m.mentor.participant_id]
        > capacity[m.mentor.participant_id]
    ]
    if full:
        raise ValidationError(
            "Some mentors no longer have room (matched elsewhere since this run): "
            f"{', '.join(sorted(full))}. Start a new run."
        )
    Match.objects.filter(pk__in=[m.pk for m in matches]).update(
        status=Match.Status.PROPOSED, proposed_at=now
    )
    program, link = run.program.name, portal_link()
    specs = []
    for m in matches:
        mentee, mentor = m.mentee.participant.user, m.mentor.participant.user
        specs += [
            NotificationSpec(
                recipient=mentee,
                kind="match-proposed",
                dedupe_key=f"match-proposed:{m.pk}:{mentee.pk}",
                subject=f"You have a proposed mentor in {program}",
                body=f"We matched you with {mentor} as your mentor in {program}. "
                "See why, then accept or decline in your portal.",
                link=link,
            ),
            NotificationSpec(
                recipient=mentor,
                kind="match-proposed",
                dedupe_key=f"match-proposed:{m.pk}:{mentor.pk}",
                subject=f"You have a proposed mentee in {program}",
                body=f"We matched you with {mentee} as your mentee in {program}. "
                "See why, then accept or decline in your portal.",
                link=link,
            ),
        ]
    return specs


def _choices_publish(run: MatchRun) -> list[NotificationSpec]:
    mentees = {
        s.mentee.participant.user
        for s in MatchSuggestion.objects.filter(run=run, rank=1).select_related(
            "mentee__participant__user"
        )
    }
    program = run.program.name
    return [
        NotificationSpec(
            recipient=user,
            kind="match-choose",
            dedupe_key=f"match-choose:{run.pk}:{user.pk}",
            subject=f"Choose your mentor in {program}",
            body=f"Your best-fitting mentors in {program} are ready. Pick one in "
            "your portal; they then accept or decline.",
            link=portal_link(),
        )
        for user in mentees
    ]


def _circles_publish(run: MatchRun) -> list[NotificationSpec]:
    circles = list(
        Circle.objects.filter(run=run).prefetch_related(
            "members__participant__user", "facilitators__participant__user"
        )
    )
    if not circles:
        raise ValidationError("This run formed no circle.")
    Circle.objects.filter(run=run).update(is_published=True)
    program = run.program.name
    specs = []
    for circle in circles:
        people = [e.participant.user for e in circle.facilitators.all()] + [
            e.participant.user for e in circle.members.all()
        ]
        for user in people:
            specs.append(
                NotificationSpec(
                    recipient=user,
                    kind="circle-published",
                    dedupe_key=f"circle-published:{circle.pk}:{user.pk}",
                    subject=f"Your circle in {program}: {circle.name}",
                    body=f"You are in {circle.name} with {len(people) - 1} others. "
                    "Meet them in your portal.",
                    link=portal_link(),
                )
            )
    return specs
