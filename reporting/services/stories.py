"""Success stories: drafted from a closing survey's story answer or entered by a
coordinator, agreed to by everyone named, approved by a coordinator.

Life of a story::

    draft --story_consent_request--> (named people asked in the portal)
          --everyone named agrees--> story_approve --> approved (shown in reports)
    approved --an edit--> draft again, consents reset (they were to the old text)
    approved --someone withdraws consent--> hidden at once (selectors check consents)
    any --story_archive--> archived --story_restore--> draft

A story from an anonymous survey names nobody and carries only the day of the
response; one from an attributed survey names the respondent and, when the
answer came from a pair, their partner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from matching.models import Match
from members.models import MemberOrganization
from mentorship.accounts.models import User
from mentorship.notifications.models import Notification
from mentorship.notifications.services import notification_create
from programs.models import Participant, Program
from programs.services import require_manager
from reporting.models import Response, StoryPerson, SuccessStory

STORY_QUESTION_KEY = "story"
Consent = StoryPerson.Consent
Status = SuccessStory.Status


@dataclass(frozen=True)
class StoryFields:
    """The text of a story; ``outcome_before``/``outcome_after`` are optional numbers
    in ``outcome_unit`` ("2" → "1" "manat")."""

    title: str
    what_happened: str
    outcome: str = ""
    outcome_before: Decimal | None = None
    outcome_after: Decimal | None = None
    outcome_unit: str = ""

    def cleaned(self) -> StoryFields:
        """Trimmed copy; ValidationError by field for a missing title or text."""
        cleaned = StoryFields(
            title=self.title.strip()[:200],
            what_happened=self.what_happened.strip()[:4000],
            outcome=self.outcome.strip()[:300],
            outcome_before=self.outcome_before,
            outcome_after=self.outcome_after,
            outcome_unit=self.outcome_unit.strip()[:40],
        )
        errors = {}
        if not cleaned.title:
            errors["title"] = "Give the story a title."
        if not cleaned.what_happened:
            errors["what_happened"] = "Say what happened."
        has_number = cleaned.outcome_before is not None or (
            cleaned.outcome_after is not None
        )
        if has_number and not cleaned.outcome:
            errors["outcome"] = "Say what the numbers measure."
        if cleaned.outcome_unit and not has_number:
            errors["outcome_unit"] = "A unit needs a number."
        if errors:
            raise ValidationError(errors)
        return cleaned


def _text_of(story: SuccessStory) -> StoryFields:
    return StoryFields(
        title=story.title,
        what_happened=story.what_happened,
        outcome=story.outcome,
        outcome_before=story.outcome_before,
        outcome_after=story.outcome_after,
        outcome_unit=story.outcome_unit,
    )


def _people_of_match(match: Match | None) -> list[Participant]:
    if match is None:
        return []
    return [match.mentor.participant, match.mentee.participant]


def _check_people(
    program: Program, match: Match | None, people: Sequence[Participant]
) -> None:
    if match is not None and match.program_id != program.pk:
        raise ValidationError({"match": "Pick a pair of this program."})
    enrolled = set(
        program.enrollments.filter(
            participant__in=[person.pk for person in people]
        ).values_list("participant_id", flat=True)
    )
    if any(person.pk not in enrolled for person in people):
        raise ValidationError({"people": "Name only people of this program."})


def _member_organization(
    program: Program,
    match: Match | None,
    member_organization: MemberOrganization | None,
) -> MemberOrganization | None:
    """The member organization a story names: the one given, else the engagement's
    (``match``'s); it must be engaged in ``program`` (ValidationError otherwise)."""
    if member_organization is None and match is not None:
        return match.member_organization
    if member_organization is not None and not (
        Match.objects.filter(
            program=program, member_organization=member_organization
        ).exists()
    ):
        raise ValidationError(
            {"member_organization": "Pick a member organization of this program."}
        )
    return member_organization


def _set_people(story: SuccessStory, people: Sequence[Participant]) -> None:
    wanted = {person.pk for person in people}
    story.people.exclude(participant__in=wanted).delete()
    have = set(story.people.values_list("participant_id", flat=True))
    StoryPerson.objects.bulk_create(
        StoryPerson(story=story, participant_id=pk) for pk in sorted(wanted - have)
    )


@transaction.atomic
def story_create(
    *,
    program: Program,
    by: User,
    fields: StoryFields,
    match: Match | None = None,
    people: Sequence[Participant] = (),
    member_organization: MemberOrganization | None = None,
) -> SuccessStory:
    """A coordinator enters a story (a draft). Named people: ``people``, or both
    people of ``match`` when none are given; the member organization it names:
    ``member_organization``, or ``match``'s. Raises ValidationError by field."""
    require_manager(program=program, by=by)
    fields = fields.cleaned()
    people = list(people) or _people_of_match(match)
    _check_people(program, match, people)
    story = SuccessStory.objects.create(
        program=program,
        match=match,
        member_organization=_member_organization(program, match, member_organization),
        source=SuccessStory.Source.COORDINATOR,
        created_by=by,
        created_on=timezone.localdate(),
        **fields.__dict__,
    )
    _set_people(story, people)
    return story


@transaction.atomic
def story_update(
    *,
    story: SuccessStory,
    by: User,
    fields: StoryFields,
    match: Match | None = None,
    people: Sequence[Participant] = (),
    member_organization: MemberOrganization | None = None,
) -> SuccessStory:
    """Edit a story. A changed text (or member organization named) is a new
    version: it goes back to draft and everyone named is asked again (they agreed
    to the old words)."""
    require_manager(program=story.program, by=by)
    story = SuccessStory.objects.select_for_update().get(pk=story.pk)
    if story.status == Status.ARCHIVED:
        raise ValidationError("This story is archived.")
    fields = fields.cleaned()
    people = list(people) or _people_of_match(match)
    _check_people(story.program, match, people)
    organization = _member_organization(story.program, match, member_organization)
    text_changed = fields != _text_of(story) or (
        story.member_organization_id != (organization.pk if organization else None)
    )
    for name, value in fields.__dict__.items():
        setattr(story, name, value)
    story.match = match
    story.member_organization = organization
    if text_changed:
        story.version += 1
        story.status = Status.DRAFT
        story.approved_at = story.approved_by = None
        story.people.update(
            consent=Consent.PENDING,
            consent_at=None,
            consent_version=None,
            asked_at=None,
        )
    story.save()
    before = set(story.people.values_list("participant_id", flat=True))
    _set_people(story, people)
    if {person.pk for person in people} - before and story.status == Status.APPROVED:
        # Someone new is named: nothing shows until they agree.
        story.status, story.approved_at, story.approved_by = Status.DRAFT, None, None
        story.save(update_fields=["status", "approved_at", "approved_by"])
    return story


@transaction.atomic
def story_consent_request(*, story: SuccessStory, by: User) -> int:
    """Ask every named person who hasn't answered this version, through the outbox
    (an item of their daily digest, linking to the story in their portal); returns
    how many were asked.
    Asking twice for one version sends nothing more (the dedupe key names it)."""
    require_manager(program=story.program, by=by)
    if story.status == Status.ARCHIVED:
        raise ValidationError("This story is archived.")
    now = timezone.now()
    waiting = list(
        story.people.filter(consent=Consent.PENDING).select_related("participant__user")
    )
    for person in waiting:
        user = person.participant.user
        notification_create(
            recipient=user,
            kind="story-consent",
            dedupe_key=f"story-consent:{story.pk}:v{story.version}:{user.pk}",
            subject=f"May {story.program.name} share your story?",
            body=(
                f"“{story.title}” names you. Read it and say whether it may be "
                "shared in the program's reports. Nothing is shared without your "
                "agreement, and you can withdraw it later."
            ),
            link=reverse("reporting:story-consent", args=[story.pk]),
            # Not urgent: it rides in their next daily digest, never in quiet hours.
            channel=Notification.Channel.DIGEST,
        )
    StoryPerson.objects.filter(pk__in=[person.pk for person in waiting]).update(
        asked_at=now
    )
    return len(waiting)


@transaction.atomic
def story_consent_set(*, story: SuccessStory, by: User, agree: bool) -> StoryPerson:
    """The person named answers for themselves (agree or decline, recorded with the
    time and the version they read). Declining or withdrawing hides an approved
    story at once. PermissionDenied for anyone not named in the story."""
    person = (
        StoryPerson.objects.select_for_update()
        .filter(story=story, participant__user=by)
        .first()
    )
    if person is None:
        raise PermissionDenied("This story doesn't name you.")
    if story.status == Status.ARCHIVED:
        raise ValidationError("This story is archived.")
    person.consent = Consent.GIVEN if agree else Consent.DECLINED
    person.consent_version = story.version
    person.consent_at = timezone.now()
    person.save(update_fields=["consent", "consent_version", "consent_at"])
    return person


@transaction.atomic
def story_approve(*, story: SuccessStory, by: User) -> SuccessStory:
    """A coordinator approves the story for reports. Refused (ValidationError)
    until everyone named has agreed to the current version."""
    require_manager(program=story.program, by=by)
    story = SuccessStory.objects.select_for_update().get(pk=story.pk)
    if story.status == Status.ARCHIVED:
        raise ValidationError("This story is archived.")
    missing = story.people.filter(
        ~Q(consent=Consent.GIVEN) | ~Q(consent_version=story.version)
    ).count()
    if missing:
        raise ValidationError(
            f"{missing} of the people named haven't agreed to this version yet."
        )
    story.status = Status.APPROVED
    story.approved_by = by
    story.approved_at = timezone.now()
    story.save(update_fields=["status", "approved_by", "approved_at"])
    return story


@transaction.atomic
def story_archive(*, story: SuccessStory, by: User) -> SuccessStory:
    """Take a story out of every report and list of drafts (kept for the record)."""
    require_manager(program=story.program, by=by)
    story.status = Status.ARCHIVED
    story.save(update_fields=["status"])
    return story


@transaction.atomic
def story_restore(*, story: SuccessStory, by: User) -> SuccessStory:
    """Bring an archived story back as a draft (it needs approval again)."""
    require_manager(program=story.program, by=by)
    story.status = Status.DRAFT
    story.approved_at = story.approved_by = None
    story.save(update_fields=["status", "approved_at", "approved_by"])
    return story


def _title_from(text: str) -> str:
    first = text.strip().splitlines()[0].strip()
    for stop in (". ", "! ", "? "):
        if stop in first:
            first = first.split(stop, 1)[0]
    return first if len(first) <= 80 else first[:79].rstrip() + "…"


def _match_of(response: Response) -> Match | None:
    assignment = response.assignment
    if assignment is None:
        return None
    if assignment.match_id is not None:
        return Match.objects.select_related(
            "mentor__participant", "mentee__participant"
        ).get(pk=assignment.match_id)
    # Closing surveys aren't sent for a match: the person's pair in the program.
    return (
        Match.objects.filter(
            Q(mentor__participant=assignment.participant)
            | Q(mentee__participant=assignment.participant),
            program_id=response.survey.program_id,
            status__in=[
                Match.Status.ACTIVE,
                Match.Status.COMPLETED,
                Match.Status.ENDED,
            ],
        )
        .select_related("mentor__participant", "mentee__participant")
        .order_by("-started_at", "-id")
        .first()
    )


@transaction.atomic
def story_draft_from_response(*, response: Response) -> SuccessStory | None:
    """Draft a story from the response's story answer (question key ``story``).

    Called when a survey response is saved. None when there is no story answer.
    One draft per response: a re-submitted attributed response updates its draft
    while no coordinator has edited it. Anonymous: only when the coordinator chose
    to see written answers (``show_free_text``), with no match, nobody named and
    only the response's day; the list shows it once the survey has 5 responses
    (``selectors.stories.story_list_for_program``). Attributed: the respondent and
    their partner are named (both asked for consent before anything is shown).
    """
    if response.is_anonymous and not response.survey.show_free_text:
        return None
    answer = (
        response.answers.filter(question__key=STORY_QUESTION_KEY)
        .exclude(text="")
        .first()
    )
    text = answer.text.strip() if answer else ""
    existing = SuccessStory.objects.filter(source_response=response).first()
    if not text:
        return existing
    if existing is not None:
        if existing.status == Status.DRAFT and existing.version == 1:
            existing.what_happened = text[:4000]
            existing.title = _title_from(text)
            existing.save(update_fields=["what_happened", "title"])
        return existing
    match = None if response.is_anonymous else _match_of(response)
    story = SuccessStory.objects.create(
        program_id=response.survey.program_id,
        match=match,
        title=_title_from(text),
        what_happened=text[:4000],
        source=SuccessStory.Source.SURVEY,
        source_response=response,
        created_on=response.submitted_on,
    )
    if not response.is_anonymous:
        respondent = response.assignment.participant  # type: ignore[union-attr]
        people = [respondent, *_people_of_match(match)]
        _set_people(story, list({person.pk: person for person in people}.values()))
    return story
