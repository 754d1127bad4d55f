"""Formatting for success stories (pure formatting, no queries)."""

from __future__ import annotations

from django import template

from reporting.models import SuccessStory
from reporting.selectors.stories import outcome_text

register = template.Library()


@register.filter
def story_outcome(story: SuccessStory) -> str:
    """The outcome in one line, e.g. "fee reduced from 2 to 1 manat"."""
    return outcome_text(story)
