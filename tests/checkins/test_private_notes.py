"""T-CONF-1: a private note is read by its author alone.

Seed private notes with unique PRIV-<uuid> sentinels, then request EVERY route of
the tenant URL conf (path parameters filled with the seeded objects' ids; htmx
partials too), every admin changelist (plain and searched with ?q=PRIV) and every
change, history and delete page of the seeded objects, as the partner, as the
program's coordinator and as the HR admin. The sentinel appears nowhere — also not
in the outbox or in sent mail — and it does appear on its author's own pages.
"""

from __future__ import annotations

import datetime
import itertools
import re
import uuid

import pytest
from django.contrib import admin
from django.core import mail
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from checkins import services
from checkins.models import Meeting, Milestone, PrivateNote
from checkins.services.logs import LogEntry
from checkins.services.meetings import MeetingDetails
from matching.models import Circle
from mentorship.notifications.models import Notification


def _route_patterns(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _route_patterns(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback.__module__.startswith("checkins.")


PARAMETER = re.compile(
    r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>|\(\?P<(?P<regex_name>\w+)>[^)]*\)"
)


def _fill(route: str, values: dict[str, list[str]], *, every: bool) -> list[str]:
    """Concrete paths for ``route`` with parameters taken from ``values``: every
    combination, or (``every=False``) just the first value of each."""
    route = route.replace("^", "").replace("$", "").replace("\\Z", "")
    names = [
        m.group("name") or m.group("regex_name") for m in PARAMETER.finditer(route)
    ]
    choices = [values.get(name, ["1"])[: None if every else 1] for name in names]
    paths = []
    for combination in itertools.product(*choices):
        filled = iter(combination)
        path = PARAMETER.sub(lambda _, filled=filled: next(filled), route)
        paths.append("/" + path.replace("\\", ""))
    return paths


@pytest.fixture
def seeded(alpha, program, pair, mentor, mentee, coordinator):
    """A pair with a held meeting, both logs with private notes, pulses, a goal, an
    update, a confirmed future meeting (invitations in the outbox), and a circle
    meeting with a private note."""
    now = timezone.now()
    sentinel = {who: f"PRIV-{uuid.uuid4()}" for who in ("mentor", "mentee", "circle")}
    held = Meeting.objects.create(
        match=pair.match,
        starts_at=now - datetime.timedelta(days=2),
        status=Meeting.Status.CONFIRMED,
        proposed_by=mentor,
        proposed_at=now - datetime.timedelta(days=5),
    )
    for who, user in (("mentor", mentor), ("mentee", mentee)):
        services.meeting_log_save(
            meeting=held,
            owner=pair,
            by=user,
            entry=LogEntry(
                happened=True,
                duration_minutes=40,
                topics="career",
                shared_notes="<p>shared words</p>",
                action_items="read a book",
                private_note=f"{sentinel[who]} what I really think",
            ),
        )
        services.pulse_submit(
            meeting=held, pair=pair, by=user, usefulness=4, for_coordinator="fine"
        )
    goal = services.goal_create(pair=pair, by=mentee, title="Speak up")
    services.milestone_add(pair=pair, goal=goal, by=mentee, title="First talk")
    services.goal_comment(pair=pair, goal=goal, by=mentor, text="Nice start")
    services.async_update_post(pair=pair, by=mentee, body="Practised today")
    future = services.meeting_propose(
        pair=pair,
        by=mentor,
        starts_at=now + datetime.timedelta(days=3),
        details=MeetingDetails(duration_minutes=45),
    )
    services.meeting_accept(meeting=future, pair=pair, by=mentee)
    # A circle with the mentor facilitating and the mentee in it
    circle = Circle.objects.create(
        program=program, name="Leaders circle", is_published=True
    )
    circle.facilitators.add(pair.mentor.participant.enrollments.get(program=program))
    circle.members.add(pair.mentee.participant.enrollments.get(program=program))
    from checkins.selectors import group_get_for_member

    group = group_get_for_member(user=mentor, circle_id=circle.pk)
    circle_meeting = services.circle_meeting_schedule(
        group=group,
        by=mentor,
        starts_at=now + datetime.timedelta(days=4),
        details=MeetingDetails(duration_minutes=60),
    )
    Meeting.objects.filter(pk=circle_meeting.pk).update(
        starts_at=now - datetime.timedelta(hours=3)
    )
    circle_meeting.refresh_from_db()
    services.meeting_log_save(
        meeting=circle_meeting,
        owner=group,
        by=mentee,
        entry=LogEntry(
            happened=True, private_note=f"{sentinel['circle']} circle thoughts"
        ),
    )
    assert PrivateNote.objects.count() == 3
    return {
        "sentinel": sentinel,
        "values": {
            "match_id": [str(pair.match.pk)],
            "meeting_id": [str(held.pk), str(future.pk), str(circle_meeting.pk)],
            "program_id": [str(program.pk)],
            "goal_id": [str(goal.pk)],
            "milestone_id": [str(Milestone.objects.get(goal=goal).pk)],
            "circle_id": [str(circle.pk)],
            "role": ["mentor", "mentee"],
            "enrollment_id": [
                str(pk)
                for pk in pair.match.program.enrollments.values_list("pk", flat=True)
            ],
        },
        "held": held,
        "circle_meeting": circle_meeting,
        "pair": pair,
    }


def _tenant_paths(values) -> list[tuple[str, bool]]:
    """(path, is a check-ins page) for every route; check-ins routes with every
    seeded id, the others with one (they hold no check-ins data to leak)."""
    paths = set()
    for route, is_checkins in _route_patterns(
        get_resolver("mentorship.urls").url_patterns
    ):
        if "logout" in route:
            continue
        paths.update(
            (path, is_checkins) for path in _fill(route, values, every=is_checkins)
        )
    return sorted(paths)


def _admin_paths() -> list[str]:
    """Changelists (plain and ?q=PRIV) of every registered model, the change,
    history and delete pages of every check-ins object, and a change page of every
    other model (the ones that link to pairs and meetings)."""
    paths = []
    for model in admin.site._registry:
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        paths += [changelist, f"{changelist}?q=PRIV"]
        is_checkins = opts.app_label == "checkins"
        views = ("change", "history", "delete") if is_checkins else ("change",)
        for pk in model._default_manager.values_list("pk", flat=True)[
            : None if is_checkins else 1
        ]:
            for view in views:
                paths.append(
                    reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[pk]
                    )
                )
    return [(path, False) for path in paths]


