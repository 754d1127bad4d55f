"""Survey results, with filters and breakdowns.

Results follow the small-group rule for anonymous surveys (reporting.metrics):
a result, a filtered result and every group of a breakdown is shown only for 5 or
more respondents (a breakdown hides more groups if the hidden ones could be
derived), and written answers only if the coordinator chose to show them and the
group has 5 or more. Written answers of anonymous surveys are listed in
alphabetical order, never in the order they came in.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import Count, Q, QuerySet

from mentorship import reference
from programs.models import Participant
from reporting import metrics
from reporting.models import Answer, Question, Response, Survey, SurveyAssignment

BREAKDOWNS = {
    "role": "Role",
    "country": "Country",
    "time_zone": "Time zone",
    "seniority": "Seniority",
}


@dataclass
class ResultFilters:
    """Filters and breakdown from the query string; unknown values are ignored."""

    role: str = ""
    country: str = ""
    time_zone: str = ""
    seniority: str = ""
    by: str = ""

    @classmethod
    def from_query(cls, query: Any) -> ResultFilters:
        by = query.get("by", "")
        return cls(
            role=query.get("role", "")[:10],
            country=query.get("country", "")[:2],
            time_zone=query.get("time_zone", "")[:64],
            seniority=query.get("seniority", "")[:2],
            by=by if by in BREAKDOWNS else "",
        )

    @property
    def active(self) -> dict[str, str]:
        return {
            name: value
            for name in BREAKDOWNS
            if (value := getattr(self, name))
            and (name != "seniority" or value.isdigit())
        }


@dataclass
class QuestionResult:
    question: Question
    n: int = 0
    mean: float | None = None
    # (label, count, share 0–1) for scales and choices, in scale/option order.
    distribution: list[tuple[str, int, float]] = field(default_factory=list)
    nps: metrics.Nps | None = None
    # Competency matrix: (focus area, n, mean).
    rows: list[tuple[str, int, float | None]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    # (text, author) for the page; the author only for attributed surveys.
    written: list[tuple[str, str]] = field(default_factory=list)
    texts_hidden_reason: str = ""


@dataclass
class ChangeRow:
    label: str
    paired: metrics.PairedChange | None = None
    unpaired: metrics.UnpairedChange | None = None


@dataclass
class BreakdownRow:
    label: str
    n: int
    hidden: bool
    means: list[float | None]
    nps: float | None


@dataclass
class SurveyResults:
    survey: Survey
    assigned: int
    answered: int
    response_rate: float | None
    respondents: int
    total_respondents: int
    # Anonymous and too few people (overall or in the filter): nothing else shown.
    is_suppressed: bool
    filters: ResultFilters
    questions: list[QuestionResult]
    baseline: Survey | None = None
    change: list[ChangeRow] = field(default_factory=list)
    breakdown_columns: list[str] = field(default_factory=list)
    breakdown: list[BreakdownRow] = field(default_factory=list)
    filter_options: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def _label(name: str, value: Any) -> str:
    if value in ("", None):
        return "Not given"
    if name == "country":
        return reference.country_names().get(value, value)
    if name == "seniority":
        try:
            return Participant.Seniority(value).label
        except ValueError:
            return str(value)
    if name == "role":
        return {"mentor": "Mentors", "mentee": "Mentees"}.get(value, value)
    return str(value)


def survey_results(*, survey: Survey, filters: ResultFilters) -> SurveyResults:
    """Response rate, per-question aggregates, change since the baseline and an
    optional breakdown, under the small-group rule. About 8 queries whatever the
    number of responses (aggregates are grouped in PostgreSQL)."""
    counts = SurveyAssignment.objects.filter(survey=survey).aggregate(
        assigned=Count("id"), answered=Count("id", filter=Q(is_answered=True))
    )
    all_responses = Response.objects.filter(survey=survey)
    responses = all_responses.filter(**filters.active)
    total = all_responses.count()
    selected = responses.count() if filters.active else total
    if survey.is_anonymous:
        suppressed = not metrics.is_reportable(total) or (
            bool(filters.active)
            and not metrics.filter_is_reportable(selected=selected, total=total)
        )
    else:
        suppressed = False
    result = SurveyResults(
        survey=survey,
        assigned=counts["assigned"],
        answered=counts["answered"],
        response_rate=metrics.response_rate(
            answered=counts["answered"], assigned=counts["assigned"]
        ),
        respondents=selected,
        total_respondents=total,
        is_suppressed=suppressed,
        filters=filters,
        questions=[],
        filter_options=_filter_options(
            all_responses, anonymous=survey.is_anonymous, total=total
        ),
    )
    if suppressed:
        return result
    questions = list(survey.questions.all())
    result.questions = _question_results(survey, questions, responses, selected)
    result.baseline, result.change = _change(survey, questions, filters)
    if filters.by:
        _breakdown(result, questions, responses)
    return result


def _filter_options(
    responses: QuerySet[Response], *, anonymous: bool, total: int
) -> dict[str, list[tuple[str, str]]]:
    """Values present among the respondents, per filter (1 query).

    Anonymous surveys list only the values whose filter can show something
    (``metrics.filter_is_reportable``): the list itself would otherwise tell the
    segments of a handful of respondents (one answer → their country, zone,
    seniority and role).
    """
    rows = (
        responses.values_list("role", "country", "time_zone", "seniority")
        .annotate(n=Count("id"))
        .order_by()
    )
    found: dict[str, Counter] = {name: Counter() for name in BREAKDOWNS}
    for *values, n in rows:
        for name, value in zip(BREAKDOWNS, values, strict=True):
            if value not in ("", None):
                found[name][value] += n
    return {
        name: sorted(
            (
                (str(v), _label(name, v))
                for v, n in counts.items()
                if not anonymous
                or metrics.filter_is_reportable(selected=n, total=total)
            ),
            key=lambda p: p[1],
        )
        for name, counts in found.items()
    }


def _question_results(
    survey: Survey,
    questions: list[Question],
    responses: QuerySet[Response],
    respondents: int,
) -> list[QuestionResult]:
    results = {q.pk: QuestionResult(question=q) for q in questions}
    answers = Answer.objects.filter(response__in=responses)
    numbers = (
        answers.filter(number__isnull=False)
        .values("question_id", "item", "number")
        .annotate(count=Count("id"))
    )
    per_item: dict[tuple[int, str], Counter] = defaultdict(Counter)
    for row in numbers:
        per_item[(row["question_id"], row["item"])][row["number"]] += row["count"]
    choices = (
        answers.filter(question__kind__in=Question.CHOICE)
        .values("question_id", "text")
        .annotate(count=Count("response_id", distinct=True))
    )
    per_choice: dict[int, Counter] = defaultdict(Counter)
    for choice in choices:
        per_choice[choice["question_id"]][choice["text"]] += choice["count"]
    answered_per_question = dict(
        answers.values_list("question_id").annotate(
            n=Count("response_id", distinct=True)
        )
    )
    text_questions = [q for q in questions if q.is_text]
    texts: dict[int, list[tuple[str, str]]] = defaultdict(list)
    show_texts = not survey.is_anonymous or (
        survey.show_free_text and metrics.is_reportable(respondents)
    )
    if text_questions and show_texts:
        rows = answers.filter(question__in=text_questions).exclude(text="")
        author = (
            "response__assignment__participant__user__full_name"
            if not survey.is_anonymous
            else "item"  # always "" for text answers: no person to name
        )
        for question_id, text, name in rows.values_list("question_id", "text", author):
            texts[question_id].append((text, name or ""))
    for question in questions:
        result = results[question.pk]
        result.n = answered_per_question.get(question.pk, 0)
        if question.kind in (Question.Kind.LIKERT, Question.Kind.NPS):
            counter = per_item[(question.pk, "")]
            low, high = question.scale
            total = sum(counter.values())
            result.distribution = [
                (str(value), counter[value], counter[value] / total if total else 0)
                for value in range(low, high + 1)
            ]
            result.mean = metrics.mean(counter.elements())
            if question.kind == Question.Kind.NPS:
                result.nps = metrics.nps(counter.elements())
        elif question.kind == Question.Kind.COMPETENCY_MATRIX:
            for item in question.choices:
                counter = per_item[(question.pk, item)]
                result.rows.append(
                    (item, sum(counter.values()), metrics.mean(counter.elements()))
                )
        elif question.is_choice:
            counter = per_choice[question.pk]
            result.distribution = [
                (option, counter[option], counter[option] / result.n if result.n else 0)
                for option in question.choices
            ]
        else:
            result.written = sorted(texts[question.pk], key=lambda p: p[0].casefold())
            result.texts = [text for text, _ in result.written]
            if survey.is_anonymous and not survey.show_free_text:
                result.texts_hidden_reason = (
                    "Written answers of this anonymous survey are not shown "
                    "(you can choose to show them in the survey's settings)."
                )
            elif not show_texts:
                result.texts_hidden_reason = (
                    "Shown once 5 or more people have answered."
                )
    return [results[q.pk] for q in questions]


def _numbers_by_person(
    survey: Survey, keys: list[str], filters: ResultFilters
) -> dict[tuple[str, str], dict[Any, float]]:
    """{(question key, item): {person or response id: number}} for one survey."""
    rows = Answer.objects.filter(
        response__survey=survey,
        question__key__in=keys,
        number__isnull=False,
        **{f"response__{name}": value for name, value in filters.active.items()},
    ).values_list(
        "question__key",
        "item",
        "number",
        "response__assignment__participant_id",
        "response_id",
    )
    found: dict[tuple[str, str], dict[Any, float]] = defaultdict(dict)
    for key, item, number, participant_id, response_id in rows:
        # number__isnull=False above: never None (django-stubs can't see the filter).
        found[(key, item)][participant_id or f"r{response_id}"] = cast(int, number)
    return found


def _change(
    survey: Survey, questions: list[Question], filters: ResultFilters
) -> tuple[Survey | None, list[ChangeRow]]:
    """Change from the program's baseline survey for the numeric questions both
    ask (by key): paired when both surveys are attributed (people who answered
    both), unpaired otherwise. Only for a closing survey (or the reverse senior's)."""
    if survey.kind not in (Survey.Kind.CLOSING, Survey.Kind.MIDPOINT):
        return None, []
    baseline = (
        Survey.objects.filter(program=survey.program, kind=Survey.Kind.BASELINE)
        .prefetch_related("questions")
        .order_by("created_at")
        .first()
    )
    if baseline is None:
        return None, []
    asked_before = {q.key for q in baseline.questions.all() if q.key}
    keys = [
        q.key
        for q in questions
        if q.key in asked_before and q.is_numeric and q.kind != Question.Kind.NPS
    ]
    if not keys:
        return None, []
    before = _numbers_by_person(baseline, keys, filters)
    after = _numbers_by_person(survey, keys, filters)
    paired = not survey.is_anonymous and not baseline.is_anonymous
    rows = []
    for question in questions:
        if question.key not in keys:
            continue
        items = question.choices if question.kind == "competency_matrix" else [""]
        for item in items:
            label = item or question.text
            b, a = (
                before.get((question.key, item), {}),
                after.get((question.key, item), {}),
            )
            if paired:
                rows.append(
                    ChangeRow(label, paired=metrics.paired_change(before=b, after=a))
                )
            else:
                change = metrics.unpaired_change(before=b.values(), after=a.values())
                too_few = not (
                    metrics.is_reportable(change.n_before)
                    and metrics.is_reportable(change.n_after)
                )
                if too_few and (survey.is_anonymous or baseline.is_anonymous):
                    change = metrics.UnpairedChange(
                        change.n_before, change.n_after, None, None
                    )
                rows.append(ChangeRow(label, unpaired=change))
    return baseline, rows


def _breakdown(
    result: SurveyResults, questions: list[Question], responses: QuerySet[Response]
) -> None:
    """One row per group of ``filters.by``: n, mean of each scale question, NPS."""
    name = result.filters.by
    scales = [
        q for q in questions if q.kind in (Question.Kind.LIKERT, Question.Kind.NPS)
    ]
    group_sizes = dict(responses.values_list(name).annotate(n=Count("id")))
    rows = (
        Answer.objects.filter(
            response__in=responses, question__in=scales, number__isnull=False
        )
        .values_list(f"response__{name}", "question_id", "number")
        .annotate(count=Count("id"))
    )
    values: dict[tuple[Any, int], Counter] = defaultdict(Counter)
    for group, question_id, number, count in rows:
        values[(group, question_id)][number] += count
    hidden = (
        metrics.suppressed_groups(group_sizes) if result.survey.is_anonymous else set()
    )
    result.breakdown_columns = [
        q.text for q in scales if q.kind == Question.Kind.LIKERT
    ]
    nps_question = next((q for q in scales if q.kind == Question.Kind.NPS), None)
    if nps_question:
        result.breakdown_columns.append("NPS")
    for group, n in sorted(group_sizes.items(), key=lambda p: _label(name, p[0])):
        is_hidden = group in hidden
        means = [
            None if is_hidden else metrics.mean(values[(group, q.pk)].elements())
            for q in scales
            if q.kind == Question.Kind.LIKERT
        ]
        nps = None
        if nps_question and not is_hidden:
            nps = metrics.nps(values[(group, nps_question.pk)].elements()).score
        result.breakdown.append(
            BreakdownRow(_label(name, group), n, is_hidden, means, nps)
        )
