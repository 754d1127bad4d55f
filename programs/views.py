"""Dashboard (/manage/…) and portal (/…) views: parse, call one service, render."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from mentorship import confirm
from mentorship.accounts.decorators import coordinator_required
from mentorship.forms import form_add_errors
from mentorship.http import AppRequest
from programs import importing, selectors, services
from programs.forms import (
    ApplicationForm,
    BulkDecisionForm,
    ImportUploadForm,
    InvitationForm,
    ModuleFormSet,
    ObjectiveFormSet,
    ProfileForm,
    ProgramForm,
    QuestionFormSet,
    TransitionForm,
    formset_items,
    program_initial_children,
)
from programs.import_forms import ImportReadingForm
from programs.models import Enrollment, Program, ProgramRole

DECIDED = {"approve": "Approved", "waitlist": "Waitlisted", "decline": "Declined"}


# --- Dashboard -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@coordinator_required
def program_create(request: AppRequest) -> HttpResponse:
    return _program_editor(request, program=None)


@require_http_methods(["GET", "POST"])
@coordinator_required
def program_edit(request: AppRequest, program_id: int) -> HttpResponse:
    program = selectors.program_get_for_editing(
        user=request.user, program_id=program_id
    )
    return _program_editor(request, program=program)


def _program_editor(request: AppRequest, *, program: Program | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    initial = program_initial_children(program)
    form = ProgramForm(data, instance=program)
    if program is None:
        form.initial["coordinators"] = [request.user.pk]
    formsets = {
        "objectives": ObjectiveFormSet(
            data, initial=initial["objectives"], prefix="objectives"
        ),
        "questions": QuestionFormSet(
            data, initial=initial["questions"], prefix="questions"
        ),
        "modules": ModuleFormSet(data, initial=initial["modules"], prefix="modules"),
    }
    if (
        data is not None
        and form.is_valid()
        and all(f.is_valid() for f in formsets.values())
    ):
        try:
            saved = services.program_save(
                program=program,
                by=request.user,
                fields=form.program_fields(),
                objectives=formset_items(formsets["objectives"]),
                questions=formset_items(formsets["questions"]),
                modules=formset_items(formsets["modules"]),
                coordinators=form.cleaned_data["coordinators"],
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, f"Saved {saved.name}.")
            return redirect("programs:program-detail", program_id=saved.pk)
    status = 422 if data is not None else 200
    context = {"form": form, "program": program, **formsets}
    return render(request, "programs/program_form.html", context, status=status)


def _start_confirmation(program: Program) -> confirm.Confirmation:
    """Starting can't be taken back (enrolment and matching don't reopen)."""
    starts = program.starts_on.strftime("%-d %b %Y") if program.starts_on else ""
    return confirm.Confirmation(
        question=f"Start {program.name}?",
        effects=(
            "Enrolment can't reopen and the program can't go back to matching.",
            f"Pairs meet from {starts}: matches accepted before then wait as "
            "ready, and their meeting clock starts that day."
            if starts
            else "Pairs' meeting clocks start when both accept.",
        ),
        action_url=reverse("programs:program-transition", args=[program.pk]),
        fields=(("to", Program.Status.ACTIVE),),
        label="Start the program",
        cancel_url=reverse("programs:program-detail", args=[program.pk]),
        is_primary=False,
    )


@dataclass(frozen=True)
class StageAction:
    """One way on from the program's stage: a link (``url``), a status change
    (``to``) or an irreversible one that asks first (``confirmation``)."""

    label: str
    url: str = ""
    to: str = ""
    confirmation: confirm.Confirmation | None = None


# The one next step of each stage, when it is a page rather than a status change.
_NEXT_PAGE = {
    Program.Status.MATCHING: ("Run matching", "matching:review"),
    Program.Status.ACTIVE: ("Relationship health", "checkins:program-health"),
    Program.Status.CLOSED: ("Impact report", "reporting:impact-dashboard"),
}


def _stage_actions(
    program: Program, counts: selectors.ProgramCounts
) -> tuple[StageAction, list[StageAction]]:
    """The stage's primary next step, and the other moves (secondary).

    Draft: open enrolment. Enrolling: close enrolment (matching comes next).
    Matching: run matching; starting the program asks first. Active: watch the
    pairs' health. Closing always goes through its confirmation page."""
    moves: list[StageAction] = []
    for (source, to), label in services.TRANSITION_LABELS.items():
        if source != program.status:
            continue
        # Back to draft only while nobody has applied (the service refuses it too).
        if to == Program.Status.DRAFT and counts.total:
            continue
        if to == Program.Status.CLOSED and source != Program.Status.DRAFT:
            url = reverse("reporting:program-close", args=[program.pk])
            moves.append(StageAction(label=f"{label}…", url=url))
        elif to == Program.Status.ACTIVE:
            confirmation = _start_confirmation(program)
            moves.append(StageAction(label=label, confirmation=confirmation))
        else:
            moves.append(StageAction(label=label, to=to))
    if program.status in _NEXT_PAGE:
        label, name = _NEXT_PAGE[program.status]
        return StageAction(label=label, url=reverse(name, args=[program.pk])), moves
    forward = [move for move in moves if move.to not in ("", Program.Status.DRAFT)]
    primary = next(
        (m for m in forward if m.to != Program.Status.CLOSED),
        moves[0] if moves else None,
    )
    return primary, [move for move in moves if move is not primary]


