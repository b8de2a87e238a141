"""Pure: the dates a sentence mentions, in Russian, Ukrainian or English, for a timeline.

"9 октября 2025 года", "в декабре 2024 года", "9 жовтня", "23.04.2024", "2025-10-17",
"October 9, 2025", "в 2024 году". A day and month without a year take the year of the
article's publication (the previous year when that month is still to come).
"""

from __future__ import annotations

import datetime as dt
import re

from assistant.types import EventDate

_MONTH_STEMS = {
    1: ("январ", "січ", "january", "jan"),
    2: ("феврал", "лют", "february", "feb"),
    3: ("март", "берез", "march", "mar"),
    4: ("апрел", "квіт", "april", "apr"),
    5: ("ма", "трав", "may"),
    6: ("июн", "черв", "june", "jun"),
    7: ("июл", "лип", "july", "jul"),
    8: ("август", "серп", "august", "aug"),
    9: ("сентябр", "верес", "september", "sep", "sept"),
    10: ("октябр", "жовт", "october", "oct"),
    11: ("ноябр", "листопад", "november", "nov"),
    12: ("декабр", "груд", "december", "dec"),
}
# Whole month words (any case ending); "ма" is only "мая/май/мае", never "март" or "марта".
_MONTH_WORD = (
    r"(?:январ[ьяюе]|феврал[ьяюе]|марта?|марте|апрел[ьяюе]|ма[йяюе]|июн[ьяюе]|июл[ьяюе]|"
    r"августа?|августе|сентябр[ьяюе]|октябр[ьяюе]|ноябр[ьяюе]|декабр[ьяюе]|"
    r"січ(?:ня|ні|ень)|лют(?:ого|ому|ий)|берез(?:ня|ні|ень)|квіт(?:ня|ні|ень)|"
    r"трав(?:ня|ні|ень)|черв(?:ня|ні|ень)|лип(?:ня|ні|ень)|серп(?:ня|ні|ень)|"
    r"верес(?:ня|ні|ень)|жовт(?:ня|ні|ень)|листопада?|листопаді|груд(?:ня|ні|ень)|"
    r"january|february|march|april|may|june|july|august|september|october|november|december)"
)
_YEAR = r"((?:19|20)\d{2})"
_PATTERNS = [
    ("iso", re.compile(rf"\b{_YEAR}-(\d{{2}})-(\d{{2}})\b")),
    ("dotted", re.compile(rf"\b(\d{{1,2}})\.(\d{{1,2}})\.{_YEAR}\b")),
    ("day_month", re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_WORD})(?:\s+{_YEAR})?", re.I)),
    ("month_day", re.compile(rf"\b({_MONTH_WORD})\s+(\d{{1,2}}),?\s+{_YEAR}\b", re.I)),
    ("month", re.compile(rf"\b({_MONTH_WORD})\s+{_YEAR}\b", re.I)),
    ("year", re.compile(rf"\b{_YEAR}\s*(?:г\.|год\w*|р\.|р\b|рок\w*|роц\w*)", re.I)),
    ("year_en", re.compile(rf"\b(?:in|since|by|until)\s+{_YEAR}\b", re.I)),
]


def month_number(word: str) -> int:
    """1..12 for a month word in any case form, 0 when it is not one."""
    word = word.lower()
    best = 0, 0  # (stem length, month): the longest matching stem wins ("ма" < "март")
    for month, stems in _MONTH_STEMS.items():
        for stem in stems:
            if word.startswith(stem) and len(stem) > best[0]:
                best = len(stem), month
    return best[1]


def _valid(year: int, month: int, day: int) -> EventDate | None:
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return None
    return EventDate(year, month, day)


def _infer_year(month: int, day: int, published: dt.date | None) -> int | None:
    if published is None:
        return None
    before = (month, day) <= (published.month, published.day)
    return published.year if before else published.year - 1


def _parse(kind: str, m: re.Match, published: dt.date | None) -> EventDate | None:
    g = m.groups()
    if kind == "iso":
        return _valid(int(g[0]), int(g[1]), int(g[2]))
    if kind == "dotted":
        return _valid(int(g[2]), int(g[1]), int(g[0]))
    if kind == "day_month":
        month, day = month_number(g[1]), int(g[0])
        year = int(g[2]) if g[2] else _infer_year(month, day, published)
        return _valid(year, month, day) if year else None
    if kind == "month_day":
        return _valid(int(g[2]), month_number(g[0]), int(g[1]))
    if kind == "month":
        return _valid(int(g[1]), month_number(g[0]), 0)
    return _valid(int(g[0]), 0, 0)


def find_dates(text: str, published: dt.date | None = None) -> list[tuple[int, int, EventDate]]:
    """Every date text mentions, as (start, end, date), in order; a span already read as a
    more precise date is not read again ("9 октября 2025 года" is one date, not two)."""
    found: list[tuple[int, int, EventDate]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e, _ in found):
                continue
            if (date := _parse(kind, m, published)) is not None:
                found.append((m.start(), m.end(), date))
    return sorted(found)


def event_date(text: str, published: dt.date | None = None) -> EventDate | None:
    """The date a sentence is about: its most precise mention, the first among equals.
    The article's own publication date (a dateline) counts only when nothing else is named."""
    dates = [d for _, _, d in find_dates(text, published)]
    own = EventDate(published.year, published.month, published.day) if published else None
    events = [d for d in dates if d != own] or dates
    if not events:
        return None
    return max(events, key=lambda d: (d.precision, -events.index(d)))


def article_dates(text: str, published: dt.date | None) -> list[EventDate]:
    """Every date an article gives, its publication date included, oldest first."""
    dates = [d for _, _, d in find_dates(text, published)]
    if published is not None:
        dates.append(EventDate(published.year, published.month, published.day))
    return sorted(set(dates))
