"""Spreadsheet safety, pure (no Django): the one neutraliser every export uses.

A text cell that a spreadsheet would run as a formula (CSV or XLSX opened in
Excel, LibreOffice or Google Sheets: "CSV injection", OWASP) is prefixed with an
apostrophe, which those programs show as text and hide. The triggers are ``=``,
``+``, ``-``, ``@``, a tab and a carriage return — more than django-import-export's
own option, which strips a leading ``=`` only — looked for after any leading
spaces and no-break spaces, because spreadsheets skip those before deciding
(``"  =1+1"`` is a formula in LibreOffice). Only strings are touched: numbers,
dates and ``None`` go into the file as they are, so a negative number stays a
number.
"""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Skipped before the first character is judged: space, no-break space (U+00A0),
# figure space (U+2007), narrow no-break space (U+202F).
LEADING_SPACES = " \u00a0\u2007\u202f"


def is_formula_like(value: str) -> bool:
    """Would a spreadsheet run this text as a formula? (after leading spaces)"""
    return value.lstrip(LEADING_SPACES).startswith(FORMULA_PREFIXES)


def neutralise(value: object) -> object:
    """The value as a spreadsheet cell that can't run: ``'`` before formula-like text.

    E.g. ``"=HYPERLINK(…)"`` → ``"'=HYPERLINK(…)"``, ``" -2"`` → ``"' -2"``,
    ``"Priya"`` → ``"Priya"``, ``-2`` (a number) → ``-2``.
    """
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value
