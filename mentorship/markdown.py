"""Markdown written by people, shown as safe HTML: for text kept as its Markdown
source and rendered on display (a member organization's brief).

The one sanitiser is nh3, after markdown-it-py (CommonMark). Raw HTML in the source
is shown as typed, not interpreted. (checkins cleans meeting notes once, on save,
with its own smaller allow-list; it sits above this layer.)
"""

from __future__ import annotations

import html

import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote"}

# Line breaks kept (people type, they don't typeset). Headings, images, code blocks
# and rules off: the page gives each text its heading, and a line starting with "#"
# or four spaces stays as typed.
_RENDERER = MarkdownIt("commonmark", {"breaks": True, "html": False}).disable(
    ["heading", "lheading", "code", "fence", "hr", "image"]
)


def markdown_text(text: str) -> str:
    """``text`` written in Markdown as plain text, for a field shown as typed (the
    markers dropped: "**fees**" reads "fees"; list items one per line)."""
    return html.unescape(strip_tags(markdown_html(text))).strip()


def markdown_html(text: str) -> SafeString:
    """Safe HTML for ``text`` written in Markdown: paragraphs, lists, bold, italics,
    quotes and http/https/mailto links; anything else is
    dropped or escaped."""
    text = (text or "").strip()
    if not text:
        return mark_safe("")
    cleaned = nh3.clean(
        _RENDERER.render(text),
        tags=_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(cleaned.strip())  # noqa: S308  cleaned by nh3 just above
