"""The shipped survey templates, as data (no Django): copied into a program in one click.

Question keys are the contract between surveys: a baseline and a closing survey
both ask ``competencies`` (the program's focus areas, 1–5) and ``confidence``, so
reports compare them key by key; every closing survey asks ``nps``. A template may
make several surveys (the reverse-mentoring pair makes one for each side).

Kinds: ``likert`` (1–5), ``nps`` (0–10), ``single_choice``, ``multi_choice``,
``short_text``, ``long_text``, ``competency_matrix`` (rows = the program's focus
areas, filled in when copied).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class QuestionSpec:
    kind: str
    text: str
    key: str = ""
    help_text: str = ""
    required: bool = True
    choices: tuple[str, ...] = ()
    low_label: str = ""
    high_label: str = ""


@dataclass(frozen=True)
class SurveySpec:
    title: str
    kind: str
    intro: str
    audience_role: str  # "mentor", "mentee" or "both"
    trigger: str
    is_anonymous: bool = False
    trigger_weeks: int | None = None
    due_days: int = 14
    questions: tuple[QuestionSpec, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Template:
    key: str
    name: str
    description: str
    surveys: tuple[SurveySpec, ...]


COMPETENCIES = QuestionSpec(
    kind="competency_matrix",
    key="competencies",
    text="How would you rate yourself today in each of the program's focus areas?",
    help_text="1 = just starting, 5 = could teach it to others.",
    low_label="Just starting",
    high_label="Could teach it",
)
CONFIDENCE = QuestionSpec(
    kind="likert",
    key="confidence",
    text="How confident do you feel about reaching your development goals?",
    low_label="Not at all confident",
    high_label="Very confident",
)
NPS = QuestionSpec(
    kind="nps",
    key="nps",
    text="How likely are you to recommend this program to a colleague?",
    help_text="0 = not at all likely, 10 = extremely likely.",
)

TEMPLATES: tuple[Template, ...] = (
    Template(
        key="baseline",
        name="Baseline",
        description="At the start: focus areas, confidence and what people want.",
        surveys=(
            SurveySpec(
                title="Where are you starting from?",
                kind="baseline",
                intro="A few minutes before your first meeting. We ask the same "
                "questions at the end, so you and the program can see what changed.",
                audience_role="mentee",
                trigger="enrollment_approved",
                due_days=14,
                questions=(
                    COMPETENCIES,
                    CONFIDENCE,
                    QuestionSpec(
                        kind="long_text",
                        key="wants",
                        text="What do you most want from this program?",
                        help_text="A sentence or two is plenty.",
                    ),
                ),
            ),
        ),
    ),
    Template(
        key="midpoint",
        name="Mid-point check",
        description="Halfway: relationship quality, progress, and what gets in the way.",
        surveys=(
            SurveySpec(
                title="How is it going?",
                kind="midpoint",
                intro="Halfway through: tell us honestly what works and what doesn't.",
                audience_role="both",
                trigger="match_weeks",
                trigger_weeks=8,
                is_anonymous=True,
                due_days=10,
                questions=(
                    QuestionSpec(
                        kind="likert",
                        key="relationship",
                        text="How well do you and your partner work together?",
                        low_label="Not well",
                        high_label="Very well",
                    ),
                    QuestionSpec(
                        kind="likert",
                        key="progress",
                        text="How much progress have you made towards your goals?",
                        low_label="None yet",
                        high_label="A lot",
                    ),
                    QuestionSpec(
                        kind="multi_choice",
                        key="obstacles",
                        text="What gets in the way?",
                        required=False,
                        choices=(
                            "Finding time",
                            "Time zones",
                            "Language",
                            "Unclear goals",
                            "Cancelled meetings",
                            "Nothing so far",
                        ),
                    ),
                    QuestionSpec(
                        kind="long_text",
                        key="improve",
                        text="What would make the next half better?",
                        required=False,
                    ),
                ),
            ),
        ),
    ),
    Template(
        key="closing",
        name="Closing",
        description="At the end: the same focus areas and confidence, NPS, a success story.",
        surveys=(
            SurveySpec(
                title="What changed for you?",
                kind="closing",
                intro="The program is ending. These are the questions you answered at "
                "the start, plus a few about the program itself.",
                audience_role="mentee",
                trigger="program_close",
                due_days=21,
                questions=(
                    COMPETENCIES,
                    CONFIDENCE,
                    NPS,
                    QuestionSpec(
                        kind="long_text",
                        key="changed",
                        text="What changed for you because of this program?",
                    ),
                    QuestionSpec(
                        kind="long_text",
                        key="story",
                        text="Is there a success story the program could share?",
                        help_text="What happened and what came of it, with numbers if "
                        "you have them. We ask before publishing anything.",
                        required=False,
                    ),
                ),
            ),
        ),
    ),
    Template(
        key="mentor_experience",
        name="Mentor experience",
        description="For mentors: support, preparation for working across cultures.",
        surveys=(
            SurveySpec(
                title="Your experience as a mentor",
                kind="mentor_experience",
                intro="Help us support mentors better next time.",
                audience_role="mentor",
                trigger="match_end",
                is_anonymous=True,
                due_days=14,
                questions=(
                    QuestionSpec(
                        kind="likert",
                        key="supported",
                        text="How well did the program support you as a mentor?",
                        low_label="Not at all",
                        high_label="Very well",
                    ),
                    QuestionSpec(
                        kind="likert",
                        key="cross_cultural",
                        text="How prepared did you feel for working across cultures?",
                        help_text="Different countries, languages or ways of working.",
                        low_label="Unprepared",
                        high_label="Well prepared",
                    ),
                    QuestionSpec(
                        kind="single_choice",
                        key="mentor_again",
                        text="Would you mentor again?",
                        choices=("Yes", "Maybe", "No"),
                    ),
                    NPS,
                    QuestionSpec(
                        kind="long_text",
                        key="advice",
                        text="What would you tell a new mentor?",
                        required=False,
                    ),
                ),
            ),
        ),
    ),
    Template(
        key="reverse_pair",
        name="Reverse mentoring pair",
        description="Two surveys at the end: the senior rates their digital fluency "
        "before and after; the junior rates the insight they gained.",
        surveys=(
            SurveySpec(
                title="Reverse mentoring: your digital fluency",
                kind="reverse_senior",
                intro="For the senior colleague in each pair.",
                audience_role="mentee",
                trigger="match_end",
                questions=(
                    QuestionSpec(
                        kind="likert",
                        key="digital_fluency_before",
                        text="Looking back, how fluent were you with digital tools "
                        "before the program?",
                        low_label="Beginner",
                        high_label="Expert",
                    ),
                    QuestionSpec(
                        kind="likert",
                        key="digital_fluency_after",
                        text="How fluent are you with them now?",
                        low_label="Beginner",
                        high_label="Expert",
                    ),
                    COMPETENCIES,
                    QuestionSpec(
                        kind="long_text",
                        key="changed",
                        text="What do you do differently now?",
                        required=False,
                    ),
                ),
            ),
            SurveySpec(
                title="Reverse mentoring: what you learned from your senior colleague",
                kind="reverse_junior",
                intro="For the junior colleague who mentored.",
                audience_role="mentor",
                trigger="match_end",
                questions=(
                    QuestionSpec(
                        kind="likert",
                        key="intergenerational_insight",
                        text="How much insight did you gain into how senior colleagues "
                        "think and decide?",
                        low_label="None",
                        high_label="A great deal",
                    ),
                    QuestionSpec(
                        kind="likert",
                        key="visibility",
                        text="How much more visible is your work to leadership now?",
                        low_label="No change",
                        high_label="Much more",
                    ),
                    NPS,
                    QuestionSpec(
                        kind="long_text",
                        key="learned",
                        text="What is the most useful thing you learned?",
                        required=False,
                    ),
                ),
            ),
        ),
    ),
)

BY_KEY = {template.key: template for template in TEMPLATES}
