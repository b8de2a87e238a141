"""Citation links and the Markdown export of a conversation."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.text.markdown import inert_markdown
from assistant.types import Answer, Citation
from assistant.ui.conversation import (
    citation_url,
    conversation_markdown,
    linked_answer,
)


def answer(text: str, citations: list[Citation]) -> Answer:
    return Answer(
        question="Q?",
        language="en",
        answer=text,
        refused=False,
        citations=citations,
        backend="extractive",
    )


def cite(n: int) -> Citation:
    return Citation(
        n=n,
        article_id=f"00{n}_x",
        title="T",
        outlet="O",
        date=date(2025, 1, n),
        chunk_id=f"00{n}_x:0",
        start=10 * n,
        end=10 * n + 5,
        quote="quote",
    )


def test_citation_url_carries_the_exact_span():
    assert citation_url(cite(2)) == "?article=002_x&start=20&end=25"


def test_markers_become_links_and_unknown_markers_vanish():
    text = linked_answer(answer("A [1]. B [2][1]. C [7].", [cite(1), cite(2)]))
    assert text == (
        r"A [\[1\]](?article=001_x&start=10&end=15). "
        r"B [\[2\]](?article=002_x&start=20&end=25)[\[1\]](?article=001_x&start=10&end=15). C ."
    )


def test_model_text_cannot_smuggle_links():
    text = linked_answer(answer("see [here](javascript:alert(1)) [1]", [cite(1)]))
    assert "](javascript:" not in text


def test_markdown_export_lists_sources():
    md = conversation_markdown([answer("A [1].", [cite(1)])])
    assert md.startswith("# Research conversation")
    import markdown_it

    text = markdown_it.MarkdownIt("gfm-like").render(md)
    assert "<h2>Q?</h2>" in text and "A [1]." in text
    assert "[1] O, 2025-01-01 (001_x, characters 10–15): «quote»" in text


INERT = [
    "![logo](http://127.0.0.1:9/beacon.png)",
    "[click](http://127.0.0.1:9/x)",
    "see http://127.0.0.1:9/auto and www.example.com and a@example.com",
    "<img src=http://127.0.0.1:9/i.png>",
    "$x^2$ ~~gone~~ **bold** # heading",
]


@pytest.mark.parametrize("text", INERT)
def test_inert_markdown_leaves_no_link_image_or_markup(text):
    import markdown_it

    rendered = markdown_it.MarkdownIt("gfm-like").render(inert_markdown(text))
    assert "<a " not in rendered and "<img" not in rendered and "<strong>" not in rendered
    assert "<h1>" not in rendered and "<s>" not in rendered


def test_markdown_export_keeps_metadata_and_answers_inert():
    c = cite(1).model_copy(update={"outlet": "![b](http://127.0.0.1:9/b.png)"})
    md = conversation_markdown([answer("[x](http://127.0.0.1:9/x) [1].", [c])])
    import markdown_it

    rendered = markdown_it.MarkdownIt("gfm-like").render(md)
    assert "<img" not in rendered and "<a " not in rendered
