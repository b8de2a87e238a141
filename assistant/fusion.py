"""Pure ranking maths: fuse dense and lexical scores, keep results diverse."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.types import Chunk


@dataclass
class Candidate:
    """A chunk found by at least one retriever, with both of its scores."""

    chunk: Chunk
    vector_id: str
    cosine: float = 0.0
    bm25: float = 0.0
    matched: float = 0.0  # share of the query's words found in this chunk
    found_by: list[str] = field(default_factory=list)
    score: float = 0.0


def minmax(values: list[float]) -> list[float]:
    """Scale to [0, 1] over the candidates; all-equal values become 0."""
    if not values:
        return []
    low, high = min(values), max(values)
    return [0.0 if high <= low else (v - low) / (high - low) for v in values]


def fuse(candidates: list[Candidate], lexical_weight: float) -> list[Candidate]:
    """Rank by (1 - w) * dense + w * lexical, both min-max scaled over the candidates.
    The lexical part is scaled by the share of query words the chunk contains, so one
    shared common word is weak evidence. Ties keep the dense order."""
    dense = minmax([c.cosine for c in candidates])
    lexical = minmax([c.bm25 for c in candidates])
    for c, d, lex in zip(candidates, dense, lexical, strict=True):
        c.score = (1 - lexical_weight) * d + lexical_weight * lex * c.matched
    return sorted(candidates, key=lambda c: (-c.score, -c.cosine))


def diversify(ranked: list[Candidate], max_per_article: int | None) -> list[Candidate]:
    """Keep the order but at most max_per_article chunks of one article (None = no cap)."""
    if max_per_article is None:
        return ranked
    kept, seen = [], {}
    for c in ranked:
        n = seen.get(c.chunk.article_id, 0)
        if n < max_per_article:
            kept.append(c)
            seen[c.chunk.article_id] = n + 1
    return kept
