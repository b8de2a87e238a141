"""Planning sections: grouping passages by meaning."""

from __future__ import annotations

import numpy as np

from assistant.briefing.outline import group_passages


def unit(*rows):
    v = np.array(rows, dtype=float)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_two_clear_subtopics_become_two_groups_in_rank_order():
    vectors = unit([1, 0.1, 0], [0, 1, 0.1], [0.9, 0, 0.1], [0.1, 0.9, 0], [1, 0, 0])
    assert group_passages(vectors, 2) == [[0, 2, 4], [1, 3]]


def test_more_groups_than_passages_gives_one_group_each():
    vectors = unit([1, 0, 0], [0, 1, 0])
    assert group_passages(vectors, 5) == [[0], [1]]


def test_no_passages_no_groups():
    assert group_passages(np.zeros((0, 3)), 4) == []


def test_grouping_is_deterministic():
    rng = np.random.default_rng(7)
    vectors = unit(*rng.normal(size=(20, 8)))
    assert group_passages(vectors, 4) == group_passages(vectors.copy(), 4)
    assert sorted(i for g in group_passages(vectors, 4) for i in g) == list(range(20))
