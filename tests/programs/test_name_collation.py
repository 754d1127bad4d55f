"""Names sort the way readers expect and are found as typed (issue 13): "Đặng"
sorts with D, not after Z; a name stored from a Mac's decomposed text is found by
a composed search."""

import unicodedata

from django.db import connection

from tests.programs.factories import (
    EnrollingProgramFactory,
    EnrollmentFactory,
)

NAMES = ["Zhang Wei", "Đặng Thu Hà", "Dao Minh", "Émile Roux", "Anh Tran", "Eve Ng"]


def _icu() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT collprovider FROM pg_collation WHERE collname = 'person_name'"
        )
        return cursor.fetchone()[0] == "i"


def _table_names(alpha, program, query: str) -> list[str]:
    response = alpha.client("coordinator").get(
        f"/manage/programs/{program.pk}/?{query}"
    )
    return [e.participant.user.full_name for e in response.context["table"].page]


def test_enrolment_table_sorts_names_with_their_letter(alpha, coordinator):
    program = EnrollingProgramFactory(coordinators=[coordinator])
    for name in NAMES:
        EnrollmentFactory(program=program, participant__user__full_name=name)
    names = _table_names(alpha, program, "sort=name")
    if _icu():
        assert names == [
            "Anh Tran",
            "Đặng Thu Hà",  # đ is d, ặ is a: "Đặng" < "Dao" as "Dang" < "Dao"
            "Dao Minh",
            "Émile Roux",
            "Eve Ng",
            "Zhang Wei",
        ]
    else:  # a PostgreSQL built without ICU sorts by bytes, as before
        assert names[-1] in ("Đặng Thu Hà", "Émile Roux")
    assert _table_names(alpha, program, "sort=-name") == names[::-1]


def test_a_decomposed_name_is_found_by_a_composed_search(alpha, coordinator):
    program = EnrollingProgramFactory(coordinators=[coordinator])
    EnrollmentFactory(
        program=program,
        participant__user__full_name=unicodedata.normalize("NFD", "José García Muñoz"),
    )
    for typed in ("García", unicodedata.normalize("NFD", "García")):
        assert _table_names(alpha, program, f"q={typed}") == ["José García Muñoz"]
