"""Participant imports: preview an uploaded file, read it again with the
coordinator's choices, and commit it (accounts, profiles, invited enrolments and
their invitations, all or nothing)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from members.models import MemberOrganization, Membership
from members.services import membership_add
from mentorship.accounts.models import User
from mentorship.accounts.services import NewUser, password_reset_path, user_create_many
from mentorship.audit.services import record
from mentorship.fields import forbidden_character
from mentorship.notifications.services import (
    NotificationSpec,
    notifications_create_bulk,
)
from programs import importing
from programs.models import (
    Enrollment,
    ImportBatch,
    ImportColumnMapping,
    Participant,
    Program,
    ProgramRole,
)
from programs.services._common import require_manager


@transaction.atomic
def participant_import_preview(
    *, program: Program, by: User, filename: str, content: bytes
) -> ImportBatch:
    """Parse and validate an uploaded file; store it as a batch to confirm.

    Writes no people. A file with any problem keeps only its problems.
    """
    require_manager(program=program, by=by)
    batch = ImportBatch(
        program=program,
        uploaded_by=by,
        # Shown on pages: control and direction characters are dropped.
        filename="".join(
            char for char in filename if forbidden_character(char) is None
        )[:255],
        content=content[: importing.MAX_BYTES + 1],
    )
    _import_read(batch, encoding=None, delimiter=None)
    batch.save()
    return batch


@transaction.atomic
def participant_import_reread(
    *,
    batch: ImportBatch,
    by: User,
    encoding: str | None,
    delimiter: str | None,
    mapping: dict[str, str],
) -> ImportBatch:
    """Read a previewed file again with the coordinator's choices: ``encoding``
    and ``delimiter`` (None: detect), and ``mapping`` of unknown columns
    (importing.header_key -> field name, "" to ignore), which is remembered for
    this organization's later files. Raises ValidationError for a batch already
    imported or an unknown field."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    require_manager(program=batch.program, by=by)
    if batch.status != ImportBatch.Status.PREVIEWED:
        raise ValidationError("This file has already been imported.")
    headers = {
        column["key"]: column["header"] for column in batch.reading.get("columns", [])
    }
    for key, field in mapping.items():
        if key not in headers or not key:
            continue
        if field and field not in importing.FIELDS:
            raise ValidationError(
                f"{field!r} is not a field people can be imported to."
            )
        ImportColumnMapping.objects.update_or_create(
            key=key[:100],
            defaults={"header": headers[key][:100], "field": field, "updated_by": by},
        )
    _import_read(batch, encoding=encoding, delimiter=delimiter)
    batch.save()
    return batch


def _import_read(
    batch: ImportBatch, *, encoding: str | None, delimiter: str | None
) -> None:
    """Parse ``batch.content`` with the organization's remembered column mapping;
    store rows, problems and how it was read on the batch (unsaved)."""
    mapping = dict(ImportColumnMapping.objects.values_list("key", "field"))
    parsed = importing.participant_file_parse(
        filename=batch.filename,
        content=bytes(batch.content),
        encoding=encoding,
        delimiter=delimiter,
        mapping=mapping,
    )
    _import_member_organizations_check(parsed)
    if not parsed.problem_total:
        _import_capacity_check(batch.program, parsed)
    batch.rows = parsed.rows
    batch.errors = parsed.problem_dicts
    batch.error_count = parsed.problem_total
    batch.row_count = len(parsed.rows)
    batch.reading = parsed.reading


