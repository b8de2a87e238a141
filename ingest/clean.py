"""Raw text -> canonical text. Pure functions; citations point into what this returns.

The canonical text is a sequence of paragraphs separated by one blank line. Cleaning
repairs what extraction broke (hard line wraps of PDFs, headings glued to paragraphs)
and drops page furniture and site boilerplate, but never rewrites the author's words.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

# Whole lines that are site chrome, not article text (matched after stripping).
BOILERPLATE_LINES = [
    r"paylaş",
    r"share|поделиться|поширити|поділитися",
    r"(эта статья|ця стаття|this article) (также |також |is )?(доступна|available).*",
    r"(читайте|читать) также:?",
    r"(похожие|схожі|related) (материалы|матеріали|articles|posts)",
    r"свежие комментарии|останні коментарі|recent comments",
    r"по этой ссылке статья откроется без vpn",
    r"(türkçe|english|русский|українська|azərbaycanca)(\s+(türkçe|english|русский|українська|azərbaycanca))+",
]
_BOILERPLATE = re.compile(r"^(?:" + "|".join(BOILERPLATE_LINES) + r")$", re.IGNORECASE)

# A page header/footer: a short line of " | "-separated parts, or a bare page number.
_PAGE_FURNITURE = re.compile(
    r"^(?:[^|]{1,60}\|){2,}[^|]{1,60}\s\d{1,4}$"  # "АРВАК | … ЦЕНТР | arvak.am   2"
    r"|^\d{1,4}$|^(?:page|стр\.?|с\.|сторінка)\s*\d+(?:\s*(?:of|из|з)\s*\d+)?$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?…:;»\"”)\]]$")
# A heading glued to the next paragraph by HTML extraction: "…лицо БакуПосле встречи…".
_GLUED_HEADING = re.compile(r"(?<=[а-яёіїєґ])(?=[А-ЯЁІЇЄҐ][а-яёіїєґ])")


def canonicalize(raw: str) -> str:
    """Clean raw extracted text into the stable canonical text of an article."""
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\f", "\n\n").replace("\u00ad", "")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    lines = drop_page_furniture(lines)
    lines = [line for line in lines if not is_boilerplate(line)]
    paragraphs = join_hard_wraps(lines) if looks_hard_wrapped(lines) else split_paragraphs(lines)
    paragraphs = [p for part in paragraphs for p in _GLUED_HEADING.split(part)]
    return "\n\n".join(_drop_repeats(p.strip() for p in paragraphs if p.strip()))


def is_boilerplate(line: str) -> bool:
    """True for share buttons, language switchers and other site chrome."""
    return bool(line) and bool(_BOILERPLATE.match(line.strip()))


def drop_page_furniture(lines: list[str]) -> list[str]:
    """Drop page headers/footers: a '|'-separated banner ending in a page number, bare
    page numbers, and short numbered lines repeated on 3+ pages ("Page 2 of 9")."""
    shapes = Counter(_digitless(line) for line in lines if _could_repeat(line))
    return [
        line
        for line in lines
        if not _PAGE_FURNITURE.match(line)
        and not (_could_repeat(line) and shapes[_digitless(line)] >= 3)
    ]


def _could_repeat(line: str) -> bool:
    return 0 < len(line) <= 80 and any(c.isdigit() for c in line)


def _digitless(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip().lower())


def looks_hard_wrapped(lines: list[str]) -> bool:
    """True for text broken into short lines mid-sentence, as PDF extraction does."""
    filled = [line for line in lines if line]
    if len(filled) < 8:
        return False
    open_ended = sum(1 for line in filled if not _SENTENCE_END.search(line))
    short = sum(1 for line in filled if len(line) <= 110)
    return short / len(filled) > 0.8 and open_ended / len(filled) > 0.4


def join_hard_wraps(lines: list[str]) -> list[str]:
    """Rejoin wrapped lines. A new paragraph starts after a sentence end followed by a
    capital, digit, dash or endnote marker, or after a gap of 2+ blank lines that is
    not a page break inside a sentence (the next line then starts in lower case)."""
    paragraphs: list[str] = []
    current, blanks = "", 0
    for line in lines:
        if not line:
            blanks += 1
            continue
        starts_new = re.match(r"[A-ZА-ЯЁІЇЄҐ0-9«\"“–—\[]", line)
        if not current:
            current = line
        elif starts_new and (_SENTENCE_END.search(current) or blanks >= 2):
            paragraphs.append(current)
            current = line
        elif current.endswith("-") and len(current) > 1 and current[-2].isalpha():
            current += line  # "армяно-" + "азербайджанских": keep the hyphen, no space
        else:
            current += " " + line
        blanks = 0
    if current:
        paragraphs.append(current)
    return paragraphs


def split_paragraphs(lines: list[str]) -> list[str]:
    """Lines that are already paragraphs: one per non-empty line."""
    return [line for line in lines if line]


def _drop_repeats(paragraphs) -> list[str]:
    """Drop a paragraph identical to the one before it (e.g. an author name shown twice)."""
    kept: list[str] = []
    for p in paragraphs:
        if not kept or kept[-1] != p:
            kept.append(p)
    return kept
