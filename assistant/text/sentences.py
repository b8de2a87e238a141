"""Sentences of a canonical text as exact (start, end) offsets, never crossing a paragraph
break. razdel knows Russian initials and abbreviations ("И. Алиевым", "т.е.") and serves
Ukrainian well too. Ingest chunks by them; answers choose evidence among them."""

from __future__ import annotations

import re

from razdel import sentenize

from assistant.types import Span

_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\n)[^\n]+)*")


def sentence_spans(text: str) -> list[Span]:
    """Sentences of the text as (start, end) offsets, never crossing a paragraph break."""
    return [s for paragraph in paragraph_sentences(text) for s in paragraph]


def paragraph_sentences(text: str) -> list[list[Span]]:
    """The sentences of each paragraph (lines separated by a blank line)."""
    return [
        [Span(para.start() + s.start, para.start() + s.stop) for s in sentenize(para.group(0))]
        for para in _PARAGRAPH.finditer(text)
    ]