def _import_member_organizations_check(parsed: importing.ParsedFile) -> None:
    """Each row's member organization must exist (its name, ignoring capitals):
    an unknown name is a problem on that line, naming the ones there are."""
    wanted = {
        row["member_organization"].casefold()
        for row in parsed.rows
        if row.get("member_organization")
    }
    if not wanted:
        return
    names = list(MemberOrganization.objects.values_list("name", flat=True))
    known = {name.casefold() for name in names}
    header = next(
        (
            column["header"]
            for column in parsed.columns
            if column.get("field") == "member_organization"
        ),
        "member_organization",
    )
    there_are = (
        f"The member organizations are: {', '.join(names)}."
        if names
        else "There are no member organizations yet."
    )
    problem_lines = set()
    for row in parsed.rows:
        name = row.get("member_organization")
        if name and name.casefold() not in known:
            problem_lines.add(row["line"])
            parsed.add(
                row["line"],
                header,
                f"No member organization named “{name}” — create it first on the "
                f"Member organizations page. {there_are}",
                row["email"],
            )
    if problem_lines:
        parsed.rows = []


def _import_capacity_check(program: Program, parsed: importing.ParsedFile) -> None:
    """Refuse a file that would invite more mentees than the places left (approved
    and already-invited mentees hold a place)."""
    if program.mentee_capacity is None:
        return
    emails = [row["email"] for row in parsed.rows if row["role"] == ProgramRole.MENTEE]
    holding = program.enrollments.filter(
        role=ProgramRole.MENTEE,
        status__in=[Enrollment.Status.APPROVED, Enrollment.Status.INVITED],
    )
    already = {
        email.lower()
        for email in holding.values_list("participant__user__email", flat=True)
    }
    approved = holding.count()
    adding = len([email for email in emails if email not in already])
    if approved + adding > program.mentee_capacity:
        parsed.rows = []
        parsed.add(
            0,
            "role",
            f"The program takes {program.mentee_capacity} mentees and {approved} are "
            f"approved or invited; this file would invite {adding}. Raise the "
            "capacity or import fewer.",
        )


@transaction.atomic
def participant_import_commit(*, batch: ImportBatch, by: User) -> ImportBatch:
    """Import a previewed batch: all its rows or none.

    People are matched to accounts by email, case-insensitively. An existing
    account is never changed by a file (name, time zone, role and profile stay as
    they are); new people get an account and a profile from their row. Nobody is
    enrolled by an import: each person gets an ``invited`` enrolment and, after
    commit, an invitation to accept the program's agreement
    (``enrollment_accept_invitation``). Enrolments already approved, applied,
    waitlisted or completed are left alone; declined or withdrawn ones are invited
    again. Sets ``created_count`` (new accounts) and ``updated_count`` (people who
    already had one).
    """
    batch = (
        ImportBatch.objects.select_for_update()
        .select_related("program")
        .get(pk=batch.pk)
    )
    program = batch.program
    require_manager(program=program, by=by)
    if batch.status != ImportBatch.Status.PREVIEWED:
        raise ValidationError("This file has already been imported.")
    if batch.error_count:
        raise ValidationError("Fix the problems in the file and upload it again.")
    rows = batch.rows
    users = _imported_users_match([row["email"] for row in rows])
    new_users = user_create_many(
        people=[
            NewUser(
                email=row["email"],
                full_name=row["full_name"],
                preferred_name=row.get("preferred_name") or "",
                time_zone=row["time_zone"] or "UTC",
            )
            for row in rows
            if row["email"] not in users
        ],
        # The addresses come from the organization, and the invitation link is
        # mailed to them: following it proves the address.
        verified=True,
    )
    created = {user.email for user in new_users}
    users.update({user.email: user for user in new_users})
    participants = _imported_participants_save(rows, users, created)
    _imported_managers_link(rows, participants, created)
    _imported_memberships_add(rows, users, by)
    invited = _imported_enrollments_invite(rows, program, participants, by)
    batch.status = ImportBatch.Status.COMMITTED
    batch.committed_at = timezone.now()
    # The file itself is only kept to read it again before confirming.
    batch.content = b""
    batch.created_count = len(new_users)
    batch.updated_count = len(rows) - len(new_users)
    batch.save()
    _invite(enrollments=invited, new_user_ids={user.pk for user in new_users})
    record(
        action="import.committed",
        target=batch,
        actor=by,
        details={
            "program": program.pk,
            "rows": len(rows),
            "created": batch.created_count,
        },
    )
    return batch


