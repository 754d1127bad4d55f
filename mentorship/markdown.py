"""Markdown written by people, shown as safe HTML: for text kept as its Markdown
source and rendered on display (a member organization's brief).

The one sanitiser is nh3, after markdown-it-py (CommonMark). Raw HTML in the source
is shown as typed, not interpreted. (checkins cleans meeting notes once, on save, through
``markdown_clean`` with a smaller allow-list.)
"""

from __future__ import annotations

import html

import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_TAGS = frozenset({"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote"})

# Line breaks kept (people type, they don't typeset). Headings, images, code blocks
# and rules off: the page gives each text its heading, and a line starting with "#"
# or four spaces stays as typed. One renderer that escapes raw HTML, one that passes
# it on to nh3 (check-ins' notes accept small HTML).
_OFF = ["heading", "lheading", "code", "fence", "hr", "image"]
_RENDERERS = {
    raw_html: MarkdownIt("commonmark", {"breaks": True, "html": raw_html}).disable(_OFF)
    for raw_html in (False, True)
}


def markdown_clean(
    text: str, *, tags: frozenset[str] = _TAGS, raw_html: bool = False
) -> str:
    """``text`` written in Markdown as HTML kept to ``tags`` (only ``a[href]`` with
    http/https/mailto links as attributes), cleaned by nh3: the one sanitiser for
    what people write. ``raw_html``: HTML in the source is rendered (then cleaned)
    instead of shown as typed. "" for blank text."""
    text = (text or "").strip()
    if not text:
        return ""
    return nh3.clean(
        _RENDERERS[raw_html].render(text),
        tags=set(tags),
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    ).strip()


def markdown_text(text: str) -> str:
    """``text`` written in Markdown as plain text, for a field shown as typed (the
    markers dropped: "**fees**" reads "fees"; list items one per line)."""
    return html.unescape(strip_tags(markdown_html(text))).strip()


def markdown_html(text: str) -> SafeString:
    """Safe HTML for ``text`` written in Markdown: paragraphs, lists, bold, italics,
    quotes and http/https/mailto links; anything else is
    dropped or escaped."""
    return mark_safe(markdown_clean(text))  # noqa: S308  cleaned by nh3
