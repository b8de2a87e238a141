"""Pure: which articles can speak to the period a question asks about.

"Where did Putin and Aliyev meet in October 2025?" cannot be answered by an article
written in July 2025, however close its wording. An article's dates are its publication
date and every date its text mentions; an article is ruled out only when all of them
lie before the period (a forecast such as "by 2028" keeps it). An article with no date at
all is never ruled out.

A period is a month, a season or a year ("in October 2025", "весной 2025 года", "у 2024
році"). A factual question about one period ("which group did they meet in April 2024?") is
answered by an article that dates something in that period, when one of the retrieved
articles does: the others are about the same people at other times. A question about
the sources is not narrowed that way, since a side may give no date for the event.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from assistant.text.dates import find_dates
from assistant.types import EventDate, Period

# Seasons as months of the named year (winter: its January and February).
_SEASONS = {
    (3, 5): r"spring|весн(?:а|ой|ою|ы|е|у)|навесні|весни",
    (6, 8): r"summer|лет(?:о|ом|а|е)|влітку|літом|літа|літо",
    (9, 11): r"autumn|fall|осен(?:ь|ью|и)|восени|осінню|осені|осінь",
    (1, 2): r"winter|зим(?:а|ой|ою|ы|е|у)|взимку|зими",
}
_SEASON = [
    (months, re.compile(rf"\b(?:{words})\s+(?:of\s+)?((?:19|20)\d{{2}})\b", re.IGNORECASE))
    for months, words in _SEASONS.items()
]


def asked_period(question: str) -> Period | None:
    """The earliest month, season or year the question names ("летом 2025 года" is a
    season, not the year)."""
    seasons = [
        (m.start(), m.end(), Period(int(m.group(1)), first, last))
        for (first, last), pattern in _SEASON
        for m in pattern.finditer(question)
    ]
    periods = [p for _, _, p in seasons] + [
        Period(d.year, d.month, d.month) if d.month else Period(d.year)
        for start, end, d in find_dates(question)
        if not any(start < e and s < end for s, e, _ in seasons)
    ]
    return min(periods) if periods else None


def predates(dates: list[EventDate], period: Period) -> bool:
    """True when every date an article gives lies before the period's first month (or
    year); a date known only to its year is before the period only in an earlier year."""
    return bool(dates) and all(_before(d, period) for d in dates)


def _before(date: EventDate, period: Period) -> bool:
    if date.year != period.year:
        return date.year < period.year
    return bool(date.month) and date.month < period.first


def within(date: EventDate, period: Period) -> bool:
    """The date falls in the period; a date known only to its year falls only in a
    whole-year period."""
    if date.year != period.year:
        return False
    if not date.month:
        return (period.first, period.last) == (1, 12)
    return period.first <= date.month <= period.last


def too_old(period: Period | None, dates_by_article: Mapping[str, list[EventDate]]) -> set[str]:
    """The articles written before the period (none when there is no period)."""
    if period is None:
        return set()
    return {a for a, dates in dates_by_article.items() if predates(dates, period)}


def silent_on_period(
    period: Period | None,
    article_ids: Iterable[str],
    dates_by_article: Mapping[str, list[EventDate]],
) -> set[str]:
    """Of these articles, those that date nothing in the period, when at least one of
    them does (else none: nothing tells them apart)."""
    if period is None:
        return set()
    ids = set(article_ids)
    dating = {a for a in ids if any(within(d, period) for d in dates_by_article.get(a, []))}
    return ids - dating if dating else set()
