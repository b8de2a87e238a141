"""What the model reads: windows of whole sentences, and no sentence shown twice when
overlapping chunks of one article are both retrieved."""

from __future__ import annotations

import pytest

from assistant.answering.excerpts import (
    build_excerpts,
    excerpt,
    is_heading,
    score_sentences,
    unseen_run,
)
from assistant.embedding import VectorCache
from assistant.settings import Settings
from assistant.store import Store
from assistant.types import ArticleMeta, Chunk, Passage

S = [(0, 10, 0.5), (11, 20, 0.9), (21, 30, 0.7), (31, 40, 0.8), (41, 50, 0.1)]


@pytest.mark.parametrize(
    "seen, expected",
    [
        (set(), S),  # nothing seen: the whole passage
        ({(11, 20)}, S[2:]),  # the best is seen: the run around the best unseen (31-40)
        ({(21, 30)}, S[:2]),  # a seen sentence splits the run; the best (11-20) is before it
        ({(0, 10), (41, 50)}, S[1:4]),
        ({(a, b) for a, b, _ in S}, []),  # everything seen
        ({(11, 20), (31, 40)}, S[2:3]),  # the best unseen (21-30) sits between two seen
        ({(99, 100)}, S),  # sentences of other passages do not matter
    ],
)
def test_unseen_run(seen, expected):
    assert unseen_run(S, seen) == expected


def test_unseen_run_of_nothing():
    assert unseen_run([], set()) == []


HEADINGS = [  # (text before, the sentence, text after, expected, case)
    ("", "Новый конфликт?", "\nБаку и Москва спорят о тарифах.", True, "heading"),
    ("Текст.\n\n", "Комментарий Центра АРВАК, 23.04.2024", "\n\nТекст.", True, "dateline"),
    ("", "Ergün MAMEDOV", "", True, "byline alone"),
    ("", "Путин извинился.", " Алиев принял извинения.", False, "short claim in a paragraph"),
    ("", "Встреча в Душанбе прошла 9 октября 2025 года.", "\n", False, "a long line"),
    ("Текст.\n", "Надо её сохранить.", " Так сказал он.", False, "a line's first sentence"),
]


@pytest.mark.parametrize(
    "before, sentence, after, expected, case", HEADINGS, ids=[c for *_, c in HEADINGS]
)
def test_is_heading(before, sentence, after, expected, case):
    text = before + sentence + after
    assert is_heading(text, len(before), len(before) + len(sentence)) is expected


def test_the_best_sentence_is_the_best_claim():
    """A citation quotes its excerpt's best sentence: a claim, before a heading or endnote
    that scores higher, and any sentence when none is a claim."""
    text = "Новый конфликт?\nБаку закрыл Русский дом в прошлом году.\n[i] TASS, https://tass.ru"
    chunk = Chunk(article_id="a", ordinal=0, start=100, end=100 + len(text), text=text)
    passage = Passage(chunk=chunk, meta=ArticleMeta(title="A", lang="ru"), score=1.0, found_by=[])
    sentences = [("Новый конфликт?", 0.9), ("Баку закрыл Русский дом в прошлом году.", 0.5)]
    sentences.append(("[i] TASS, https://tass.ru", 0.95))
    spans = [(100 + text.index(s), 100 + text.index(s) + len(s), score) for s, score in sentences]
    whole = excerpt(passage, 100, chunk.end, text, spans)
    assert whole.quote(*whole.best_sentence) == "Баку закрыл Русский дом в прошлом году."
    no_claim = excerpt(passage, 100, chunk.end, text, [spans[0], spans[2]])
    assert no_claim.quote(*no_claim.best_sentence) == "[i] TASS, https://tass.ru"


@pytest.fixture(scope="module")
def store(corpus_store_dir, embedder):
    store = Store(Settings(store={"dir": corpus_store_dir}), embedder)
    yield store
    store.close()


def passages_of(store: Store, article_id: str) -> list[Passage]:
    meta = store.metas()[article_id]
    return [
        Passage(chunk=c, meta=meta, score=1.0, found_by=["dense"])
        for c in store.catalog.chunks(article_id)
    ]


def overlapping_pair(store: Store) -> list[Passage]:
    """The first two consecutive chunks of an article that share a sentence (a long
    paragraph split in two), and the chunk after them."""
    for article_id in sorted(store.metas()):
        passages = passages_of(store, article_id)
        for i, (before, after) in enumerate(zip(passages, passages[1:], strict=False)):
            if after.chunk.start < before.chunk.end:
                return passages[i : i + 3]
    raise AssertionError("the fixture corpus has no overlapping chunks")


def test_overlapping_chunks_never_show_a_sentence_twice(store, embedder, tmp_path):
    passages = overlapping_pair(store)
    article = passages[0].article_id
    # The question is the sentence the first two chunks share.
    shared = store.catalog.article(article).text[passages[1].chunk.start : passages[0].chunk.end]
    vector = embedder.embed_queries([shared])[0]
    cache = VectorCache(tmp_path / "vectors.sqlite")
    excerpts = build_excerpts(passages, vector, embedder, cache, budget_chars=3000)
    shown = [(a, b) for e in excerpts for a, b, _ in e.sentences]
    assert len(shown) == len(set(shown))
    assert excerpts[0].passage.chunk.chunk_id == passages[0].chunk.chunk_id
    assert all(e.text not in excerpts[0].text for e in excerpts[1:])
    for e in excerpts:  # canonical offsets inside their own chunk
        assert e.passage.chunk.start <= e.start < e.end <= e.passage.chunk.end
    cache.close()


def test_limit_counts_excerpts_not_passages(store, embedder, tmp_path):
    article = "001_e8c302421dba796a"
    passages = passages_of(store, article)[:6]
    vector = embedder.embed_queries(["Путин и Алиев"])[0]
    cache = VectorCache(tmp_path / "vectors.sqlite")
    excerpts = build_excerpts(passages, vector, embedder, cache, budget_chars=1200, limit=4)
    assert len(excerpts) == 4
    assert [e.passage.chunk.ordinal for e in excerpts] == sorted(
        e.passage.chunk.ordinal for e in excerpts
    )
    cache.close()


def test_sentences_are_scored_with_the_vector_for_their_passage_language(store, embedder, tmp_path):
    """by_language: a Ukrainian passage is scored with the vector given for Ukrainian, a
    Russian one with the question's own vector (no entry for Russian)."""
    ukrainian = passages_of(store, "002_811401800cfb28a0")[:1]
    russian = passages_of(store, "003_6a9e746345d741fe")[:1]
    question, other = embedder.embed_queries(["Туреччина і Азербайджан", "Газ для Європи"])
    cache = VectorCache(tmp_path / "vectors.sqlite")
    plain = score_sentences(ukrainian + russian, question, embedder, cache)
    moved = score_sentences(ukrainian + russian, question, embedder, cache, {"uk": other})
    alone = score_sentences(ukrainian, other, embedder, cache)
    assert moved[0] == alone[0] != plain[0]
    assert moved[1] == plain[1]
    cache.close()
