"""The filter lists of an anonymous survey's results name no small group.

Found by hand (Bridges, mid-point check, 1 of 12 answered): the results said
"Fewer than 5 people", but the Country, Time zone, Seniority and Role lists were
built from the respondents and offered exactly Bangladesh, Asia/Dhaka, Senior and
Mentees — the one respondent's segment. Only values whose filter can show a result
(5 or more in it, and 5 or more or nobody left out) are listed now."""

from __future__ import annotations

from reporting.selectors import surveys as selectors
from tests.reporting.factories import people, respond, survey, survey_program

QUESTIONS = [{"kind": "likert", "key": "confidence", "text": "Confident?"}]


def _options(made):
    return selectors.survey_results(
        survey=made, filters=selectors.ResultFilters.from_query({})
    ).filter_options


def _world(program, *, anonymous, groups):
    made = survey(program, questions=QUESTIONS, is_anonymous=anonymous)
    for country, zone, count in groups:
        for enrollment in people(program, count, country=country, zone=zone):
            respond(made, enrollment, {"confidence": 3})
    return made


def test_one_respondent_lists_no_segment(alpha, coordinator):
    program = survey_program(coordinators=[coordinator])
    made = _world(program, anonymous=True, groups=[("BD", "Asia/Dhaka", 1)])
    options = _options(made)
    assert options == {name: [] for name in selectors.BREAKDOWNS}
    page = alpha.client("coordinator").get(
        f"/manage/programs/{program.pk}/surveys/{made.pk}/results/"
    )
    html = page.content.decode()
    assert "Fewer than 5 people" in html
    assert "Bangladesh" not in html
    assert "Asia/Dhaka" not in html


def test_only_groups_a_filter_can_show_are_listed(alpha, coordinator):
    program = survey_program(coordinators=[coordinator])
    # 5 + 5 + 2: Tunisia (2) is too small; Germany (5) would leave 7 → shown;
    # France (5) likewise.
    made = _world(
        program,
        anonymous=True,
        groups=[
            ("DE", "Europe/Berlin", 5),
            ("FR", "Europe/Paris", 5),
            ("TN", "Africa/Tunis", 2),
        ],
    )
    options = _options(made)
    assert [value for value, _ in options["country"]] == ["FR", "DE"]  # by label
    assert [value for value, _ in options["time_zone"]] == [
        "Europe/Berlin",
        "Europe/Paris",
    ]
    # everyone is a mentee: filtering on it leaves nobody out, so it may show
    assert [value for value, _ in options["role"]] == ["mentee"]


def test_attributed_surveys_list_every_value(alpha, coordinator):
    program = survey_program(coordinators=[coordinator])
    made = _world(program, anonymous=False, groups=[("BD", "Asia/Dhaka", 1)])
    options = _options(made)
    assert [value for value, _ in options["country"]] == ["BD"]
    assert [value for value, _ in options["time_zone"]] == ["Asia/Dhaka"]
