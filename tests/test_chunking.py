"""Chunking: sentence boundaries, sizes for e5's window, overlap, exact offsets."""

from __future__ import annotations

import pytest

from assistant.text.sentences import sentence_spans
from ingest.chunking import PARAGRAPH_FILL, chunk_text, split_long
from ingest.clean import canonicalize
from tests.conftest import CORPUS

SAMPLES = sorted(CORPUS.glob("*.txt"))


def sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in sentence_spans(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Путин провел переговоры с президентом АзР И. Алиевым. Затем встреча.",
            ["Путин провел переговоры с президентом АзР И. Алиевым.", "Затем встреча."],
        ),
        (
            "Так делал его старший друг Р. Эрдоган. Остается вопрос.",
            ["Так делал его старший друг Р. Эрдоган.", "Остается вопрос."],
        ),
        (
            "Торговля с РФ. по серым схемам шла долго.",
            ["Торговля с РФ. по серым схемам шла долго."],
        ),
        ("Это, т.е. уступка, была важна. Дальше.", ["Это, т.е. уступка, была важна.", "Дальше."]),
        (
            "Путін визнав провину. Баку чекав компенсації!",
            ["Путін визнав провину.", "Баку чекав компенсації!"],
        ),
        ("Первый абзац без точки\n\nВторой абзац.", ["Первый абзац без точки", "Второй абзац."]),
    ],
)
def test_sentence_boundaries(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_every_chunk_points_exactly_into_the_canonical_text(path):
    text = canonicalize(path.read_text(encoding="utf-8"))
    chunks = chunk_text(path.stem, text)
    assert chunks
    for i, chunk in enumerate(chunks):
        assert text[chunk.start : chunk.end] == chunk.text
        assert chunk.article_id == path.stem
        assert chunk.ordinal == i
        assert chunk.chunk_id == f"{path.stem}:{i}"
        assert len(chunk.text) <= 1200


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_chunks_cover_the_text(path):
    text = canonicalize(path.read_text(encoding="utf-8"))
    chunks = chunk_text(path.stem, text)
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert not text[before.end : after.start].strip()  # no gap but a paragraph break
        assert before.start < after.start  # always moves forward
        # overlap within a paragraph; a chunk that starts a paragraph repeats nothing
        assert after.start < before.end or "\n\n" in text[before.end : after.start]


def test_chunks_fit_the_embedder_window(embedder):
    for path in SAMPLES:
        for chunk in chunk_text(path.stem, canonicalize(path.read_text(encoding="utf-8"))):
            assert embedder.token_count(chunk.text) <= 512


def test_a_sentence_longer_than_a_chunk_is_cut_at_spaces():
    text = " ".join(["слово"] * 400) + "."
    chunks = chunk_text("long", text, max_chars=300, overlap_chars=0)
    assert len(chunks) > 1
    assert all(len(c.text) <= 300 and text[c.start : c.end] == c.text for c in chunks)
    assert "".join(c.text + " " for c in chunks).split() == text.split()


def paragraph(n_sentences: int, word: str = "слово") -> str:
    """A paragraph of n sentences of 60 characters each, joined by spaces."""
    return " ".join([f"{word.title()} {' '.join([word] * 8)} конец."] * n_sentences)


def chunk_texts(text: str, max_chars: int, overlap_chars: int = 200) -> list[str]:
    return [c.text for c in chunk_text("t", text, max_chars, overlap_chars)]


@pytest.mark.parametrize(
    "paragraphs, max_chars, expected",
    [
        # Each paragraph fills a quarter of a chunk: one chunk each, no overlap.
        ([paragraph(5), paragraph(5, "дело")], 1200, [paragraph(5), paragraph(5, "дело")]),
        # A heading and a short line are packed with the paragraph that follows.
        (
            ["Заголовок", "Короткий абзац.", paragraph(5)],
            1200,
            [f"Заголовок\n\nКороткий абзац.\n\n{paragraph(5)}"],
        ),
        # Paragraphs that together stay under a quarter of a chunk share it.
        ([paragraph(1), paragraph(1, "дело")], 1200, [f"{paragraph(1)}\n\n{paragraph(1, 'дело')}"]),
    ],
)
def test_a_filled_chunk_ends_at_a_paragraph_break(paragraphs, max_chars, expected):
    assert chunk_texts("\n\n".join(paragraphs), max_chars) == expected


def test_a_long_paragraph_is_split_with_overlap_and_the_next_starts_fresh():
    long, nxt = paragraph(30), paragraph(3, "дело")  # about 1830 and 180 characters
    chunks = chunk_text("t", f"{long}\n\n{nxt}", max_chars=1200, overlap_chars=200)
    assert [c.text for c in chunks][-1] == nxt  # the next paragraph repeats nothing
    inside = [c for c in chunks if c.text != nxt]
    assert len(inside) == 2 and inside[1].start < inside[0].end  # overlap within the paragraph
    assert PARAGRAPH_FILL * 1200 <= len(inside[-1].text) <= 1200


def test_split_long_without_spaces():
    from assistant.types import Span

    assert split_long(Span(0, 10), "x" * 10, 4) == [Span(0, 4), Span(4, 8), Span(8, 10)]


def test_empty_text_has_no_chunks():
    assert chunk_text("empty", "") == []
