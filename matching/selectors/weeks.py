"""Working weeks in UTC quarter hours: the figures the engine scores and the pages
show for who shares how much working time (``mentorship.localtime``)."""

from __future__ import annotations

import datetime

import numpy as np

from mentorship import localtime
from programs.models import Participant
from programs.selectors import working_pattern_of


def week_mask_of(participant: Participant, week_of: datetime.date) -> np.ndarray:
    """The person's UTC quarter hours of the week containing ``week_of`` (Monday
    00:00 UTC first): ``localtime.utc_week_mask``, cached per working pattern."""
    return localtime.utc_week_mask(
        working_pattern_of(participant), localtime.week_monday(week_of)
    )


def shared_week(
    mentee: Participant, mentor: Participant, week_of: datetime.date
) -> datetime.timedelta:
    """Working time the two share in the week containing ``week_of``: the figure
    the engine scores, the review page and match cards show
    (``localtime.weekly_overlap``)."""
    return localtime.weekly_overlap(
        working_pattern_of(mentee),
        working_pattern_of(mentor),
        localtime.week_monday(week_of),
    )
