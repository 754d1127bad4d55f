"""User-written rich text: Markdown rendered (markdown-it-py, CommonMark), then
cleaned once, on save, to a small allow-list (nh3)."""

from __future__ import annotations

import html
import re

import nh3
from markdown_it import MarkdownIt

_PLAIN_MARKUP = re.compile(r"</?p>|<br>")
_ANY_TAG = re.compile(r"<[^>]+>")
EXCERPT_LENGTH = 300

ALLOWED_TAGS = frozenset({"p", "br", "strong", "em", "ul", "ol", "li", "a"})
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})

# CommonMark with single line breaks kept (people type notes, not documents). Raw
# HTML passes through to nh3, which is the one sanitiser. Headings, code blocks,
# rules and images are off: a line starting with "#" or four spaces stays as typed.
_MARKDOWN = MarkdownIt("commonmark", {"breaks": True, "html": True}).disable(
    ["heading", "lheading", "code", "fence", "hr", "image"]
)


def clean_html(text: str) -> str:
    """Safe HTML for ``text``, written in Markdown (``**bold**``, ``*italics*``,
    ``- lists``, ``1. lists``, ``[links](https://…)``) or small HTML.

    The rendered HTML keeps only p, br, strong, em, ul, ol, li and a[href] with
    http/https/mailto links; everything else is dropped (script and style with their
    content; on*, style and hx-* attributes; javascript: and data: URLs). The result
    is what is stored.
    """
    text = (text or "").strip()
    if not text:
        return ""
    return nh3.clean(
        _MARKDOWN.render(text),
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


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
