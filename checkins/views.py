"""Portal pages of a pair (/pairs/…, /meetings/…, /circles/…) and the coordinator's
health view (/manage/programs/<id>/health/). Thin: fetch with access check, validate,
call one service, render or redirect."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from checkins import selectors, services
from checkins.forms import (
    CommentForm,
    CoordinatorCheckInForm,
    FeedbackForm,
    GoalForm,
    LogForm,
    MeetingForm,
    MilestoneForm,
    PairMessageForm,
    ProgressForm,
    PulseForm,
    ReplyForm,
    RhythmForm,
    UpdateForm,
)
from checkins.models import ActionItem, AsyncUpdate, Goal, Meeting, Milestone
from checkins.selectors.coordinator import coordinator_panel
from checkins.selectors.pages import ICS_STATUSES
from checkins.services import coordinator as coordinator_services
from checkins.services.logs import FeedbackEntry, LogEntry
from checkins.services.text import editable_text
from mentorship.accounts.decorators import coordinator_required
from mentorship.forms import form_add_errors
from mentorship.http import AppRequest
from programs.selectors import local_today, program_get_for_coordinator


def _error_text(error: ValidationError) -> str:
    return " ".join(message for message in error.messages)


def _back(request: AppRequest, url: str) -> HttpResponse:
    """After a successful POST: follow with a full page, htmx or not."""
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _pair_url(match_id: int) -> str:
    return reverse("checkins:pair-detail", args=[match_id])


# --- The viewer's pairs and a pair's page ---------------------------------------------------


@require_GET
@login_required
def pair_list(request: AppRequest) -> HttpResponse:
    pairs = selectors.pair_list_for_participant(user=request.user)
    context = {
        "cards": selectors.pair_cards_for_participant(pairs=pairs, viewer=request.user),
        "groups": selectors.group_list_for_participant(user=request.user),
    }
    return render(request, "checkins/pair_list.html", context)


def _pair_context(
    request: AppRequest, pair: selectors.Pair, role: str, **bound: forms.Form
) -> dict:
    page = selectors.pair_page(pair=pair, role=role, viewer=request.user)
    program = pair.match.program
    context = {"page": page, "pair": pair, "program": program}
    if page.is_member:
        context.update(
            meeting_form=bound.get("meeting_form")
            or MeetingForm(
                zone=request.user.time_zone,
                initial={"duration_minutes": program.meeting_length_minutes},
            ),
            goal_form=bound.get("goal_form") or GoalForm(program_id=program.pk),
            update_form=bound.get("update_form") or UpdateForm(),
            rhythm_form=RhythmForm(
                initial={"update_cadence_days": page.own_update_days or ""}
            ),
        )
    elif role == "coordinator":
        today = local_today(user=request.user)
        context.update(
            panel=coordinator_panel(pair=pair, viewer=request.user),
            checkin_form=bound.get("checkin_form")
            or CoordinatorCheckInForm(initial={"held_on": today}),
            message_form=bound.get("message_form") or PairMessageForm(),
        )
    return context


@require_GET
@login_required
def pair_detail(request: AppRequest, match_id: int) -> HttpResponse:
    """The pair's page; coordinators of the program get it read-only, without notes."""
    pair, role = selectors.pair_get_for_viewer(user=request.user, match_id=match_id)
    template = "checkins/pair_detail.html"
    if request.htmx and not request.htmx.boosted:
        template += "#meetings"
    response = render(request, template, _pair_context(request, pair, role))
    response["Vary"] = "HX-Request"
    return response


# --- Meetings -------------------------------------------------------------------------------


def _meeting_form_post(
    request: AppRequest,
    pair: selectors.Pair,
    call: Callable[[MeetingForm], object],
    ok: str,
) -> HttpResponse:
    form = MeetingForm(request.POST, zone=request.user.time_zone)
    if form.is_valid():
        try:
            call(form)
        except ValidationError as error:
            for field, errors in getattr(error, "error_dict", {None: error}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, ok)
            return _back(request, _pair_url(pair.match.pk))
    role = pair.role_of(request.user) or ""
    context = _pair_context(request, pair, role, meeting_form=form)
    template = "checkins/pair_detail.html"
    if request.htmx:
        template += "#propose-form"
    return render(request, template, context, status=422)


