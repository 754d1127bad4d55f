"""Issue 13's examples, one test each: imports as HR departments really send them."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mentorship.accounts.timezones import ZoneNotRecognised, zone_from_text
from programs import importing
from tests.programs.factories import ProgramFactory


def _csv(rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def _parse(content: bytes, **options) -> importing.ParsedFile:
    return importing.participant_file_parse(
        filename="people.csv", content=content, **options
    )


def _reasons(parsed: importing.ParsedFile) -> dict[tuple[int, str], str]:
    return {(p.line, p.column): p.reason for p in parsed.problems}


@pytest.mark.parametrize(
    "header",
    [
        ["first_name", "last_name", "email", "role", "time_zone"],
        ["First Name", "Last Name", "E-mail Address", "Role", "Time Zone"],
    ],
)
def test_export_headers_are_recognised(header):
    parsed = _parse(
        _csv([header, ["Anh", "Tran", "anh@x.example", "mentee", "Asia/Ho_Chi_Minh"]])
    )
    assert parsed.problems == []
    row = parsed.rows[0]
    assert (row["full_name"], row["preferred_name"], row["time_zone"]) == (
        "Anh Tran",
        "Anh",
        "Asia/Ho_Chi_Minh",
    )


@pytest.mark.parametrize(
    ("written", "level"),
    [("junior", 2), ("mid", 3), ("Senior", 4), ("executive", 6), ("5", 5), ("3.0", 3)],
)
def test_seniority_as_words_or_numbers(written, level):
    parsed = _parse(
        _csv(
            [
                ["email", "full_name", "role", "seniority"],
                ["a@x.example", "A", "mentor", written],
            ]
        )
    )
    assert parsed.problems == []
    assert parsed.rows[0]["seniority"] == level


def test_an_excel_windows_1252_file_is_read_with_its_accents():
    content = _csv(
        [
            ["email", "full_name", "role"],
            ["jose@x.example", "José García Muñoz", "mentor"],
        ],
        encoding="cp1252",
    )
    parsed = _parse(content)
    assert parsed.problems == []
    assert parsed.rows[0]["full_name"] == "José García Muñoz"
    assert importing.reading_description(parsed.reading) == (
        "Read as Windows-1252, separated by commas (detected)."
    )


def test_the_coordinator_can_override_encoding_and_delimiter():
    content = _csv(
        [["email", "full_name", "role"], ["jose@x.example", "José", "mentor"]],
        delimiter=";",
        encoding="cp1252",
    )
    parsed = _parse(content, encoding="mac-roman", delimiter=";")
    assert parsed.rows[0]["full_name"] == "Jos\u00c8"  # what Mac Roman makes of é
    assert importing.reading_description(parsed.reading) == (
        "Read as Mac Roman, separated by semicolons (as you chose)."
    )


@pytest.mark.parametrize(
    ("written", "zone"),
    [
        ("Chicago", "America/Chicago"),
        ("america/chicago", "America/Chicago"),
        ("Ho Chi Minh", "Asia/Ho_Chi_Minh"),
        ("SE Asia Standard Time", "Asia/Bangkok"),
        ("India Standard Time", "Asia/Kolkata"),
        ("Central European Standard Time", "Europe/Warsaw"),
    ],
)
def test_time_zones_from_cities_and_windows_names(written, zone):
    assert zone_from_text(written) == zone


def test_a_misspelt_city_gets_a_did_you_mean():
    with pytest.raises(ZoneNotRecognised, match="did you mean America/Chicago"):
        zone_from_text("Chicgo")


@pytest.mark.parametrize("written", ["GMT+4", "UTC-05:00", "Etc/GMT+4", "+07:00"])
def test_offsets_are_refused_explaining_the_inverted_sign(written):
    with pytest.raises(ZoneNotRecognised, match="behind UTC"):
        zone_from_text(written)


def test_time_zone_problems_in_a_file_say_what_to_do():
    parsed = _parse(
        _csv(
            [
                ["email", "full_name", "role", "time_zone"],
                ["a@x.example", "A", "mentor", "Chicago"],
                ["b@x.example", "B", "mentor", "GMT+4"],
            ]
        )
    )
    reason = _reasons(parsed)[(3, "time_zone")]
    assert "Etc/GMT+4 means 4 hours behind UTC" in reason
    assert "Asia/Dubai" in reason


@pytest.mark.parametrize("cell", [" =1+1", "\u00a0=1+1", "\u202f=1+1", "\t=1+1"])
def test_a_formula_behind_leading_spaces_is_refused(cell):
    parsed = _parse(
        _csv(
            [
                ["email", "full_name", "role", "title"],
                ["a@x.example", "A", "mentor", cell],
            ]
        )
    )
    assert parsed.rows == []
    assert "formulas" in _reasons(parsed)[(2, "title")]


def test_lists_split_by_semicolons_commas_or_slashes():
    parsed = _parse(
        _csv(
            [
                ["email", "full_name", "role", "languages", "skills_wanted"],
                [
                    "a@x.example",
                    "A",
                    "mentee",
                    "en/vi, pl",
                    "design / testing, CI/CD; sql",
                ],
            ]
        )
    )
    row = parsed.rows[0]
    assert row["languages"] == ["en", "vi", "pl"]
    assert row["skills_wanted"] == ["design", "testing", "ci/cd", "sql"]


def test_error_rows_name_the_person_and_show_every_problem_of_the_row():
    parsed = _parse(
        _csv(
            [
                ["email", "full_name", "role", "time_zone", "seniority"],
                ["ok@x.example", "Fine", "mentor", "", ""],
                ["lan@x.example", "Nguyễn Thị Lan", "boss", "Moon", "guru"],
            ]
        )
    )
    groups = importing.problems_by_line(parsed.problem_dicts)
    assert [(g["line"], g["person"]) for g in groups] == [(3, "lan@x.example")]
    assert [p["column"] for p in groups[0]["problems"]] == [
        "role",
        "time_zone",
        "seniority",
    ]


def test_an_unknown_column_is_mapped_or_ignored():
    content = _csv(
        [
            ["email", "full_name", "role", "Workplace", "Badge"],
            ["a@x.example", "A", "mentor", "Lyon", "7"],
        ]
    )
    parsed = _parse(content)
    assert [c["header"] for c in parsed.unknown_columns] == ["Workplace", "Badge"]
    assert parsed.rows == []
    parsed = _parse(content, mapping={"workplace": "city", "badge": ""})
    assert parsed.problems == []
    assert parsed.rows[0]["city"] == "Lyon"


def test_preview_says_how_the_file_was_read_and_takes_a_mapping(alpha, coordinator):
    program = ProgramFactory()
    program.coordinators.add(coordinator)
    client = alpha.client("coordinator")
    content = _csv(
        [
            ["First Name", "Last Name", "E-mail Address", "Role", "Workplace"],
            ["José", "García", "jose@x.example", "mentor", "Madrid"],
        ],
        delimiter=";",
        encoding="cp1252",
    )
    upload = client.post(
        f"/manage/programs/{program.pk}/import/",
        {"file": SimpleUploadedFile("people.csv", content, "text/csv")},
    )
    preview = upload["Location"]
    page = client.get(preview).content.decode()
    assert "Read as Windows-1252, separated by semicolons (detected)." in page
    assert "“Workplace”" in page
    response = client.post(
        f"{preview}read/", {"encoding": "", "delimiter": "", "column_4": "city"}
    )
    assert response.status_code == 302
    page = client.get(preview).content.decode()
    assert "1 person ready to import" in page
    assert "José García" in page


def test_a_batch_stored_before_readings_still_shows(alpha, coordinator):
    from programs.models import ImportBatch

    program = ProgramFactory()
    program.coordinators.add(coordinator)
    batch = ImportBatch.objects.create(
        program=program,
        uploaded_by=coordinator,
        filename="old.csv",
        errors=[{"line": 2, "reason": "Bad row."}],
        error_count=1,
    )
    response = alpha.client("coordinator").get(
        f"/manage/programs/{program.pk}/import/{batch.pk}/"
    )
    assert response.status_code == 200
    assert "Bad row." in response.content.decode()


def test_a_wrong_encoding_choice_can_be_changed_again():
    content = _csv(
        [["email", "full_name", "role"], ["a@x.example", "José", "mentor"]],
        encoding="cp1252",
    )
    parsed = _parse(content, encoding="utf-8")
    assert "cannot be read as UTF-8" in parsed.problems[0].reason
    assert parsed.reading["encoding"] == "utf-8"  # the form still offers encodings
    assert _parse(content, encoding="cp1252").rows[0]["full_name"] == "José"
