"""The participant portal: profile, applying, accepting an invitation,
withdrawing, ticking off training, downloading a resource. (The portal
home itself is reporting's, ``reporting/views/home.py``: it shows every app's cards.)"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.forms import form_add_errors
from mentorship.http import AppRequest
from programs import selectors, services
from programs.forms import ApplicationForm, InvitationForm, ProfileForm
from programs.models import ProgramRole


@require_http_methods(["GET", "POST"])
@login_required
def profile_edit(request: AppRequest) -> HttpResponse:
    participant = selectors.participant_for_user(user=request.user)
    form = ProfileForm(
        request.POST if request.method == "POST" else None,
        instance=participant,
        user=request.user,
        roles=selectors.participant_roles(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_update(
                participant=participant
                or services.participant_ensure(user=request.user),
                by=request.user,
                fields=form.profile_fields(),
                time_zone=form.cleaned_data["time_zone"],
                full_name=form.cleaned_data["full_name"],
                preferred_name=form.cleaned_data["preferred_name"],
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("home")
    context = {"form": form, "local_now": selectors.local_now(user=request.user)}
    status = 422 if form.errors else 200
    return render(request, "programs/profile_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def enrollment_apply(request: AppRequest, program_id: int, role: str) -> HttpResponse:
    if role not in ProgramRole.values:
        raise Http404("No such role.")
    program = selectors.program_get_open(program_id=program_id)
    form = ApplicationForm(
        request.POST if request.method == "POST" else None, program=program, role=role
    )
    if request.method == "POST" and form.is_valid():
        try:
            enrollment = services.enrollment_apply(
                participant=services.participant_ensure(user=request.user),
                program=program,
                role=role,
                answers=form.answers(),
                agreed=bool(form.cleaned_data.get("agreed")),
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(
                request,
                f"Applied to {program.name} as a {role}: "
                f"{enrollment.get_status_display().lower()}.",
            )
            return redirect("home")
    context = {"program": program, "role": role, "form": form}
    status = 422 if form.errors else 200
    return render(request, "programs/apply_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def invitation_accept(request: AppRequest, enrollment_id: int) -> HttpResponse:
    """An import's invitation: read the program and its agreement, then accept."""
    enrollment = selectors.invitation_get_for_participant(
        user=request.user, enrollment_id=enrollment_id
    )
    program = enrollment.program
    form = InvitationForm(
        request.POST if request.method == "POST" else None, program=program
    )
    if request.method == "POST" and form.is_valid():
        try:
            enrollment = services.enrollment_accept_invitation(
                enrollment=enrollment,
                by=request.user,
                agreed=bool(form.cleaned_data.get("agreed")),
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(
                request,
                f"You joined {program.name} as a {enrollment.get_role_display().lower()}"
                f": {enrollment.get_status_display().lower()}.",
            )
            return redirect("home")
    context = {"enrollment": enrollment, "program": program, "form": form}
    status = 422 if form.errors else 200
    return render(request, "programs/invitation_form.html", context, status=status)


@require_POST
@login_required
def enrollment_withdraw(request: AppRequest, enrollment_id: int) -> HttpResponse:
    enrollment = selectors.enrollment_get_for_participant(
        user=request.user, enrollment_id=enrollment_id
    )
    try:
        services.enrollment_withdraw(enrollment=enrollment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"You withdrew from {enrollment.program.name}.")
    return redirect("home")


@require_POST
@login_required
def training_toggle(
    request: AppRequest, enrollment_id: int, module_id: int
) -> HttpResponse:
    enrollment = selectors.enrollment_get_for_participant(
        user=request.user, enrollment_id=enrollment_id
    )
    module = selectors.training_module_get(
        program_id=enrollment.program_id, module_id=module_id
    )
    is_done = request.POST.get("done") == "on"
    try:
        services.training_completion_set(
            enrollment=enrollment, module=module, is_done=is_done, by=request.user
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    if request.htmx:
        context = {"item": selectors.TrainingItem(enrollment, module, is_done)}
        return render(request, "programs/_training_item.html", context)
    return redirect("home")


@require_GET
@login_required
def resource_download(request: AppRequest, resource_id: int) -> FileResponse:
    resource = selectors.resource_get_for_user(
        user=request.user, resource_id=resource_id
    )
    if not resource.document:
        raise Http404("This resource is a link, not a document.")
    return FileResponse(resource.document.open("rb"), as_attachment=True)
