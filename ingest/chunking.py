"""Canonical text -> Chunks with exact character offsets. Pure.

Sentences come from razdel, which knows Russian initials and abbreviations
("И. Алиевым", "Р. Эрдоган", "т.е.") and serves Ukrainian well too. Chunks are packed
from whole sentences up to a character budget sized for e5's 512-token window, and
each chunk repeats the last sentence(s) of the one before as overlap.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from razdel import sentenize

from assistant.endnotes import is_endnote
from assistant.types import Chunk


class Span(NamedTuple):
    start: int
    end: int


def sentence_spans(text: str) -> list[Span]:
    """Sentences of the text as (start, end) offsets, never crossing a paragraph break."""
    spans: list[Span] = []
    for para in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text):
        for s in sentenize(para.group(0)):
            spans.append(Span(para.start() + s.start, para.start() + s.stop))
    return spans


def split_long(span: Span, text: str, max_chars: int) -> list[Span]:
    """Cut a span longer than max_chars at whitespace into pieces of at most max_chars."""
    pieces, start = [], span.start
    while span.end - start > max_chars:
        cut = text.rfind(" ", start + 1, start + max_chars)
        cut = cut if cut > start else start + max_chars
        pieces.append(Span(start, cut))
        start = cut + 1 if text[cut : cut + 1] == " " else cut
    pieces.append(Span(start, span.end))
    return pieces


def chunk_text(
    article_id: str, text: str, max_chars: int = 900, overlap_chars: int = 200
) -> list[Chunk]:
    """Pack sentences into chunks of at most max_chars; consecutive chunks share up to
    overlap_chars of whole trailing sentences. canonical[start:end] == chunk.text."""
    units = [p for s in sentence_spans(text) for p in split_long(s, text, max_chars)]
    chunks: list[Chunk] = []
    i = 0
    while i < len(units):
        j = i + 1
        while j < len(units) and units[j].end - units[i].start <= max_chars:
            j += 1
        start, end = units[i].start, units[j - 1].end
        chunks.append(
            Chunk(
                article_id=article_id,
                ordinal=len(chunks),
                start=start,
                end=end,
                text=text[start:end],
            )
        )
        if j >= len(units):
            break
        i = _overlap_start(units, i, j, overlap_chars, max_chars)
    return chunks


# Shorter pieces (datelines, "1.", a lone name) say too little to be scored on their own.
MIN_SENTENCE_CHARS = 16


def chunk_sentences(chunk: Chunk) -> list[Span]:
    """Canonical spans of the chunk's sentences that retrieval scores one by one: not
    the short ones, and not endnotes (an article's sources, not its claims)."""
    return [
        Span(chunk.start + s.start, chunk.start + s.end)
        for s in sentence_spans(chunk.text)
        if s.end - s.start >= MIN_SENTENCE_CHARS and not is_endnote(chunk.text[s.start : s.end])
    ]


def _overlap_start(units: list[Span], i: int, j: int, overlap_chars: int, max_chars: int) -> int:
    """First unit of the next chunk: back off from j over trailing sentences within the
    overlap budget (always the last one if it is under half a chunk), moving forward."""
    k = j
    while k - 1 > i and (
        units[j - 1].end - units[k - 1].start <= overlap_chars
        or (k == j and overlap_chars and units[j - 1].end - units[j - 1].start <= max_chars // 2)
    ):
        k -= 1
    return k
