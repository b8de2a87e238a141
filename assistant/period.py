"""Pure: which articles can speak to the period a question asks about.

"Where did Putin and Aliyev meet in October 2025?" cannot be answered by an article
written in July 2025, however close its wording. An article's dates are its publication
date and every date its text mentions; an article is ruled out only when all of them
lie before the period (a forecast such as "by 2028" keeps it). An article with no date at
all is never ruled out.

A factual question about one period ("which group did they meet in April 2024?") is
answered by an article that dates something in that period, when one of the retrieved
articles does: the others are about the same people at other times. A question about
the sources is not narrowed that way, since a side may give no date for the event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from assistant.timeline import EventDate, find_dates


def asked_period(question: str) -> EventDate | None:
    """The earliest month (or year) the question names, without its day."""
    dates = [EventDate(d.year, d.month) for _, _, d in find_dates(question)]
    return min(dates) if dates else None


def article_dates(text: str, published: dt.date | None) -> list[EventDate]:
    """Every date an article gives, its publication date included, oldest first."""
    dates = [d for _, _, d in find_dates(text, published)]
    if published is not None:
        dates.append(EventDate(published.year, published.month, published.day))
    return sorted(set(dates))


def predates(dates: list[EventDate], period: EventDate) -> bool:
    """True when every date an article gives lies before the period's month (or year);
    a date known only to its year is before the period only in an earlier year."""
    return bool(dates) and all(_before(d, period) for d in dates)


def _before(date: EventDate, period: EventDate) -> bool:
    if date.year != period.year:
        return date.year < period.year
    return bool(period.month) and bool(date.month) and date.month < period.month


def within(date: EventDate, period: EventDate) -> bool:
    """The date falls in the period (a year-only period takes any month of that year)."""
    return date.year == period.year and (not period.month or date.month == period.month)


def too_old(question: str, dates_by_article: Mapping[str, list[EventDate]]) -> set[str]:
    """The articles written before the period the question asks about."""
    period = asked_period(question)
    if period is None:
        return set()
    return {a for a, dates in dates_by_article.items() if predates(dates, period)}


def silent_on_period(
    question: str, article_ids: Iterable[str], dates_by_article: Mapping[str, list[EventDate]]
) -> set[str]:
    """Of these articles, those that date nothing in the period the question asks about,
    when at least one of them does (else none: nothing tells them apart)."""
    period = asked_period(question)
    if period is None:
        return set()
    ids = set(article_ids)
    dating = {a for a in ids if any(within(d, period) for d in dates_by_article.get(a, []))}
    return ids - dating if dating else set()
