"""One check pipeline for everything a model writes: an ordered list of small checks.

Each piece of model output is a `Written`: its text, the texts it restates (the original
sentence of a translation; the evidence, translated, that a lead sentence cites or a
section heading names), and the language it must be in. `run()` applies, in order, the
checks of its kind and returns the ones that fired, each with a reason for a person; the
caller decides what a firing means (a translation is retried, then flagged; a lead
sentence is left out; a heading gives way to what its section's quotes share). Answers,
lookups (through their translations) and briefings all go through it.

Every check counts how often it fires in this process (`fired()`); the answers
benchmark prints the counts.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from assistant import citations as cites
from assistant.prompts import LANGUAGE_NAMES, TRANSLATE_SYSTEM
from assistant.text.entities import cyrillic_names, is_known_source, named_sources
from assistant.text.languages import detect_language
from assistant.text.translit import to_cyrillic
from assistant.types import Finding, Written

# A translation has at least this share of its original's words: one that has fewer is
# not a translation (the model answered the sentence instead, e.g. with one word).
MIN_LENGTH_RATIO = 0.4
# A reply whose words are more than this share the instructions' is no translation.
PROMPT_ECHO = 0.6
# A section heading is a short phrase: "Putin's apology for the downed plane".
HEADING_WORDS = 8

_DIGITS = re.compile(r"\d+")
_LATIN_NAME = re.compile(r"\b[A-Z][A-Za-z]{2,}\b")
_LATIN_WORD = re.compile(r"\b[A-Za-z][A-Za-z]+\b")


@dataclass(frozen=True)
class Check:
    name: str
    kinds: frozenset[str]
    test: Callable[[Written], str | None]
    """The reason it fires, or None."""


def _cites_something(w: Written) -> str | None:
    return None if w.sources else "cites no evidence"


def _is_a_translation(w: Written) -> str | None:
    original = w.sources[0] if w.sources else ""
    if len(w.text.split()) < MIN_LENGTH_RATIO * len(original.split()):
        return "not translated: the model's reply was not a translation"
    if _echoes_the_prompt(w.text, original):
        return "not translated: the model repeated its instructions instead"
    return None


def _echoes_the_prompt(text: str, original: str) -> bool:
    """Most of the reply's words are those of the translation instructions and not of
    the original: the model restated its prompt ("it is data, not a message to you")."""
    words = set(_LATIN_WORD.findall(text.lower()))
    prompt = set(_LATIN_WORD.findall(TRANSLATE_SYSTEM.lower())) - set(original.lower().split())
    return len(words) >= 5 and len(words & prompt) > PROMPT_ECHO * len(words)


def _in_language(w: Written) -> str | None:
    if w.kind == "heading" and _is_latin(w.text) != (w.language == "en"):
        return f"not written in {LANGUAGE_NAMES[w.language]}"
    if w.kind == "heading" and w.language == "en":
        return None  # a few names in Latin letters: too short to tell English apart
    if detect_language(cites.strip_markers(w.text), default=w.language) == w.language:
        return None
    if w.kind == "translation":
        return f"the machine translation may not be in {LANGUAGE_NAMES[w.language]}"
    return f"not written in {LANGUAGE_NAMES[w.language]}"


def _keeps_facts(w: Written) -> str | None:
    lost = lost_facts(w.sources[0], w.text) if w.sources else []
    if lost:
        return "the machine translation may have dropped or changed: " + ", ".join(lost[:5])
    return None


def _held_by_evidence(w: Written) -> str | None:
    check = cites.check_lead_sentence(w.text, list(w.sources), w.language, w.allowed)
    if check.missing_numbers:
        return "numbers its evidence lacks: " + ", ".join(check.missing_numbers)
    if not check.is_held:
        return f"its evidence holds {check.coverage:.0%} of its words"
    return None


def _short_phrase(w: Written) -> str | None:
    words = w.text.split()
    if not 1 <= len(words) <= HEADING_WORDS:
        return f"a heading of {len(words)} words (at most {HEADING_WORDS})"
    if w.text.rstrip()[-1:] in ".!?" or cites.parse_markers(w.text):
        return "a sentence, not a heading"
    return None


def _names_known_sources(w: Written) -> str | None:
    """Who it says it reports ("according to X", "X reported") must be a source it
    cites, or named in the evidence: anything else is a made-up outlet."""
    known = (*w.outlets, *w.sources)
    made_up = [n for n in named_sources(w.text) if not is_known_source(n, known)]
    return f"names a source it does not cite: {', '.join(made_up)}" if made_up else None


CHECKS: tuple[Check, ...] = (
    Check("cites evidence", frozenset({"lead", "heading"}), _cites_something),
    Check("is a translation", frozenset({"translation"}), _is_a_translation),
    Check("a short phrase", frozenset({"heading"}), _short_phrase),
    Check("in the reader's language", frozenset({"translation", "lead", "heading"}), _in_language),
    Check("keeps numbers and names", frozenset({"translation"}), _keeps_facts),
    Check("names only sources it cites", frozenset({"lead", "heading"}), _names_known_sources),
    Check("held by its evidence", frozenset({"lead", "heading"}), _held_by_evidence),
)

_FIRED: Counter[str] = Counter()
_RAN: Counter[str] = Counter()
_LOCK = threading.Lock()


def run(written: Written, checks: tuple[Check, ...] = CHECKS) -> list[Finding]:
    """The checks of its kind that fire, in order (empty: it holds)."""
    findings = []
    for check in checks:
        if written.kind not in check.kinds:
            continue
        reason = check.test(written)
        with _LOCK:
            _RAN[check.name] += 1
            _FIRED[check.name] += reason is not None
        if reason is not None:
            findings.append(Finding(check.name, reason))
    return findings


def fired() -> dict[str, tuple[int, int]]:
    """{check: (times it fired, times it ran)} in this process, in pipeline order."""
    with _LOCK:
        return {c.name: (_FIRED[c.name], _RAN[c.name]) for c in CHECKS if _RAN[c.name]}


def lost_facts(original: str, translation: str) -> list[str]:
    """Digits and names of the original that the translation lacks.

    Digit runs must reappear exactly. Latin-script names must reappear verbatim. A
    Cyrillic name (a capitalised word inside the sentence) must be matched by a
    capitalised Latin word that spells the same first letter (Путин ~ Putin, Баку ~ Baku):
    loose on purpose, since exonyms differ (Россия ~ Russia), but it catches a dropped name."""
    lost = [d for d in dict.fromkeys(_DIGITS.findall(original)) if d not in translation]
    words_out = set(_LATIN_WORD.findall(translation))
    lost += [n for n in dict.fromkeys(_LATIN_NAME.findall(original)) if n not in words_out]
    if _is_latin(translation):
        initials = {to_cyrillic(w)[:1] for w in words_out if w[:1].isupper()}
        for name in dict.fromkeys(cyrillic_names(original)):
            if name[:1].lower().replace("і", "и").replace("ї", "и") not in initials:
                lost.append(name)
    return lost


def _is_latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isascii() for c in letters) > 0.8 * len(letters)
