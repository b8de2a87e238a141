"""Which article a question names as its source: table tests over invented metadata, and
on the sample corpus, search and answers led by the named source."""

from __future__ import annotations

import pytest

from assistant.answering.answer import NAMED_SOURCE_NOTE, Asker, ask
from assistant.retrieval.named_sources import named_article, source_names
from assistant.retrieval.search import retrieve
from assistant.settings import Settings
from assistant.store import Store
from assistant.types import ArticleMeta, Filters, RetrievalParams

METAS = {
    "arvak": ArticleMeta(
        title="Что могли обсуждать Путин с Алиевым?",
        outlet="АРВАК (Армянский аналитический центр, arvak.am)",
        lang="ru",
    ),
    "mamedov": ArticleMeta(title="Отношения в тисках", author="Ergün Mamedov", lang="ru"),
    "kyiv": ArticleMeta(title="Зустріч у Душанбе", lang="uk"),
    "plain": ArticleMeta(title="Новый этап", lang="ru"),
}
TEXTS = {
    "arvak": "Путин провел в Кремле закрытые переговоры.",
    "mamedov": "Для России Баку выступает «стратегической отдушиной» в условиях санкций.",
    "kyiv": "Автор статті «Вибачення Путіна: чому РФ пішла на поступки» пише про Душанбе.",
    "plain": "Начинается новый этап. Москва и Баку. «стратегической отдушиной» для всех.",
}


@pytest.mark.parametrize(
    "question, expected",
    [
        # names, in any script and declined
        ("According to the ARVAK commentary, when did they meet?", "arvak"),
        ("Что, по мнению Центра АРВАК, определило новую реальность?", "arvak"),
        ("Что пишет arvak.am о переговорах?", "arvak"),
        ("What does Mamedov say about sanctions?", "mamedov"),
        ("Что пишет Мамедова о санкциях?", "mamedov"),
        # a quotation only one article holds
        ("Хто автор статті «Вибачення Путіна: чому РФ пішла на поступки»?", "kyiv"),
        # a language adjective next to a word for a source, one article in that language
        ("According to the Ukrainian summary, what did Putin say?", "kyiv"),
        ("Как, по данным украинского издания, восприняли заявления?", "kyiv"),
        ("Що пише українське видання про Душанбе?", "kyiv"),
        ("Какие детали, по мнению украинского автора, указывали на равенство?", "kyiv"),
        ("What does the Ukrainian author say about Dushanbe?", "kyiv"),
        # a nationality next to a word for a source, one outlet carrying it in its name
        ("According to the Armenian analytical centre's commentary, when?", "arvak"),
        ("Which daily, per the Armenian analysts, suggested it?", "arvak"),
        ("Что пишут армянские аналитики о встрече?", "arvak"),
        ("Що пише вірменський аналітичний центр?", "arvak"),
        # nothing, or too much
        ("When did Putin and Aliyev meet in the Kremlin?", None),
        ("What do Ukrainian drones have to do with Baku?", None),  # no word for a source
        ("Did Russian-language outlets agree?", None),  # three Russian articles
        ("Who called Baku a «стратегической отдушиной»?", None),  # two articles hold it
        ("Кто сказал «новый этап»?", None),  # too short a quotation
        ("Do ARVAK and Mamedov agree?", None),  # two sources named
        ("Armenian officials and the arvakistanian style", None),  # a longer word, not the name
        ("What did the Armenian prime minister say?", None),  # not a word for a source
        ("What do Russian analysts think?", None),  # no outlet carries it in its name
        ("What did the Ukrainian authorities say?", None),  # authorities are not an author
        ("Что сказал украинский авторитетный эксперт?", None),
    ],
)
def test_named_article(question, expected):
    assert named_article(question, METAS, TEXTS) == expected


def test_source_names_are_distinctive_parts_only():
    assert source_names(METAS["arvak"]) == {"арвак"}  # not "Армянский", not "центр"
    assert source_names(METAS["mamedov"]) == {"мамедов"}
    assert source_names(METAS["plain"]) == frozenset()


ARVAK = "000_c09443d3c3e06269"
QUESTION = "According to ARVAK, how are relations between Moscow and Baku changing?"


def test_search_puts_the_named_source_first(corpus_store_dir, embedder):
    store = Store(Settings(store={"dir": corpus_store_dir}), embedder)
    plain = retrieve(QUESTION.replace("According to ARVAK, h", "H"), store, RetrievalParams(k=5))
    named = retrieve(QUESTION, store, RetrievalParams(k=5))
    store.close()
    assert plain.named is None and named.named == ARVAK
    assert plain.passages[0].article_id != ARVAK  # without the name, another article leads
    assert named.passages[0].article_id == ARVAK
    articles = [p.article_id for p in named.passages]
    leading = len(articles) - articles[::-1].index(ARVAK)  # just past the last ARVAK passage
    assert set(articles[:leading]) == {ARVAK}  # the named source's passages come first
    assert len({p.chunk.chunk_id for p in named.passages}) == len(named.passages)


def test_filters_outrank_a_named_source(corpus_store_dir, embedder):
    store = Store(Settings(store={"dir": corpus_store_dir}), embedder)
    chosen = retrieve(
        QUESTION, store, RetrievalParams(filters=Filters(article_ids=["001_e8c302421dba796a"]), k=3)
    )
    excluded = retrieve(QUESTION, store, RetrievalParams(filters=Filters(langs=["uk"]), k=3))
    store.close()
    assert chosen.named is None and {p.article_id for p in chosen.passages} == {
        "001_e8c302421dba796a"
    }
    assert excluded.named is None and {p.meta.lang for p in excluded.passages} == {"uk"}


def test_an_answer_to_a_question_naming_its_source_cites_only_that_source(
    corpus_store_dir, embedder
):
    store = Store(Settings(store={"dir": corpus_store_dir}), embedder)
    asker = Asker.create(store.settings, store, "extractive")
    plain = ask(asker, QUESTION.replace("According to ARVAK, h", "H"))
    named = ask(asker, QUESTION)
    store.close()
    assert {c.article_id for c in plain.citations} != {ARVAK}
    assert named.citations and {c.article_id for c in named.citations} == {ARVAK}
    note = NAMED_SOURCE_NOTE.format(source=named.passages[0].meta.source_label)
    assert note in named.warnings and note not in plain.warnings


def test_a_named_source_is_searched_with_one_translation(corpus_store_dir, embedder):
    calls = []

    def translator(query: str, target: str) -> str:
        calls.append((query, target))
        return "По данным АРВАК, как меняются отношения между Москвой и Баку?"

    store = Store(Settings(store={"dir": corpus_store_dir}), embedder)
    found = retrieve(QUESTION, store, RetrievalParams(k=3), translator=translator)
    store.close()
    assert found.named == ARVAK and found.translation
    assert calls == [(QUESTION, "ru")]