def _imported_users_match(emails: list[str]) -> dict[str, User]:
    """Existing accounts by lowercased email (addresses stored with capitals too)."""
    return {
        user.email_lower: user
        for user in User.objects.annotate(email_lower=Lower("email")).filter(
            email_lower__in=emails
        )
    }


_ROW_TO_PARTICIPANT = {
    "title": "title",
    "department": "department",
    "seniority": "seniority",
    "country": "country",
    "city": "city",
    "languages": "languages",
    "skills_offered": "skills_offered",
    "skills_wanted": "skills_wanted",
    "capacity": "mentoring_capacity",
    "working_days": "working_days",
    "affiliation": "affiliation",
    "employment_status": "employment_status",
    "grade": "grade",
}
# ISO dates in the stored rows -> Participant date fields.
_ROW_DATES = {
    "hired_on": "hired_on",
    "left_on": "left_on",
    "last_promoted_on": "last_promoted_on",
}


def _imported_participants_save(
    rows: list[dict[str, Any]], users: dict[str, User], created: set[str]
) -> dict[str, Participant]:
    """Profiles for the file's people: new accounts get theirs from the row; people
    who already had an account keep their profile untouched (one is made empty
    only when they had none)."""
    existing = {
        participant.user_id: participant
        for participant in Participant.objects.filter(
            user_id__in=[user.pk for user in users.values()]
        )
    }
    to_create = []
    by_email: dict[str, Participant] = {}
    for row in rows:
        user = users[row["email"]]
        participant = existing.get(user.pk)
        if participant is None:
            participant = Participant(user=user)
            if row["email"] in created:
                _participant_fill(participant, row)
            to_create.append(participant)
        by_email[row["email"]] = participant
    Participant.objects.bulk_create(to_create, batch_size=500)
    return by_email


def _imported_managers_link(
    rows: list[dict[str, Any]], participants: dict[str, Participant], created: set[str]
) -> None:
    """New people's manager, from their row's manager email, when the manager has
    a profile here (in this file or before); existing profiles are left alone."""
    wanted = {
        row["email"]: row["manager_email"]
        for row in rows
        if row.get("manager_email")
        and row["email"] in created
        and row["manager_email"] != row["email"]
    }
    if not wanted:
        return
    managers = {
        email: participant
        for email, participant in participants.items()
        if email in set(wanted.values())
    }
    for participant in Participant.objects.annotate(
        email_lower=Lower("user__email")
    ).filter(email_lower__in=set(wanted.values()) - set(managers)):
        managers[participant.email_lower] = participant
    linked = []
    for email, manager_email in wanted.items():
        if manager_email in managers:
            participants[email].manager = managers[manager_email]
            linked.append(participants[email])
    Participant.objects.bulk_update(linked, ["manager"], batch_size=500)


def _imported_memberships_add(
    rows: list[dict[str, Any]], users: dict[str, User], by: User
) -> None:
    """Put each row's person on their member organization's team (named in the
    file, checked at preview), unless they are on it already. Membership changes
    go through ``members.services`` (audited); no one is sent a member
    invitation here: the program's invitation follows."""
    wanted = [
        (row["member_organization"].casefold(), users[row["email"]])
        for row in rows
        if row.get("member_organization")
    ]
    if not wanted:
        return
    by_name = {
        organization.name.casefold(): organization
        for organization in MemberOrganization.objects.all()
    }
    on_teams = set(
        Membership.objects.filter(
            user_id__in=[user.pk for _, user in wanted], left_at__isnull=True
        ).values_list("member_organization_id", "user_id")
    )
    for name, user in wanted:
        organization = by_name.get(name)
        if organization is None:
            raise ValidationError(
                "A member organization named in the file no longer exists; upload "
                "the file again."
            )
        if (organization.pk, user.pk) in on_teams:
            continue
        membership_add(member_organization=organization, by=by, user=user)
        on_teams.add((organization.pk, user.pk))


