"""The resource library on the dashboard (/manage/programs/<id>/resources/): list,
add, change, reorder, delete (asking first). Thin: parse, call programs.services.resources."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from mentorship import confirm
from mentorship.accounts.decorators import coordinator_required
from mentorship.forms import form_add_errors
from mentorship.http import AppRequest, back, error_text
from programs.forms.resources import ResourceForm
from programs.models import Program, Resource
from programs.selectors import program_get_for_coordinator
from programs.services import resources


def _library_url(program_id: int) -> str:
    return reverse("programs:resource-library", args=[program_id])


def _save(
    request: AppRequest, program: Program, form: ResourceForm, resource: Resource | None
) -> Resource | None:
    if not form.is_valid():
        return None
    try:
        return resources.resource_save(
            program=program,
            by=request.user,
            data=form.data_for_service(),
            resource=resource,
        )
    except ValidationError as error:
        form_add_errors(form, error)
        return None


@require_http_methods(["GET", "POST"])
@coordinator_required
def resource_library(request: AppRequest, program_id: int) -> HttpResponse:
    """The library, with the form that adds to it (POST)."""
    program = program_get_for_coordinator(user=request.user, program_id=program_id)
    form = ResourceForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST":
        saved = _save(request, program, form, None)
        if saved is not None:
            messages.success(request, f"Added “{saved.title}”.")
            return redirect(_library_url(program.pk))
    library = resources.resource_list_for_coordinator(program=program)
    context = {
        "program": program,
        "library": library,
        "form": form,
        "deletions": {r.pk: _delete_confirmation(program, r) for r in library},
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "programs/resource_library.html", context, status=status)


@require_http_methods(["GET", "POST"])
@coordinator_required
def resource_edit(
    request: AppRequest, program_id: int, resource_id: int
) -> HttpResponse:
    resource = resources.resource_get_for_coordinator(
        user=request.user, program_id=program_id, resource_id=resource_id
    )
    program = resource.program
    initial = {
        "title": resource.title,
        "url": resource.url,
        "description": resource.description,
        "for_role": resource.for_role,
    }
    form = ResourceForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=initial,
    )
    if request.method == "POST":
        saved = _save(request, program, form, resource)
        if saved is not None:
            messages.success(request, f"Saved “{saved.title}”.")
            return redirect(_library_url(program.pk))
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "programs/resource_form.html",
        {"program": program, "resource": resource, "form": form},
        status=status,
    )


def _delete_confirmation(program: Program, resource: Resource) -> confirm.Confirmation:
    return confirm.Confirmation(
        question=f"Delete “{resource.title}”?",
        effects=(
            "Participants no longer see it in their portal"
            + (" and the uploaded file is deleted." if resource.document else "."),
        ),
        action_url=reverse("programs:resource-delete", args=[program.pk, resource.pk]),
        label="Delete",
        cancel_url=_library_url(program.pk),
        is_danger=True,
        title="Delete a resource",
    )


@require_POST
@coordinator_required
def resource_delete(
    request: AppRequest, program_id: int, resource_id: int
) -> HttpResponse:
    resource = resources.resource_get_for_coordinator(
        user=request.user, program_id=program_id, resource_id=resource_id
    )
    program = resource.program
    if not confirm.is_confirmed(request):
        return confirm.page(
            request,
            _delete_confirmation(program, resource),
            context={"program": program},
        )
    title = resource.title
    resources.resource_delete(resource=resource, by=request.user)
    messages.success(request, f"Deleted “{title}”.")
    return back(request, _library_url(program.pk))


@require_POST
@coordinator_required
def resource_move(
    request: AppRequest, program_id: int, resource_id: int
) -> HttpResponse:
    resource = resources.resource_get_for_coordinator(
        user=request.user, program_id=program_id, resource_id=resource_id
    )
    program = resource.program
    try:
        resources.resource_move(
            resource=resource,
            by=request.user,
            direction=request.POST.get("direction", ""),
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect(f"{_library_url(program.pk)}#resource-{resource.pk}")
