"""Chart geometry for server-rendered SVG (pure: no Django import).

Templates draw what these return (reporting/_chart_*.html): rectangles, lines and
labels in a fixed viewBox, with sizes as SVG attributes — never inline styles, so
the charts render under the CSP (``style-src 'self'``). Every chart is drawn next
to a table of the same numbers (its text alternative).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 600  # viewBox units; the SVG scales to its container
ROW = 34
LABEL_WIDTH = 190
VALUE_WIDTH = 110


@dataclass(frozen=True)
class Bar:
    label: str
    display: str
    y: int
    width: float  # viewBox units, 0 … bar_space
    series: int = 0  # colour index (0 = brand, 1 = comparison)

    @property
    def text_y(self) -> int:
        return self.y + 16


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    height: int
    bar_x: int = LABEL_WIDTH
    bar_space: int = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    width: int = WIDTH

    @property
    def value_x(self) -> int:
        return self.bar_x + self.bar_space + 8


def bar_chart(
    rows: Sequence[tuple[str, float | None, str]],
    *,
    maximum: float | None = None,
    series: Sequence[int] | None = None,
) -> BarChart:
    """Horizontal bars: ``rows`` of (label, value, shown text); None draws no bar.
    Bars are scaled to ``maximum`` (default: the largest value, at least 1)."""
    values = [value for _, value, _ in rows if value is not None]
    top = maximum if maximum is not None else max([*values, 1])
    space = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = [
        Bar(
            label=label,
            display=display,
            y=index * ROW + 4,
            width=round(space * max(0.0, min(value, top)) / top, 1)
            if value is not None and top
            else 0,
            series=series[index] if series else 0,
        )
        for index, (label, value, display) in enumerate(rows)
    ]
    return BarChart(bars=bars, height=len(rows) * ROW + 8)


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str
    display: str


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class LineChart:
    points: list[Point]
    ticks: list[Tick]
    path: str
    width: int
    height: int
    left: int
    bottom: float


def line_chart(
    points: Sequence[tuple[str, float, str]],
    *,
    low: float,
    high: float,
    width: int = WIDTH,
    height: int = 220,
) -> LineChart:
    """A line over ``points`` (x label, value, shown text) on a fixed ``low``–``high``
    scale, with a tick per whole number."""
    left, right, top, bottom = 40, 20, 16, height - 36
    span = max(high - low, 1e-9)
    step = (width - left - right) / max(len(points) - 1, 1)
    placed = [
        Point(
            x=round(left + index * step if len(points) > 1 else (width + left) / 2, 1),
            y=round(bottom - (value - low) / span * (bottom - top), 1),
            label=label,
            display=display,
        )
        for index, (label, value, display) in enumerate(points)
    ]
    ticks = [
        Tick(round(bottom - (value - low) / span * (bottom - top), 1), f"{value:g}")
        for value in range(int(low), int(high) + 1)
    ]
    path = " ".join(
        f"{'M' if index == 0 else 'L'}{p.x},{p.y}" for index, p in enumerate(placed)
    )
    return LineChart(placed, ticks, path, width, height, left, bottom)


@dataclass(frozen=True)
class Dumbbell:
    label: str
    y: int
    x_before: float | None
    x_after: float | None
    display: str

    @property
    def text_y(self) -> int:
        return self.y + 5

    @property
    def rising(self) -> bool:
        return (
            self.x_before is not None
            and self.x_after is not None
            and self.x_after >= self.x_before
        )


@dataclass(frozen=True)
class DumbbellChart:
    rows: list[Dumbbell]
    ticks: list[Tick]  # here Tick.y is the x position
    height: int
    width: int = WIDTH
    left: int = LABEL_WIDTH
    right: int = WIDTH - 70


def dumbbell_chart(
    rows: Sequence[tuple[str, float | None, float | None, str]],
    *,
    low: float = 1,
    high: float = 5,
) -> DumbbellChart:
    """Before → after on one scale per row: (label, before, after, shown text)."""
    left, right = LABEL_WIDTH, WIDTH - 70
    span = high - low

    def x(value: float | None) -> float | None:
        if value is None:
            return None
        return round(
            left + (min(max(value, low), high) - low) / span * (right - left), 1
        )

    return DumbbellChart(
        rows=[
            Dumbbell(label, index * ROW + 36, x(before), x(after), display)
            for index, (label, before, after, display) in enumerate(rows)
        ],
        ticks=[
            Tick(x(value) or 0, f"{value:g}")
            for value in range(int(low), int(high) + 1)
        ],
        height=len(rows) * ROW + 44,
    )


@dataclass(frozen=True)
class ImpactCharts:
    funnel: BarChart
    engagement: BarChart
    pulse: LineChart | None
    competencies: DumbbellChart | None
    retention: BarChart
    growth: BarChart


def _share_rows(figures) -> list[tuple[str, float | None, str]]:
    return [
        (
            figure.label,
            None if figure.suppressed else figure.value,
            figure.display,
        )
        for figure in figures
    ]


def impact_charts(impact) -> ImpactCharts:
    """The dashboard's charts from a ``reporting.selectors.impact.ProgramImpact``."""
    funnel = impact.funnel
    engagement = impact.engagement
    outcomes = impact.outcomes
    retention = impact.retention
    growth = impact.growth
    pulse = None
    if engagement.pulse_trend:
        pulse = line_chart(
            [
                (f"{p.month:%b %Y}", p.mean, f"{p.mean:.1f} (n = {p.n})")
                for p in engagement.pulse_trend
            ],
            low=1,
            high=5,
        )
    competencies = None
    if outcomes.competencies:
        competencies = dumbbell_chart(
            [
                (
                    row.area,
                    None if row.suppressed else row.before,
                    None if row.suppressed else row.after,
                    row.display_change,
                )
                for row in outcomes.competencies
            ]
        )
    return ImpactCharts(
        funnel=bar_chart(
            [
                (
                    step.label,
                    step.count,
                    f"{step.count:,}"
                    + (
                        f" · {step.share * 100:.0f} %" if step.share is not None else ""
                    ),
                )
                for step in funnel.steps
            ]
        ),
        engagement=bar_chart(
            _share_rows(
                [
                    engagement.held_share,
                    engagement.on_cadence,
                    engagement.engaged,
                    engagement.at_risk,
                    engagement.goals_done,
                    engagement.milestones_done,
                ]
            ),
            maximum=1,
        ),
        pulse=pulse,
        competencies=competencies,
        retention=bar_chart(
            _share_rows(retention.figures()), maximum=1, series=[0, 1, 0, 1]
        ),
        growth=bar_chart(_share_rows(growth.figures()), maximum=1, series=[0, 0, 0, 1]),
    )
