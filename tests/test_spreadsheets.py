"""The one neutraliser of every export (pure, no database)."""

from __future__ import annotations

import pytest

from mentorship.spreadsheets import is_formula_like, neutralise

DANGEROUS = [
    "=1+1",
    "+41 22 555",
    "-2",
    "@SUM(A1)",
    "\tindented",
    "\rreturn",
    '  =HYPERLINK("http://x")',
    "\u00a0=cmd|' /C calc'!A0",
    " \u00a0 +1",
    "\u202f@x",
]
HARMLESS = ["Priya", "2 - 1", "a=b", "", " ", "x@y.example", "'=already"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_prefixes_formula_like_text_with_an_apostrophe(value):
    assert is_formula_like(value)
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", HARMLESS)
def test_leaves_other_text_alone(value):
    assert neutralise(value) == value


@pytest.mark.parametrize("value", [-2, -0.5, 3, None])
def test_numbers_and_none_stay_as_they_are(value):
    assert neutralise(value) == value
