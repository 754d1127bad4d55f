"""User-written rich text: cleaned once, on save, to a small allow-list (nh3)."""

from __future__ import annotations

import html
import re

import nh3
from django.utils.html import escape, linebreaks

_PLAIN_MARKUP = re.compile(r"</?p>|<br>")
_ANY_TAG = re.compile(r"<[^>]+>")
_LOOKS_LIKE_HTML = re.compile(r"<[a-zA-Z!/]")

ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "ul", "ol", "li", "a"})
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})


def clean_html(text: str) -> str:
    """Safe HTML for ``text``: plain text becomes paragraphs; HTML keeps only
    p, br, strong, em, ul, ol, li and a[href] with http/https/mailto links.

    Everything else is dropped (script and style with their content; on*, style
    and hx-* attributes; javascript: and data: URLs). The result is what is stored.
    """
    text = (text or "").strip()
    if not text:
        return ""
    if not _LOOKS_LIKE_HTML.search(text):
        # Plain text from a textarea ("<3" included): keep its paragraphs and breaks.
        text = linebreaks(escape(text))
    return nh3.clean(
        text,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def editable_text(cleaned: str) -> str:
    """Stored HTML back into a textarea. What ``clean_html`` made of plain text
    (paragraphs and line breaks only) becomes plain text again; richer HTML stays."""
    if _ANY_TAG.search(_PLAIN_MARKUP.sub("", cleaned)):
        return cleaned
    text = re.sub(r"</p>\s*<p>", "\n\n", cleaned).replace("<br>", "\n")
    return html.unescape(_PLAIN_MARKUP.sub("", text)).strip()
