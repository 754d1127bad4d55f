"""Meridian's story in dates and pair stories (data only; demo/stories.py tells it)."""

from __future__ import annotations

from dataclasses import dataclass

# --- Meridian's story: matched six weeks ago, pairs meeting since ------------------------
#
# Days before the seed runs (the program was set up 96 days ago, so by the
# demo/programs.py dates enrolment closed 51 days ago and it started 36 days ago):
#
#   50  the coordinator closes enrolment and starts matching
#   42  matching run; 41 published
#   40–38  most pairs accept on both sides; 36 the program starts
#   26–8  pairs meet, log and rate their meetings
#
# Where the story leaves the demo people (see PAIR_STORIES): Minh's pair active with
# a held meeting, a goal and a meeting confirmed for next week; Linh's proposal
# (with Marek, the demo mentor) unanswered; Emily and James not met since they
# started (at risk); Tomasz rated his last meeting 2/5 (at risk).

MATCHING_STARTS_DAYS_AGO = 50
RUN_DAYS_AGO = 42
PUBLISHED_DAYS_AGO = 41
PROGRAM_STARTS_DAYS_AGO = 36


@dataclass(frozen=True)
class HeldMeeting:
    """A meeting around ``days_ago``, logged by both and rated (mentee, mentor)."""

    days_ago: int
    pulses: tuple[int, int]
    topics: str
    notes: str = ""
    action_items: str = ""
    mentee_says: str = ""  # the mentee's pulse note, for the coordinator only


@dataclass(frozen=True)
class PairStory:
    # Days ago the mentee and the mentor accepted; None leaves the pair proposed.
    accepted_days_ago: tuple[int, int] | None
    meetings: tuple[HeldMeeting, ...] = ()
    # A goal the mentee set after the first meeting, and its progress now.
    goal: tuple[str, int] | None = None


MINH = "mentee@meridian.example"
DEFAULT_PAIR_STORY = PairStory(accepted_days_ago=(39, 38))
# Keyed by mentee: the engine picks the mentors.
PAIR_STORIES: dict[str, PairStory] = {
    MINH: PairStory(
        accepted_days_ago=(40, 22),  # the mentor came back from leave
        meetings=(
            HeldMeeting(
                10,
                (5, 4),
                "Design reviews, the payment retries service",
                "<p>How design reviews run at Meridian, and what reviewers look for "
                "first: failure modes, then data ownership.</p>",
                "Minh drafts the retries design doc; share it before the next meeting.",
            ),
        ),
    ),
    "priya.sharma@meridian.example": PairStory(
        accepted_days_ago=(40, 40),
        meetings=(
            HeldMeeting(26, (3, 4), "Getting started, goals for six months"),
            HeldMeeting(12, (5, 4), "Consensus protocols in practice"),
        ),
        goal=("Own the design of the event bus migration", 60),
    ),
    "deepika.nair@meridian.example": PairStory(
        accepted_days_ago=(39, 39),
        meetings=(
            HeldMeeting(24, (4, 4), "Getting started, reading code for review"),
            HeldMeeting(10, (4, 5), "System design interview practice"),
        ),
        goal=("Review a pull request a day for a month", 25),
    ),
    "arjun.reddy@meridian.example": PairStory(
        accepted_days_ago=(40, 39),
        meetings=(
            HeldMeeting(25, (5, 4), "Test strategy for the mobile release"),
            HeldMeeting(11, (5, 5), "Leading the QA guild meeting"),
        ),
        goal=("Run the QA guild for a quarter", 70),
    ),
    "agnieszka.lewandowska@meridian.example": PairStory(
        accepted_days_ago=(39, 38),
        meetings=(HeldMeeting(9, (4, 4), "Multi-region failover design"),),
    ),
    "tomasz.zielinski@meridian.example": PairStory(
        accepted_days_ago=(38, 38),
        meetings=(
            HeldMeeting(
                8,
                (2, 3),
                "Code review habits",
                mentee_says="We ran out of time again; I'd like more hands-on review.",
            ),
        ),
    ),
    "emily.davis@meridian.example": PairStory(accepted_days_ago=(40, 39)),
    "linh.tran@meridian.example": PairStory(accepted_days_ago=None),
}
ONLINE_LINK = "https://meet.meridian.example/mentoring"
