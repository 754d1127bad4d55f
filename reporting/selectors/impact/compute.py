"""Every section of one frame, and their figures in page order."""

from __future__ import annotations

from typing import Any

from reporting.figures import Figure
from reporting.selectors.impact.activity import (
    _engagement,
    _funnel,
    _responsiveness,
)
from reporting.selectors.impact.careers import _growth, _retention
from reporting.selectors.impact.frame import _Frame
from reporting.selectors.impact.outcomes import _outcomes


def _compute(frame: _Frame) -> dict[str, Any]:
    return {
        "funnel": _funnel(frame),
        "engagement": _engagement(frame),
        "outcomes": _outcomes(frame),
        "retention": _retention(frame),
        "growth": _growth(frame),
        "responsiveness": _responsiveness(frame),
        "people": len(frame.people),
        "pairs": len(frame.pairs),
    }


def _figures_of(sections: dict[str, Any]) -> list[Figure]:
    return [
        figure
        for name in (
            "funnel",
            "engagement",
            "outcomes",
            "retention",
            "growth",
            "responsiveness",
        )
        for figure in sections[name].figures()
    ]
