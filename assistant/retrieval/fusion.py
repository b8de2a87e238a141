"""Pure ranking maths: fuse dense and lexical scores, keep results diverse."""

from __future__ import annotations

from assistant.types import Candidate


def dense_score(c: Candidate, sentence_weight: float) -> float:
    """The chunk's cosine blended with its best sentence's (a chunk without scored
    sentences counts as its own best sentence)."""
    best = c.cosine if c.sentence is None else c.sentence
    return (1 - sentence_weight) * c.cosine + sentence_weight * best


def minmax(values: list[float]) -> list[float]:
    """Scale to [0, 1] over the candidates; all-equal values become 0."""
    if not values:
        return []
    low, high = min(values), max(values)
    return [0.0 if high <= low else (v - low) / (high - low) for v in values]


def fuse(
    candidates: list[Candidate], lexical_weight: float, sentence_weight: float = 0.0
) -> list[Candidate]:
    """Rank by (1 - w) * dense + w * lexical, both min-max scaled over the candidates.
    The dense part blends each chunk's cosine with its best sentence's (sentence_weight);
    the lexical part is scaled by the share of query words the chunk contains, so one
    shared common word is weak evidence. Ties keep the chunk-cosine order."""
    dense = minmax([dense_score(c, sentence_weight) for c in candidates])
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
