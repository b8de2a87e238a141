"""Canonical text -> Chunks with exact character offsets. Pure.

Sentences come from assistant/text/sentences.py (razdel, paragraph by paragraph). Chunks are packed
from whole sentences up to a character budget sized for e5's 512-token window. A chunk
that is already a quarter full ends at a paragraph break instead of running on into the
next paragraph (a paragraph is mostly one topic; a heading or a one-line paragraph is
still packed with what follows). Within a paragraph, each chunk repeats the last
sentence(s) of the one before as overlap; a chunk that starts a paragraph repeats nothing.
"""

from __future__ import annotations

from assistant.text.endnotes import is_endnote
from assistant.text.sentences import paragraph_sentences, sentence_spans
from assistant.types import Chunk, Span

# Share of max_chars a chunk must hold before a paragraph break ends it; chosen on XQuAD
# and bench/data/corpus_questions.jsonl (never on the dev questions), see BENCHMARKS.md.
PARAGRAPH_FILL = 0.25


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
    article_id: str, text: str, max_chars: int = 1200, overlap_chars: int = 200
) -> list[Chunk]:
    """Pack sentences into chunks of at most max_chars, ending a chunk at a paragraph
    break once it holds PARAGRAPH_FILL of max_chars; consecutive chunks of one paragraph
    share up to overlap_chars of whole trailing sentences. canonical[start:end] ==
    chunk.text."""
    units: list[Span] = []
    opens: set[int] = set()  # indices of the units that start a paragraph
    for paragraph in paragraph_sentences(text):
        opens.add(len(units))
        units += [p for s in paragraph for p in split_long(s, text, max_chars)]
    chunks: list[Chunk] = []
    i = 0
    while i < len(units):
        j = i + 1
        while j < len(units) and units[j].end - units[i].start <= max_chars:
            if j in opens and units[j - 1].end - units[i].start >= (PARAGRAPH_FILL * max_chars):
                break
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
        i = j if j in opens else _overlap_start(units, i, j, overlap_chars, max_chars)
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
