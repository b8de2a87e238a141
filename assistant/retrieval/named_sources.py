"""Which article a question names as its source, if it names exactly one.

Analysts ask "according to ARVAK, when…", "що пише автор статті «…»" or "how does the
Ukrainian summary describe…". Such a question is about that source's account, so search
ranks its passages first and an answer reads only them. Only evidence that can be checked
against the store counts, never a guess from similarity:

- a name of the source: the author's surname, an acronym in the outlet's name (АРВАК), or
  the outlet's web domain (arvak.am), in any script ("ARVAK" meets "АРВАК");
- a quotation in the question, of at least QUOTE_WORDS words, that only one article
  contains (a quoted title);
- a language adjective next to a word for a source ("the Ukrainian summary", "украинского
  издания"), when only one article is in that language;
- a nationality next to a word for a source ("the Armenian analysts", "армянского центра"),
  when only one article's outlet carries that nationality in its name (Армянский
  аналитический центр).

A question that points to two articles, or to none, names none. Descriptions such as "the
pro-Kremlin piece" are not resolved: nothing in the metadata records an outlet's stance.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache

from assistant.text.lexical import QUOTED
from assistant.text.translit import to_cyrillic
from assistant.types import ArticleMeta

QUOTE_WORDS = 3  # a shorter quotation is too likely to be a phrase every article uses
INFLECTION = 3  # letters a name may gain as a declined word ("АРВАКа", "Мамедова")

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_ACRONYM = re.compile(r"\b[A-ZА-ЯЁІЇЄҐ]{3,}\b")
_DOMAIN = re.compile(r"\b([a-z0-9-]{3,})\.[a-z]{2,6}\b", re.IGNORECASE)
_SOURCE_NOUNS = (
    r"summary|article|piece|outlet|publication|source|text|commentary|report|analysis|media"
    r"|authors?|автор(?:а|у|ові|ом|е|і|ы|и|ов|ів|ам|ами|ах)?"
    r"|издани\w*|стать\w*|материал\w*|источник\w*|публикаци\w*|комментари\w*|СМИ"
    r"|видання|статт\w*|матеріал\w*|джерел\w*|публікаці\w*|коментар\w*|ЗМІ"
)
_SOURCE_NOUN = rf"(?:{_SOURCE_NOUNS})"
_LANGUAGE_ADJECTIVES = {
    "uk": r"ukrainian|украинск\w*|украиноязычн\w*|українськ\w*|україномовн\w*",
    "ru": r"russian-language|русскоязычн\w*|російськомовн\w*",
    "en": r"english|английск\w*|англоязычн\w*|англійськ\w*|англомовн\w*",
}

# Nationalities an outlet's name may carry, in English, Russian and Ukrainian.
_NATIONALITIES = {
    "am": r"armenian|армянск\w*|вірменськ\w*",
    "az": r"azerbaijani|azeri|азербайджанск\w*|азербайджанськ\w*",
    "ru": r"russian|российск\w*|русск\w*|російськ\w*",
    "uk": r"ukrainian|украинск\w*|українськ\w*",
    "ge": r"georgian|грузинск\w*|грузинськ\w*",
    "tr": r"turkish|турецк\w*|турецьк\w*",
    "ir": r"iranian|иранск\w*|іранськ\w*",
}
_OUTLET_NOUN = (
    rf"(?:{_SOURCE_NOUNS}|analysts?|cent(?:re|er)|think[- ]tank|experts"
    r"|аналитик\w*|центр\w*|эксперт\w*|аналітик\w*|експерт\w*)"
)

_DESCRIBED = {
    language: re.compile(rf"\b(?:{adjective})\s+(?:\w+\s+){{0,2}}?{_SOURCE_NOUN}\b", re.IGNORECASE)
    for language, adjective in _LANGUAGE_ADJECTIVES.items()
}


_OUTLET_DESCRIBED = {
    nation: re.compile(rf"\b(?:{adjective})\s+(?:\w+\s+){{0,2}}?{_OUTLET_NOUN}", re.IGNORECASE)
    for nation, adjective in _NATIONALITIES.items()
}
_IN_OUTLET = {
    nation: re.compile(rf"\b(?:{adjective})", re.IGNORECASE)
    for nation, adjective in _NATIONALITIES.items()
}


def named_article(
    question: str, metas: Mapping[str, ArticleMeta], texts: Mapping[str, str]
) -> str | None:
    """The one article the question names as its source (by name, quoted text or
    language), else None. texts are the articles' canonical texts by article id."""
    named = (
        _by_name(question, metas)
        | _by_quotation(question, texts)
        | _by_language(question, metas)
        | _by_nationality(question, metas)
    )
    return named.pop() if len(named) == 1 else None


def source_names(meta: ArticleMeta) -> frozenset[str]:
    """Distinctive names of a source, in a comparable (lower-case, Cyrillic) form."""
    return _names(meta.author, meta.outlet, meta.url)


@lru_cache(maxsize=4096)
def _names(author: str | None, outlet: str | None, url: str | None) -> frozenset[str]:
    names = set()
    if author:
        names.add(author.split()[-1])
    if outlet:
        names.update(_ACRONYM.findall(outlet))
        names.update(_DOMAIN.findall(outlet))
    if url:
        names.update(_DOMAIN.findall(url)[:1])
    return frozenset(_comparable(n) for n in names if len(n) >= 3)


def _by_name(question: str, metas: Mapping[str, ArticleMeta]) -> set[str]:
    words = [_comparable(w) for w in _WORD.findall(question)]
    return {
        article_id
        for article_id, meta in metas.items()
        for name in source_names(meta)
        if any(w.startswith(name) and len(w) - len(name) <= INFLECTION for w in words)
    }


def _by_quotation(question: str, texts: Mapping[str, str]) -> set[str]:
    found: set[str] = set()
    for quoted in QUOTED.findall(question):
        inner = _normalise(quoted[1:-1])
        if len(inner.split()) < QUOTE_WORDS:
            continue
        holders = {a for a, text in texts.items() if inner in _normalised_article(text)}
        if len(holders) == 1:
            found |= holders
    return found


def _by_language(question: str, metas: Mapping[str, ArticleMeta]) -> set[str]:
    return _the_one_described(question, metas, _DESCRIBED, lambda lang, m: m.lang == lang)


def _by_nationality(question: str, metas: Mapping[str, ArticleMeta]) -> set[str]:
    return _the_one_described(
        question,
        metas,
        _OUTLET_DESCRIBED,
        lambda nation, m: bool(m.outlet and _IN_OUTLET[nation].search(m.outlet)),
    )


def _the_one_described(
    question: str,
    metas: Mapping[str, ArticleMeta],
    descriptions: Mapping[str, re.Pattern],
    fits: Callable[[str, ArticleMeta], bool],
) -> set[str]:
    """For each description the question uses, the article that fits it, when only one does."""
    found: set[str] = set()
    for key, described in descriptions.items():
        if described.search(question):
            fitting = [a for a, meta in metas.items() if fits(key, meta)]
            if len(fitting) == 1:
                found.add(fitting[0])
    return found


def _comparable(word: str) -> str:
    word = word.lower()
    return to_cyrillic(word) if re.fullmatch(r"[a-z'’-]+", word) else word


@lru_cache(maxsize=4096)
def _normalised_article(text: str) -> str:
    """_normalise(text), once per article text (the store hands out the same strings)."""
    return _normalise(text)


def _normalise(text: str) -> str:
    return " ".join(re.sub(r"[«»“”„\"']", " ", text).split()).lower()
