"""A program's dashboard pages (/manage/programs/…): create and edit, the detail
page with its enrolment table, bulk decisions and status moves."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship import confirm
from mentorship.accounts.decorators import coordinator_required
from mentorship.forms import form_add_errors
from mentorship.http import AppRequest, back, error_text
from programs import selectors, services
from programs.forms import (
    BulkDecisionForm,
    ModuleFormSet,
    ObjectiveFormSet,
    ProgramForm,
    QuestionFormSet,
    TransitionForm,
    formset_items,
    program_initial_children,
)
from programs.models import Program

DECIDED = {"approve": "Approved", "waitlist": "Waitlisted", "decline": "Declined"}


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
    formsets: dict[str, BaseFormSet] = {
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
_NEXT_PAGE: dict[str, tuple[str, str]] = {
    Program.Status.MATCHING: ("Run matching", "matching:review"),
    Program.Status.ACTIVE: ("Relationship health", "checkins:program-health"),
    Program.Status.CLOSED: ("Impact report", "reporting:impact-dashboard"),
}


def _stage_actions(
    program: Program, counts: selectors.ProgramCounts
) -> tuple[StageAction | None, list[StageAction]]:
    """The stage's primary next step (none when there is no move at all), and the
    other moves (secondary).

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
        # An ErrorList yields its messages as strings.
        error = " ".join(
            str(message) for errors in form.errors.values() for message in errors
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
        return back(request, url)
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
            messages.error(request, error_text(error))
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
    return back(request, url)
