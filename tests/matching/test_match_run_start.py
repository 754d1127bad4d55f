"""match_run_start / match_run_execute: a run proposes pairs that respect every
hard rule and capacity, explains them, and is all-or-nothing."""

from __future__ import annotations

import math

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from matching import engine, services, tasks
from matching.models import Match, MatchRun
from tests.matching.factories import enroll, matching_program, mentee, mentor

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(coordinator):
    return matching_program(coordinators=[coordinator])


def _pairs(run: MatchRun) -> set[tuple[int, int]]:
    return set(
        Match.objects.filter(run=run, status="suggested").values_list(
            "mentee_id", "mentor_id"
        )
    )


def test_small_run_finishes_at_once_with_explained_suggestions(program, coordinator):
    # given
    teacher = mentor(program, skills_offered=["python", "sql"])
    learner = mentee(program, skills_wanted=["python"])
    # when
    run = services.match_run_start(program=program, by=coordinator)
    # then
    assert run.status == MatchRun.Status.DONE
    assert run.progress == 100
    assert run.matched_count == 1
    assert run.duration_s is not None
    match = Match.objects.get(run=run)
    assert (match.mentee, match.mentor, match.status) == (learner, teacher, "suggested")
    assert set(match.explanation) == set(engine.CRITERIA)
    assert math.isclose(sum(match.explanation.values()), match.score, abs_tol=1e-9)
    assert match.explanation["skills"] > 0
    assert run.mean_score == pytest.approx(match.score)


def test_never_pairs_people_without_a_shared_language(program, coordinator):
    # given
    french = mentee(program, languages=["fr"])
    english_mentor = mentor(program, languages=["en"])
    bilingual = mentor(program, languages=["en", "fr"], mentoring_capacity=1)
    english = mentee(program, languages=["en"])
    # when
    run = services.match_run_start(program=program, by=coordinator)
    # then
    assert _pairs(run) == {(french.pk, bilingual.pk), (english.pk, english_mentor.pk)}


def test_never_pairs_a_manager_line_either_way(program, coordinator):
    # given: the only mentor of each mentee sits in their reporting line
    boss = mentor(program)
    report = mentee(program)
    report.participant.manager = boss.participant
    report.participant.save()
    grand_boss = mentor(program)
    middle = mentee(program)  # reports (via boss) to grand_boss two levels up
    boss.participant.manager = grand_boss.participant
    boss.participant.save()
    middle.participant.manager = boss.participant
    middle.participant.save()
    # when
    run = services.match_run_start(program=program, by=coordinator)
    # then
    assert _pairs(run) == set()
    reasons = {item["enrollment"]: item["reason"] for item in run.unmatched}
    assert "excluded" in reasons[report.pk]
    assert "excluded" in reasons[middle.pk]


def test_reporting_line_rule_can_be_switched_off(program, coordinator):
    boss = mentor(program)
    report = mentee(program)
    report.participant.manager = boss.participant
    report.participant.save()
    services.criteria_update(
        program=program, by=coordinator, fields={"exclude_same_reporting_line": False}
    )
    run = services.match_run_start(program=program, by=coordinator)
    assert _pairs(run) == {(report.pk, boss.pk)}


def test_never_proposes_a_pair_that_declined_before(program, coordinator):
    # given: the two were paired in another program and one declined
    teacher = mentor(program)
    learner = mentee(program)
    other = matching_program(coordinators=[coordinator])
    Match.objects.create(
        program=other,
        mentor=_enroll_again(other, teacher, "mentor"),
        mentee=_enroll_again(other, learner, "mentee"),
        status="declined",
    )
    # when
    run = services.match_run_start(program=program, by=coordinator)
    # then
    assert _pairs(run) == set()


def _enroll_again(program, enrollment, role):
    return enroll(program, enrollment.participant, role)


def test_capacity_counts_live_matches_in_every_program(program, coordinator):
    # given: a mentor with capacity 2 already mentoring someone elsewhere
    teacher = mentor(program, mentoring_capacity=2)
    other = matching_program(coordinators=[coordinator])
    Match.objects.create(
        program=other,
        mentor=_enroll_again(other, teacher, "mentor"),
        mentee=mentee(other),
        status="active",
        started_at="2026-01-05T10:00Z",
    )
    learners = [mentee(program) for _ in range(3)]
    # when
    run = services.match_run_start(program=program, by=coordinator)
    # then: one place left
    assert len(_pairs(run)) == 1
    assert run.matched_count == 1
    assert {item["reason"] for item in run.unmatched} == {
        "all compatible mentors are at capacity"
    }
    assert {item["enrollment"] for item in run.unmatched} < {e.pk for e in learners}


