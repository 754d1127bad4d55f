"""Malformed files, generated as mutations of a valid one, sent through the views:
no server error, and never a partial import (RELIABILITY T-CSV-1)."""

import codecs

from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorship.accounts.models import User
from programs.models import Enrollment, ImportBatch, Participant
from tests.programs.factories import EnrollingProgramFactory
from tests.programs.importfiles import csv_text, people_rows

VALID = csv_text(people_rows(8))
LINES = VALID.split("\r\n")


def _replace_cell(text: str, line: int, column: int, value: str) -> str:
    separator = "\r\n" if "\r\n" in text else "\r" if "\r" in text else "\n"
    lines = text.split(separator)
    line %= len(lines)
    cells = lines[line].split(",")
    cells[column % len(cells)] = value
    lines[line] = ",".join(cells)
    return separator.join(lines)


MUTATIONS = {
    "utf16": lambda text, draw: text.encode("utf-16"),
    "latin1": lambda text, draw: text.replace("Imported", "Ïmpörted").encode(
        "latin-1", errors="replace"
    ),
    "bom": lambda text, draw: codecs.BOM_UTF8 + text.encode(),
    "mixed": lambda text, draw: (
        text.encode()[:200] + "é".encode("latin-1") + text.encode()[200:]
    ),
    "drop_header": lambda text, draw: "\r\n".join(LINES[1:]).encode(),
    "rename_header": lambda text, draw: text.replace(
        "email", "e-mail address", 1
    ).encode(),
    "duplicate_header": lambda text, draw: text.replace("city", "country", 1).encode(),
    "extra_column": lambda text, draw: text.replace("\r\n", ",extra\r\n").encode(),
    "ragged": lambda text, draw: text.replace("Platform", "Platform,x,y", 2).encode(),
    "nul": lambda text, draw: text.replace("Engineer", "Engi\x00neer", 1).encode(),
    "cr_only": lambda text, draw: text.replace("\r\n", "\r").encode(),
    "unclosed_quote": lambda text, draw: text.replace(
        "Imported Person 3", '"Imported Person 3', 1
    ).encode(),
    "big_cell": lambda text, draw: _replace_cell(text, 2, 5, "x" * 200_000).encode(),
    "empty_rows": lambda text, draw: (
        text + "\r\n" * draw(st.integers(1, 50_000))
    ).encode(),
    "bad_email": lambda text, draw: _replace_cell(
        text,
        draw(st.integers(1, 8)),
        0,
        draw(st.sampled_from(["a@", "@b.c", "a b@c.d", "", "x@y..z"])),
    ).encode(),
    "dup_email": lambda text, draw: text.replace("imported5@", "imported2@").encode(),
    "date_formats": lambda text, draw: _replace_cell(
        text,
        3,
        13,
        draw(
            st.sampled_from(
                ["2027-01-02", "01/02/2027", "2 Jan 2027", "20270102", "9-5"]
            )
        ),
    ).encode(),
    "formula": lambda text, draw: _replace_cell(
        text,
        draw(st.integers(1, 8)),
        draw(st.integers(0, 15)),
        draw(st.sampled_from(["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])),
    ).encode(),
    "random_bytes": lambda text, draw: draw(st.binary(min_size=1, max_size=2000)),
    "random_text_cell": lambda text, draw: _replace_cell(
        text,
        draw(st.integers(1, 8)),
        draw(st.integers(0, 15)),
        draw(
            st.text(
                alphabet=st.characters(codec="utf-8", exclude_characters="\r\n\x00"),
                max_size=40,
            )
        ),
    ).encode(),
}


@st.composite
def malformed_files(draw):
    names = draw(
        st.lists(
            st.sampled_from(sorted(MUTATIONS)), min_size=1, max_size=3, unique=True
        )
    )
    text = VALID
    content = text.encode()
    for name in names:
        content = MUTATIONS[name](text, draw)
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            break
    return names, content


def _snapshot():
    return (
        User.objects.count(),
        Participant.objects.count(),
        Enrollment.objects.count(),
        sorted(Participant.objects.values_list("user__email", "title")),
    )


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=malformed_files())
def test_no_partial_import_and_no_server_error(alpha, coordinator, case):
    names, content = case
    program = EnrollingProgramFactory(coordinators=[coordinator])
    client = alpha.client("coordinator")
    before = _snapshot()
    # when: upload, then try to confirm whatever came back
    response = client.post(
        f"/manage/programs/{program.pk}/import/",
        {"file": SimpleUploadedFile("people.csv", content)},
    )
    assert response.status_code in (302, 422), names
    batch = ImportBatch.objects.filter(program=program).first()
    if batch is None:
        assert _snapshot() == before
        return
    assert (
        client.get(f"/manage/programs/{program.pk}/import/{batch.pk}/").status_code
        == 200
    )
    response = client.post(f"/manage/programs/{program.pk}/import/{batch.pk}/confirm/")
    assert response.status_code == 302, names
    batch.refresh_from_db()
    after = _snapshot()
    # then: either the whole file went in, or nothing at all
    if batch.status == ImportBatch.Status.COMMITTED:
        assert batch.error_count == 0
        assert Enrollment.objects.filter(program=program).count() == batch.row_count
    else:
        assert batch.error_count > 0, names
        assert all(error["reason"] for error in batch.errors)
        assert after == before, names
