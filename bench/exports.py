"""Benchmark: stream the CSV export of 10,000 survey responses; time and memory.

Run from the repository root with the dev database (DATABASE_URL) reachable:

    .venv/bin/python bench/exports.py [--responses 10000]

It creates a throwaway organization (like bench/pages.py), fills one program with
an attributed closing survey (7 questions incl. a 3-area competency matrix and a
long text) answered by N people, then requests
``/manage/programs/<id>/impact/export/responses.csv`` through Django's test client
and reads the streamed body chunk by chunk, as a server would send it. Memory is
the peak growth of Python allocations during the request (tracemalloc), plus the
RSS growth (the peak resident size of the process, so it only shows growth past
what seeding already used). Prints a table, then, as its LAST line, one JSON object:
{"rows": …, "seconds": …, "peak_mb": …}.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import secrets
import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tenants.utils import get_public_schema_name, schema_context  # noqa: E402

from bench.pages import _template_current, _world  # noqa: E402
from mentorship.accounts.models import User  # noqa: E402
from mentorship.organizations.models import Organization  # noqa: E402
from mentorship.organizations.services import org_create, platform_ensure  # noqa: E402

AREAS = ["Public speaking", "Negotiation", "Cross-cultural teamwork"]


def _rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def seed(coordinator: User, count: int) -> tuple[int, int]:
    """A program with ``count`` answered responses; returns (program id, survey id)."""
    from programs.models import Enrollment, Participant, Program
    from reporting.models import Answer, Question, Response, Survey, SurveyAssignment

    program = Program.objects.create(
        name="Export benchmark",
        status=Program.Status.ACTIVE,
        focus_areas=AREAS,
    )
    program.coordinators.add(coordinator)
    survey = Survey.objects.create(
        program=program,
        title="Closing",
        kind=Survey.Kind.CLOSING,
        status=Survey.Status.OPEN,
    )
    specs = [
        ("likert", "confidence", "How confident are you leading meetings?", []),
        ("nps", "nps", "Would you recommend the program?", []),
        ("competency_matrix", "competencies", "Rate yourself", AREAS),
        ("single_choice", "format", "Best format?", ["Video", "In person"]),
        ("multi_choice", "barriers", "What got in the way?", ["Time", "=Language"]),
        ("short_text", "word", "In one word?", []),
        ("long_text", "story", "A story?", []),
    ]
    questions = Question.objects.bulk_create(
        Question(survey=survey, kind=kind, key=key, text=text, choices=choices, order=n)
        for n, (kind, key, text, choices) in enumerate(specs)
    )
    users = User.objects.bulk_create(
        (
            User(
                email=f"export{n}@bench.example",
                full_name=f"Export Person {n:05d}",
                password="!unusable",  # noqa: S106
            )
            for n in range(count)
        ),
        batch_size=2000,
    )
    participants = Participant.objects.bulk_create(
        (Participant(user=user, country="AZ") for user in users), batch_size=2000
    )
    enrollments = Enrollment.objects.bulk_create(
        (
            Enrollment(
                participant=participant,
                program=program,
                role="mentee",
                status="approved",
            )
            for participant in participants
        ),
        batch_size=2000,
    )
    today = timezone.now().date()
    assignments = SurveyAssignment.objects.bulk_create(
        (
            SurveyAssignment(
                survey=survey,
                participant_id=enrollment.participant_id,
                enrollment=enrollment,
                role="mentee",
                occasion="program-close",
                due_on=today + datetime.timedelta(days=14),
                is_answered=True,
                answered_on=today,
            )
            for enrollment in enrollments
        ),
        batch_size=2000,
    )
    responses = Response.objects.bulk_create(
        (
            Response(
                survey=survey,
                is_anonymous=False,
                assignment=assignment,
                submitted_on=today,
                updated_on=today,
                role="mentee",
                country="AZ",
            )
            for assignment in assignments
        ),
        batch_size=2000,
    )
    by_key = {question.key: question for question in questions}

    def answers():
        for n, response in enumerate(responses):
            yield Answer(
                response=response, question=by_key["confidence"], number=1 + n % 5
            )
            yield Answer(response=response, question=by_key["nps"], number=n % 11)
            for offset, area in enumerate(AREAS):
                yield Answer(
                    response=response,
                    question=by_key["competencies"],
                    item=area,
                    number=1 + (n + offset) % 5,
                )
            yield Answer(response=response, question=by_key["format"], text="Video")
            yield Answer(
                response=response, question=by_key["barriers"], item="Time", text="Time"
            )
            yield Answer(response=response, question=by_key["word"], text="=growth")
            yield Answer(
                response=response,
                question=by_key["story"],
                text="We cut the credit-history fee from 2 to 1 manat. " * 3,
            )

    Answer.objects.bulk_create(answers(), batch_size=5000)
    return program.pk, survey.pk


def _stream(client, url: str) -> dict:
    response = client.get(url)
    size = rows = chunks = 0
    for chunk in response.streaming_content:
        chunks += 1
        size += len(chunk)
        rows += chunk.count(b"\r\n")
    response.close()
    return {
        "status": response.status_code,
        "rows": rows - 1,
        "chunks": chunks,
        "mb": size / 2**20,
    }


def measure(world, program_id: int, survey_id: int) -> dict:
    """Two passes: one timed (no tracing, it slows Python several times), one
    under tracemalloc for the peak of Python allocations during the request."""
    client = world.client("coordinator")
    url = (
        f"/manage/programs/{program_id}/impact/export/responses.csv?survey={survey_id}"
    )
    client.get(f"/manage/programs/{program_id}/impact/share/")  # imports, warm caches
    rss_before = _rss_mb()
    started = time.perf_counter()
    result = _stream(client, url)
    result["seconds"] = time.perf_counter() - started
    result["rss_growth_mb"] = _rss_mb() - rss_before
    tracemalloc.start()
    _stream(client, url)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    result["peak_mb"] = peak / 2**20
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=10_000)
    args = parser.parse_args()
    platform_ensure()
    _template_current()
    slug = "bench-" + secrets.token_hex(4)
    created = org_create(slug=slug, name="Export benchmark (throwaway)")
    organization = created.organization
    try:
        connection.set_tenant(organization)
        world = _world(organization, created.domain.domain)
        started = time.perf_counter()
        program_id, survey_id = seed(world.people["coordinator"], args.responses)
        seeded = time.perf_counter() - started
        result = measure(world, program_id, survey_id)
    finally:
        connection.set_schema_to_public()
        with schema_context(get_public_schema_name()):
            Organization.objects.get(pk=organization.pk).delete(force_drop=True)
    print(f"seeded {args.responses:,} responses in {seeded:.1f} s")
    print("what                         value")
    print(f"status                       {result['status']}")
    print(f"rows streamed                {result['rows']:,}")
    print(f"chunks                       {result['chunks']:,}")
    print(f"CSV size                     {result['mb']:.1f} MB")
    print(f"seconds                      {result['seconds']:.2f}")
    print(f"peak Python memory growth    {result['peak_mb']:.1f} MB (tracemalloc)")
    print(f"peak RSS growth              {result['rss_growth_mb']:.1f} MB")
    print(
        json.dumps(
            {
                "rows": result["rows"],
                "seconds": round(result["seconds"], 2),
                "peak_mb": round(result["peak_mb"], 1),
            }
        )
    )


if __name__ == "__main__":
    main()
