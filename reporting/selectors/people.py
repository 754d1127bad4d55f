"""A coordinator's page per participant (/manage/people/<participant id>/).

Only the person's enrolments in programs the viewer manages (HR admins: all) are
shown; with none, the person doesn't exist for this viewer (404). What it shows
per enrolment: status and dates, the application answers with their questions,
training, matches (partner, status, link to the pair page), meetings held and the
person's pulse scores. Never what anyone wrote about a meeting: no log notes, no
updates, no pulse notes, no private notes.

Lives in reporting, the top layer, because it reads programs, matching and
check-ins together. A fixed number of queries whatever the person's history.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from checkins.models import Pulse
from matching.models import Match
from mentorship.accounts.models import User
from programs.answers import Answer, answers_readable
from programs.models import (
    ApplicationQuestion,
    Enrollment,
    Participant,
    TrainingCompletion,
)
from programs.services.training import TrainingRow, training_status

# Match statuses worth listing on a person's page (not discarded review drafts).
LISTED_MATCHES = ("proposed", "accepted", "active", "declined", "completed", "ended")


@dataclass(frozen=True)
class MatchLine:
    match: Match
    partner: User
    partner_role: str
    meetings_held: int
    has_page: bool  # the pair page exists from "active" on


@dataclass(frozen=True)
class PulseLine:
    at: datetime.datetime
    usefulness: int


@dataclass
class EnrollmentBlock:
    enrollment: Enrollment
    answers: list[Answer]
    training: TrainingRow
    matches: list[MatchLine] = field(default_factory=list)
    pulses: list[PulseLine] = field(default_factory=list)


@dataclass
class PersonPage:
    participant: Participant
    blocks: list[EnrollmentBlock]

    @property
    def meetings_held(self) -> int:
        return sum(line.meetings_held for b in self.blocks for line in b.matches)


def _managed_enrollments(participant_id: int, viewer: User):
    enrollments = Enrollment.objects.filter(participant_id=participant_id)
    if not viewer.is_hr_admin:
        enrollments = enrollments.filter(program__coordinators=viewer)
    return enrollments


def person_page_for_coordinator(*, viewer: User, participant_id: int) -> PersonPage:
    """The person as the viewer may see them; 404 (the same for a person who
    doesn't exist) unless they are in a program the viewer manages. 6 queries."""
    if not (viewer.is_authenticated and viewer.is_coordinator):
        raise Http404("No such person.")
    # 1: the enrolments, with the person, their account, the program and waiver.
    enrollments = list(
        _managed_enrollments(participant_id, viewer)
        .select_related("participant__user", "program", "training_waiver")
        .prefetch_related(
            # 2 and 3: the programs' questions and training modules.
            Prefetch(
                "program__questions",
                queryset=ApplicationQuestion.objects.order_by("order", "id"),
            ),
            "program__training_modules",
        )
        .order_by("-applied_at", "-id")
    )
    if not enrollments:
        raise Http404("No such person.")
    ids = [e.pk for e in enrollments]
    # 4: their training completions.
    done: dict[int, set[int]] = defaultdict(set)
    for enrollment_id, module_id in TrainingCompletion.objects.filter(
        enrollment_id__in=ids
    ).values_list("enrollment_id", "module_id"):
        done[enrollment_id].add(module_id)
    blocks = {
        e.pk: EnrollmentBlock(
            enrollment=e,
            answers=answers_readable(
                questions=e.program.questions.all(), answers=e.answers, role=e.role
            ),
            training=training_status(
                enrollment=e,
                modules=e.program.training_modules.all(),
                done=done[e.pk],
                waiver=getattr(e, "training_waiver", None),
            ),
        )
        for e in enrollments
    }
    # 5: their matches, with the partner and the meetings held.
    matches = (
        Match.objects.filter(Q(mentor_id__in=ids) | Q(mentee_id__in=ids))
        .filter(status__in=LISTED_MATCHES)
        .select_related("mentor__participant__user", "mentee__participant__user")
        .annotate(held=Count("meetings", filter=Q(meetings__status="held")))
        .order_by("-created_at", "-id")
    )
    user = enrollments[0].participant.user
    for match in matches:
        mine_as_mentor = match.mentor_id in blocks
        block = blocks[match.mentor_id if mine_as_mentor else match.mentee_id]
        partner = match.mentee if mine_as_mentor else match.mentor
        block.matches.append(
            MatchLine(
                match=match,
                partner=partner.participant.user,
                partner_role="mentee" if mine_as_mentor else "mentor",
                meetings_held=match.held,
                has_page=match.status in ("active", "completed", "ended"),
            )
        )
    # 6: the person's own pulse scores on those pairs' meetings (scores only).
    match_block = {line.match.pk: b for b in blocks.values() for line in b.matches}
    if match_block:
        for match_id, created_at, usefulness in (
            Pulse.objects.filter(author=user, meeting__match_id__in=list(match_block))
            .order_by("-created_at")
            .values_list("meeting__match_id", "created_at", "usefulness")
        ):
            match_block[match_id].pulses.append(PulseLine(created_at, usefulness))
    return PersonPage(
        participant=enrollments[0].participant, blocks=list(blocks.values())
    )