@require_POST
@login_required
def meeting_propose(request: AppRequest, match_id: int) -> HttpResponse:
    pair = selectors.pair_get_for_member(user=request.user, match_id=match_id)
    return _meeting_form_post(
        request,
        pair,
        lambda form: services.meeting_propose(
            pair=pair,
            by=request.user,
            starts_at=form.cleaned_data["starts_at"],
            details=form.details(),
        ),
        f"Proposed. {pair.partner_of(request.user).greeting_name} will get an email.",
    )


@require_POST
@login_required
def meeting_counter(request: AppRequest, meeting_id: int) -> HttpResponse:
    meeting, pair = selectors.meeting_get_for_member(
        user=request.user, meeting_id=meeting_id
    )
    if not isinstance(pair, selectors.Pair):
        raise Http404("No such meeting.")
    return _meeting_form_post(
        request,
        pair,
        lambda form: services.meeting_counter(
            meeting=meeting,
            pair=pair,
            by=request.user,
            starts_at=form.cleaned_data["starts_at"],
            details=form.details(),
        ),
        "Suggested another time.",
    )


@require_POST
@login_required
def meeting_reschedule(request: AppRequest, meeting_id: int) -> HttpResponse:
    meeting, owner = selectors.meeting_get_for_member(
        user=request.user, meeting_id=meeting_id
    )
    form = MeetingForm(request.POST, zone=request.user.time_zone)
    if form.is_valid():
        try:
            services.meeting_reschedule(
                meeting=meeting,
                pair=owner,
                by=request.user,
                starts_at=form.cleaned_data["starts_at"],
                details=form.details(),
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, "Moved. Everyone gets an updated invitation.")
    else:
        messages.error(
            request, " ".join(e for errs in form.errors.values() for e in errs)
        )
    return _back(request, _meeting_url(meeting.pk))


def _meeting_url(meeting_id: int) -> str:
    return reverse("checkins:meeting-detail", args=[meeting_id])


def _answer(request: AppRequest, meeting_id: int, action: str) -> HttpResponse:
    meeting, owner = selectors.meeting_get_for_member(
        user=request.user, meeting_id=meeting_id
    )
    call = {
        "accept": services.meeting_accept,
        "decline": services.meeting_decline,
        "cancel": services.meeting_cancel,
    }[action]
    if action != "cancel" and not isinstance(owner, selectors.Pair):
        raise Http404("No such meeting.")
    try:
        call(meeting=meeting, pair=owner, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            {
                "accept": "Confirmed. The invitation is on its way to you both.",
                "decline": "Declined.",
                "cancel": "Cancelled.",
            }[action],
        )
    if isinstance(owner, selectors.Pair):
        return _back(request, _pair_url(owner.match.pk))
    return _back(request, _circle_url(owner.circle.pk))


@require_POST
@login_required
def meeting_accept(request: AppRequest, meeting_id: int) -> HttpResponse:
    return _answer(request, meeting_id, "accept")


@require_POST
@login_required
def meeting_decline(request: AppRequest, meeting_id: int) -> HttpResponse:
    return _answer(request, meeting_id, "decline")


@require_POST
@login_required
def meeting_cancel(request: AppRequest, meeting_id: int) -> HttpResponse:
    return _answer(request, meeting_id, "cancel")


