"""Goals: either person sets one, the mentee moves it, the mentor comments."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from checkins import services
from checkins.models import AsyncUpdate, GoalEvent
from mentorship.notifications.models import Notification
from programs.models import ProgramObjective


@pytest.fixture
def goal(pair, program):
    return services.goal_create(
        pair=pair,
        by=pair.mentor.user,
        title="Speak up in meetings",
        objective=program.objectives.first(),
    )


def test_goal_is_tied_to_a_program_objective(goal, program):
    assert goal.objective.program == program
    assert goal.events.get().kind == GoalEvent.Kind.CREATED


def test_rejects_another_programs_objective(pair):
    from programs.models import Program

    other = Program.objects.create(name="Other")
    objective = ProgramObjective.objects.create(program=other, text="x")
    with pytest.raises(ValidationError):
        services.goal_create(
            pair=pair, by=pair.mentee.user, title="x", objective=objective
        )


def test_mentee_moves_progress_and_milestones(pair, goal):
    services.goal_progress_set(pair=pair, goal=goal, by=pair.mentee.user, progress=40)
    milestone = services.milestone_add(
        pair=pair, goal=goal, by=pair.mentee.user, title="First talk"
    )
    services.milestone_toggle(pair=pair, milestone=milestone, by=pair.mentee.user)
    goal.refresh_from_db()
    milestone.refresh_from_db()
    assert goal.progress == 40
    assert milestone.is_done
    assert list(goal.events.values_list("kind", flat=True)) == [
        "created",
        "progress",
        "milestone_added",
        "milestone_done",
    ]


def test_mentor_cannot_move_progress(pair, goal):
    with pytest.raises(PermissionDenied):
        services.goal_progress_set(
            pair=pair, goal=goal, by=pair.mentor.user, progress=90
        )


def test_both_sides_comment_and_the_partner_hears(pair, goal, stranger):
    # issue 15: "Only the mentor can comment on a goal"
    services.goal_comment(pair=pair, goal=goal, by=pair.mentor.user, text="Good start")
    services.goal_comment(pair=pair, goal=goal, by=pair.mentee.user, text="Thanks!")
    notes = Notification.objects.filter(kind="goal-comment").order_by("id")
    assert [(n.recipient, n.body) for n in notes] == [
        (pair.mentee.user, "Good start"),
        (pair.mentor.user, "Thanks!"),
    ]
    assert all(n.channel == Notification.Channel.DIGEST for n in notes)
    assert notes[0].link == f"/pairs/{pair.match.pk}/#goal-{goal.pk}"
    with pytest.raises(PermissionDenied):
        services.goal_comment(pair=pair, goal=goal, by=stranger, text="x")


def test_progress_is_0_to_100(pair, goal):
    with pytest.raises(ValidationError):
        services.goal_progress_set(
            pair=pair, goal=goal, by=pair.mentee.user, progress=101
        )


def test_through_the_page(alpha, pair, goal):
    mentee = alpha.client("mentee")
    response = mentee.post(
        f"/pairs/{pair.match.pk}/goals/{goal.pk}/progress/", {"progress": "70"}
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.progress == 70
    mentor = alpha.client("mentor")
    mentor.post(f"/pairs/{pair.match.pk}/goals/{goal.pk}/progress/", {"progress": "10"})
    goal.refresh_from_db()
    assert goal.progress == 70  # refused for the mentor
    body = mentor.get(f"/pairs/{pair.match.pk}/").content.decode()
    assert "moved “Speak up in meetings” to 70%" in body


def test_async_update_shows_in_the_timeline(alpha, pair):
    response = alpha.client("mentor").post(
        f"/pairs/{pair.match.pk}/updates/", {"body": "Sent you <em>the book</em>"}
    )
    assert response.status_code == 302
    assert AsyncUpdate.objects.get().body == "<p>Sent you <em>the book</em></p>"
    body = alpha.client("mentee").get(f"/pairs/{pair.match.pk}/").content.decode()
    assert f"{pair.mentor.greeting_name} posted an update" in body
    assert "Sent you <em>the book</em>" in body


def test_empty_update_is_refused(alpha, pair):
    response = alpha.client("mentor").post(
        f"/pairs/{pair.match.pk}/updates/", {"body": "<script>x</script>"}
    )
    assert response.status_code == 422
    assert not AsyncUpdate.objects.exists()
