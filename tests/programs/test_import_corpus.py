"""The import corpus (tests/data/imports/, made by make_corpus.py to mimic real
exports): each file imports with names intact, or is refused whole with a reason
per line (issue 13)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mentorship.accounts.models import User
from programs import importing, services
from programs.models import ImportColumnMapping, Participant
from tests.programs.factories import ProgramFactory

CORPUS = Path(__file__).resolve().parent.parent / "data" / "imports"

# file -> (mapping the coordinator chose, what is read: (encoding, delimiter),
#          {email: (full name, preferred name)})
IMPORTED = {
    "excel_windows_cp1252.csv": (
        {},
        ("cp1252", ","),
        {
            "jose.garcia@globex.example": ("José García Muñoz", "José"),
            "zoe.muller@globex.example": ("Zoë Müller", "Zoë"),
            "francois.cote@globex.example": ("François Côté", "François"),
        },
    ),
    "excel_windows_semicolons_cp1252.csv": (
        {"workplace": "city"},
        ("cp1252", ";"),
        {
            "amelie.lefevre@globex.example": ("Amélie Lefèvre", "Amélie"),
            "soren.aero@globex.example": ("Søren Ærø", "Søren"),
        },
    ),
    "excel_mac_utf8_bom.csv": (
        {},
        ("utf-8-sig", ","),
        {
            "lan.nguyen@globex.example": ("Nguyễn Thị Lan", None),
            "lukasz.zolc@globex.example": ("Łukasz Żółć", None),
        },
    ),
    "excel_mac_macroman.csv": (
        {},
        ("mac-roman", ","),
        {
            "renee.dube@globex.example": ("Renée Dubé", None),
            "begona.ibanez@globex.example": ("Begoña Ibáñez", None),
        },
    ),
    "excel_windows.xlsx": (
        {},
        (None, None),
        {
            "ha.dang@globex.example": ("Thu Hà Đặng", "Thu Hà"),
            "bjorn@globex.example": ("Björn Åkesson", "Björn"),
        },
    ),
    "google_sheets.csv": (
        {},
        ("utf-8", ","),
        {
            "minh.dang@globex.example": ("Đặng Văn Minh", None),
            "anh.tran@globex.example": ("Anh Tran", None),
            "priya.raman@globex.example": ("Priya Raman", None),
        },
    ),
    "libreoffice.csv": (
        {},
        ("utf-8", ","),
        {
            "ines.sa@globex.example": ("Inês Sá", None),
            "oyvind@globex.example": ("Øyvind Åsen", None),
        },
    ),
    "hr_system_windows_zones.csv": (
        {"employeeid": ""},
        ("utf-8", ","),
        {
            "lan.nguyen@hr.example": ("Thi Lan Nguyen", "Lan"),
            "hoa.pham@hr.example": ("Hoa Pham", "Hoa"),
            "arjun.mehta@hr.example": ("Arjun Mehta", "AJ"),
        },
    ),
    "excel_unicode_text_utf16.txt": (
        {},
        ("utf-16", "\t"),
        {
            "kenji@globex.example": ("山田 健二", None),
            "olga@globex.example": ("Ольга Иванова", None),
        },
    ),
    "utf16be_tab_no_bom.txt": (
        {},
        ("utf-16-be", "\t"),
        {
            "kenji@globex.example": ("山田 健二", None),
            "olga@globex.example": ("Ольга Иванова", None),
        },
    ),
    "semicolons_utf8.csv": (
        {},
        ("utf-8", ";"),
        {
            "marta@globex.example": ("Marta Kowalczyk", None),
            "joao@globex.example": ("João Conceição", None),
        },
    ),
    "bom_utf8.csv": (
        {},
        ("utf-8-sig", ","),
        {"siobhan@globex.example": ("Siobhán Ní Bhriain", None)},
    ),
    "mac_decomposed_nfd.csv": (
        {},
        ("utf-8", ","),
        {
            "jose@globex.example": ("José García Muñoz", None),  # composed (NFC)
            "tran@globex.example": ("Trần Thị Ánh", None),
        },
    ),
}
REFUSED = {
    "formulas_leading_spaces.csv": {
        (3, "full_name", "a@globex.example"),
        (4, "department", "b@globex.example"),
        (5, "department", "c@globex.example"),
        (6, "department", "d@globex.example"),
    },
}


def _parse(name: str, mapping: dict | None = None) -> importing.ParsedFile:
    path = CORPUS / name
    return importing.participant_file_parse(
        filename=path.name, content=path.read_bytes(), mapping=mapping
    )


def test_every_corpus_file_is_covered():
    files = {path.name for path in CORPUS.iterdir() if path.suffix != ".py"}
    assert files == set(IMPORTED) | set(REFUSED)


@pytest.mark.parametrize("name", sorted(IMPORTED))
def test_imports_with_names_intact(name):
    mapping, (encoding, delimiter), people = IMPORTED[name]
    parsed = _parse(name, mapping)
    assert parsed.problems == []
    assert (parsed.encoding, parsed.delimiter) == (encoding, delimiter)
    assert {
        row["email"]: (row["full_name"], row["preferred_name"]) for row in parsed.rows
    } == people


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_whole_with_a_reason_per_line(name):
    parsed = _parse(name)
    assert parsed.rows == []
    assert {(p.line, p.column, p.person) for p in parsed.problems} == REFUSED[name]
    assert all("formula" in problem.reason for problem in parsed.problems)


def test_unknown_column_is_a_problem_until_mapped():
    parsed = _parse("hr_system_windows_zones.csv")
    assert [(p.line, p.column) for p in parsed.problems] == [(1, "Employee ID")]
    assert [column["header"] for column in parsed.unknown_columns] == ["Employee ID"]


def test_hr_system_file_through_the_service(alpha, coordinator):
    # given: the coordinator ignores "Employee ID" once
    program = ProgramFactory()
    program.coordinators.add(coordinator)
    content = (CORPUS / "hr_system_windows_zones.csv").read_bytes()
    batch = services.participant_import_preview(
        program=program, by=coordinator, filename="hr.csv", content=content
    )
    assert batch.error_count == 1
    services.participant_import_reread(
        batch=batch,
        by=coordinator,
        encoding=None,
        delimiter=None,
        mapping={"employeeid": ""},
    )
    batch.refresh_from_db()
    assert batch.errors == []
    # when
    services.participant_import_commit(batch=batch, by=coordinator)
    # then: names, chosen names, Windows zones, the manager
    lan = User.objects.get(email="lan.nguyen@hr.example")
    assert (lan.full_name, lan.preferred_name, lan.greeting_name) == (
        "Thi Lan Nguyen",
        "Lan",
        "Lan",
    )
    assert lan.time_zone == "Asia/Bangkok"
    assert User.objects.get(email="arjun.mehta@hr.example").time_zone == "Asia/Kolkata"
    assert (
        Participant.objects.get(user=lan).manager.user.email == "hoa.pham@hr.example"
    )
    # and the mapping is remembered for this organization's next file
    assert ImportColumnMapping.objects.get(key="employeeid").field == ""
    other = ProgramFactory()
    other.coordinators.add(coordinator)
    again = services.participant_import_preview(
        program=other, by=coordinator, filename="hr.csv", content=content
    )
    assert again.errors == []


def test_the_mapping_is_per_organization(alpha, beta, coordinator):
    ImportColumnMapping.objects.create(key="workplace", header="Workplace", field="city")
    beta.activate()
    assert not ImportColumnMapping.objects.exists()


def test_the_uploaded_file_is_not_kept_once_imported(alpha, coordinator):
    from programs.models import ImportBatch

    program = ProgramFactory()
    program.coordinators.add(coordinator)
    batch = services.participant_import_preview(
        program=program,
        by=coordinator,
        filename="people.csv",
        content=(CORPUS / "bom_utf8.csv").read_bytes(),
    )
    assert bytes(ImportBatch.objects.get(pk=batch.pk).content)
    services.participant_import_commit(batch=batch, by=coordinator)
    assert bytes(ImportBatch.objects.get(pk=batch.pk).content) == b""
