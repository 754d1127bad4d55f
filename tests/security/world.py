"""The sweep's world: in alpha, program P (pair A of the `mentor` and `mentee` personas,
and a sibling pair A2 of two other people) coordinated by `coordinator`, and program Q
(pair B, mentored by `other_mentor`) coordinated by `coordinator2`; the same in beta,
whose ids are pushed past anything alpha has, so beta's ids name nothing in alpha.

Every text field holds a sentinel ``SNT-<org>-<label>-Z`` and the set of roles that may
read it; the sweep fails a response that shows a sentinel to anyone else.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from mentorship.accounts.models import User
from mentorship.audit.services import consent_record, record
from mentorship.organizations.models import Organization
from privacy.services.retention import policy_get
from programs.models import Enrollment, Program
from tests.conftest import persona_email
from tests.programs.factories import (
    EnrollingProgramFactory,
    ParticipantFactory,
    UserFactory,
)
from tests.security.url_roles import (
    COORD,
    HR,
    MENTEE,
    MENTOR,
    OTHER_COORD,
    OTHER_MENTOR,
    ROLES,
)
from tests.security.world_members import seed_member_organizations
from tests.security.world_programs import _seed_pair, _seed_program
from tests.security.world_types import (
    FOREIGN_ID_FLOOR,
    KWARG_OBJECTS,
    Ids,
    Secrets,
    TenantWorldIds,
    push_ids_past,
)

SIGNED_IN = frozenset(ROLES) - {"anonymous", "alien"}

__all__ = [
    "FOREIGN_ID_FLOOR",
    "KWARG_OBJECTS",
    "SIGNED_IN",
    "Ids",
    "Secrets",
    "TenantWorldIds",
    "content_type_id",
    "push_ids_past",
    "seed_tenant",
]


def _person(secret: Secrets, label: str, *who, email: str | None = None) -> User:
    """A user with a profile; names and profile text readable by ``who``."""
    if email is not None:
        user = User.objects.get(email=email)
        user.full_name = f"{user.full_name} {secret(label + '.name', *who)}"
        user.save(update_fields=["full_name"])
    else:
        user = UserFactory(full_name=f"Sam {secret(label + '.name', *who)}")
    ParticipantFactory(
        user=user,
        title=secret(label + ".title", *who),
        department=secret(label + ".department", *who),
        city=secret(label + ".city", *who),
        bio=secret(label + ".bio", *who),
        affiliation=secret(label + ".affiliation", *who),
    )
    return user


def seed_tenant(slug: str) -> tuple[TenantWorldIds, Secrets]:
    """Seed one organization's world in the current schema (see the module doc)."""
    secret = Secrets(slug)
    files: list[str] = []
    every = SIGNED_IN
    coordinator = User.objects.get(email=persona_email("coordinator", slug))
    coordinator2 = User.objects.get(email=persona_email("coordinator2", slug))
    a_pair = {MENTEE, MENTOR}
    mentee = _person(
        secret, "mentee", a_pair, COORD, HR, email=persona_email("mentee", slug)
    )
    mentor = _person(
        secret, "mentor", a_pair, COORD, HR, email=persona_email("mentor", slug)
    )
    other_mentor = _person(secret, "othermentor", OTHER_MENTOR, OTHER_COORD, HR)
    other_mentor.set_password(
        "sweep-password-1"
    )  # like the personas: can re-authenticate
    other_mentor.save(update_fields=["password"])
    other_mentee = _person(secret, "othermentee", OTHER_MENTOR, OTHER_COORD, HR)
    sib_mentor = _person(secret, "sibmentor", COORD, HR)
    sib_mentee = _person(secret, "sibmentee", COORD, HR)

    p, home = _seed_program(secret, "p", coordinator, a_pair, {COORD, HR}, files)
    _seed_pair(secret, "a", p, mentor, mentee, MENTOR, MENTEE, home)
    sibling = Ids(**{**home.__dict__, "admin": dict(home.admin)})
    _seed_pair(secret, "a2", p, sib_mentor, sib_mentee, None, None, sibling)
    q, other = _seed_program(
        secret, "q", coordinator2, {OTHER_MENTOR}, {OTHER_COORD, HR}, files
    )
    _seed_pair(secret, "b", q, other_mentor, other_mentee, OTHER_MENTOR, None, other)

    for ids, tag, owner, invitee in (
        (home, "o", coordinator, mentee),
        (other, "o2", coordinator2, other_mentee),
    ):
        open_program = EnrollingProgramFactory(
            name=f"Open {secret(tag + '.name', every)}",
            description=secret(tag + ".description", every),
            confidentiality_agreement=secret(tag + ".agreement", every),
            coordinators=[owner],
        )
        ids.open_program = open_program.pk
        ids.invitation = Enrollment.objects.create(
            participant=invitee.participant,
            program=open_program,
            role="mentor",
            status=Enrollment.Status.INVITED,
        ).pk
    sibling.open_program = home.open_program
    sibling.invitation = Enrollment.objects.create(
        participant=sib_mentee.participant,
        program_id=home.open_program,
        role="mentor",
        status=Enrollment.Status.INVITED,
    ).pk

    group = Group.objects.create(name=secret("group", HR))
    authenticator = Authenticator.objects.create(
        user=mentor,
        type=Authenticator.Type.TOTP,
        data={"secret": secret("totp", MENTOR)},
    )
    organization = Organization.objects.get(schema_name=connection.schema_name)
    for ids in (home, sibling, other):
        ids.admin[("auth", "group")] = group.pk
        ids.admin[("mfa", "authenticator")] = authenticator.pk
        ids.admin[("organizations", "organization")] = organization.pk
    # The audit log, consent records and privacy pages: rows of this schema.
    entry = record(action="export.downloaded", target=mentee, details={"sweep": 1})
    consent = consent_record(
        user=mentee, kind="notifications", subject="notifications", version="sweep"
    )
    for ids in (home, sibling, other):
        ids.admin[("auditlog", "logentry")] = entry.pk
        ids.admin[("audit", "consentrecord")] = consent.pk
        ids.admin[("privacy", "person")] = mentee.pk
        ids.admin[("privacy", "retentionpolicy")] = policy_get().pk
    seed_member_organizations(secret, home=home, sibling=sibling, other=other)
    users = {
        MENTEE: mentee,
        MENTOR: mentor,
        OTHER_MENTOR: other_mentor,
        COORD: coordinator,
        OTHER_COORD: coordinator2,
        HR: User.objects.get(email=persona_email("hradmin", slug)),
    }
    return TenantWorldIds(slug, home, sibling, other, users, files), secret


def content_type_id() -> int:
    return ContentType.objects.get_for_model(Program).pk
