"""Application answers, readable: each answer next to its question's text.

``Enrollment.answers`` is keyed by ``str(ApplicationQuestion.id)``; values are
strings or lists of strings (several choices). Pure: give it the program's
questions (one query, or prefetched) and it makes no query.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from programs.models import ApplicationQuestion

REMOVED = "(question removed)"


@dataclass(frozen=True)
class Answer:
    question: str
    text: str  # "" when not answered

    @property
    def is_answered(self) -> bool:
        return bool(self.text)


def answer_text(value: Any) -> str:
    """A stored answer as one line of text: choices joined with "; "."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(str(item).strip() for item in value if str(item).strip())
    return str(value).strip()


def answers_readable(
    *,
    questions: Iterable[ApplicationQuestion],
    answers: Mapping[str, Any] | None,
    role: str | None = None,
) -> list[Answer]:
    """The answers in the questions' order (only the questions for ``role`` when
    given, answered or not), then any answer whose question was since removed."""
    answers = answers if isinstance(answers, Mapping) else {}
    rows = []
    seen = set()
    for question in questions:
        key = str(question.pk)
        seen.add(key)
        if role is not None and not question.is_for(role) and key not in answers:
            continue
        rows.append(Answer(question.text, answer_text(answers.get(key))))
    rows += [
        Answer(f"{REMOVED} #{key}", answer_text(value))
        for key, value in answers.items()
        if key not in seen and answer_text(value)
    ]
    return rows
