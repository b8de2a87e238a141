"""Which passages an answer reads: questions about the sources versus factual questions."""

from __future__ import annotations

import pytest

from assistant.answering.answer import ask
from assistant.answering.focus import asks_about_sources

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


def test_a_factual_question_cites_the_article_that_answers_it(extractive_asker):
    question = "Какой суд продлил срок содержания под стражей главы азербайджанской диаспоры?"
    answer = ask(extractive_asker, question)
    assert answer.evidence[0].article_id == "004_19fea5466d238c97"  # the best evidence


def test_a_question_about_the_sources_reads_one_passage_per_article(extractive_asker):
    answer = ask(extractive_asker, "Расходятся ли источники в том, кто от кого сильнее зависит?")
    articles = [p.article_id for p in answer.passages]
    assert len(articles) == len(set(articles)) >= 3
    assert len({c.article_id for c in answer.citations}) >= 3
