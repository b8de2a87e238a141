"""Query translation in retrieval: when it is used, and what it changes. The translator
is injected (a table of hand translations), so these tests check the retrieval logic;
the LLM that translates in the product is exercised by the end-to-end tests."""

from __future__ import annotations

import pytest

from assistant.retrieval.search import retrieve
from assistant.settings import Settings
from assistant.store import Store

HAND_TRANSLATIONS = {
    "Which Russian media agency did Azerbaijan suspend?": (
        "Работу какого российского медиаагентства приостановил Азербайджан?"
    ),
}


class TableTranslator:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def __call__(self, query: str, target: str) -> str | None:
        self.calls.append((query, target))
        return HAND_TRANSLATIONS.get(query)


@pytest.fixture
def store(corpus_store_dir, embedder):
    return Store(Settings(store={"dir": corpus_store_dir}), embedder)


def test_english_question_is_searched_in_the_corpus_language(store):
    translator = TableTranslator()
    question = "Which Russian media agency did Azerbaijan suspend?"
    result = retrieve(question, store, translator=translator)
    assert translator.calls == [(question, "ru")]  # Russian is the corpus's main language
    assert result.translation == HAND_TRANSLATIONS[question]
    assert result.language == "en"
    top = result.passages[0]
    assert "Спутник" in top.chunk.text
    assert "lexical" in top.found_by  # the Russian words reached the lexical index


def test_questions_in_a_corpus_language_are_not_translated(store):
    translator = TableTranslator()
    result = retrieve("Какая система ПВО сбила самолет?", store, translator=translator)
    assert translator.calls == [] and result.translation is None


def test_a_failed_translation_falls_back_to_the_question(store):
    translator = TableTranslator()
    question = "Who chaired the Dushanbe summit?"
    plain = retrieve(question, store)
    result = retrieve(question, store, translator=translator)
    assert translator.calls and result.translation is None
    assert [p.chunk.chunk_id for p in result.passages] == [p.chunk.chunk_id for p in plain.passages]


def test_evaluation_can_search_questions_translated(store):
    from assistant.retrieval.evaluation import rank_questions
    from assistant.types import Question

    question = Question(
        id="t1",
        lang="en",
        question="Which Russian media agency did Azerbaijan suspend?",
        gold_docs=["003_6a9e746345d741fe"],
        evidence=["Спутник"],
        expect=["Sputnik|Спутник"],
    )
    translator = TableTranslator()
    translated = rank_questions([question], store, translator=translator)
    assert translator.calls == [(question.question, "ru")]
    plain = rank_questions([question], store)
    assert translated[0].rank is not None
    assert plain[0].rank is None or translated[0].rank <= plain[0].rank
