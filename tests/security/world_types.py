"""The world's vocabulary: the objects a URL's ids are taken from (``Ids``), the
sentinels and who may read them (``Secrets``), what one organization's world
returns, and the id floor that keeps beta's ids apart from alpha's."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection

from mentorship.accounts.models import User

# Ids in beta start here, so no id of beta's world names a row in alpha.
FOREIGN_ID_FLOOR = 1_000_000_000


@dataclass
class Ids:
    """The objects one URL's ids are taken from (one set per world)."""

    program: int = 0
    open_program: int = 0
    batch: int = 0
    enrollment: int = 0
    invitation: int = 0
    module: int = 0
    resource: int = 0
    run: int = 0
    match: int = 0
    meeting: int = 0
    goal: int = 0
    milestone: int = 0
    update: int = 0
    action_item: int = 0
    suggestion: int = 0
    circle: int = 0
    survey: int = 0
    question: int = 0
    assignment: int = 0
    story: int = 0
    share: int = 0
    # ("programs", "program") -> pk, for the admin's object pages
    admin: dict[tuple[str, str], int] = field(default_factory=dict)


# URL kwarg -> Ids attribute
KWARG_OBJECTS = {
    "program_id": "program",
    "batch_id": "batch",
    "enrollment_id": "enrollment",
    "module_id": "module",
    "resource_id": "resource",
    "run_id": "run",
    "match_id": "match",
    "meeting_id": "meeting",
    "goal_id": "goal",
    "update_id": "update",
    "item_id": "action_item",
    "milestone_id": "milestone",
    "suggestion_id": "suggestion",
    "circle_id": "circle",
    "survey_id": "survey",
    "question_id": "question",
    "assignment_id": "assignment",
    "story_id": "story",
    "share_id": "share",
}


@dataclass
class Secrets:
    """Sentinel text -> the roles (of its organization) allowed to read it."""

    slug: str
    audience: dict[str, frozenset[str]] = field(default_factory=dict)

    def __call__(self, label: str, *who: str | frozenset[str]) -> str:
        roles: set[str] = set()
        for item in who:
            roles |= {item} if isinstance(item, str) else set(item)
        text = f"SNT-{self.slug}-{label}-Z".lower()
        assert text not in self.audience, text
        self.audience[text] = frozenset(roles)
        return text


@dataclass
class TenantWorldIds:
    slug: str
    home: Ids
    sibling: Ids
    other: Ids
    users: dict[str, User]
    files: list[str] = field(default_factory=list)


def push_ids_past(floor: int) -> None:
    """Move every sequence of the current schema to at least ``floor``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT format('%%I.%%I', schemaname, sequencename) FROM pg_sequences "
            "WHERE schemaname = %s AND coalesce(last_value, 0) < %s",
            [connection.schema_name, floor],
        )
        for (sequence,) in cursor.fetchall():
            cursor.execute("SELECT setval(%s, %s)", [sequence, floor])
