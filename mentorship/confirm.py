"""Asking before the irreversible: one mechanism for every dashboard action that
messages people, ends something or can't be undone.

A page shows the action as a small form (``templates/confirm/_button.html``) whose
button carries htmx's ``hx-confirm`` with the question and what will happen, in
real numbers ("Publish 12 matches? Emails 24 people …"), and posts
``confirmed=yes`` once the person agrees. Without JavaScript the same form posts
without ``confirmed``; the view then answers with the confirmation page
(``templates/confirm/page.html``: the question, each consequence, the action
button and a way back), whose button posts ``confirmed=yes``. No inline script:
htmx's own ``hx-confirm`` (``window.confirm``) under the CSP.

In a view::

    confirmation = _publish_confirmation(run)      # the same one the page showed
    if not confirm.is_confirmed(request):
        return confirm.page(request, confirmation)
    ... act ...
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRMED_FIELD = "confirmed"
CONFIRMED_VALUE = "yes"


@dataclass(frozen=True)
class Confirmation:
    """One irreversible action, described for the person about to take it.

    ``question`` ends in "?" ("Publish these 12 matches?"); ``effects`` are short
    sentences with the real counts ("Emails 24 people: …"); ``label`` is the
    button on the page that offers the action, ``confirm_label`` the button that
    does it on the confirmation page (defaults to ``label``); ``fields`` are
    hidden inputs posted with it, as (name, value) pairs, a name repeated for a
    list (``(("to", "active"),)``); ``cancel_url`` is where
    "Keep it as it is" goes; ``title`` heads the confirmation page.
    """

    question: str
    effects: tuple[str, ...]
    action_url: str
    label: str
    cancel_url: str
    confirm_label: str = ""
    fields: tuple[tuple[str, str], ...] = ()
    is_danger: bool = False
    is_primary: bool = True
    title: str = ""

    @property
    def prompt(self) -> str:
        """The text of the browser's confirm dialog: the question, then the effects."""
        return " ".join((self.question, *self.effects))

    @property
    def button_label(self) -> str:
        return self.confirm_label or self.label


def is_confirmed(request: HttpRequest) -> bool:
    """Whether the POST carries the person's yes (from hx-confirm or the page)."""
    return request.POST.get(CONFIRMED_FIELD) == CONFIRMED_VALUE


def page(
    request: HttpRequest,
    confirmation: Confirmation,
    *,
    context: Mapping[str, object] | None = None,
) -> HttpResponse:
    """The no-JavaScript confirmation page (200): the question, what will happen,
    the button that does it and a way back. ``context`` adds to the template's
    (``program`` for the crumbs)."""
    return render(
        request,
        "confirm/page.html",
        {"confirmation": confirmation, **(context or {})},
    )
