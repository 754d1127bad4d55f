"""Success stories: the coordinator's list and editor, and the named person's consent."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentorship.accounts.decorators import coordinator_required
from mentorship.forms import form_add_errors
from mentorship.http import AppRequest, error_text
from programs.selectors import program_get_for_coordinator
from reporting.forms import ConsentForm, StoryForm
from reporting.models import SuccessStory
from reporting.selectors import stories as selectors
from reporting.services import stories as services


@require_GET
@coordinator_required
def story_list(request: AppRequest, program_id: int) -> HttpResponse:
    program = program_get_for_coordinator(user=request.user, program_id=program_id)
    context = {
        "program": program,
        "stories": selectors.story_list_for_program(program=program),
    }
    return render(request, "reporting/story_list.html", context)


@require_http_methods(["GET", "POST"])
@coordinator_required
def story_edit(
    request: AppRequest, program_id: int, story_id: int | None = None
) -> HttpResponse:
    """Enter a story (no story id) or edit one."""
    program = program_get_for_coordinator(user=request.user, program_id=program_id)
    story = (
        selectors.story_get_for_coordinator(
            user=request.user, program_id=program.pk, story_id=story_id
        )
        if story_id
        else None
    )
    matches, people = selectors.story_form_choices(program=program)
    data = request.POST if request.method == "POST" else None
    form = StoryForm(
        data,
        initial=StoryForm.initial_for(story),
        matches=matches,
        people=people,
        member_organizations=selectors.story_member_organization_choices(
            program=program
        ),
    )
    if data is not None and form.is_valid():
        arguments = {
            "by": request.user,
            "fields": form.story_fields(),
            "match": form.cleaned_data["match"],
            "people": list(form.cleaned_data["people"]),
            "member_organization": form.cleaned_data.get("member_organization"),
        }
        try:
            if story is None:
                story = services.story_create(program=program, **arguments)
            else:
                story = services.story_update(story=story, **arguments)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, f"Saved “{story.title}”.")
            return redirect("reporting:story-list", program_id=program.pk)
    context = {"program": program, "story": story, "form": form}
    status = 422 if data is not None else 200
    return render(request, "reporting/story_form.html", context, status=status)


@require_POST
@coordinator_required
def story_action(request: AppRequest, program_id: int, story_id: int) -> HttpResponse:
    """``action``: ask (for consent), approve, archive or restore."""
    story = selectors.story_get_for_coordinator(
        user=request.user, program_id=program_id, story_id=story_id
    )
    action = request.POST.get("action")
    try:
        if action == "ask":
            asked = services.story_consent_request(story=story, by=request.user)
            messages.success(
                request,
                f"Asked {asked} {'person' if asked == 1 else 'people'} to agree."
                if asked
                else "Everyone named has answered already.",
            )
        elif action == "approve":
            services.story_approve(story=story, by=request.user)
            messages.success(request, f"“{story.title}” now appears in reports.")
        elif action == "archive":
            services.story_archive(story=story, by=request.user)
            messages.success(request, f"Archived “{story.title}”.")
        elif action == "restore":
            services.story_restore(story=story, by=request.user)
            messages.success(request, f"“{story.title}” is a draft again.")
        else:
            messages.error(request, "Unknown action.")
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect("reporting:story-list", program_id=program_id)


@require_GET
@login_required
def my_stories(request: AppRequest) -> HttpResponse:
    """Stories that name the viewer, with their answer to each."""
    mentions = selectors.story_list_for_person(user=request.user)
    return render(request, "reporting/my_stories.html", {"mentions": mentions})


@require_http_methods(["GET", "POST"])
@login_required
def story_consent(request: AppRequest, story_id: int) -> HttpResponse:
    """The person named reads the story and agrees or declines (or withdraws)."""
    story, person = selectors.story_get_for_person(user=request.user, story_id=story_id)
    data = request.POST if request.method == "POST" else None
    form = ConsentForm(data)
    if data is not None and form.is_valid():
        agree = form.cleaned_data["decision"] == "agree"
        try:
            services.story_consent_set(story=story, by=request.user, agree=agree)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(
                request,
                "Thank you: the story may be shared once a coordinator approves it."
                if agree
                else "Understood: the story won't be shared.",
            )
            return redirect("reporting:story-consent", story_id=story.pk)
    context = {
        "story": story,
        "person": person,
        "form": form,
        "outcome": selectors.outcome_text(story),
        "is_current": person.consent_version == story.version,
        "is_archived": story.status == SuccessStory.Status.ARCHIVED,
    }
    status = 422 if data is not None else 200
    return render(request, "reporting/story_consent.html", context, status=status)