def _detail_context(request: AppRequest, program: Program) -> dict:
    filters = selectors.EnrollmentFilters.from_query(request.GET)
    counts = selectors.program_counts(program=program)
    next_step, moves = _stage_actions(program, counts)
    return {
        "program": program,
        "counts": counts,
        "status_tabs": selectors.enrollment_status_tabs(counts=counts, filters=filters),
        "table": selectors.enrollment_table(program=program, filters=filters),
        "next_step": next_step,
        "moves": moves,
        "can_undo_cancel": services.program_can_undo_cancel(
            program=program, has_enrollments=bool(counts.total)
        ),
    }


@require_GET
@coordinator_required
def program_detail(request: AppRequest, program_id: int) -> HttpResponse:
    """The enrolment table; the same URL serves the #enrollment-table partial."""
    program = selectors.program_get_for_coordinator(
        user=request.user, program_id=program_id
    )
    template = "programs/program_detail.html"
    if request.htmx and not request.htmx.boosted:
        template += "#enrollment-table"
    response = render(request, template, _detail_context(request, program))
    response["Vary"] = "HX-Request"
    return response


@require_POST
@coordinator_required
def enrollment_bulk_decide(request: AppRequest, program_id: int) -> HttpResponse:
    """Decide every ticked row that allows it; report the rest row by row and keep
    them ticked (the htmx table comes back with them still selected)."""
    program = selectors.program_get_for_coordinator(
        user=request.user, program_id=program_id
    )
    form = BulkDecisionForm(request.POST)
    error = done = None
    skipped: list[services.Skipped] = []
    if form.is_valid():
        enrollments = selectors.enrollments_for_decision(
            program=program, enrollment_ids=form.cleaned_data["enrollment"]
        )
        try:
            result = services.enrollment_bulk_decide(
                enrollments=enrollments,
                decision=form.cleaned_data["decision"],
                by=request.user,
            )
        except ValidationError as failure:
            error = " ".join(failure.messages)
        else:
            skipped = result.skipped
            done = f"{DECIDED[form.cleaned_data['decision']]} {len(result.decided)}."
            if skipped:
                done += f" Not {len(skipped)}, still ticked:"
    else:
        error = " ".join(
            message for errors in form.errors.values() for message in errors
        )
    query = request.POST.get("query", "")[:500]
    if not request.htmx:
        if error:
            messages.error(request, error)
        elif done:
            messages.success(request, done.removesuffix(", still ticked:"))
        for row in skipped:
            messages.warning(
                request, f"{row.enrollment.participant.user}: {row.reason}"
            )
        url = reverse("programs:program-detail", args=[program.pk])
        return redirect(f"{url}?{query}" if query else url)
    request.GET = QueryDict(query)
    context = _detail_context(request, program)
    context["bulk_error"] = error
    context["bulk_done"] = done
    context["bulk_skipped"] = skipped
    context["selected"] = {row.enrollment.pk for row in skipped}
    return render(
        request,
        "programs/program_detail.html#enrollment-table",
        context,
        status=422 if error else 200,
    )


