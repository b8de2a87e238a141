"""highlight_html: exact spans marked, everything else escaped."""

from __future__ import annotations

import pytest

from assistant.ui.highlight import cited_span, highlight_html


@pytest.mark.parametrize(
    "text, spans, expected",
    [
        ("abc def", [(4, 7)], '<p>abc <mark id="cited">def</mark></p>'),
        ("abc def", [], "<p>abc def</p>"),
        ("abc", [(0, 1), (2, 3)], '<p><mark id="cited">a</mark>b<mark>c</mark></p>'),
        ("abcdef", [(0, 3), (2, 5)], '<p><mark id="cited">abcde</mark>f</p>'),  # merged
        ("ab\n\ncd", [(1, 4)], '<p>a<mark id="cited">b</mark></p>\n<p>cd</p>'),
        ("ab\n\ncd", [(1, 6)], '<p>a<mark id="cited">b</mark></p>\n<p><mark>cd</mark></p>'),
        ("abc", [(2, 99)], '<p>ab<mark id="cited">c</mark></p>'),  # clipped
        ("a\nb", [], "<p>a<br>b</p>"),
        ("Путин «сказал»", [(6, 14)], '<p>Путин <mark id="cited">«сказал»</mark></p>'),
    ],
)
def test_highlight(text, spans, expected):
    assert highlight_html(text, spans) == expected


def test_article_html_is_escaped_never_rendered():
    text = 'Hi <script>alert(1)</script> <img src=x onerror="alert(2)"> & bye'
    out = highlight_html(text, [(3, 29)])
    assert "<script>" not in out and "<img" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in out
    assert out.count("<mark") == 1


SPANS = [
    (None, None, 100, None, "", "no span asked"),
    ("10", "20", 100, (10, 20), "", "a valid span"),
    ("0", "100", 100, (0, 100), "", "the whole article"),
    ("20", "10", 100, None, "not within", "reversed"),
    ("-5", "10", 100, None, "not within", "negative"),
    ("10", "999999999999", 100, None, "not within", "huge"),
    ("5", "5", 100, None, "not within", "empty"),
    ("abc", "10", 100, None, "not a pair of numbers", "non-numeric"),
    ("10", None, 100, None, "not a pair of numbers", "an end missing"),
]


@pytest.mark.parametrize(
    "start, end, length, span, message, case", SPANS, ids=[s[-1] for s in SPANS]
)
def test_cited_span(start, end, length, span, message, case):
    got, problem = cited_span(start, end, length)
    assert got == span
    assert (message in problem) if message else problem == ""
