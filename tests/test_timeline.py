"""The dates a sentence mentions, read in Russian, Ukrainian and English."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.text.dates import event_date, find_dates, month_number
from assistant.types import EventDate


@pytest.mark.parametrize(
    "text, published, labels",
    [
        ("встреча, состоявшаяся 9 октября 2025 года в Душанбе", None, ["2025-10-09"]),
        ("в декабре 2024 года российские системы ПВО", None, ["2024-12"]),
        ("Комментарий Центра АРВАК, 23.04.2024", None, ["2024-04-23"]),
        ("date 2025-10-17 Зустріч 9 жовтня в Душанбе", dt.date(2025, 10, 17),
         ["2025-10-17", "2025-10-09"]),
        ("On October 9, 2025 they met in Dushanbe", None, ["2025-10-09"]),
        ("They met on 9 October 2025.", None, ["2025-10-09"]),
        ("в 2024 году Азербайджан", None, ["2024"]),
        ("у 2024 році", None, ["2024"]),
        ("к 2028 году 15 миллионов тонн", None, ["2028"]),
        ("in 2020 the war", None, ["2020"]),
        ("на параде 9 мая 2025 года", None, ["2025-05-09"]),
        ("в марте 2022 года", None, ["2022-03"]),
        ("9 жовтня", None, []),  # no year and no publication date: cannot be placed
        ("5 мая", dt.date(2023, 1, 2), ["2022-05-05"]),  # a month still to come: last year
        ("5 мая", dt.date(2023, 6, 1), ["2023-05-05"]),
        ("в 5 миллионов тонн и 15 миллионов", None, []),
        ("31.02.2024 не бывает", None, []),
        ("Май был тёплым, 12 мая 2024 г. шёл дождь", None, ["2024-05-12"]),
    ],
)  # fmt: skip
def test_find_dates(text, published, labels):
    assert [d.label for _, _, d in find_dates(text, published)] == labels


def test_spans_point_at_the_date_words():
    text = "Встреча 9 октября 2025 года прошла в Душанбе."
    [(start, end, _)] = find_dates(text)
    assert text[start:end].startswith("9 октября 2025")


@pytest.mark.parametrize(
    "text, published, expected",
    [
        ("в марте 2022 года, а затем 5 мая 2022 года", None, EventDate(2022, 5, 5)),
        ("date 2025-10-17 Зустріч 9 жовтня", dt.date(2025, 10, 17), EventDate(2025, 10, 9)),
        ("Опубликовано 2025-10-17.", dt.date(2025, 10, 17), EventDate(2025, 10, 17)),
        ("в 2020 году и в 2024 году", None, EventDate(2020)),
        ("без дат", None, None),
    ],
)  # fmt: skip
def test_event_date_is_the_most_precise_mention_not_the_dateline(text, published, expected):
    assert event_date(text, published) == expected


@pytest.mark.parametrize(
    "word, month",
    [("марта", 3), ("мая", 5), ("май", 5), ("March", 3), ("may", 5), ("жовтня", 10),
     ("листопада", 11), ("грудня", 12), ("января", 1), ("бублик", 0)],
)  # fmt: skip
def test_month_number(word, month):
    assert month_number(word) == month


def test_dates_sort_year_then_month_then_day():
    dates = [EventDate(2025, 10, 9), EventDate(2024), EventDate(2025, 10), EventDate(2024, 12)]
    assert [d.label for d in sorted(dates)] == ["2024", "2024-12", "2025-10", "2025-10-09"]
