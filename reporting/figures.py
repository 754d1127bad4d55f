"""A figure on an impact page: a number, its unit, what it is over, and whether it
may be shown (anonymous answers of fewer than 5 people show "fewer than 5")."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One number on the dashboard, with what it is over and whether it may show."""

    key: str
    section: str
    label: str
    value: float | None
    unit: str = ""
    n: int | None = None
    suppressed: bool = False
    note: str = ""

    @property
    def display(self) -> str:
        if self.suppressed:
            return "fewer than 5"
        if self.value is None:
            return "—"
        return format_value(self.value, self.unit)

    @property
    def percent(self) -> float | None:
        """0–100 for shares (charts); None when hidden or empty."""
        if self.suppressed or self.value is None or self.unit != "%":
            return None
        return self.value * 100


def format_value(value: float, unit: str) -> str:
    if unit == "%":
        return f"{value * 100:.0f} %"
    if unit == "days":
        return f"{value:.1f} days"
    if unit == "points":
        return f"{value:+.0f}"
    if unit == "of 5":
        return f"{value:.1f} / 5"
    if unit == "per pair":
        return f"{value:.1f} per pair"
    if float(value).is_integer():
        return f"{value:,.0f}{' ' + unit if unit else ''}"
    return f"{value:,.1f}{' ' + unit if unit else ''}"
