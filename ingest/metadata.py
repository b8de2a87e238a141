"""Title, date, author, outlet, language and references of an article, read from its
canonical text; values in the corpus's sources.toml override what is extracted."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from assistant.text.languages import detect_language
from assistant.types import ArticleMeta, Reference

SIDECAR_NAME = "sources.toml"
SIDECAR_FIELDS = ("title", "published", "author", "outlet", "lang", "url")

# Dates are looked for only in the opening of an article: later dates are events or
# "accessed on" notes of endnotes, not the publication date.
_HEAD_CHARS = 400
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_DOTTED_DATE = re.compile(r"(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)")
_AUTHOR_LINE = re.compile(r"^(?:автор|author|автор статті|by)\s*[:\-–]?\s+(.{3,80})$", re.I)
# "Ergün MAMEDOV": a signature line, a given name and a surname in capitals.
_SIGNATURE = re.compile(r"^([A-ZА-ЯЁІЇЄÇĞİÖŞÜ][\w’'-]+)\s+([A-ZА-ЯЁІЇЄÇĞİÖŞÜ]{2,}[\w’'-]*)$")
_ENDNOTE = re.compile(r"^\[([ivxlcdm]+|\d{1,3})\]\s+(.+)$", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s,;)\]>\"”]+")
_DOMAIN = re.compile(r"\b([a-z0-9-]+\.(?:am|az|ru|ua|com|org|net|info|media|ge|tr|de|eu))\b")
_RUBRICS = {
    "анализ",
    "аналитика",
    "комментарий",
    "мнение",
    "новости",
    "аналіз",
    "analysis",
    "opinion",
}


def extract_meta(text: str, raw: str = "", hints: dict[str, str] | None = None) -> ArticleMeta:
    """Metadata stated in the canonical text, in page banners of the raw text, or carried
    by the file format (hints: HTML/PDF/DOCX metadata)."""
    hints = hints or {}
    paragraphs = text.split("\n\n")
    return ArticleMeta(
        title=hints.get("title") or extract_title(paragraphs),
        published=parse_date(hints.get("date", "")) or extract_date(text[:_HEAD_CHARS]),
        author=hints.get("author") or extract_author(paragraphs),
        outlet=hints.get("sitename") or extract_outlet(text[:_HEAD_CHARS], raw),
        lang=detect_language(text),
        url=hints.get("url"),
        references=extract_references(paragraphs),
    )


def extract_title(paragraphs: list[str]) -> str:
    """First short heading-like paragraph (skipping rubrics like 'Анализ'),
    else the first sentence of the text, shortened."""
    for p in paragraphs[:3]:
        if p.lower() in _RUBRICS:
            continue
        if 3 <= len(p.split()) <= 20 and not p.endswith(".") and not _has_date(p):
            return p
        break
    first = _ISO_DATE.sub("", paragraphs[0] if paragraphs else "").removeprefix(" ")
    first = re.sub(r"^date\s+", "", first.strip(), flags=re.I)
    sentence = re.split(r"(?<=[.!?])\s", first, maxsplit=1)[0]
    return sentence if len(sentence) <= 120 else sentence[:117].rsplit(" ", 1)[0] + "…"


def _has_date(text: str) -> bool:
    return bool(_ISO_DATE.search(text) or _DOTTED_DATE.search(text))


def extract_date(head: str) -> date | None:
    """Publication date from the article's opening: 'date 2025-10-17' or '23.04.2024'."""
    for pattern, order in ((_ISO_DATE, (0, 1, 2)), (_DOTTED_DATE, (2, 1, 0))):
        for match in pattern.finditer(head):
            year, month, day = (int(match.group(i + 1)) for i in order)
            try:
                return date(year, month, day)
            except ValueError:
                continue
    return None


def parse_date(value: str) -> date | None:
    """A date given as 'YYYY-MM-DD' or 'DD.MM.YYYY' (e.g. from HTML metadata)."""
    return extract_date(value) if value else None


def extract_author(paragraphs: list[str]) -> str | None:
    """An 'Автор: …' line, or a signature line such as 'Ergün MAMEDOV'."""
    for p in paragraphs:
        if match := _AUTHOR_LINE.match(p):
            return match.group(1).strip()
    for p in paragraphs:
        if match := _SIGNATURE.match(p):
            return f"{match.group(1)} {match.group(2).title()}"
    return None


def extract_outlet(head: str, raw: str = "") -> str | None:
    """The publishing site's domain, named in the article's opening or in a page banner
    of the raw text ("АРВАК | АРМЯНСКИЙ АНАЛИТИЧЕСКИЙ ЦЕНТР | arvak.am   2")."""
    banners = [line for line in raw.splitlines() if line.count("|") >= 2]
    for candidate in (head, *banners):
        if match := _DOMAIN.search(candidate.lower()):
            return match.group(1)
    return None


def extract_references(paragraphs: list[str]) -> list[Reference]:
    """Endnotes such as '[ii] … https://…', with their first URL."""
    references = []
    for p in paragraphs:
        if match := _ENDNOTE.match(p):
            url = _URL.search(match.group(2))
            references.append(
                Reference(
                    marker=match.group(1), text=match.group(2), url=url.group(0) if url else None
                )
            )
    return references


def load_sidecar(directory: Path) -> dict[str, dict[str, Any]]:
    """sources.toml of a corpus folder: {article_id: {field: value}}. Missing -> {}."""
    path = directory / SIDECAR_NAME
    if not path.exists():
        return {}
    with path.open("rb") as f:
        table = tomllib.load(f)
    for article_id, values in table.items():
        unknown = set(values) - set(SIDECAR_FIELDS)
        if unknown:
            raise ValueError(f"{path}: [{article_id}] has unknown fields {sorted(unknown)}")
    return table


def apply_sidecar(meta: ArticleMeta, overrides: dict[str, Any]) -> ArticleMeta:
    """Metadata with the sidecar's values taking precedence over extracted ones."""
    return meta.model_copy(update={k: v for k, v in overrides.items() if k in SIDECAR_FIELDS})
