"""A pair's goals, milestones, comments, updates and rhythm (/pairs/<id>/goals/…,
/pairs/<id>/updates/…, /pairs/<id>/rhythm/), all shown on the pair page."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from checkins import selectors, services
from checkins.forms import (
    CommentForm,
    GoalForm,
    MilestoneForm,
    ProgressForm,
    ReplyForm,
    RhythmForm,
    UpdateForm,
)
from checkins.models import AsyncUpdate, Goal, Milestone
from checkins.views._shared import _pair_url
from checkins.views.pairs import _pair_context
from mentorship.http import AppRequest, back, error_text

# Forms whose errors re-render the whole page (422); the small inline ones (progress,
# milestone, comment) come back to the page with the error as a message.
_PAGE_FORMS = ("goal_form", "update_form")


def _run(
    request: AppRequest,
    pair: selectors.Pair,
    form: forms.Form,
    call: Callable[[selectors.Pair, dict], object],
    ok: str,
    form_name: str,
) -> HttpResponse:
    """Validate ``form``, call one service through ``call``, then redirect or show
    the errors."""
    if form.is_valid():
        try:
            call(pair, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, ok)
            return back(request, _pair_url(pair.match.pk))
    if form_name not in _PAGE_FORMS:
        errors = (error for errors in form.errors.values() for error in errors)
        messages.error(request, " ".join(errors))  # type: ignore[arg-type]
        return back(request, _pair_url(pair.match.pk))
    role = pair.role_of(request.user) or ""
    context = _pair_context(request, pair, role, **{form_name: form})
    return render(request, "checkins/pair_detail.html", context, status=422)


@require_POST
@login_required
def goal_create(request: AppRequest, match_id: int) -> HttpResponse:
    pair = selectors.pair_get_for_member(user=request.user, match_id=match_id)
    form = GoalForm(request.POST, program_id=pair.match.program_id)
    return _run(
        request,
        pair,
        form,
        lambda pair, data: services.goal_create(pair=pair, by=request.user, **data),
        "Goal set.",
        "goal_form",
    )


def _goal_of(pair, goal_id: int) -> Goal:
    goal = Goal.objects.filter(pk=goal_id, match=pair.match).first()
    if goal is None:
        raise Http404("No such goal.")
    return goal


@require_POST
@login_required
def goal_progress(request: AppRequest, match_id: int, goal_id: int) -> HttpResponse:
    pair = selectors.pair_get_for_member(user=request.user, match_id=match_id)
    goal = _goal_of(pair, goal_id)
    return _run(
        request,
        pair,
        ProgressForm(request.POST),
        lambda pair, data: services.goal_progress_set(
            pair=pair, goal=goal, by=request.user, progress=data["progress"]
        ),
        "Progress saved.",
        "progress_form",
    )


@require_POST
@login_required
def milestone_add(request: AppRequest, match_id: int, goal_id: int) -> HttpResponse:
    pair = selectors.pair_get_for_member(user=request.user, match_id=match_id)
    goal = _goal_of(pair, goal_id)
    return _run(
        request,
        pair,
        MilestoneForm(request.POST),
        lambda pair, data: services.milestone_add(
            pair=pair, goal=goal, by=request.user, title=data["title"]
        ),
        "Milestone added.",
        "milestone_form",
    )


@require_POST
@login_required
def milestone_toggle(
    request: AppRequest, match_id: int, milestone_id: int
) -> HttpResponse:
    pair = selectors.pair_get_for_member(user=request.user, match_id=match_id)
    milestone = (
        Milestone.objects.select_related("goal")
        .filter(pk=milestone_id, goal__match=pair.match)
        .first()
    )
    if milestone is None:
        raise Http404("No such milestone.")
    try:
        services.milestone_toggle(pair=pair, milestone=milestone, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    return back(request, _pair_url(pair.match.pk))


@require_POST
@login_required
def goal_comment(request: AppRequest, match_id: int, goal_id: int) -> HttpResponse:
    pair = selectors.pair_get_for_member(user=request.user, match_id=match_id)
    goal = _goal_of(pair, goal_id)
    return _run(
        request,
        pair,
        CommentForm(request.POST),
        lambda pair, data: services.goal_comment(
            pair=pair, goal=goal, by=request.user, text=data["text"]
        ),
        "Comment added.",
        "comment_form",
    )


@require_POST
@login_required
def update_post(request: AppRequest, match_id: int) -> HttpResponse:
    pair = selectors.pair_get_for_member(user=request.user, match_id=match_id)
    return _run(
        request,
        pair,
        UpdateForm(request.POST),
        lambda pair, data: services.async_update_post(
            pair=pair, by=request.user, body=data["body"]
        ),
        "Update posted.",
        "update_form",
    )


@require_POST
@login_required
def update_reply(request: AppRequest, match_id: int, update_id: int) -> HttpResponse:
    """A reply under one of the pair's updates."""
    pair = selectors.pair_get_for_member(user=request.user, match_id=match_id)
    update = AsyncUpdate.objects.filter(pk=update_id, match=pair.match).first()
    if update is None:
        raise Http404("No such update.")
    return _run(
        request,
        pair,
        ReplyForm(request.POST),
        lambda pair, data: services.async_update_post(
            pair=pair, by=request.user, body=data["body"], reply_to=update
        ),
        "Reply posted.",
        "reply_form",
    )


@require_POST
@login_required
def pair_rhythm(request: AppRequest, match_id: int) -> HttpResponse:
    """The pair's written rhythm ("an update a week"), set by either of them."""
    pair = selectors.pair_get_for_member(user=request.user, match_id=match_id)
    return _run(
        request,
        pair,
        RhythmForm(request.POST),
        lambda pair, data: services.pair_rhythm_set(
            pair=pair,
            by=request.user,
            update_cadence_days=data["update_cadence_days"],
        ),
        "Saved: that's how you keep in touch now.",
        "rhythm_form",
    )
