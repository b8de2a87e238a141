"""Which passages an answer reads: questions about the sources versus factual questions."""

from __future__ import annotations

import pytest

from assistant.answer import ONE_SOURCE_NOTE, ask
from assistant.focus import FOCUS_MARGIN, asks_about_sources, focused, rivals
from assistant.types import ArticleMeta, Chunk, Passage

ABOUT_SOURCES = [
    ("Do the sources agree on who made concessions?", True),
    ("How do the outlets describe the Dushanbe meeting?", True),
    ("Which source says that Moscow apologised, and which contradicts it?", True),
    ("How do the articles differ on the causes of the crash?", True),
    ("Расходятся ли источники в оценке встречи в Душанбе?", True),
    ("Как по-разному описывают встречу в Душанбе?", True),
    ("Що пишуть джерела про виведення миротворців?", True),
    ("Чи згодні автори щодо причин катастрофи?", True),
    ("What do the publications say about the railway?", True),
    ("Что говорится в материалах о поддержке Украины?", True),
    ("Що пишуть у публікаціях про коридор?", True),
    # factual questions, even when they name one source or an agreement
    ("When did Putin and Aliyev meet in Dushanbe?", False),
    ("What agreement did the railways of the three countries sign?", False),
    ("По мнению Центра АРВАК, что определило новую реальность?", False),
    ("Какие соглашения подписали Россия и Азербайджан?", False),
    ("Какие расходы понёс Азербайджан?", False),
    ("Хто автор статті про вибачення Путіна?", False),
    ("Что говорится в этом материале о коридоре?", False),  # one material
    # words inside quotation marks are someone's words, not the user's question
    ("Де Алієв порадив «ніколи не погоджуватися на окупацію»?", False),
    ('Who said that the sides "disagree on everything"?', False),
]


@pytest.mark.parametrize("question, expected", ABOUT_SOURCES)
def test_asks_about_sources(question, expected):
    assert asks_about_sources(question) is expected


def passage(article_id: str, ordinal: int, score: float) -> Passage:
    chunk = Chunk(article_id=article_id, ordinal=ordinal, start=0, end=4, text="text")
    meta = ArticleMeta(title=article_id, lang="ru")
    return Passage(chunk=chunk, meta=meta, score=score, found_by=["dense"])


FOCUSED = [
    ([], [], [], "nothing retrieved"),
    (["a.9"], ["a.9"], [], "one passage"),
    (["a.9", "a.85", "a.7", "a.2"], ["a.9", "a.85"], [], "a clear winner and a close second"),
    (["a.9", "a.8", "a.7"], ["a.9", "a.8"], [], "the margin is inclusive"),
    (["a.9", "a.89", "a.88", "a.87"], ["a.9", "a.89", "a.88", "a.87"], [], "no winner"),
    # one article answers a factual question; others as close are its rivals
    (["a.9", "b.89", "a.88", "b.87", "c.86"], ["a.9", "a.88"], ["b.89", "c.86"], "rivals"),
    (["b.9", "a.7", "b.6"], ["b.9"], [], "no rival within the margin"),
]


@pytest.mark.parametrize("ranked, kept, close, case", FOCUSED, ids=[c for *_, c in FOCUSED])
def test_focused_reads_one_article_close_to_the_best(ranked, kept, close, case):
    assert FOCUS_MARGIN == 0.10  # the rows' scores assume it
    passages = [passage(r[0], i, float("0" + r[1:])) for i, r in enumerate(ranked)]

    def names(found):
        return [f"{p.article_id}{str(p.score)[1:]}" for p in found]

    assert names(focused(passages)) == kept
    assert names(rivals(passages)) == close


def test_a_factual_question_cites_the_article_that_answers_it(extractive_asker):
    question = "Какой суд продлил срок содержания под стражей главы азербайджанской диаспоры?"
    answer = ask(extractive_asker, question)
    assert answer.citations
    assert {c.article_id for c in answer.citations} == {"004_19fea5466d238c97"}


def test_a_question_about_the_sources_reads_one_passage_per_article(extractive_asker):
    answer = ask(extractive_asker, "Расходятся ли источники в том, кто от кого сильнее зависит?")
    articles = [p.article_id for p in answer.passages]
    assert len(articles) == len(set(articles)) >= 3
    assert len({c.article_id for c in answer.citations}) >= 3


def test_a_factual_question_names_the_close_sources_it_did_not_read(extractive_asker):
    answer = ask(extractive_asker, "Какую роль играет коридор Север-Юг?")
    cited = {c.article_id for c in answer.citations}
    assert cited == {"001_e8c302421dba796a"}
    prefix = ONE_SOURCE_NOTE.split("{source}")[0]
    notes = [w for w in answer.warnings if w.startswith(prefix)]
    assert len(notes) == 1 and "Mamedov" in notes[0] and "АРВАК" in notes[0]
