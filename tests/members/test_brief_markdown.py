from mentorship.markdown import markdown_html, markdown_text


def test_renders_lists_emphasis_and_links():
    html = markdown_html("We need:\n- **fee** cuts\n- [data](https://example.org)")

    assert "<strong>fee</strong>" in html
    assert "<li>" in html
    assert 'href="https://example.org"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_escapes_html_and_drops_unsafe_links():
    html = markdown_html(
        "<script>alert(1)</script> [x](javascript:alert(1)) <b onclick=x>b</b>"
    )

    assert "<script>" not in html
    assert 'href="javascript' not in html
    assert "<b" not in html


def test_empty_text_is_empty():
    assert markdown_html("  ") == ""


def test_plain_text_drops_the_markers_and_keeps_what_was_typed():
    text = markdown_text("Fees & **credit** <b>\n- one\n- two")

    assert text == "Fees & credit <b>\n\none\ntwo"
