"""The demo's clock: its past is written by the real services, run "as of" then."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from unittest import mock

from django.utils import timezone


@contextmanager
def clock(at: datetime) -> Iterator[None]:
    """Inside, ``timezone.now()`` (so every service and auto_now field) returns ``at``.

    The demo's past is written by the real services run "as of" past instants, so
    every check they make holds (a meeting is proposed before it happens and logged
    after it) and every timestamp, notifications included, tells one story. Seeding
    is a single-threaded command; nothing else runs under the patched clock.
    """
    with mock.patch.object(timezone, "now", return_value=at):
        yield
