"""A person's message preferences: saving them, and the signed links in every email.

Every email carries a "your preferences" link and a one-click unsubscribe link (also
in its ``List-Unsubscribe`` header, RFC 2369/8058). Both carry a token that names the
person, signed for this purpose in this organization
(``mentorship.organizations.signing``): it opens their preferences without a sign-in,
and a token minted on another organization's host (where ids repeat) is refused.

Muting a kind never loses a message: it arrives in the app instead of by email
(``mentorship.notifications.services``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from mentorship.accounts.models import User
from mentorship.accounts.timezones import is_valid_zone
from mentorship.audit.services import consent_record
from mentorship.fields import normalize_text, validate_single_line
from mentorship.organizations import signing as org_signing

PURPOSE = "accounts.preferences"
#: How long a link in an email opens the preferences: long enough for old emails.
TOKEN_MAX_AGE_SECONDS = 180 * 24 * 3600

#: Labels for the kinds of message the product sends; a kind not listed here shows
#: under its own name made readable (new kinds need no change here).
KIND_LABELS: dict[str, str] = {
    "match-proposed": "A match is proposed to you",
    "match-accepted": "Your match is accepted",
    "match-active": "Your match starts",
    "match-declined": "A match is declined",
    "match-ended": "A match ends",
    "match-choose": "Choose your mentor",
    "circle-published": "Your circle is ready",
    "meeting-proposed": "Meeting requests",
    "meeting-declined": "Declined meeting requests",
    "meeting-reminder": "Meeting reminders",
    "meeting-log-nudge": "Reminders to log a meeting",
    "meeting-invitation": "Calendar invitations for meetings",
    "meeting-cancelled": "Cancelled meetings",
    "meeting-feedback": "Feedback from your partner",
    "pair-update": "Updates from your partner",
    "goal-comment": "Comments on your goals",
    "checkins-due": "Reminders that it is time to meet",
    "checkins-resume": "Welcome back after a pause",
    "digest": "The daily digest email (its items stay in the app)",
    "goal-celebration": "Goals reached",
    "training-due": "Training to finish",
    "survey-assigned": "New surveys",
    "survey-reminder": "Survey reminders",
    "story-consent": "Requests to approve a success story",
    "program-invitation": "Program invitations",
    "coordinator-risk-digest": "Pairs at risk (coordinators)",
}


#: Kinds only coordinators and HR admins are sent: not offered to others.
STAFF_KINDS = frozenset({"coordinator-risk-digest"})


def kinds_offered(user: User, received: list[str]) -> list[str]:
    """The kinds ``user`` may mute: the known ones that apply to them, those they were
    sent and those already muted, sorted by label."""
    known = [
        kind for kind in KIND_LABELS if user.is_coordinator or kind not in STAFF_KINDS
    ]
    return sorted({*known, *received, *(user.muted_kinds or [])}, key=kind_label)


def kind_current(kind: str) -> str:
    """``kind`` as named today: kinds are hyphenated, and links in emails sent before
    the renaming (notifications migration 0004) name them with underscores."""
    return kind.replace("_", "-")


def kind_label(kind: str) -> str:
    """A readable name for a message kind."""
    kind = kind_current(kind)
    return KIND_LABELS.get(kind) or kind.replace("-", " ").capitalize()


def preferences_token(user: User) -> str:
    """A token for ``user``'s preferences links, bound to this organization."""
    return org_signing.sign(user.pk, purpose=PURPOSE)


def user_from_preferences_token(token: str) -> User | None:
    """The active person a token names, or None when it is bad, expired, from another
    organization, or names nobody (any more)."""
    try:
        user_id = org_signing.unsign(
            token, purpose=PURPOSE, max_age_seconds=TOKEN_MAX_AGE_SECONDS
        )
    except signing.BadSignature:
        return None
    if not isinstance(user_id, int):
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def preferences_path(user: User) -> str:
    """The path of ``user``'s preferences page opened by a signed token."""
    return reverse("preferences-signed", args=[preferences_token(user)])


def unsubscribe_path(user: User, kind: str) -> str:
    """The path that stops emails of ``kind`` to ``user`` (one click, POST)."""
    return reverse("unsubscribe", args=[preferences_token(user), kind])


@dataclass(frozen=True)
class MessagePreferences:
    """When and how a person hears from us. Times are local to ``time_zone``;
    quiet hours may run over midnight; both None means no quiet hours."""

    digest_hour: datetime.time
    quiet_start: datetime.time | None
    quiet_end: datetime.time | None
    email_enabled: bool
    muted_kinds: list[str]


def language_choices() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


@transaction.atomic
def user_preferences_update(
    *,
    user: User,
    preferences: MessagePreferences,
    time_zone: str | None = None,
    language: str | None = None,
    preferred_name: str | None = None,
) -> User:
    """Save ``user``'s message preferences (and zone, language and the name they go
    by, when given).

    Raises ValidationError (by field) for an unknown zone or language, or quiet hours
    with one end only. Emails already waiting follow the new choice at send time.
    """
    errors: dict[str, str] = {}
    if time_zone is not None and not is_valid_zone(time_zone):
        errors["time_zone"] = f"Unknown time zone {time_zone!r}."
    if language is not None and language not in dict(language_choices()):
        errors["language"] = f"Unknown language {language!r}."
    if (preferences.quiet_start is None) != (preferences.quiet_end is None):
        errors["quiet_end"] = "Give both ends of your quiet hours, or neither."
    if preferred_name is not None:
        preferred_name = normalize_text(preferred_name)
        try:
            validate_single_line(preferred_name)
        except ValidationError as error:
            errors["preferred_name"] = " ".join(error.messages)
    if errors:
        raise ValidationError(errors)
    user.digest_hour = preferences.digest_hour
    user.quiet_start = preferences.quiet_start
    user.quiet_end = preferences.quiet_end
    choice_before = (user.email_enabled, sorted(user.muted_kinds or []))
    user.email_enabled = preferences.email_enabled
    user.muted_kinds = sorted(set(preferences.muted_kinds))
    fields = ["digest_hour", "quiet_start", "quiet_end", "email_enabled", "muted_kinds"]
    if time_zone is not None:
        user.time_zone = time_zone
        fields.append("time_zone")
    if language is not None:
        user.language = language
        fields.append("language")
    if preferred_name is not None:
        user.preferred_name = preferred_name
        fields.append("preferred_name")
    user.save(update_fields=fields)
    if (user.email_enabled, user.muted_kinds) != choice_before:
        _notification_choice_record(user)
    return user


def user_kind_mute(*, user: User, kind: str) -> bool:
    """Stop emails of ``kind`` to ``user`` (they arrive in the app instead).
    Returns False when it was muted already."""
    kind = kind_current(kind)
    if kind in (user.muted_kinds or []):
        return False
    user.muted_kinds = sorted({*(user.muted_kinds or []), kind})
    user.save(update_fields=["muted_kinds"])
    _notification_choice_record(user)
    return True


#: The version of what the preferences page and unsubscribe links say about emails.
NOTIFICATION_CHOICE_VERSION = "notification-preferences-2026-11"


def _notification_choice_record(user: User) -> None:
    """Keep the person's email choice as a consent record (which emails, when)."""
    consent_record(
        user=user,
        kind="notifications",
        subject="notifications",
        version=NOTIFICATION_CHOICE_VERSION,
        details={"email_enabled": user.email_enabled, "muted_kinds": user.muted_kinds},
    )
