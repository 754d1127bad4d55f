"""Consent records: accepting a program's agreement (by applying or by accepting an
invitation) stores the text's version and the time."""

from __future__ import annotations

from mentorship.audit.models import ConsentRecord
from mentorship.audit.services import consent_text_version
from programs.models import Enrollment
from programs.services import (
    enrollment_accept_invitation,
    enrollment_apply,
    participant_import_commit,
    participant_import_preview,
)
from tests.programs.factories import EnrollingProgramFactory, participant_for
from tests.programs.importfiles import csv_bytes, people_rows

AGREEMENT = "What is said in a pair stays in the pair."


def test_applying_records_the_agreement_version(alpha, mentee):
    program = EnrollingProgramFactory(confidentiality_agreement=AGREEMENT)
    enrollment_apply(
        participant=participant_for(mentee),
        program=program,
        role="mentee",
        answers={},
        agreed=True,
    )
    consent = ConsentRecord.objects.get(user=mentee)
    assert consent.kind == "program_agreement"
    assert consent.subject == f"program:{program.pk}"
    assert consent.version == consent_text_version(AGREEMENT)
    assert consent.text.text == AGREEMENT
    assert consent.at is not None


def test_a_changed_agreement_is_a_new_version(alpha, mentee, mentor):
    program = EnrollingProgramFactory(confidentiality_agreement=AGREEMENT)
    enrollment_apply(
        participant=participant_for(mentee),
        program=program,
        role="mentee",
        answers={},
        agreed=True,
    )
    program.confidentiality_agreement = AGREEMENT + " Always."
    program.save()
    enrollment_apply(
        participant=participant_for(mentor),
        program=program,
        role="mentor",
        answers={},
        agreed=True,
    )
    versions = set(ConsentRecord.objects.values_list("version", flat=True))
    assert len(versions) == 2


def test_accepting_an_invitation_records_the_agreement(alpha, coordinator, mentee):
    program = EnrollingProgramFactory(
        coordinators=[coordinator], confidentiality_agreement=AGREEMENT
    )
    row = people_rows(1, role="mentee")[0] | {"email": mentee.email}
    batch = participant_import_preview(
        program=program, by=coordinator, filename="p.csv", content=csv_bytes([row])
    )
    participant_import_commit(batch=batch, by=coordinator)
    assert not ConsentRecord.objects.filter(user=mentee).exists()
    enrollment = Enrollment.objects.get(program=program, participant__user=mentee)
    enrollment_accept_invitation(enrollment=enrollment, by=mentee, agreed=True)
    consent = ConsentRecord.objects.get(user=mentee)
    assert consent.version == consent_text_version(AGREEMENT)
    assert consent.details == {"role": "mentee"}


def test_notification_choices_are_recorded(alpha, mentee):
    import datetime

    from mentorship.accounts.preferences import (
        MessagePreferences,
        user_kind_mute,
        user_preferences_update,
    )

    # when: email switched off on the preferences page, then a kind unsubscribed
    user_preferences_update(
        user=mentee,
        preferences=MessagePreferences(
            digest_hour=datetime.time(9),
            quiet_start=None,
            quiet_end=None,
            email_enabled=False,
            muted_kinds=[],
        ),
    )
    user_kind_mute(user=mentee, kind="meeting-reminder")
    # then: two records, latest first, each with the version and the choice
    first, second = ConsentRecord.objects.filter(user=mentee, kind="notifications")[
        ::-1
    ]
    assert first.details == {"email_enabled": False, "muted_kinds": []}
    assert second.details == {
        "email_enabled": False,
        "muted_kinds": ["meeting-reminder"],
    }
    assert first.version == "notification-preferences-2026-11"
    # saving the same choice again adds nothing
    user_kind_mute(user=mentee, kind="meeting-reminder")
    assert ConsentRecord.objects.filter(user=mentee, kind="notifications").count() == 2
