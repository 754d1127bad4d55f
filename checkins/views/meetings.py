"""A meeting's life (/pairs/<id>/meetings/propose/, /meetings/<id>/…): propose,
answer, reschedule, cancel, the invitation, and the meeting page with its log,
pulse, feedback and action items."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from checkins import selectors, services
from checkins.forms import FeedbackForm, LogForm, MeetingForm, PulseForm
from checkins.models import ActionItem, Meeting
from checkins.selectors.pages import ICS_STATUSES
from checkins.services.logs import FeedbackEntry, LogEntry
from checkins.services.text import editable_text
from checkins.views._shared import _circle_url, _meeting_url, _pair_url
from checkins.views.pairs import _pair_context
from mentorship.http import AppRequest, back, error_text


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
            return back(request, _pair_url(pair.match.pk))
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
        "Proposed. Everyone in the engagement will get an email."
        if pair.is_engagement
        else f"Proposed. {pair.partner_of(request.user).greeting_name} will get an email.",
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
            messages.error(request, error_text(error))
        else:
            messages.success(request, "Moved. Everyone gets an updated invitation.")
    else:
        messages.error(
            request,
            " ".join(e for errs in form.errors.values() for e in errs),  # type: ignore[misc]
        )
    return back(request, _meeting_url(meeting.pk))


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
        call(meeting=meeting, pair=owner, by=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, error_text(error))
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
        return back(request, _pair_url(owner.match.pk))
    return back(request, _circle_url(owner.circle.pk))


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
            return back(request, _meeting_url(meeting.pk))
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
            return back(request, _pair_url(owner.match.pk))
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
            return back(request, _meeting_url(meeting.pk) + "#feedback")
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
    return back(request, _meeting_url(meeting.pk) + "#action-items")
