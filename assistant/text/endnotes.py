"""Endnotes: the lines of an article that list its sources, such as
"[ii] “Putin i Aliyev …”, TASS, https://tass.ru/…, (Дата обращения: 24.12.2025)".

They are sources of the article, not claims of it. Retrieval does not score them as
sentences, and answers, lookups and briefings never quote them (plain search still finds
them, for a reader looking for who cites what).
"""

from __future__ import annotations

import re

_ENDNOTE = re.compile(
    r"^\s*\[(?:[ivxlcdm]+|\d{1,3})\]\s"  # a numbered note: "[ii] ", "[12] "
    r"|Дата (?:обращения|звернення)"  # an access date in Russian or Ukrainian
    r"|\b(?:accessed|retrieved)(?: on)?:? \d",  # in English: "accessed 3 May 2025"
    re.IGNORECASE,
)


def is_endnote(line: str) -> bool:
    """True for one endnote line (or sentence): a numbered note or an access date."""
    return bool(_ENDNOTE.search(line))


def is_endnote_list(text: str) -> bool:
    """True for a passage that is mostly endnotes: more than half its lines are."""
    lines = [line for line in text.splitlines() if line.strip()]
    return bool(lines) and sum(is_endnote(line) for line in lines) > len(lines) / 2
