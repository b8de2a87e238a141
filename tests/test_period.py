"""Which articles can speak to the period a question asks about: table tests of the pure
rules, and on the sample corpus, answers that leave out the others and say so."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.answering.answer import SILENT_NOTE, TOO_OLD_NOTE, ask
from assistant.answering.period import asked_period, predates, silent_on_period, too_old
from assistant.text.dates import article_dates
from assistant.types import EventDate as D
from assistant.types import Period


@pytest.mark.parametrize(
    "question, period",
    [
        ("Where did they meet in October 2025?", Period(2025, 10, 10)),
        ("Где они встретились в октябре 2025 года?", Period(2025, 10, 10)),
        ("Де вони зустрілися 9 жовтня 2025 року?", Period(2025, 10, 10)),  # no day
        ("What changed in 2024?", Period(2024)),
        ("What changed between April 2024 and October 2025?", Period(2024, 4, 4)),  # earliest
        ("Which event did Aliyev skip in spring 2025?", Period(2025, 3, 5)),
        ("Что произошло летом 2025 года?", Period(2025, 6, 8)),
        ("Що сталося восени 2024 року?", Period(2024, 9, 11)),
        ("What happened in the fall of 2024?", Period(2024, 9, 11)),
        ("Where did they meet?", None),
        ("What happened on 9 October?", None),  # no year: no period
        ("Что было летом?", None),
    ],
)
def test_asked_period(question, period):
    assert asked_period(question) == period


def test_article_dates_include_the_publication_date_oldest_first():
    text = "В декабре 2024 года самолёт был сбит. К 2028 году коридор заработает."
    assert article_dates(text, dt.date(2025, 7, 3)) == [
        D(2024, 12),
        D(2025, 7, 3),
        D(2028),
    ]
    assert article_dates("Без дат.", None) == []


@pytest.mark.parametrize(
    "dates, period, expected",
    [
        ([D(2024, 4, 23)], Period(2025, 10, 10), True),
        ([D(2025, 1), D(2025, 7)], Period(2025, 10, 10), True),
        ([D(2025, 7), D(2025, 10, 9)], Period(2025, 10, 10), False),  # one date in the period
        ([D(2025, 7), D(2028)], Period(2025, 10, 10), False),  # a forecast past it
        ([D(2025)], Period(2025, 10, 10), False),  # a year only: it may be October
        ([D(2025, 7)], Period(2025), False),  # the period's own year
        ([D(2024, 12)], Period(2025), True),
        ([D(2025, 2)], Period(2025, 3, 5), True),  # before spring
        ([D(2025, 4)], Period(2025, 3, 5), False),
        ([], Period(2025, 10, 10), False),  # no date at all: never ruled out
    ],
)
def test_predates(dates, period, expected):
    assert predates(dates, period) == expected


DATES = {
    "arvak": [D(2024, 4, 23)],
    "mamedov": [D(2024, 12), D(2025, 10), D(2028)],
    "kyiv": [D(2025, 10, 9), D(2025, 10, 17)],
    "rift": [D(2024, 12), D(2025, 5), D(2025, 7)],
    "undated": [],
}


@pytest.mark.parametrize(
    "question, old, silent",
    [
        ("Who backed down in October 2025?", {"arvak", "rift"}, {"rift", "arvak", "undated"}),
        ("What was shot down in December 2024?", {"arvak"}, {"arvak", "kyiv", "undated"}),
        ("What did they discuss in April 2024?", set(), set(DATES) - {"arvak"}),
        ("What will happen in 2030?", set(DATES) - {"undated"}, set()),  # no article dates 2030
        ("What did they skip in spring 2025?", {"arvak"}, set(DATES) - {"rift"}),
        ("What did they discuss?", set(), set()),
    ],
)
def test_too_old_and_silent_on_period(question, old, silent):
    period = asked_period(question)
    assert too_old(period, DATES) == old
    assert silent_on_period(period, DATES, DATES) == silent


ARVAK = "000_c09443d3c3e06269"
RIFT = "003_6a9e746345d741fe"


def test_a_question_about_the_sources_leaves_out_articles_written_before_its_period(
    extractive_asker,
):
    question = "Do the sources agree on what Putin and Aliyev agreed{}?"
    anytime = ask(extractive_asker, question.format(""))
    october = ask(extractive_asker, question.format(" in October 2025"))
    assert {ARVAK, RIFT} & {p.article_id for p in anytime.passages}  # read without a period
    assert not {ARVAK, RIFT} & {p.article_id for p in october.passages}
    assert len({c.article_id for c in october.citations}) >= 2  # still several sides
    prefix = TOO_OLD_NOTE.split("{sources}")[0]
    notes = [w for w in october.warnings if w.startswith(prefix)]
    assert len(notes) == 1 and "АРВАК" in notes[0] and "2025-10" in notes[0]


def test_a_factual_question_reads_the_articles_that_date_its_period(extractive_asker):
    answer = ask(extractive_asker, "What did Putin and Aliyev discuss in April 2024?")
    assert answer.citations
    assert {c.article_id for c in answer.citations} == {ARVAK}
    prefix = SILENT_NOTE.split("{sources}")[0]
    assert any(w.startswith(prefix) and "2024-04" in w for w in answer.warnings)
