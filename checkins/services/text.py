"""User-written rich text: Markdown rendered (markdown-it-py, CommonMark), then
cleaned once, on save, to a small allow-list (nh3)."""

from __future__ import annotations

import html
import re

from mentorship.markdown import markdown_clean

_PLAIN_MARKUP = re.compile(r"</?p>|<br>")
_ANY_TAG = re.compile(r"<[^>]+>")
EXCERPT_LENGTH = 300

ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "ul", "ol", "li", "a"})


def clean_html(text: str) -> str:
    """Safe HTML for ``text``, written in Markdown (``**bold**``, ``*italics*``,
    ``- lists``, ``1. lists``, ``[links](https://…)``) or small HTML.

    The rendered HTML keeps only p, br, strong, em, ul, ol, li and a[href] with
    http/https/mailto links; everything else is dropped (script and style with their
    content; on*, style and hx-* attributes; javascript: and data: URLs). The result
    is what is stored. (``mentorship.markdown.markdown_clean``, raw HTML passed on
    to nh3.)
    """
    return markdown_clean(text, tags=ALLOWED_TAGS, raw_html=True)


def editable_text(cleaned: str) -> str:
    """Stored HTML back into a textarea, for logs saved before their Markdown source
    was kept. What ``clean_html`` made of plain text (paragraphs and line breaks
    only) becomes plain text again; richer HTML stays."""
    if _ANY_TAG.search(_PLAIN_MARKUP.sub("", cleaned)):
        return cleaned
    text = re.sub(r"</p>\s*<p>", "\n\n", cleaned)
    text = re.sub(r"<br>\s*", "\n", text)
    return html.unescape(_PLAIN_MARKUP.sub("", text)).strip()


def excerpt(cleaned: str, length: int = EXCERPT_LENGTH) -> str:
    """Plain text of stored (cleaned) HTML for a message, cut at a word near
    ``length`` characters."""
    text = " ".join(html.unescape(_ANY_TAG.sub(" ", cleaned)).split())
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0] + "…"