def test_mentees_with_a_live_match_are_left_out(program, coordinator):
    teacher = mentor(program, mentoring_capacity=3)
    taken = mentee(program)
    Match.objects.create(
        program=program, mentor=teacher, mentee=taken, status="proposed"
    )
    free = mentee(program)
    run = services.match_run_start(program=program, by=coordinator)
    assert _pairs(run) == {(free.pk, teacher.pk)}
    assert run.mentee_count == 1


def test_reverse_program_prefers_a_junior_mentor(coordinator):
    # given: one senior and one junior mentor, equal otherwise
    program = matching_program(coordinators=[coordinator], kind="reverse")
    senior = mentor(program, seniority=6)
    junior = mentor(program, seniority=1)
    learner = mentee(program, seniority=5)
    services.criteria_update(
        program=program,
        by=coordinator,
        fields={"weight_skills": 0, "weight_overlap": 0, "weight_seniority": 5},
    )
    # when
    run = services.match_run_start(program=program, by=coordinator)
    # then
    assert _pairs(run) == {(learner.pk, junior.pk)}
    match = Match.objects.get(run=run)
    assert match.explanation["seniority"] > 0
    assert senior.pk not in {m for _, m in _pairs(run)}


def test_new_run_discards_the_previous_unpublished_one(program, coordinator):
    mentor(program)
    mentee(program)
    first = services.match_run_start(program=program, by=coordinator)
    second = services.match_run_start(program=program, by=coordinator)
    first.refresh_from_db()
    assert first.status == MatchRun.Status.DISCARDED
    assert not Match.objects.filter(run=first, status="suggested").exists()
    assert Match.objects.filter(run=second, status="suggested").count() == 1


def test_failure_while_saving_leaves_no_suggestion(program, coordinator, monkeypatch):
    # given: saving breaks after the matches were inserted
    for _ in range(3):
        mentor(program)
        mentee(program)
    from matching.services import runs

    def broken_finish(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(runs, "_finish", broken_finish)
    # when
    run = services.match_run_start(program=program, by=coordinator)
    # then
    assert run.status == MatchRun.Status.FAILED
    assert "disk full" in run.error
    assert not Match.objects.filter(program=program).exists()


def test_failure_while_solving_marks_the_run_failed(program, coordinator, monkeypatch):
    mentor(program)
    mentee(program)
    monkeypatch.setattr(
        engine, "solve_optimal", lambda *a, **k: (_ for _ in ()).throw(ValueError("no"))
    )
    run = services.match_run_start(program=program, by=coordinator)
    assert run.status == MatchRun.Status.FAILED
    assert not Match.objects.filter(program=program).exists()


def test_large_program_runs_in_a_worker_after_commit(
    program, coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    # given: a threshold below this program's size
    monkeypatch.setattr(services.runs, "SYNC_MENTEE_LIMIT", 1)
    mentor(program, mentoring_capacity=2)
    mentee(program)
    mentee(program)
    sent = []
    monkeypatch.setattr(
        tasks.match_run_execute_task,
        "apply_async",
        lambda args, **kwargs: sent.append(args),
    )
    # when
    with django_capture_on_commit_callbacks(execute=True):
        run = services.match_run_start(program=program, by=coordinator)
    # then: queued, enqueued once on commit, nothing proposed yet
    assert run.status == MatchRun.Status.QUEUED
    assert sent == [(run.pk,)]
    assert not Match.objects.filter(run=run).exists()
    # and the task runs it
    summary = tasks.match_run_execute_task(run.pk)
    assert summary == {"run": run.pk, "status": "done", "matched": 2}
    # a redelivered message finds the run claimed and does nothing
    assert tasks.match_run_execute_task(run.pk)["matched"] == 2
    assert Match.objects.filter(run=run).count() == 2


def test_refuses_while_another_run_is_in_progress(program, coordinator):
    mentor(program)
    mentee(program)
    MatchRun.objects.create(program=program, mode="optimal", status="running")
    with pytest.raises(ValidationError, match="in progress"):
        services.match_run_start(program=program, by=coordinator)


def test_needs_approved_mentors_and_mentees(program, coordinator):
    mentee(program)
    with pytest.raises(ValidationError, match="Approve at least one mentor"):
        services.match_run_start(program=program, by=coordinator)


def test_only_the_programs_coordinators_may_start(program, alpha):
    mentor(program)
    mentee(program)
    with pytest.raises(PermissionDenied):
        services.match_run_start(program=program, by=alpha.user("coordinator2"))


def test_stable_mode_gives_a_stable_result(program, coordinator):
    for _ in range(4):
        mentor(program)
        mentee(program)
    run = services.match_run_start(program=program, by=coordinator, mode="stable")
    assert run.status == MatchRun.Status.DONE
    assert run.settings["solver"] == "stable"
    assert run.matched_count == 4


def test_circle_mode_is_for_group_programs_only(program, coordinator):
    mentor(program)
    mentee(program)
    with pytest.raises(ValidationError):
        services.match_run_start(
            program=program, by=coordinator, mode="circles", circle_size=4
        )