def _assert_never_shown(client, paths, sentinels, who) -> int:
    """GET every path (check-ins pages also as htmx partials); returns how many
    rendered with 200."""
    seen = 0
    for path, is_checkins in paths:
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}) if is_checkins else ({},):
            response = client.get(path, **headers)
            assert response.status_code < 500, (who, path, response.status_code)
            seen += response.status_code == 200
            body = b"".join(response) if response.streaming else response.content
            text = body.decode(errors="replace")
            for sentinel in sentinels:
                assert sentinel not in text, f"{who} saw a private note at {path}"
    return seen


def test_private_notes_never_reach_the_partner_coordinators_or_admins(alpha, seeded):
    sentinel = seeded["sentinel"]
    values = seeded["values"]
    tenant_paths = _tenant_paths(values)
    admin_paths = _admin_paths()
    assert len(tenant_paths) > 60
    # The partner of each author (the mentee wrote the circle note; the mentor
    # facilitates that circle and must not read it either).
    seen = _assert_never_shown(
        alpha.client("mentee"), tenant_paths, [sentinel["mentor"]], "mentee"
    )
    assert seen > 10  # the walk really rendered the pair's pages
    _assert_never_shown(
        alpha.client("mentor"),
        tenant_paths,
        [sentinel["mentee"], sentinel["circle"]],
        "mentor",
    )
    everyone = list(sentinel.values())
    for persona in ("coordinator", "hradmin"):
        _assert_never_shown(alpha.client(persona), tenant_paths, everyone, persona)
    seen = _assert_never_shown(
        alpha.client("hradmin"), admin_paths, everyone, "hradmin (admin)"
    )
    assert seen > 50  # changelists and change pages rendered for the superuser


def test_private_notes_stay_out_of_the_outbox_and_mail(alpha, seeded):
    for sentinel in seeded["sentinel"].values():
        for field in ("subject", "body", "attachment", "link"):
            assert not Notification.objects.filter(
                **{f"{field}__contains": sentinel}
            ).exists()
        for message in mail.outbox:
            assert sentinel not in message.body
            assert sentinel not in str(message.message())


def test_the_author_reads_their_own_private_note(alpha, seeded):
    sentinel, pair = seeded["sentinel"], seeded["pair"]
    held, circle_meeting = seeded["held"], seeded["circle_meeting"]
    mentor, mentee = alpha.client("mentor"), alpha.client("mentee")
    assert sentinel["mentor"] in mentor.get(f"/pairs/{pair.match.pk}/").content.decode()
    assert sentinel["mentor"] in mentor.get(f"/meetings/{held.pk}/").content.decode()
    assert sentinel["mentee"] in mentee.get(f"/meetings/{held.pk}/").content.decode()
    assert (
        sentinel["circle"]
        in mentee.get(f"/meetings/{circle_meeting.pk}/").content.decode()
    )


def test_private_notes_are_not_in_the_admin_at_all(alpha):
    assert PrivateNote not in admin.site._registry
    for model_admin in admin.site._registry.values():
        for inline in model_admin.inlines:
            assert inline.model is not PrivateNote


def test_coordinators_do_not_read_the_pairs_shared_words_either(alpha, seeded):
    pair = seeded["pair"]
    for persona in ("coordinator", "hradmin"):
        body = alpha.client(persona).get(f"/pairs/{pair.match.pk}/").content.decode()
        assert "shared words" not in body
        assert "Practised today" not in body
        assert "Nice start" not in body
        assert "rated the meeting" in body  # pulses are for them
    body = alpha.client("mentee").get(f"/pairs/{pair.match.pk}/").content.decode()
    assert "shared words" in body
    assert "Practised today" in body
    assert "Nice start" in body
