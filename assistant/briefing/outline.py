"""Pure: plan a briefing's sections over the retrieved material.

Passages are grouped by meaning (k-means on their e5 vectors, seeded deterministically
from the best-ranked passage), so each group is one subtopic; groups are ordered by
their best-ranked passage. A group is named by the words that set it apart from the
others (a heading for the extractive briefing, which has no model to write one).
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from assistant.text.lexical import STOPWORDS, russian_stem

_WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)
ITERATIONS = 20  # k-means rounds over <= 20 passages: assignments settle within ~5


def _seeds(vectors: np.ndarray, k: int) -> list[int]:
    """Farthest-point seeds: the first passage, then each time the one least like any seed."""
    seeds = [0]
    while len(seeds) < k:
        nearest = (vectors @ vectors[seeds].T).max(axis=1)
        nearest[seeds] = np.inf
        seeds.append(int(nearest.argmin()))
    return seeds


def group_passages(vectors: np.ndarray, k: int) -> list[list[int]]:
    """Indices of the passages (rows of unit vectors, best-ranked first) in k groups by
    cosine k-means. Each group lists its members best-ranked first; groups are ordered by
    their best member, and empty groups are dropped."""
    n = len(vectors)
    if n == 0:
        return []
    k = max(1, min(k, n))
    centroids = vectors[_seeds(vectors, k)]
    labels = np.zeros(n, dtype=int)
    for _ in range(ITERATIONS):
        labels = (vectors @ centroids.T).argmax(axis=1)
        updated = np.array(
            [
                vectors[labels == j].mean(axis=0) if (labels == j).any() else centroids[j]
                for j in range(k)
            ]
        )
        updated /= np.linalg.norm(updated, axis=1, keepdims=True)
        if np.allclose(updated, centroids):
            break
        centroids = updated
    groups = [sorted(np.flatnonzero(labels == j).tolist()) for j in range(k)]
    return sorted((g for g in groups if g), key=lambda g: g[0])


def key_terms(group_texts: list[str], all_texts: list[list[str]], count: int = 3) -> list[str]:
    """The words that best set one group of texts apart from all the groups (tf-idf over
    groups, words compared by Russian stem), each in its most frequent written form."""

    def stems(texts: list[str]) -> Counter:
        return Counter(
            russian_stem(w.lower())
            for t in texts
            for w in _WORD.findall(t)
            if w.lower() not in STOPWORDS
        )

    mine = stems(group_texts)
    spread = Counter(s for texts in all_texts for s in set(stems(texts)))
    groups = max(1, len(all_texts))
    weight = {s: c * np.log(1 + groups / spread.get(s, 1)) for s, c in mine.items() if c > 1}
    forms: dict[str, Counter] = {}
    for t in group_texts:
        for w in _WORD.findall(t):
            forms.setdefault(russian_stem(w.lower()), Counter())[w] += 1
    ranked = sorted(weight, key=lambda s: (-weight[s], s))[:count]
    return [_form(forms[s]) for s in ranked]


def _form(counts: Counter) -> str:
    """The most frequent spelling; lower-case unless it is always capitalised (a name)."""
    word, _ = max(counts.items(), key=lambda item: (item[1], item[0]))
    return word if all(w[:1].isupper() for w in counts) else word.lower()
