"""Pure: plan a briefing's sections over the retrieved material.

Passages are grouped by meaning (k-means on their e5 vectors, seeded deterministically
from the best-ranked passage), so each group is one subtopic; groups are ordered by
their best-ranked passage.
"""

from __future__ import annotations

import numpy as np

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
