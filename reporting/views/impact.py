"""Impact dashboards: one program (coordinators), the organization (HR admins),
compare two cohorts, and the objectives' measures."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from mentorship.accounts.decorators import coordinator_required
from mentorship.http import AppRequest
from programs.models import Program, ProgramObjective
from programs.selectors import program_get_for_coordinator
from reporting import charts
from reporting.impact_forms import (
    ImpactCompareForm,
    ImpactFilterForm,
    ObjectiveMeasureForm,
)
from reporting.models import ObjectiveMeasure, Question
from reporting.selectors import impact as selectors
from reporting.selectors.member_organizations import member_organization_rows
from reporting.services import objectives as services


def _render(
    request: AppRequest, template: str, partial: str, context: dict, status: int
) -> HttpResponse:
    if request.htmx and not request.htmx.boosted:
        template += f"#{partial}"
    response = render(request, template, context, status=status)
    response["Vary"] = "HX-Request"
    return response


def _cohorts(program: Program) -> list[selectors.CohortOption]:
    return selectors.cohort_options(program=program)


@require_GET
@coordinator_required
def impact_dashboard(request: AppRequest, program_id: int) -> HttpResponse:
    """One program's metrics, charts and objectives; #impact-body for htmx."""
    program = program_get_for_coordinator(user=request.user, program_id=program_id)
    form = ImpactFilterForm(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    impact = selectors.program_impact(
        program=program,
        cohort=form.chosen_cohort if valid else None,
        period=form.chosen_period if valid else None,
        breakdown=form.breakdown if valid else "",
        now=timezone.now(),
        zone=request.user.time_zone,
    )
    form.set_cohorts(impact.cohorts)
    context = {
        "program": program,
        "form": form,
        "impact": impact,
        "charts": charts.impact_charts(impact),
        "sections": selectors.figure_sections(impact.figures()),
        "member_organizations": member_organization_rows(
            program=program, now=timezone.now()
        ),
    }
    return _render(
        request,
        "reporting/impact_dashboard.html",
        "impact-body",
        context,
        200 if valid else 422,
    )


@require_GET
@coordinator_required
def impact_compare(request: AppRequest, program_id: int) -> HttpResponse:
    """Two cohorts (runs or date ranges) side by side with the change of each figure."""
    program = program_get_for_coordinator(user=request.user, program_id=program_id)
    form = ImpactCompareForm(request.GET or None, cohorts=_cohorts(program))
    rows = []
    if form.is_bound and form.is_valid():
        now, zone = timezone.now(), request.user.time_zone
        (a_cohort, a_period), (b_cohort, b_period) = form.first, form.second
        first = selectors.program_impact(
            program=program, cohort=a_cohort, period=a_period, now=now, zone=zone
        )
        second = selectors.program_impact(
            program=program, cohort=b_cohort, period=b_period, now=now, zone=zone
        )
        rows = selectors.compare_sections(
            selectors.impact_compare(first=first, second=second)
        )
        labels = (first.scope.label, second.scope.label)
    else:
        labels = ("", "")
    context = {"program": program, "form": form, "rows": rows, "labels": labels}
    status = 422 if form.is_bound and form.errors else 200
    return _render(
        request, "reporting/impact_compare.html", "compare-body", context, status
    )


@require_GET
@coordinator_required
def organization_impact(request: AppRequest) -> HttpResponse:
    """Every program of the organization (HR admins): totals, per program, breakdowns."""
    if not request.user.is_hr_admin:
        raise PermissionDenied("Only HR admins can see the whole organization.")
    programs = list(Program.objects.exclude(status=Program.Status.DRAFT))
    chosen = programs
    form = ImpactFilterForm(request.GET or None, programs=programs)
    valid = not form.is_bound or form.is_valid()
    if valid and form.is_bound and form.cleaned_data.get("program"):
        chosen = [p for p in programs if p.pk == form.cleaned_data["program"]]
    impact = selectors.organization_impact(
        programs=chosen,
        period=form.chosen_period if valid else None,
        breakdown=form.breakdown if valid else "",
        now=timezone.now(),
        zone=request.user.time_zone,
    )
    context = {
        "form": form,
        "impact": impact,
        "charts": charts.impact_charts(impact),
        "sections": selectors.figure_sections(impact.figures()),
        "headline": selectors.HEADLINE,
    }
    return _render(
        request,
        "reporting/organization_impact.html",
        "impact-body",
        context,
        200 if valid else 422,
    )


@require_http_methods(["GET", "POST"])
@coordinator_required
def objective_measures(request: AppRequest, program_id: int) -> HttpResponse:
    """Say how each objective is measured: a survey question or a metric, a target."""
    program = program_get_for_coordinator(user=request.user, program_id=program_id)
    objectives = list(
        ProgramObjective.objects.filter(program=program).select_related(
            "impact_measure"
        )
    )
    keys = sorted(
        set(
            Question.objects.filter(survey__program=program, kind__in=Question.NUMERIC)
            .exclude(key="")
            .values_list("key", flat=True)
        )
    )
    data = request.POST if request.method == "POST" else None
    forms = [
        (
            objective,
            ObjectiveMeasureForm(
                data,
                prefix=f"o{objective.pk}",
                initial=_initial(getattr(objective, "impact_measure", None)),
                keys=keys,
            ),
        )
        for objective in objectives
    ]
    if data is not None and all(form.is_valid() for _, form in forms):
        try:
            for objective, form in forms:
                services.objective_measure_save(
                    objective=objective, by=request.user, fields=form.measure_fields()
                )
        except ValidationError as error:
            forms[0][1].add_error(None, error)
        else:
            messages.success(request, "Saved how the objectives are measured.")
            return redirect("reporting:impact-dashboard", program_id=program.pk)
    status = 422 if data is not None else 200
    context = {"program": program, "forms": forms, "keys": keys}
    return render(request, "reporting/objective_measures.html", context, status=status)


def _initial(measure: ObjectiveMeasure | None) -> dict:
    if measure is None:
        return {"survey_kind": "closing", "comparison": "gte"}
    return {name: getattr(measure, name) for name in services.MEASURE_FIELDS}