def _participant_fill(participant: Participant, row: dict[str, Any]) -> None:
    for column, name in _ROW_TO_PARTICIPANT.items():
        if row.get(column) is not None:
            setattr(participant, name, row[column])
    for column, name in _ROW_DATES.items():
        if row.get(column):
            setattr(participant, name, datetime.date.fromisoformat(row[column]))
    if row.get("working_hours"):
        start, end = row["working_hours"]
        participant.working_hours_start = datetime.time.fromisoformat(start)
        participant.working_hours_end = datetime.time.fromisoformat(end)


# An import invites again people who were declined or withdrew; it leaves alone
# anyone who is invited, deciding, in, or done.
_REINVITABLE = {Enrollment.Status.DECLINED, Enrollment.Status.WITHDRAWN}


def _imported_enrollments_invite(
    rows: list[dict[str, Any]],
    program: Program,
    participants: dict[str, Participant],
    by: User,
) -> list[Enrollment]:
    """``invited`` enrolments for the file's rows; returns the ones to notify."""
    now = timezone.now()
    wanted = {(participants[row["email"]].pk, row["role"]) for row in rows}
    existing = {
        (enrollment.participant_id, enrollment.role): enrollment
        for enrollment in Enrollment.objects.filter(
            program=program,
            participant_id__in=[pk for pk, _ in wanted],
        )
    }
    created = Enrollment.objects.bulk_create(
        [
            Enrollment(
                participant_id=participant_id,
                program=program,
                role=role,
                status=Enrollment.Status.INVITED,
                decided_by=by,
                decided_at=now,
            )
            for participant_id, role in sorted(wanted)
            if (participant_id, role) not in existing
        ],
        batch_size=500,
    )
    again = [
        enrollment
        for key, enrollment in existing.items()
        if key in wanted and enrollment.status in _REINVITABLE
    ]
    Enrollment.objects.filter(pk__in=[e.pk for e in again]).update(
        status=Enrollment.Status.INVITED,
        agreed_at=None,
        decided_by=by,
        decided_at=now,
        updated_at=now,
    )
    return list(
        Enrollment.objects.filter(pk__in=[e.pk for e in [*created, *again]])
        .select_related("program", "participant__user")
        .order_by("id")
    )


def _invite(*, enrollments: list[Enrollment], new_user_ids: set[int]) -> None:
    """Queue, in the caller's transaction, one invitation per enrolment through the
    outbox (deduplicated; links made absolute on the organization's domain when
    sent). People new to the organization get a link to set their password
    (allauth's reset-key page), after which their portal shows the invitation;
    people who already have an account get a link to the invitation itself.
    """
    specs = []
    for enrollment in enrollments:
        user, program = enrollment.participant.user, enrollment.program
        if user.pk in new_user_ids:
            path = password_reset_path(user)
            step = (
                "Follow the link to set your password; your portal then shows the "
                "invitation. The link works for a few days; after that, use "
                "“Forgot password?” on the sign-in page."
            )
        else:
            path = reverse(
                "programs:invitation-accept", kwargs={"enrollment_id": enrollment.pk}
            )
            step = "Follow the link to read the program's agreement and accept."
        specs.append(
            NotificationSpec(
                recipient=user,
                kind="program-invitation",
                # Invited again after a withdrawal: a new message.
                dedupe_key=(
                    f"program-invitation:{enrollment.pk}:"
                    f"{enrollment.decided_at:%Y%m%dT%H%M%S}"
                ),
                subject=f"You're invited to {program.name}",
                body=(
                    f"Hello {user.greeting_name},\n\n"
                    f"You are invited to join the mentorship program “{program.name}” "
                    f"as a {enrollment.get_role_display().lower()}. You are enrolled "
                    f"once you accept its agreement. {step}"
                ),
                link=path,
            )
        )
    notifications_create_bulk(specs=specs)
