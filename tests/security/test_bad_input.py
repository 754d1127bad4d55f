"""Issue 9 items 8 and 9: control characters are refused at every entry, and bad
input gives a 4xx with a message, never a 500."""

from __future__ import annotations

import pytest
from django import forms
from django.apps import apps
from django.db import models
from django.forms.models import model_to_dict

from checkins.models import Meeting
from mentorship.accounts.models import User
from mentorship.fields import (
    SingleLineCharField,
    SingleLineFormField,
    TimeZoneField,
    validate_single_line,
    validate_time_zone,
)
from programs.importing import participant_file_parse
from programs.models import Enrollment
from tests.checkins.conftest import make_pair
from tests.programs.factories import EnrollingProgramFactory, EnrollmentFactory
from tests.programs.importfiles import csv_bytes, people_rows
from tests.programs.test_profile_edit_view import _data as profile_data

NUL_MESSAGE = "NUL character"

# --- Item 9: NUL in search boxes and filters ----------------------------------------------


@pytest.fixture
def program(alpha, coordinator, mentor, mentee):
    program = EnrollingProgramFactory(name="Growth", coordinators=[coordinator])
    EnrollmentFactory.create_batch(3, program=program)
    make_pair(program=program, mentor=mentor, mentee=mentee)
    return program


@pytest.mark.parametrize(
    "where",
    ["", "health/", "matches/", "matching/"],
    ids=["detail", "health", "matches", "review"],
)
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_a_nul_in_a_search_box_or_filter_is_a_400_with_a_message(
    alpha, program, where, htmx
):
    client = alpha.client("coordinator")
    headers = {"HX-Request": "true"} if htmx else {}
    url = f"/manage/programs/{program.pk}/{where}"
    assert client.get(url, {"q": "Person"}, headers=headers).status_code == 200
    for query in (
        {"q": "\x00"},
        {"status": "appl\x00ied"},
        {"sort": "\x00", "page": "2"},
    ):
        response = client.get(url, query, headers=headers)
        assert response.status_code == 400, (url, query)
        assert NUL_MESSAGE in response.content.decode()


