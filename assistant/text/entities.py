"""Names in a sentence, and the sources a sentence says it is reporting.

- `names` finds the capitalised words inside a sentence (persons, places, organisations);
  `name_key` folds a Russian or Ukrainian name to its dictionary form, so «Путина»,
  «Путін» and «Путин» are one name; `in_script` writes a name for a reader of the
  briefing's language (Latin letters for English).
- `named_sources` finds who a sentence attributes itself to ("according to X", "X
  reported", «по данным X»): a name there that is neither a source of the corpus nor in
  the text the sentence rests on is a made-up outlet.
"""

from __future__ import annotations

import re

from unidecode import unidecode

from assistant.text.lexical import morphology

_WORD = re.compile(r"[\w'’-]+")
_CYRILLIC_CAPITAL = re.compile(r"[А-ЯЁІЇЄҐ][а-яёіїєґ'’-]{3,}$")
_LATIN_CAPITAL = re.compile(r"[A-Z][a-z'’-]{2,}$")
_OPENERS = ".!?…:\n"
_UK_LETTERS = re.compile(r"[іїєґІЇЄҐ]")
# Capitalised in English without being names.
_NOT_NAMES_TEXT = """
January February March April May June July August September October November December
Monday Tuesday Wednesday Thursday Friday Saturday Sunday The This That These Those However
According
"""
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())
_NAME_GRAMMEMES = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn"})
_UK_FOLD = str.maketrans({"і": "и", "ї": "и", "є": "е", "ґ": "г", "ё": "е", "'": "", "’": ""})

_NAME = r"(?:the\s+)?((?:[A-Z][\w&.'’-]*)(?:\s+(?:of\s+)?[A-Z][\w&.'’-]*){0,4})"
_CYR_NAME = r"(«[^»]{2,60}»|[А-ЯЁІЇЄҐA-Z][\w&.'’-]*(?:\s+[А-ЯЁІЇЄҐA-Z][\w&.'’-]*){0,4})"
_SOURCE_FRAMES = (
    re.compile(rf"\b(?:[Aa]ccording to|[Rr]eported by|[Cc]ited by|[Qq]uoting)\s+{_NAME}"),
    re.compile(
        rf"{_NAME}\s+(?:news agency|agency|newspaper|outlet|reports|reported|writes|wrote|"
        r"claims|claimed)\b"
    ),
    re.compile(
        r"\b(?:[Tt]he\s+)?((?:[A-Z][\w&'’-]*\s+){0,3}"
        r"(?:Herald|Times|News|Post|Agency|Gazette|Journal|Daily|Tribune|Telegraph|Observer|"
        r"Review|Press|Today|Weekly|Chronicle|Monitor))\b"
    ),
    re.compile(
        r"(?:[Пп]о данным|[Кк]ак сообщает|[Кк]ак пишет|[Сс]ообщает|[Пп]ишет|[Аа]гентство|"
        r"[Ии]здание|[Гг]азета|[Зз]а даними|[Яя]к повідомляє|[Пп]овідомляє|[Пп]ише|"
        rf"[Аа]генція|[Аа]гентство|[Вв]идання|[Гг]азета)\s+{_CYR_NAME}"
    ),
)


def names(text: str) -> list[str]:
    """Capitalised words that do not open a sentence (Cyrillic of 4+ letters, Latin of
    3+), in the order they appear: names, mostly. Capitalised words in a row are one
    name ("Владимира Путина", "South Caucasus")."""
    found: list[str] = []
    last_end = -1
    for match in _WORD.finditer(text):
        before = text[: match.start()].rstrip(' «"“(')
        opens = not before or before[-1] in _OPENERS
        word = match.group()
        named = _CYRILLIC_CAPITAL.match(word) or _LATIN_CAPITAL.match(word)
        if (
            named
            and word not in _NOT_NAMES
            and found
            and last_end >= 0
            and (text[last_end : match.start()] == " ")
        ):
            found[-1] += " " + word
            last_end = match.end()
        elif named and word not in _NOT_NAMES and not opens:
            found.append(word)
            last_end = match.end()
        else:
            last_end = -1
    return found


