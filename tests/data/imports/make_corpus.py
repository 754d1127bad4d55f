"""Writes the import corpus beside this file: exports made the way HR teams make
them (issue 13). Run it to regenerate: ``python tests/data/imports/make_corpus.py``.

Each file says in its name what it mimics; tests/programs/test_import_corpus.py
says what each must import as (or why it is refused, line by line).
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent


def table(rows: list[list[str]], delimiter: str = ",", newline: str = "\r\n") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return buffer.getvalue()


def write(name: str, data: bytes) -> None:
    (HERE / name).write_bytes(data)


# Excel on Windows, "CSV (Comma delimited)": Windows-1252, CRLF, its own headers.
EXCEL_WINDOWS = [
    ["First Name", "Last Name", "E-mail Address", "Role", "Time Zone", "Country"],
    ["José", "García Muñoz", "Jose.Garcia@Globex.example", "mentor", "Europe/Madrid", "Spain"],
    ["Zoë", "Müller", "zoe.muller@globex.example", "mentee", "Berlin", "DE"],
    ["François", "Côté", "francois.cote@globex.example", "mentee", "Eastern Standard Time", "Canada"],
]
write("excel_windows_cp1252.csv", table(EXCEL_WINDOWS).encode("cp1252"))

# Excel on Windows with a European locale: semicolons, Windows-1252, and a column
# the import doesn't know ("Workplace") that the coordinator maps to city.
EXCEL_WINDOWS_EU = [
    ["Prénom", "Nom", "E-mail", "Rôle", "Fuseau horaire", "Workplace", "Seniority"],
    ["Amélie", "Lefèvre", "amelie.lefevre@globex.example", "Mentor", "Paris", "Lyon", "senior"],
    ["Søren", "Ærø", "soren.aero@globex.example", "Mentee", "Romance Standard Time", "Aarhus", "junior"],
]
write("excel_windows_semicolons_cp1252.csv", table(EXCEL_WINDOWS_EU, ";").encode("cp1252"))

# Excel on a Mac, "CSV UTF-8": a byte-order mark, CRLF.
EXCEL_MAC_UTF8 = [
    ["Full Name", "Email", "Role", "Timezone", "Languages"],
    ["Nguyễn Thị Lan", "lan.nguyen@globex.example", "mentee", "Asia/Ho_Chi_Minh", "vi, en"],
    ["Łukasz Żółć", "lukasz.zolc@globex.example", "mentor", "Europe/Warsaw", "pl/en"],
]
write("excel_mac_utf8_bom.csv", codecs.BOM_UTF8 + table(EXCEL_MAC_UTF8).encode("utf-8"))

# Excel on a Mac, plain "Comma Separated Values": Mac Roman with CR line ends.
EXCEL_MAC_ROMAN = [
    ["full_name", "email", "role"],
    ["Renée Dubé", "renee.dube@globex.example", "mentor"],
    ["Begoña Ibáñez", "begona.ibanez@globex.example", "mentee"],
]
write("excel_mac_macroman.csv", table(EXCEL_MAC_ROMAN, newline="\r").encode("mac_roman"))

# Google Sheets, File › Download › CSV: UTF-8 without BOM, seniority as words,
# lists with commas.
GOOGLE_SHEETS = [
    ["Name", "Email Address", "Program Role", "Time zone", "Seniority", "Skills"],
    ["Đặng Văn Minh", "minh.dang@globex.example", "mentor", "Ho Chi Minh", "Executive", "strategy, hiring"],
    ["Anh Tran", "Anh.Tran@Globex.example", "mentee", "SE Asia Standard Time", "mid", ""],
    ["Priya Raman", "priya.raman@globex.example", "mentee", "India Standard Time", "Junior", "CI/CD"],
]
write("google_sheets.csv", table(GOOGLE_SHEETS).encode("utf-8"))

# LibreOffice Calc, defaults: UTF-8, LF, a line break inside a quoted cell.
LIBREOFFICE = [
    ["email", "full_name", "role", "skills_offered", "working_hours"],
    ["ines.sa@globex.example", "Inês Sá", "mentor", "public speaking\nnegotiation", "08:30-16:30"],
    ["oyvind@globex.example", "Øyvind Åsen", "mentee", "", ""],
]
write("libreoffice.csv", table(LIBREOFFICE, newline="\n").encode("utf-8"))

# An HR system's export: first/last/preferred names, Windows zone names, HR
# fields, a manager column and an employee id the import doesn't use.
HR_SYSTEM = [
    [
        "Employee ID", "Legal First Name", "Legal Last Name", "Preferred Name",
        "Work Email", "Business Title", "Department", "Manager Email", "Hire Date",
        "Time Zone", "Country/Region", "Program Role",
    ],
    [
        "E-1001", "Thi Lan", "Nguyen", "Lan", "lan.nguyen@hr.example", "Engineer",
        "Payments", "hoa.pham@hr.example", "2021-03-15", "SE Asia Standard Time",
        "Vietnam", "mentee",
    ],
    [
        "E-1002", "Hoa", "Pham", "", "hoa.pham@hr.example", "Engineering Manager",
        "Payments", "", "2015-09-01", "SE Asia Standard Time", "VN", "mentor",
    ],
    [
        "E-1003", "Arjun", "Mehta", "AJ", "arjun.mehta@hr.example", "Analyst",
        "Finance", "", "2023-01-09", "India Standard Time", "India", "mentee",
    ],
]
write("hr_system_windows_zones.csv", table(HR_SYSTEM).encode("utf-8"))

# Excel "Unicode Text" (.txt): UTF-16 LE with a byte-order mark, tab-separated.
UTF16_TAB = [
    ["email", "full_name", "role", "time_zone"],
    ["kenji@globex.example", "山田 健二", "mentor", "Asia/Tokyo"],
    ["olga@globex.example", "Ольга Иванова", "mentee", "Europe/Moscow"],
]
write("excel_unicode_text_utf16.txt", table(UTF16_TAB, "\t").encode("utf-16"))

# UTF-16 big-endian without a byte-order mark, tab-separated.
write("utf16be_tab_no_bom.txt", table(UTF16_TAB, "\t").encode("utf-16-be"))

# Semicolons in UTF-8 (a spreadsheet with a decimal comma).
SEMICOLONS = [
    ["email", "full_name", "role", "languages"],
    ["marta@globex.example", "Marta Kowalczyk", "mentor", "pl;en"],
    ["joao@globex.example", "João Conceição", "mentee", "pt"],
]
write("semicolons_utf8.csv", table(SEMICOLONS, ";").encode("utf-8"))

# UTF-8 with a byte-order mark and the product's own headers.
write(
    "bom_utf8.csv",
    codecs.BOM_UTF8
    + table(
        [
            ["email", "full_name", "role"],
            ["siobhan@globex.example", "Siobhán Ní Bhriain", "mentee"],
        ]
    ).encode("utf-8"),
)

# Names exported from a Mac in decomposed Unicode (NFD), LF line ends.
DECOMPOSED = [
    ["email", "full_name", "role"],
    ["jose@globex.example", "José García Muñoz", "mentor"],
    ["tran@globex.example", "Trần Thị Ánh", "mentee"],
]
write(
    "mac_decomposed_nfd.csv",
    unicodedata.normalize("NFD", table(DECOMPOSED, newline="\n")).encode("utf-8"),
)

# Formula cells behind leading spaces: refused whole, a reason per line.
FORMULAS = [
    ["email", "full_name", "role", "department"],
    ["ok@globex.example", "Fine Person", "mentee", "Sales"],
    ["a@globex.example", " =1+1", "mentee", "Sales"],
    ["b@globex.example", "Bea", "mentor", "\u00a0=HYPERLINK(\"http://evil.example\")"],
    ["c@globex.example", "Cy", "mentee", "\t@SUM(A1:A9)"],
    ["d@globex.example", "Di", "mentee", "\u202f+cmd|' /C calc'!A0"],
]
write("formulas_leading_spaces.csv", table(FORMULAS).encode("utf-8"))


def xlsx() -> None:
    """Excel on Windows, .xlsx: numbers and dates as cells, first/last names."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["First Name", "Last Name", "Email", "Role", "Seniority", "Hire Date"])
    sheet.append(["Thu Hà", "Đặng", "ha.dang@globex.example", "mentee", 2.0, datetime.date(2022, 5, 1)])
    sheet.append(["Björn", "Åkesson", "bjorn@globex.example", "mentor", 5, datetime.date(2012, 1, 9)])
    buffer = io.BytesIO()
    book.save(buffer)
    write("excel_windows.xlsx", buffer.getvalue())


xlsx()