@require_GET
@login_required
def meeting_ics(request: AppRequest, meeting_id: int) -> HttpResponse:
    """The confirmed meeting's invitation, for its people only."""
    meeting, owner = selectors.meeting_get_for_member(
        user=request.user, meeting_id=meeting_id
    )
    if meeting.status not in ICS_STATUSES:
        raise Http404("This meeting isn't confirmed.")
    method = "CANCEL" if meeting.status == "cancelled" else "REQUEST"
    body = services.meeting_ics_for(
        meeting=meeting, attendees=owner.attendees, method=method
    )
    response = HttpResponse(
        body, content_type=f"text/calendar; method={method}; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@require_GET
@login_required
def meeting_detail(request: AppRequest, meeting_id: int) -> HttpResponse:
    meeting, owner = selectors.meeting_get_for_member(
        user=request.user, meeting_id=meeting_id
    )
    return render(
        request,
        "checkins/meeting_detail.html",
        _meeting_context(request, meeting, owner),
    )


def _meeting_context(
    request: AppRequest,
    meeting: Meeting,
    owner: selectors.Pair | selectors.Group,
    **bound: forms.Form,
) -> dict:
    page = selectors.meeting_page(meeting=meeting, owner=owner, viewer=request.user)
    log = page.my_log
    initial = (
        {
            "happened": "yes" if log.happened else "no",
            "duration_minutes": log.duration_minutes,
            "topics": log.topics,
            "shared_notes": log.shared_notes_source or editable_text(log.shared_notes),
            "action_items": log.action_items,
            "private_note": page.my_private_note,
        }
        if log
        else {"happened": "yes", "duration_minutes": meeting.duration_minutes}
    )
    return {
        "page": page,
        "meeting": meeting,
        "log_form": bound.get("log_form") or LogForm(initial=initial),
        "pulse_form": bound.get("pulse_form") or PulseForm(),
        "feedback_form": bound.get("feedback_form")
        or FeedbackForm(
            initial={
                "worked": page.my_feedback.worked,
                "try_next": page.my_feedback.try_next,
            }
            if page.my_feedback
            else None
        ),
        "reschedule_form": MeetingForm(
            zone=request.user.time_zone,
            with_slots=False,
            initial={
                "duration_minutes": meeting.duration_minutes,
                "agenda": meeting.agenda,
                "online_link": meeting.online_link,
                "location": meeting.location,
            },
        ),
    }


@require_POST
@login_required
def meeting_log(request: AppRequest, meeting_id: int) -> HttpResponse:
    meeting, owner = selectors.meeting_get_for_member(
        user=request.user, meeting_id=meeting_id
    )
    form = LogForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_log_save(
                meeting=meeting,
                owner=owner,
                by=request.user,
                entry=LogEntry(**form.cleaned_data),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Logged. Thank you!")
            return _back(request, _meeting_url(meeting.pk))
    context = _meeting_context(request, meeting, owner, log_form=form)
    return render(request, "checkins/meeting_detail.html", context, status=422)


@require_POST
@login_required
def meeting_pulse(request: AppRequest, meeting_id: int) -> HttpResponse:
    meeting, owner = selectors.meeting_get_for_member(
        user=request.user, meeting_id=meeting_id
    )
    if not isinstance(owner, selectors.Pair):
        raise Http404("No such meeting.")
    form = PulseForm(request.POST)
    if form.is_valid():
        try:
            services.pulse_submit(
                meeting=meeting, pair=owner, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Thanks — that helps your coordinator.")
            return _back(request, _pair_url(owner.match.pk))
    context = _meeting_context(request, meeting, owner, pulse_form=form)
    return render(request, "checkins/meeting_detail.html", context, status=422)


@require_POST
@login_required
def meeting_feedback(request: AppRequest, meeting_id: int) -> HttpResponse:
    """Feedback for the partner (not the coordinators) on a held meeting."""
    meeting, owner = selectors.meeting_get_for_member(
        user=request.user, meeting_id=meeting_id
    )
    if not isinstance(owner, selectors.Pair):
        raise Http404("No such meeting.")
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_feedback_save(
                meeting=meeting,
                pair=owner,
                by=request.user,
                entry=FeedbackEntry(**form.cleaned_data),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            partner = owner.partner_of(request.user).greeting_name
            messages.success(request, f"Saved. {partner} will see it.")
            return _back(request, _meeting_url(meeting.pk) + "#feedback")
    context = _meeting_context(request, meeting, owner, feedback_form=form)
    return render(request, "checkins/meeting_detail.html", context, status=422)


@require_POST
@login_required
def action_item_toggle(
    request: AppRequest, meeting_id: int, item_id: int
) -> HttpResponse:
    """Tick an action item off (or reopen it), from this meeting's page; the item
    may come from an earlier meeting of the same pair or circle."""
    meeting, owner = selectors.meeting_get_for_member(
        user=request.user, meeting_id=meeting_id
    )
    same_owner = (
        {"meeting__match_id": meeting.match_id}
        if meeting.match_id
        else {"meeting__circle_id": meeting.circle_id}
    )
    item = (
        ActionItem.objects.select_related("meeting")
        .filter(pk=item_id, **same_owner)
        .first()
    )
    if item is None:
        raise Http404("No such action item.")
    services.action_item_toggle(item=item, owner=owner, by=request.user)
    return _back(request, _meeting_url(meeting.pk) + "#action-items")


# --- Goals and updates ------------------------------------------------------------------------


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
            return _back(request, _pair_url(pair.match.pk))
    if form_name not in _PAGE_FORMS:
        errors = (error for errors in form.errors.values() for error in errors)
        messages.error(request, " ".join(errors))
        return _back(request, _pair_url(pair.match.pk))
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
        messages.error(request, _error_text(error))
    return _back(request, _pair_url(pair.match.pk))


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


# --- Circles ----------------------------------------------------------------------------------


def _circle_url(circle_id: int) -> str:
    return reverse("checkins:circle-detail", args=[circle_id])


@require_http_methods(["GET", "POST"])
@login_required
def circle_detail(request: AppRequest, circle_id: int) -> HttpResponse:
    """A circle's meetings; its facilitators schedule them here (POST)."""
    group = selectors.group_get_for_member(user=request.user, circle_id=circle_id)
    form = MeetingForm(
        request.POST if request.method == "POST" else None,
        zone=request.user.time_zone,
        with_slots=False,
        initial={"duration_minutes": group.circle.program.meeting_length_minutes},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.circle_meeting_schedule(
                group=group,
                by=request.user,
                starts_at=form.cleaned_data["starts_at"],
                details=form.details(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Scheduled. Everyone gets an invitation.")
            return _back(request, _circle_url(circle_id))
    page = selectors.circle_page(group=group, viewer=request.user)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "checkins/circle_detail.html",
        {"page": page, "form": form},
        status=status,
    )


# --- Coordinator: relationship health -----------------------------------------------------------


@require_GET
@coordinator_required
def program_health(request: AppRequest, program_id: int) -> HttpResponse:
    """Every active pair of a program with its health; #health-table for htmx."""
    program = program_get_for_coordinator(user=request.user, program_id=program_id)
    filters = selectors.HealthFilters.from_query(request.GET)
    table = selectors.program_health(
        program=program, filters=filters, now=timezone.now()
    )
    template = "checkins/program_health.html"
    if request.htmx and not request.htmx.boosted:
        template += "#health-table"
    response = render(request, template, {"program": program, "table": table})
    response["Vary"] = "HX-Request"
    return response


# --- Coordinator: acting on a pair ---------------------------------------------------------


def _pair_for_coordinator(request: AppRequest, match_id: int) -> selectors.Pair:
    """The pair if the viewer manages its program (its people get 404 here too)."""
    pair, role = selectors.pair_get_for_viewer(user=request.user, match_id=match_id)
    if role != "coordinator":
        raise Http404("No such pair.")
    return pair


def _coordinator_post(
    request: AppRequest,
    pair: selectors.Pair,
    form: forms.Form,
    form_name: str,
    call: Callable[[dict], str],
) -> HttpResponse:
    """Validate ``form``, call one service (which returns the success message),
    then back to the pair page; errors re-render the page with the form (422)."""
    if form.is_valid():
        try:
            ok = call(form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, ok)
            return _back(request, _pair_url(pair.match.pk) + "#act")
    context = _pair_context(request, pair, "coordinator", **{form_name: form})
    return render(request, "checkins/pair_detail.html", context, status=422)


@require_POST
@coordinator_required
def coordinator_checkin(request: AppRequest, match_id: int) -> HttpResponse:
    pair = _pair_for_coordinator(request, match_id)

    def record(data: dict) -> str:
        coordinator_services.coordinator_checkin_record(
            pair=pair, by=request.user, **data
        )
        return "Check-in recorded. Only coordinators see it."

    return _coordinator_post(
        request, pair, CoordinatorCheckInForm(request.POST), "checkin_form", record
    )


@require_POST
@coordinator_required
def pair_message(request: AppRequest, match_id: int) -> HttpResponse:
    pair = _pair_for_coordinator(request, match_id)

    def send(data: dict) -> str:
        sent = coordinator_services.pair_message_send(
            pair=pair, by=request.user, **data
        )
        if not sent:
            return "That message was already sent today."
        return f"Message sent to {'both of them' if sent > 1 else 'one person'}."

    return _coordinator_post(
        request, pair, PairMessageForm(request.POST), "message_form", send
    )


@require_POST
@coordinator_required
def pair_nudge(request: AppRequest, match_id: int) -> HttpResponse:
    pair = _pair_for_coordinator(request, match_id)
    try:
        sent = coordinator_services.pair_nudge_send(pair=pair, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            "Nudged both to plan their next meeting."
            if sent
            else "They were already nudged today.",
        )
    return _back(request, _pair_url(pair.match.pk) + "#act")