@require_POST
@coordinator_required
def program_transition(request: AppRequest, program_id: int) -> HttpResponse:
    program = selectors.program_get_for_coordinator(
        user=request.user, program_id=program_id
    )
    form = TransitionForm(request.POST)
    to = form.cleaned_data["to"] if form.is_valid() else ""
    is_cancel = to == Program.Status.CLOSED and program.status == Program.Status.DRAFT
    if to == Program.Status.CLOSED and not is_cancel:
        # Closing completes matches and enrolments and sends the closing surveys,
        # which programs can't reach: the close page (reporting) confirms and does it.
        url = reverse("reporting:program-close", args=[program.pk])
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    if to == Program.Status.ACTIVE and not confirm.is_confirmed(request):
        context = {"program": program}
        return confirm.page(request, _start_confirmation(program), context=context)
    if form.is_valid():
        was = program.status
        try:
            program = services.program_transition(
                program=program, to=to, by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if is_cancel:
                done = f"{program.name} is cancelled. Undo it here until tomorrow."
            elif was == Program.Status.CLOSED:
                done = f"{program.name} is a draft again."
            else:
                done = f"{program.name} is now {program.get_status_display().lower()}."
            messages.success(request, done)
    else:
        messages.error(request, "Choose a status the program can move to.")
    url = reverse("programs:program-detail", args=[program.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


# --- Imports --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@coordinator_required
def participant_import(request: AppRequest, program_id: int) -> HttpResponse:
    program = selectors.program_get_for_coordinator(
        user=request.user, program_id=program_id
    )
    form = ImportUploadForm(
        *((request.POST, request.FILES) if request.method == "POST" else ())
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = services.participant_import_preview(
            program=program,
            by=request.user,
            filename=upload.name,
            content=upload.read(importing.MAX_BYTES + 1),
        )
        return redirect(
            "programs:participant-import-preview",
            program_id=program.pk,
            batch_id=batch.pk,
        )
    context = {"program": program, "form": form, "format_help": importing.FORMAT_HELP}
    status = 422 if request.method == "POST" else 200
    return render(request, "programs/import_upload.html", context, status=status)


@require_GET
@coordinator_required
def participant_import_preview(
    request: AppRequest, program_id: int, batch_id: int
) -> HttpResponse:
    program = selectors.program_get_for_coordinator(
        user=request.user, program_id=program_id
    )
    batch = selectors.import_batch_get(program=program, batch_id=batch_id)
    form = ImportReadingForm(reading=batch.reading)
    return _import_preview_render(request, program, batch, form)


def _import_preview_render(
    request: AppRequest, program: Program, batch, form: ImportReadingForm, status=200
) -> HttpResponse:
    context = {
        "program": program,
        "batch": batch,
        "sample": batch.rows[:20],
        "form": form,
        "reading_description": importing.reading_description(batch.reading),
        "problem_rows": importing.problems_by_line(batch.errors),
    }
    return render(request, "programs/import_preview.html", context, status=status)


@require_POST
@coordinator_required
def participant_import_reread(
    request: AppRequest, program_id: int, batch_id: int
) -> HttpResponse:
    """Read the file again with the chosen encoding, separator and column mapping
    (the mapping is remembered for the organization's later files)."""
    program = selectors.program_get_for_coordinator(
        user=request.user, program_id=program_id
    )
    batch = selectors.import_batch_get(program=program, batch_id=batch_id)
    form = ImportReadingForm(request.POST, reading=batch.reading)
    if form.is_valid():
        try:
            services.participant_import_reread(
                batch=batch,
                by=request.user,
                encoding=form.cleaned_data["encoding"] or None,
                delimiter=form.cleaned_data["delimiter"] or None,
                mapping=form.mapping(),
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            return redirect(
                "programs:participant-import-preview",
                program_id=program.pk,
                batch_id=batch.pk,
            )
    return _import_preview_render(request, program, batch, form, status=422)


@require_POST
@coordinator_required
def participant_import_confirm(
    request: AppRequest, program_id: int, batch_id: int
) -> HttpResponse:
    program = selectors.program_get_for_coordinator(
        user=request.user, program_id=program_id
    )
    batch = selectors.import_batch_get(program=program, batch_id=batch_id)
    try:
        batch = services.participant_import_commit(batch=batch, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(
            "programs:participant-import-preview",
            program_id=program.pk,
            batch_id=batch.pk,
        )
    messages.success(
        request,
        f"Invited {batch.row_count} people by email ({batch.created_count} new to the "
        f"organization; {batch.updated_count} already had an account, left unchanged). "
        "Each is enrolled once they accept the program's agreement.",
    )
    return redirect("programs:program-detail", program_id=program.pk)


@require_GET
@coordinator_required
def participant_import_template(request: AppRequest) -> HttpResponse:
    response = HttpResponse(
        importing.template_csv(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="participants-template.csv"'
    return response


# --- Portal -------------------------------------------------------------------------------------


@require_GET
@login_required
def portal_home(request: AppRequest) -> HttpResponse:
    participant = selectors.participant_for_user(user=request.user)
    enrollments = selectors.enrollment_list_for_participant(participant=participant)
    applied = {
        (e.program_id, e.role)
        for e in enrollments
        if e.status != Enrollment.Status.WITHDRAWN
    }
    today = selectors.local_today(user=request.user)
    open_programs = [
        (
            program,
            [role for role in ProgramRole.values if (program.id, role) not in applied],
        )
        for program in selectors.programs_open_for_enrollment(today=today)
    ]
    context = {
        "participant": participant,
        "local_now": selectors.local_now(user=request.user),
        "place": (participant and participant.city)
        or request.user.time_zone.rsplit("/", 1)[-1].replace("_", " "),
        "enrollments": enrollments,
        "open_programs": open_programs,
        "training": selectors.training_for_participant(participant=participant),
        "resources": selectors.resources_for_participant(participant=participant),
    }
    return render(request, "programs/portal_home.html", context)


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
def resource_download(request: AppRequest, resource_id: int) -> HttpResponse:
    resource = selectors.resource_get_for_user(
        user=request.user, resource_id=resource_id
    )
    if not resource.document:
        raise Http404("This resource is a link, not a document.")
    return FileResponse(resource.document.open("rb"), as_attachment=True)
