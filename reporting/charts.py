"""Chart geometry for server-rendered SVG (pure: no Django import).

Templates draw what these return (reporting/_chart_*.html): rectangles, lines and
labels in a fixed viewBox, with sizes as SVG attributes — never inline styles, so
the charts render under the CSP (``style-src 'self'``). Every chart is drawn next
to a table of the same numbers (its text alternative).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reporting.figures import Figure
    from reporting.selectors.impact import ProgramImpact

WIDTH = 640  # viewBox units; the SVG scales to its container (at most 760 px wide)
ROW = 34
LABEL_WIDTH = 250
VALUE_WIDTH = 110
TRACK = 400  # width of a dumbbell row's track, in its own viewBox units


@dataclass(frozen=True)
class Bar:
    label: str
    display: str
    y: int
    width: float  # viewBox units, 0 … bar_space
    series: int = 0  # colour index (0 = brand, 1 = comparison)
    percent: float = 0  # of the scale, 0 … 100 (HTML rows with an SVG bar each)

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
            percent=round(100 * max(0.0, min(value, top)) / top, 1)
            if value is not None and top
            else 0,
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
    left, right, top, bottom = 40, 30, 24, height - 36
    span = max(high - low, 1e-9)
    step = (width - left - right) / max(len(points) - 1, 1)
    placed = [
        Point(
            x=round(
                left + 30 + index * (step - 30 / max(len(points) - 1, 1))
                if len(points) > 1
                else (width + left) / 2,
                1,
            ),
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
    # Positions on a 0–400 track (HTML rows with an SVG track each).
    track_before: float | None = None
    track_after: float | None = None

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
    track_ticks: list[Tick] = field(default_factory=list)
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

    def track(value: float | None) -> float | None:
        if value is None:
            return None
        return round(10 + (min(max(value, low), high) - low) / span * (TRACK - 20), 1)

    return DumbbellChart(
        rows=[
            Dumbbell(
                label,
                index * ROW + 36,
                x(before),
                x(after),
                display,
                track(before),
                track(after),
            )
            for index, (label, before, after, display) in enumerate(rows)
        ],
        track_ticks=[
            Tick(track(value) or 0, f"{value:g}")
            for value in range(int(low), int(high) + 1)
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


def _share_rows(
    figures: Sequence[Figure], labels: Sequence[str]
) -> list[tuple[str, float | None, str]]:
    """Bars for share figures, with the short ``labels`` a chart has room for (the
    table under the chart gives each figure's full label)."""
    return [
        (label, None if figure.suppressed else figure.value, figure.display)
        for figure, label in zip(figures, labels, strict=True)
    ]


def impact_charts(impact: ProgramImpact) -> ImpactCharts:
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
                (f"{p.month:%b %Y}", p.mean, f"{p.mean:.1f}")
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
                ],
                [
                    "Meetings held of expected",
                    "Pairs on cadence",
                    "Pairs engaged",
                    "Pairs at risk",
                    "Goals completed",
                    "Milestones reached",
                ],
            ),
            maximum=1,
        ),
        pulse=pulse,
        competencies=competencies,
        retention=bar_chart(
            _share_rows(
                retention.figures(),
                [
                    "Participants, 6 months",
                    "Non-participants, 6 months",
                    "Participants, 12 months",
                    "Non-participants, 12 months",
                ],
            ),
            maximum=1,
            series=[0, 1, 0, 1],
        ),
        growth=bar_chart(
            _share_rows(
                growth.figures(),
                [
                    "Mentees who later mentored",
                    "Mentors who mentored again",
                    "Promoted: participants",
                    "Promoted: non-participants",
                ],
            ),
            maximum=1,
            series=[0, 0, 0, 1],
        ),
    )
