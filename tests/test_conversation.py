"""Citation links and the Markdown export of a conversation."""

from __future__ import annotations

from datetime import date

from assistant.conversation import citation_url, conversation_markdown, linked_answer
from assistant.types import Answer, Citation


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
    assert "## Q?" in md and "A [1]." in md
    assert "[1] O, 2025-01-01 (001_x, characters 10–15): «quote»" in md
