"""Erasing a person: their personal data goes, the organization's numbers stay.

What ``person_erase`` does, in one transaction:

- the account: name "Former participant", email ``erased-<id>@erased.invalid``, no
  password, inactive (can't sign in; sessions stop working), not staff, no
  two-factor or email records, notification choices reset;
- the profile: free-text and descriptive fields emptied (title, department, city,
  bio, skills, languages, affiliation, styles, manager link); kept, because the
  impact metrics count them and they name nobody on their own: country,
  seniority, employment status and HR dates, grade, time zone;
- their own words: private notes deleted; notifications to them deleted; every
  text they authored (meeting logs, updates, goal comments, pulse comments,
  feedback, action items…) emptied, rows kept (meetings held, pulses' scores and
  goals' progress still count); application answers and written survey answers
  emptied, scores kept; their consent to stories that name them withdrawn;
  data exports deleted;
- everywhere else (other people's notifications, logs, imports, the admin's and the
  audit log's text): their name and email replaced, by a scan of every text
  column (``privacy.services.scrub``);
- one audit entry, "Personal data erased", naming the account by id only.

The other person's records (their logs, notes, goals) stay theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone

from checkins.models import PrivateNote
from mentorship.accounts.models import User
from mentorship.audit.services import record, redaction
from mentorship.fields import SingleLineCharField
from mentorship.notifications.services import notifications_delete
from privacy.services import exports, scrub
from programs.models import Enrollment, Participant
from reporting.models import Answer, StoryPerson

FORMER_NAME = "Former participant"
ERASED_EMAIL = "erased@erased.invalid"

#: Profile fields emptied; the rest of Participant feeds the impact metrics.
#: Said on the admin's confirmation page.
WHAT_GOES = [
    "Name and email: replaced by “Former participant” here and wherever they appear",
    "Sign-in: the account is closed (no password, no two-factor, inactive)",
    "Profile: title, department, city, bio, skills, languages, styles, manager",
    "Everything they wrote: meeting logs, updates, comments, feedback, pulse notes, "
    "application answers and written survey answers",
    "Their private notes, notifications and data exports: deleted",
    "Consent to success stories that name them: withdrawn",
]
WHAT_STAYS = [
    "The organization's numbers: enrolments, matches, meetings held, goals' progress, "
    "pulse and survey scores (so impact reports don't change)",
    "Country, seniority, time zone and HR dates, which the retention and growth "
    "figures use and which name nobody on their own",
    "Their partners' own records (with this person's name replaced)",
    "The audit log, which records this erasure by account number only",
]

PROFILE_CLEARED: dict[str, object] = {
    "title": "",
    "department": "",
    "city": "",
    "bio": "",
    "affiliation": "",
    "skills_offered": [],
    "skills_wanted": [],
    "languages": [],
    "learning_preferences": [],
    "communication_style": "",
    "manager": None,
}


@dataclass(frozen=True)
class Erased:
    user_id: int
    rows_scrubbed: int


def erased_email(user_id: int) -> str:
    return f"erased-{user_id}@erased.invalid"


def is_erased(user: User) -> bool:
    return user.email == erased_email(user.pk)


@transaction.atomic
def person_erase(*, user: User, by: User | None, reason: str = "request") -> Erased:
    """Erase ``user``'s personal data (see the module docstring). ``by``: the HR
    admin (None for the retention task); ``reason``: "request" or "retention".

    Raises PermissionDenied for one's own account. Idempotent: erasing an erased
    person changes nothing more and records nothing.
    """
    if by is not None and by.pk == user.pk:
        raise PermissionDenied("You can't erase your own account.")
    user = User.objects.select_for_update().get(pk=user.pk)
    if is_erased(user):
        return Erased(user_id=user.pk, rows_scrubbed=0)
    strings = _identifying_strings(user)
    _account_anonymise(user)
    _own_content_remove(user)
    with redaction():
        rows = scrub.scrub(strings=strings, replacement=FORMER_NAME)
    record(
        action="person.erased",
        target=user,
        actor=by,
        details={"user_id": user.pk, "reason": reason},
    )
    return Erased(user_id=user.pk, rows_scrubbed=rows)


def _identifying_strings(user: User) -> list[str]:
    """Full name, preferred name and every email address the person had here.
    (Their greeting name is their preferred name or full name: both in the list.)"""
    emails = set(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    names = [user.full_name, getattr(user, "preferred_name", "")]
    return [
        s.strip() for s in [*names, user.email, *emails] if s and len(s.strip()) >= 3
    ]


def _account_anonymise(user: User) -> None:
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.email = erased_email(user.pk)
    user.full_name = FORMER_NAME
    if hasattr(user, "preferred_name"):
        user.preferred_name = ""
    user.set_unusable_password()  # also ends every session (its hash changes)
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.role = User.Role.MEMBER
    user.email_enabled = False
    user.muted_kinds = []
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    Participant.objects.filter(user=user).update(**PROFILE_CLEARED)


def _own_content_remove(user: User) -> None:
    PrivateNote.objects.filter(author=user).delete()
    notifications_delete(recipient=user)
    exports.data_exports_delete(user=user)
    Enrollment.objects.filter(participant__user=user).update(answers={})
    Answer.objects.filter(response__assignment__participant__user=user).exclude(
        text=""
    ).update(text="")
    mentions = StoryPerson.objects.filter(participant__user=user).exclude(
        consent=StoryPerson.Consent.DECLINED
    )
    for mention in mentions.select_related("story"):
        # A story naming them never shows again (their name in it is replaced too).
        mention.consent = StoryPerson.Consent.DECLINED
        mention.consent_version = mention.story.version
        mention.consent_at = timezone.now()
        mention.save(update_fields=["consent", "consent_version", "consent_at"])
    for model, field in _authored():
        texts = {f.name: "" for f in model._meta.concrete_fields if _is_free_text(f)}
        if texts:
            model.objects.filter(**{field: user}).update(**texts)  # type: ignore[attr-defined]


def _authored() -> list[tuple[type[models.Model], str]]:
    """(model, field) for every model with an ``author`` foreign key to users: what
    people write (logs, updates, comments, pulses, feedback, action items…)."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if (
                field.name == "author"
                and field.is_relation
                and field.related_model._meta.label == settings.AUTH_USER_MODEL  # type: ignore[union-attr]
                and model is not PrivateNote
            ):
                found.append((model, field.name))
    return found


def _is_free_text(field: models.Field[Any, Any]) -> bool:
    """Text people type: TextFields and single-line fields without choices."""
    if field.choices or field.primary_key or getattr(field, "unique", False):
        return False
    return isinstance(field, models.TextField | SingleLineCharField) and not field.null
