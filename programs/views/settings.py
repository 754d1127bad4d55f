"""The person's own settings pages: preferences (signed in, or from the signed link in
any email), one-click unsubscribe from a kind, and the welcome after the first
password. Routed in ``mentorship/urls.py`` under top-level names (``preferences``,
``preferences-signed``, ``unsubscribe``, ``welcome``), which the emails reverse."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from mentorship.accounts import preferences
from mentorship.accounts.models import User
from mentorship.forms import form_add_errors
from mentorship.http import AppRequest
from mentorship.notifications import selectors as notification_selectors
from programs import selectors, services
from programs.forms import PreferencesForm, WelcomeForm
from programs.models import Enrollment, Participant


def _preferences_page(
    request: AppRequest, *, user: User, token: str | None
) -> HttpResponse:
    full = token is None
    participant = selectors.participant_for_user(user=user) if full else None
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        user=user,
        participant=participant,
        kinds=notification_selectors.notification_kinds_for_user(user=user),
        full=full,
    )
    if request.method == "POST" and form.is_valid():
        try:
            _save_preferences(form, user=user, participant=participant, full=full)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, "Your preferences are saved.")
            if full:
                return redirect("preferences")
            return redirect("preferences-signed", token)
    context = {
        "form": form,
        "person": user,
        "token": token,
        "local_now": selectors.local_now(user=user),
    }
    status = 422 if form.errors else 200
    return render(request, "programs/preferences_form.html", context, status=status)


@transaction.atomic
def _save_preferences(
    form: PreferencesForm,
    *,
    user: User,
    participant: Participant | None,
    full: bool,
) -> None:
    preferences.user_preferences_update(
        user=user,
        preferences=form.message_preferences(),
        time_zone=form.cleaned_data["time_zone"] if full else None,
        language=form.cleaned_data["language"] if full else None,
    )
    if form.has_working_pattern and participant is not None:
        services.participant_update(
            participant=participant, by=user, fields=form.working_pattern()
        )


@require_http_methods(["GET", "POST"])
@login_required
def preferences_edit(request: AppRequest) -> HttpResponse:
    """Everyone's preferences: messages, zone, language, working hours and days."""
    return _preferences_page(request, user=request.user, token=None)


@require_http_methods(["GET", "POST"])
def preferences_signed(request: AppRequest, token: str) -> HttpResponse:
    """The message preferences opened from the link in an email, without a sign-in
    (the token names the person, in this organization). Signed in as that person,
    the full page opens instead."""
    user = preferences.user_from_preferences_token(token)
    if user is None:
        raise Http404("This link is no longer valid.")
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect("preferences")
    return _preferences_page(request, user=user, token=token)


@csrf_exempt  # mail clients POST the one-click unsubscribe (RFC 8058) with no cookie
@require_http_methods(["GET", "POST"])
def unsubscribe(request: AppRequest, token: str, kind: str) -> HttpResponse:
    """One click stops emails of one kind: GET asks (link scanners open links), POST
    does it. The token is the CSRF defence here: only the person's emails carry it."""
    user = preferences.user_from_preferences_token(token)
    if user is None or len(kind) > 50:
        raise Http404("This link is no longer valid.")
    done = request.method == "POST"
    if done:
        preferences.user_kind_mute(user=user, kind=kind)
    context = {
        "person": user,
        "token": token,
        "kind": kind,
        "kind_label": preferences.kind_label(kind),
        "done": done,
    }
    return render(request, "programs/unsubscribe.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def welcome(request: AppRequest) -> HttpResponse:
    """The short welcome after the first password: name, zone and working hours,
    languages, quiet hours — then the program's agreement and training, one click
    each."""
    user = request.user
    if user.is_coordinator:
        # Staff have no participant profile to set up: their settings are these.
        return redirect("preferences")
    participant = services.participant_ensure(user=user)
    form = WelcomeForm(
        request.POST if request.method == "POST" else None,
        user=user,
        participant=participant,
    )
    if request.method == "POST" and form.is_valid():
        try:
            _save_welcome(form, user=user, participant=participant)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, "Thank you, you're all set.")
            return redirect("home")
    enrollments = selectors.enrollment_list_for_participant(participant=participant)
    context = {
        "form": form,
        "local_now": selectors.local_now(user=user),
        "invitations": [
            e for e in enrollments if e.status == Enrollment.Status.INVITED
        ],
        "training": selectors.training_for_participant(participant=participant),
    }
    status = 422 if form.errors else 200
    return render(request, "programs/welcome.html", context, status=status)


@transaction.atomic
def _save_welcome(form: WelcomeForm, *, user: User, participant: Participant) -> None:
    data = form.cleaned_data
    services.participant_update(
        participant=participant,
        by=user,
        fields=form.working_pattern() | {"languages": data["languages"]},
        time_zone=data["time_zone"],
    )
    user.refresh_from_db()
    preferences.user_preferences_update(
        user=user,
        preferences=preferences.MessagePreferences(
            digest_hour=user.digest_hour,
            quiet_start=data["quiet_start"],
            quiet_end=data["quiet_end"],
            email_enabled=user.email_enabled,
            muted_kinds=list(user.muted_kinds or []),
        ),
        preferred_name=data["preferred_name"],
    )