def cyrillic_names(text: str) -> list[str]:
    """The words of `names` written in Cyrillic."""
    return [w for n in names(text) for w in n.split() if _CYRILLIC_CAPITAL.match(w)]


def dictionary_form(name: str, lang: str) -> str:
    """A Cyrillic name in its dictionary form, capitalised («Владимира Путина» ->
    «Владимир Путин»), word by word, by pymorphy3 in the word's language (Ukrainian when
    it has і, ї, є or ґ); Latin as is."""
    if " " in name:
        return " ".join(dictionary_form(w, lang) for w in name.split())
    if not _CYRILLIC_CAPITAL.match(name):
        return name
    language = "uk" if lang == "uk" or _UK_LETTERS.search(name) else "ru"
    parsed = morphology(language).parse(name)
    # The first reading as a name (a first name, surname, place or organisation).
    named = (p for p in parsed if _NAME_GRAMMEMES & set(p.tag.grammemes))
    form = next(named, parsed[0]).normal_form
    return form[:1].upper() + form[1:]


def is_proper_name(name: str, lang: str) -> bool:
    """True for a Latin name, or a Cyrillic one that pymorphy3 reads as a first name,
    surname, patronymic, place or organisation in any word («Центр», «Близкие» are not)."""
    words = [w for w in name.split() if _CYRILLIC_CAPITAL.match(w)]
    if not words:
        return True
    for word in words:
        # The Ukrainian dictionary tags persons but not places: a Ukrainian word is also
        # read as Russian, its letters folded («Україна» ~ «Украина»).
        readings = morphology("ru").parse(word.translate(_UK_FOLD))
        if lang == "uk" or _UK_LETTERS.search(word):
            readings = morphology("uk").parse(word) + readings
        if any(_NAME_GRAMMEMES & set(p.tag.grammemes) for p in readings):
            return True
    return False


def proper_names(text: str, lang: str) -> list[str]:
    """The names of `names` cut to their runs of proper names: «Сергій Данилов Вибачення
    Путіна» (a name, then a title in capitals) gives «Сергій Данилов» and «Путіна»;
    «Южного Кавказа» gives «Кавказа»."""
    runs: list[str] = []
    for name in names(text):
        run: list[str] = []
        for word in [*name.split(), ""]:
            if word and is_proper_name(word, lang):
                run.append(word)
            elif run:
                runs.append(" ".join(run))
                run = []
    return runs


def name_key(name: str, lang: str) -> str:
    """What two spellings of one name share: the dictionary form of its last word (the
    surname: «Владимира Путина» ~ «Путин»), lower-cased, Ukrainian letters folded to
    Russian ones (Алієв ~ Алиев)."""
    return dictionary_form(name.split()[-1], lang).lower().translate(_UK_FOLD)


def in_script(name: str, language: str) -> str:
    """The name as a reader of `language` reads it: in Latin letters for English."""
    if language == "en" and not name.isascii():
        return unidecode(name)
    return name


def named_sources(text: str) -> list[str]:
    """The names a sentence attributes itself to: "according to X", "X reported", "the X
    Herald", «по данным X», «повідомляє X»."""
    found = []
    for frame in _SOURCE_FRAMES:
        for match in frame.finditer(text):
            name = re.sub(r"^[Tt]he\s+", "", match.group(1).strip(" «».,"))
            if name and name.lower() not in ("the", "it", "they", "он", "она", "він", "вона"):
                found.append(name)
    return list(dict.fromkeys(found))


def is_known_source(name: str, known: tuple[str, ...] | list[str]) -> bool:
    """True when every word of the name is a word of a known source's name or of the
    text the sentence rests on (spelled in any script: ARVAK ~ АРВАК)."""
    words = {w for text in known for w in _words(text)}
    return all(w in words for w in _words(name))


def _words(text: str) -> set[str]:
    return {unidecode(w).lower() for w in _WORD.findall(text) if len(w) > 2}
