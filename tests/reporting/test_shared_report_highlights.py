"""The published report's highlights follow its own 5-person rule.

Found by hand (Meridian's sponsor link): the Engagement table said "Milestones
reached — fewer than 5" while the Highlights line under it said "1 milestone ticked
off by the pairs". The published page now says "fewer than 5 milestones" there too;
the coordinator's printable report keeps the real counts."""

from __future__ import annotations

from checkins.models import Goal, Milestone
from reporting.services import sharing
from tests.matching.factories import enroll, person
from tests.reporting.factories import active_match, survey_program


def test_highlight_counts_under_five_are_hidden_on_the_published_page(
    alpha, coordinator, mentor, mentee
):
    program = survey_program(coordinators=[coordinator], name="Bridges")
    pair = active_match(
        program,
        enroll(program, person(user=mentor), "mentor"),
        enroll(program, person(user=mentee), "mentee"),
    )
    goal = Goal.objects.create(match=pair, title="Lead a design review")
    Milestone.objects.create(goal=goal, title="Draft the agenda", is_done=True)
    new = sharing.shared_report_create(program=program, by=coordinator)

    published = alpha.client().get(f"/r/{new.token}/").content.decode()
    assert "fewer than 5 milestones</strong> ticked off" in published
    assert "1 milestone" not in published
    assert "0 goals</strong> reached" in published  # nothing to hide in a zero

    own = alpha.client("coordinator").get(
        f"/manage/programs/{program.pk}/impact/report/"
    )
    assert "<strong>1 milestone</strong> ticked off" in own.content.decode()