def test_a_nul_in_the_htmx_bulk_form_is_a_400_and_decides_nothing(alpha, program):
    applied = list(Enrollment.objects.filter(program=program, status="applied"))
    response = alpha.client("coordinator").post(
        f"/manage/programs/{program.pk}/enrollments/decide/",
        {
            "enrollment": [e.pk for e in applied],
            "decision": "approve",
            "query": "q=\x00",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
    assert Enrollment.objects.filter(program=program, status="applied").count() == 3


# --- Item 9: time zones typed into the admin, and stored bad ones ------------------------


def _admin_user_form(user: User, **changes) -> dict:
    data = model_to_dict(
        user, exclude=["password", "groups", "user_permissions", "last_login"]
    )
    data = {key: ("" if value is None else value) for key, value in data.items()}
    data["muted_kinds"] = "[]"
    for name in ("digest_hour", "quiet_start", "quiet_end"):
        data[name] = data[name].strftime("%H:%M") if data[name] else ""
    data["date_joined_0"] = user.date_joined.strftime("%Y-%m-%d")
    data["date_joined_1"] = user.date_joined.strftime("%H:%M:%S")
    for flag in ("is_active", "is_staff", "is_superuser", "email_enabled"):
        if not data.get(flag):
            data.pop(flag, None)
    data.update(changes)
    return data


def test_the_admin_refuses_a_time_zone_that_is_not_an_iana_name(alpha, mentee):
    client = alpha.client("hradmin")
    url = f"/admin/accounts/user/{mentee.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(url, _admin_user_form(mentee, time_zone="Mars/Olympus_Mons"))
    assert response.status_code == 200  # the admin re-shows its form with the error
    assert "not one of the available choices" in response.content.decode()
    mentee.refresh_from_db()
    assert mentee.time_zone == "Asia/Kolkata"
    # a real zone is taken
    response = client.post(url, _admin_user_form(mentee, time_zone="Europe/Lisbon"))
    assert response.status_code == 302
    mentee.refresh_from_db()
    assert mentee.time_zone == "Europe/Lisbon"


def test_a_bad_stored_time_zone_does_not_break_the_persons_pages(
    alpha, program, mentee
):
    # given: a zone stored before it was validated
    User.objects.filter(pk=mentee.pk).update(time_zone="Mars/Olympus_Mons")
    client = alpha.client("mentee")
    match = mentee.participant.enrollments.get(program=program).mentee_matches.get()
    for url in (
        "/",
        "/profile/",
        "/matches/",
        f"/pairs/{match.pk}/",
        "/notifications/",
    ):
        # when
        response = client.get(url, follow=True)
        # then: shown in UTC with a note, not a 500
        assert response.status_code == 200, url
        assert "time zone setting was not recognised" in response.content.decode()
    # and proposing a meeting works in UTC
    response = client.post(
        f"/pairs/{match.pk}/meetings/propose/",
        {"starts_at_local": "2030-01-10T10:00", "duration_minutes": "45"},
    )
    assert response.status_code in (302, 422)
    assert response.status_code == 302 or "Pick a time" in response.content.decode()
    if response.status_code == 302:
        assert Meeting.objects.filter(match=match).exists()


# --- Item 8: control characters at every entry -------------------------------------------

HOSTILE_NAMES = [
    "Eve\r\nBcc: all@evil.example",
    "Eve\nAdams",
    "Ev\x00e",
    "Eve\x1b[2J",
    "Ev\x85e",
    "\u202eevE",
    "Eve\u2066x\u2069",
    "Eve\u2028Adams",
]


@pytest.mark.parametrize("value", HOSTILE_NAMES)
def test_the_validator_refuses_control_and_bidi_characters(value):
    with pytest.raises(Exception, match="single line of plain text"):
        validate_single_line(value)


@pytest.mark.parametrize("value", ["Nguyễn Thị Thu Trang", "محمد", "O'Brien-Łukasz 李"])
def test_the_validator_takes_real_names(value):
    validate_single_line(value)


def test_time_zone_validator():
    validate_time_zone("America/Argentina/Buenos_Aires")
    for bad in ("Mars/Olympus_Mons", "../../etc/passwd", "localtime", ""):
        with pytest.raises(Exception, match="not a time zone"):
            validate_time_zone(bad)


@pytest.mark.parametrize("value", HOSTILE_NAMES[:2] + HOSTILE_NAMES[5:6])
def test_the_profile_form_refuses_a_name_with_control_characters(alpha, mentee, value):
    response = alpha.client("mentee").post(
        "/profile/", profile_data(full_name=value, city=value)
    )
    assert response.status_code == 422
    assert "single line of plain text" in response.content.decode()
    mentee.refresh_from_db()
    assert mentee.full_name != value.strip()


@pytest.mark.parametrize("value", HOSTILE_NAMES)
def test_an_import_refuses_control_characters_in_a_cell(value):
    rows = people_rows(3)
    rows[1]["full_name"] = value
    rows[2]["title"] = "Lead " + value
    parsed = participant_file_parse(filename="people.csv", content=csv_bytes(rows))
    assert parsed.rows == []
    if "\x00" in value:  # the whole file is refused before its rows are read
        assert "NUL" in parsed.problems[0].reason
        return
    problems = {(p.line, p.column) for p in parsed.problems}
    assert (3, "full_name") in problems
    # the next row starts on line 4, or later if a quoted line break came before
    assert any(column == "title" and line >= 4 for line, column in problems)
    assert any("plain text" in p.reason for p in parsed.problems)


def test_the_admin_refuses_a_name_with_a_bidi_override(alpha, mentee):
    client = alpha.client("hradmin")
    url = f"/admin/accounts/user/{mentee.pk}/change/"
    response = client.post(url, _admin_user_form(mentee, full_name="\u202eevE"))
    assert response.status_code == 200
    assert "single line of plain text" in response.content.decode()
    mentee.refresh_from_db()
    assert "\u202e" not in mentee.full_name


# Fields whose text no person types (or with choices): exempt from the rule.
NOT_TYPED = {
    ("accounts", "user", "email"),  # EmailField's own validator refuses controls
    ("accounts", "user", "password"),
    ("accounts", "user", "language"),
    ("programs", "importbatch", "filename"),  # cleaned by the import service
    ("programs", "participant", "languages"),  # ISO codes, checked against the list
    ("matching", "circle", "shared_skills"),  # computed from validated skills
    # importing.header_key of a header the file had: [0-9a-z] only
    ("programs", "importcolumnmapping", "key"),
    # checked against importing.FIELDS by participant_import_reread
    ("programs", "importcolumnmapping", "field"),
}
COVERED_APPS = ("accounts", "programs", "matching", "checkins")


def test_every_typed_one_line_field_of_the_domain_refuses_control_characters():
    """A new CharField in these apps must be a SingleLineCharField (or say why not)."""
    missing = []
    for model in apps.get_models():
        label = model._meta.app_label
        if label not in COVERED_APPS:
            continue
        for field in model._meta.get_fields():
            base = getattr(field, "base_field", field)
            if not isinstance(base, models.CharField) or base.choices:
                continue
            if isinstance(
                base,
                models.EmailField | models.URLField | models.SlugField | TimeZoneField,
            ):
                continue
            key = (label, model._meta.model_name, field.name)
            if key in NOT_TYPED:
                continue
            if validate_single_line not in base.validators:
                missing.append(".".join(key))
    assert not missing, f"use mentorship.fields.SingleLineCharField for {missing}"
    assert isinstance(User._meta.get_field("full_name"), SingleLineCharField)


def _form_classes(module) -> list[type[forms.BaseForm]]:
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, forms.BaseForm)
        and (
            value.__module__ == module.__name__
            or value.__module__.startswith(f"{module.__name__}.")
        )
    ]


def test_every_one_line_text_input_of_the_domain_forms_refuses_control_characters():
    """Plain forms (not model forms) declare their own fields: the same rule."""
    import checkins.forms
    import matching.forms
    import programs.forms

    missing, checked = [], 0
    for module in (programs.forms, matching.forms, checkins.forms):
        for form_class in _form_classes(module):
            for name, field in form_class.base_fields.items():
                if type(field) is not forms.CharField and not isinstance(
                    field, SingleLineFormField
                ):
                    continue
                if isinstance(field.widget, forms.Textarea | forms.HiddenInput):
                    continue
                checked += 1
                if validate_single_line not in field.validators:
                    missing.append(f"{form_class.__name__}.{name}")
    assert not missing, f"use mentorship.fields.SingleLineFormField for {missing}"
    assert checked >= 8


def test_a_nul_on_the_platform_site_is_a_400_too(db):
    from django.test import Client

    response = Client(HTTP_HOST="localhost").get("/", {"q": "\x00"})
    assert response.status_code == 400
    assert NUL_MESSAGE in response.content.decode()
