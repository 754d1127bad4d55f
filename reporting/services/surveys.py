"""The survey builder: surveys, questions, shipped templates, copies, open/close.

Rule that protects the data: once a survey has a response, its questions can't be
removed, change kind or lose options or focus areas (the answers point at them);
the coordinator copies the survey instead (``survey_copy``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from mentorship.accounts.models import User
from programs.models import Program
from programs.services import require_manager
from reporting import survey_templates
from reporting.models import Question, Survey

SURVEY_FIELDS = (
    "title",
    "intro",
    "kind",
    "is_anonymous",
    "show_free_text",
    "audience_role",
    "trigger",
    "trigger_weeks",
    "due_days",
)
QUESTION_FIELDS = (
    "kind",
    "key",
    "text",
    "help_text",
    "required",
    "choices",
    "low_label",
    "high_label",
)


def survey_has_responses(survey: Survey) -> bool:
    return survey.responses.exists()


def _matrix_rows(program: Program) -> list[str]:
    rows = [area for area in program.focus_areas if area.strip()]
    if not rows:
        raise ValidationError(
            {"kind": "Add focus areas to the program first: the matrix rates each one."}
        )
    return rows


def _clean_question_fields(
    *, survey: Survey, fields: dict[str, Any], question: Question | None
) -> dict[str, Any]:
    unknown = set(fields) - set(QUESTION_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown question fields: {', '.join(sorted(unknown))}.")
    kind = fields.get("kind", question.kind if question else Question.Kind.LIKERT)
    if kind not in Question.Kind.values:
        raise ValidationError({"kind": "Choose a question type."})
    cleaned = dict(fields)
    choices = [c.strip() for c in cleaned.get("choices", []) if c and c.strip()]
    if kind in Question.CHOICE:
        choices = list(dict.fromkeys(choices))
        if len(choices) < 2:
            raise ValidationError({"choices": "Give at least two options, one a line."})
        cleaned["choices"] = choices
    elif kind == Question.Kind.COMPETENCY_MATRIX:
        keep = question is not None and question.kind == kind and question.choices
        cleaned["choices"] = (
            list(question.choices)
            if keep and question
            else _matrix_rows(survey.program)
        )
    else:
        cleaned["choices"] = []
    key = cleaned.get("key", "")
    if key and (
        Question.objects.filter(survey=survey, key=key)
        .exclude(pk=question.pk if question else None)  # type: ignore[misc]
        .exists()
    ):
        raise ValidationError({"key": "Another question in this survey has this key."})
    return cleaned


def _check_answered_question_edit(question: Question, cleaned: dict[str, Any]) -> None:
    if not survey_has_responses(question.survey):
        return
    if cleaned.get("kind", question.kind) != question.kind:
        raise ValidationError(
            {"kind": "People have answered this survey: copy it to change a type."}
        )
    removed = set(question.choices) - set(cleaned.get("choices", question.choices))
    if removed:
        raise ValidationError(
            {
                "choices": "People have answered this survey: options can be added, "
                "not removed. Copy the survey instead."
            }
        )


@transaction.atomic
def survey_create(
    *, program: Program, by: User, fields: dict[str, Any] | None = None
) -> Survey:
    """A new draft survey with no questions."""
    require_manager(program=program, by=by)
    fields = fields or {}
    unknown = set(fields) - set(SURVEY_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown survey fields: {', '.join(sorted(unknown))}.")
    survey = Survey(program=program, created_by=by, **fields)
    if not survey.title.strip():
        survey.title = "Untitled survey"
    survey.full_clean()
    survey.save()
    return survey


@transaction.atomic
def survey_update(*, survey: Survey, by: User, fields: dict[str, Any]) -> Survey:
    """Change a survey's settings. Anonymity can't change once anyone has answered."""
    require_manager(program=survey.program, by=by)
    unknown = set(fields) - set(SURVEY_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown survey fields: {', '.join(sorted(unknown))}.")
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if (
        "is_anonymous" in fields
        and fields["is_anonymous"] != survey.is_anonymous
        and (survey_has_responses(survey) or survey.assignments.exists())
    ):
        raise ValidationError(
            {
                "is_anonymous": "People have been asked already: copy the survey to "
                "change whether it is anonymous."
            }
        )
    for name, value in fields.items():
        setattr(survey, name, value)
    if survey.trigger != Survey.Trigger.MATCH_WEEKS:
        survey.trigger_weeks = None
    survey.full_clean()
    survey.save()
    return survey


@transaction.atomic
def survey_set_status(*, survey: Survey, by: User, status: str) -> Survey:
    """Open (needs a question) or close a survey; reopening a closed one is allowed."""
    require_manager(program=survey.program, by=by)
    if status not in Survey.Status.values or status == Survey.Status.DRAFT:
        raise ValidationError("Open or close the survey.")
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if status == Survey.Status.OPEN and not survey.questions.exists():
        raise ValidationError("Add a question before opening the survey.")
    survey.status = status
    if status == Survey.Status.OPEN and survey.opened_at is None:
        survey.opened_at = timezone.now()
    survey.save(update_fields=["status", "opened_at", "updated_at"])
    return survey


@transaction.atomic
def question_save(
    *,
    survey: Survey,
    by: User,
    fields: dict[str, Any],
    question: Question | None = None,
) -> Question:
    """Add a question at the end, or edit one (see the module's rule on answered surveys).

    A competency matrix's rows are the program's focus areas, copied when it is made.
    """
    require_manager(program=survey.program, by=by)
    if question is not None and question.survey_id != survey.pk:
        raise PermissionDenied("That question belongs to another survey.")
    cleaned = _clean_question_fields(survey=survey, fields=fields, question=question)
    if question is None:
        last = survey.questions.aggregate(last=Max("order"))["last"]
        question = Question(survey=survey, order=0 if last is None else last + 1)
    else:
        _check_answered_question_edit(question, cleaned)
    for name, value in cleaned.items():
        setattr(question, name, value)
    question.full_clean(exclude=["survey"], validate_constraints=False)
    question.save()
    return question


@transaction.atomic
def question_delete(*, question: Question, by: User) -> None:
    """Remove a question; refused once the survey has responses (copy it instead)."""
    survey = question.survey
    require_manager(program=survey.program, by=by)
    if survey_has_responses(survey):
        raise ValidationError(
            "People have answered this survey, so its questions stay. "
            "Copy the survey to make a version without this question."
        )
    question.delete()
    _renumber(survey)


@transaction.atomic
def question_move(*, question: Question, by: User, offset: int) -> Question:
    """Move a question up (offset -1) or down (+1) among its survey's questions."""
    survey = question.survey
    require_manager(program=survey.program, by=by)
    questions = list(survey.questions.select_for_update().order_by("order", "id"))
    index = next(i for i, q in enumerate(questions) if q.pk == question.pk)
    target = max(0, min(len(questions) - 1, index + offset))
    questions.insert(target, questions.pop(index))
    _renumber(survey, questions)
    return questions[target]


def _renumber(survey: Survey, questions: list[Question] | None = None) -> None:
    if questions is None:
        questions = list(survey.questions.order_by("order", "id"))
    for order, item in enumerate(questions):
        item.order = order
    Question.objects.bulk_update(questions, ["order"])


def _copy_questions(source: Survey, target: Survey) -> None:
    Question.objects.bulk_create(
        Question(
            survey=target,
            **{name: getattr(question, name) for name in QUESTION_FIELDS},
            order=question.order,
        )
        for question in source.questions.all()
    )


@transaction.atomic
def survey_copy(*, survey: Survey, by: User) -> Survey:
    """A draft copy of a survey with the same questions (keys kept, so it compares)."""
    require_manager(program=survey.program, by=by)
    copy = Survey.objects.create(
        program=survey.program,
        created_by=by,
        template_key=survey.template_key,
        **{name: getattr(survey, name) for name in SURVEY_FIELDS}
        | {"title": f"Copy of {survey.title}"[:200]},
    )
    _copy_questions(survey, copy)
    return copy


@transaction.atomic
def survey_copy_template(
    *, program: Program, by: User, template_key: str
) -> list[Survey]:
    """Copy a shipped template into a program (draft surveys); returns what it made.

    A competency matrix gets the program's focus areas as rows; a program without
    focus areas is refused with a message saying to add them.
    """
    require_manager(program=program, by=by)
    template = survey_templates.BY_KEY.get(template_key)
    if template is None:
        raise ValidationError("Choose one of the shipped templates.")
    made = []
    for spec in template.surveys:
        survey = Survey.objects.create(
            program=program,
            created_by=by,
            template_key=template.key,
            title=spec.title,
            intro=spec.intro,
            kind=spec.kind,
            is_anonymous=spec.is_anonymous,
            audience_role=spec.audience_role,
            trigger=spec.trigger,
            trigger_weeks=spec.trigger_weeks,
            due_days=spec.due_days,
        )
        questions = []
        for order, question in enumerate(spec.questions):
            choices = list(question.choices)
            if question.kind == Question.Kind.COMPETENCY_MATRIX:
                try:
                    choices = _matrix_rows(program)
                except ValidationError as error:
                    raise ValidationError(
                        f"{template.name} rates the program's focus areas: "
                        "add them to the program first (Edit program)."
                    ) from error
            questions.append(
                Question(
                    survey=survey,
                    order=order,
                    kind=question.kind,
                    key=question.key,
                    text=question.text,
                    help_text=question.help_text,
                    required=question.required,
                    choices=choices,
                    low_label=question.low_label,
                    high_label=question.high_label,
                )
            )
        Question.objects.bulk_create(questions)
        made.append(survey)
    return made
