"""Two impacts side by side (two cohorts or two periods of one program), and figures
grouped by section in page order for tables and exports."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from reporting.figures import Figure
from reporting.selectors.impact.shapes import ProgramImpact


@dataclass(frozen=True)
class CompareRow:
    section: str
    label: str
    first: Figure
    second: Figure

    @property
    def change(self) -> str:
        """second − first, in the figure's unit ("+12 pts" for shares)."""
        a, b = self.first, self.second
        if a.suppressed or b.suppressed or a.value is None or b.value is None:
            return "—"
        delta = b.value - a.value
        if a.unit == "%":
            return f"{delta * 100:+.0f} pts"
        if a.unit == "days":
            return f"{delta:+.1f} days"
        if float(delta).is_integer():
            return f"{delta:+,.0f}"
        return f"{delta:+.1f}"


def impact_compare(*, first: ProgramImpact, second: ProgramImpact) -> list[CompareRow]:
    """Every figure of ``first`` next to the same figure of ``second`` (by key; a
    figure only one side has is shown as "—" on the other)."""
    a = {f.key: f for f in first.figures()}
    b = {f.key: f for f in second.figures()}
    keys = list(dict.fromkeys([*a, *b]))
    rows = []
    for key in keys:
        fa = a.get(key)
        fb = b.get(key)
        template = fa or fb
        if template is not None:
            rows.append(
                CompareRow(
                    template.section,
                    template.label,
                    fa or _empty(template),
                    fb or _empty(template),
                )
            )
    return rows


def _empty(figure: Figure) -> Figure:
    return Figure(figure.key, figure.section, figure.label, None, figure.unit)


SECTIONS = {
    "funnel": "Enrolment funnel",
    "engagement": "Engagement",
    "outcomes": "Outcomes",
    "retention": "Retention",
    "growth": "Growth",
    "responsiveness": "Responsiveness",
}


def figure_sections(figures: Iterable[Figure]) -> list[tuple[str, list[Figure]]]:
    """Figures grouped by section in page order (for tables and exports)."""
    grouped: dict[str, list[Figure]] = defaultdict(list)
    for figure in figures:
        grouped[figure.section].append(figure)
    return [(SECTIONS[name], grouped[name]) for name in SECTIONS if grouped[name]]


def compare_sections(
    rows: Iterable[CompareRow],
) -> list[tuple[str, list[CompareRow]]]:
    """Compare rows grouped by section in page order."""
    grouped: dict[str, list[CompareRow]] = defaultdict(list)
    for row in rows:
        grouped[row.section].append(row)
    return [(SECTIONS[name], grouped[name]) for name in SECTIONS if grouped[name]]
