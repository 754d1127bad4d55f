"""Computing the retention and growth sections from HR dates and mentoring history
(formulas in ``shapes.Retention`` and ``shapes.Growth``)."""

from __future__ import annotations

import datetime

from reporting.selectors.impact.frame import IN_PROGRAM, MATCHED, _Frame, _Person
from reporting.selectors.impact.shapes import Growth, Retention, _share


def _months_later(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def _employed_at(hired, left, has_left, day, *, unknown_hire_employed: bool) -> bool:
    if hired is None and not unknown_hire_employed:
        return False
    if hired is not None and hired > day:
        return False
    if has_left and left is None:
        return False  # left on an unknown day: can't say
    return not (left is not None and left < day)


def _still(left, has_left, day) -> bool:
    return not has_left or (left is not None and left >= day)


def _participants(frame: _Frame) -> list[_Person]:
    """One row per person and program start among those who took part."""
    pairs = {p.match_id: p for p in frame.pairs}
    seen: set[tuple[int, datetime.date]] = set()
    found = []
    for person in frame.people:
        took_part = person.status in IN_PROGRAM or any(
            pairs[i].status in MATCHED for i in person.pair_ids if i in pairs
        )
        key = (person.participant_id, person.start)
        if took_part and key not in seen:
            seen.add(key)
            found.append(person)
    return found


def _retention(frame: _Frame) -> Retention:
    section = "retention"
    people = _participants(frame)
    starts = sorted({p.start for p in people})
    missing = []
    if not frame.staff:
        missing.append(
            "No staff list: import every employee with their hire date (and leave "
            "date for leavers) in the admin (Participants › Import) to compare "
            "participants with non-participants."
        )
    unknown_leave = sum(1 for p in people if p.has_left and p.left_on is None)
    if unknown_leave:
        missing.append(
            f"{unknown_leave} participant(s) marked as left have no leave date and are "
            "left out."
        )
    no_hire = sum(1 for p in people if p.hired_on is None)
    if no_hire:
        missing.append(
            f"{no_hire} participant(s) have no hire date; they count as employed at the start."
        )
    figures = {}
    for months in (6, 12):
        elapsed = [s for s in starts if _months_later(s, months) <= frame.today]
        base = kept = 0
        for person in people:
            if person.start not in elapsed:
                continue
            if _employed_at(
                person.hired_on,
                person.left_on,
                person.has_left,
                person.start,
                unknown_hire_employed=True,
            ):
                base += 1
                kept += _still(
                    person.left_on, person.has_left, _months_later(person.start, months)
                )
        other_base = other_kept = 0
        for start in elapsed:
            end = _months_later(start, months)
            for staff in frame.staff:
                if _employed_at(
                    staff.hired_on,
                    staff.left_on,
                    staff.has_left,
                    start,
                    unknown_hire_employed=False,
                ):
                    other_base += 1
                    other_kept += _still(staff.left_on, staff.has_left, end)
        note = ""
        if starts and not elapsed:
            note = f"Known after {_months_later(starts[0], months):%-d %b %Y}"
        figures[f"participants_{months}m"] = _share(
            f"{section}.participants_{months}m",
            section,
            f"Participants still employed after {months} months",
            kept,
            base,
            note=note,
        )
        figures[f"others_{months}m"] = _share(
            f"{section}.others_{months}m",
            section,
            f"Non-participants still employed after {months} months",
            other_kept,
            other_base,
            note=note if frame.staff else "No staff list imported",
        )
    return Retention(**figures, missing=missing)


def _growth(frame: _Frame) -> Growth:
    section = "growth"
    people = [
        p
        for p in frame.people
        if p.status in IN_PROGRAM
        or p.pair_ids  # matched people took part even if withdrawn later
    ]

    def later_mentor(person: _Person) -> bool:
        return any(
            program_id != person.program_id and applied > person.applied_at
            for program_id, applied in frame.later_mentoring.get(
                person.participant_id, []
            )
        )

    mentees = [p for p in people if p.role == "mentee"]
    mentors = [p for p in people if p.role == "mentor"]
    participants = _participants(frame)
    promoted = base = 0
    for person in participants:
        if _employed_at(
            person.hired_on,
            person.left_on,
            person.has_left,
            person.start,
            unknown_hire_employed=True,
        ):
            base += 1
            end = _months_later(person.start, 12)
            promoted += bool(
                person.promoted_on and person.start < person.promoted_on <= end
            )
    other_promoted = other_base = 0
    for start in sorted({p.start for p in participants}):
        end = _months_later(start, 12)
        for staff in frame.staff:
            if _employed_at(
                staff.hired_on,
                staff.left_on,
                staff.has_left,
                start,
                unknown_hire_employed=False,
            ):
                other_base += 1
                other_promoted += bool(
                    staff.promoted_on and start < staff.promoted_on <= end
                )
    missing = []
    if participants and not any(p.promoted_on for p in participants):
        missing.append(
            "No promotion dates: set each person's last promotion date (admin, or the "
            "staff-list import) to count promotions."
        )
    still_open = [p for p in participants if _months_later(p.start, 12) > frame.today]
    note = "so far: the 12 months haven't passed yet" if still_open else ""
    return Growth(
        mentees_became_mentors=_share(
            f"{section}.mentees_became_mentors",
            section,
            "Mentees who later mentored",
            sum(1 for p in mentees if later_mentor(p)),
            len(mentees),
        ),
        mentors_again=_share(
            f"{section}.mentors_again",
            section,
            "Mentors who mentored again",
            sum(1 for p in mentors if later_mentor(p)),
            len(mentors),
        ),
        promoted=_share(
            f"{section}.promoted",
            section,
            "Participants promoted within 12 months",
            promoted,
            base,
            note=note,
        ),
        others_promoted=_share(
            f"{section}.others_promoted",
            section,
            "Non-participants promoted within 12 months",
            other_promoted,
            other_base,
            note="No staff list imported" if not frame.staff else note,
        ),
        missing=missing,
    )
