"""Pure citation logic: parse the [n] markers an answer carries, drop the ones that point
at no passage, renumber the rest 1..k, and check each cited sentence against its passage.

The generator shows the model passages numbered [1]..[k]; whatever the model writes
back passes through `resolve` before a reader sees it, so no phantom citation ever
reaches the user. Nothing here does I/O: languages are detected by the caller
(`assistant.text.languages.detect_language`) and passed in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from razdel import sentenize

from assistant.text.lexical import tokenize

MAX_NUMBER = 99
"""No answer cites more passages than this; a larger number is always a phantom."""

_OPEN, _CLOSE = r"[\[［【]", r"[\]］】]"
_GAP = r"[^\S\n]*"  # horizontal whitespace only: a marker never spans lines
_DASH = rf"{_GAP}[-‐‑‒–—−]{_GAP}"
_SEP = rf"{_GAP}(?:[,;，；、]|[^\S\n](?:and|и|та|і|&)[^\S\n]){_GAP}"
_RANGE_RE = re.compile(rf"(\d{{1,3}})(?:{_DASH}(\d{{1,3}}))?")
_ITEM = rf"\d{{1,3}}(?:{_DASH}\d{{1,3}})?"
# A group is [1], [1, 2], [1; 3], [1 и 3], [1-3]; four digits ([2025]) are a year, and "("
# right after the bracket makes a Markdown link. Groups separated by spaces or one comma
# or semicolon ([1][2], [1] [2], [1], [2]) form one marker.
_GROUP_BODY = rf"{_OPEN}{_GAP}{_ITEM}(?:{_SEP}{_ITEM})*{_GAP}{_CLOSE}"
_GROUP = rf"{_GROUP_BODY}(?!\()"
_MARKER = re.compile(rf"{_GROUP}(?:{_GAP}(?:[,;]{_GAP})?{_GROUP})*")
_HSPACE = re.compile(_GAP)
# What a stream must hold back: a tail that more text could still turn into (part of) a
# marker, merge with one, or tidy away when a phantom marker is removed.
_PARTIAL = rf"{_OPEN}(?:[\[［【\d,;，；、&\-‐‑‒–—−andиіта \t\u00a0]|{_GROUP_BODY})*"
_UNSETTLED = re.compile(rf"(?:{_GROUP_BODY}|[,;(]|[^\S\n])*(?:{_PARTIAL})?\Z")
_CLOSERS = frozenset('.,;:!?…)]}»"”’')
_BULLET = re.compile(r"[^\S\n]*(?:[-*•–—][^\S\n]+|\d{1,2}[.)][^\S\n]+)?")


@dataclass(frozen=True)
class Marker:
    """One citation marker as written: text[start:end], citing `numbers` in written order
    (ranges expanded, duplicates kept, nothing checked against the passages yet)."""

    start: int
    end: int
    numbers: tuple[int, ...]


@dataclass(frozen=True)
class Resolved:
    """An answer whose markers all point at real passages, numbered by first use."""

    text: str
    """The answer with every marker canonical ("[1]", or "[1][3]" for several, ascending),
    phantom-only markers removed; each number is between 1 and len(order)."""
    order: list[int]
    """order[n - 1] is the 0-based index, among the passages given to the model, that
    marker [n] of `text` cites."""
    phantoms: list[int]
    """Numbers the model wrote that point at no passage, distinct, in order of first use."""


def _expand(low: int, high: int | None) -> list[int]:
    """The numbers of one item: n, or the range low..high in ascending order whichever
    way it was written, with no number above MAX_NUMBER except the endpoint as written."""
    if high is None:
        return [low]
    low, high = min(low, high), max(low, high)
    return list(range(low, min(high, MAX_NUMBER) + 1)) + [
        n for n in dict.fromkeys((low, high)) if n > MAX_NUMBER
    ]


def parse_markers(text: str) -> list[Marker]:
    """Every citation marker of text, in order. Roman endnotes ([i]), words ([sic]), years
    ([2025]) and Markdown links ([1](url)) are not markers."""
    markers = []
    for match in _MARKER.finditer(text):
        numbers = [
            n
            for low, high in _RANGE_RE.findall(match.group())
            for n in _expand(int(low), int(high) if high else None)
        ]
        markers.append(Marker(match.start(), match.end(), tuple(numbers)))
    return markers


def strip_markers(text: str) -> str:
    """text with every marker replaced by one space (for word counting, not for display)."""
    return _MARKER.sub(" ", text)


def _renumber(
    numbers: Sequence[int], n_passages: int, new_of: dict[int, int], phantoms: list[int]
) -> list[int]:
    """The new numbers of a marker's real passages, ascending and distinct; records first
    uses in new_of (original -> new) and phantoms in phantoms."""
    kept = set()
    for n in numbers:
        if 1 <= n <= n_passages:
            kept.add(new_of.setdefault(n, len(new_of) + 1))
        elif n not in phantoms:
            phantoms.append(n)
    return sorted(kept)


def _seam(out: str, text: str, pos: int) -> tuple[str, int]:
    """Join out to text[pos:] where a marker was removed, leaving no doubled space, no
    space before punctuation and no empty "()"; returns the new out and pos."""
    if out.endswith("(") and text.startswith(")", pos):
        out, pos = out[:-1], pos + 1
    trimmed = out.rstrip(" \t\u00a0")
    following = text[pos : pos + 1]
    if not following or following == "\n" or following in _CLOSERS:
        return trimmed, pos
    if not trimmed or trimmed.endswith("\n"):  # the marker opened a line
        return out, _HSPACE.match(text, pos).end()
    if following.isspace():
        return trimmed, pos
    if out[-1].isalnum() and following.isalnum():
        return out + " ", pos
    return out, pos


def _resolve_once(text: str, n_passages: int) -> Resolved:
    """One pass of resolve: rewrite each marker as parsed, remove phantom-only ones."""
    new_of: dict[int, int] = {}
    phantoms: list[int] = []
    out, pos = "", 0
    for marker in parse_markers(text):
        out += text[pos : marker.start]
        kept = _renumber(marker.numbers, n_passages, new_of, phantoms)
        if kept:
            out, pos = out + "".join(f"[{n}]" for n in kept), marker.end
        else:
            out, pos = _seam(out, text, marker.end)
    out += text[pos:]
    return Resolved(out, [n - 1 for n in new_of], phantoms)


def resolve(text: str, n_passages: int) -> Resolved:
    """Rewrite the answer's markers for passages numbered 1..n_passages: phantom numbers
    (0, above n_passages) are dropped and reported, the rest renumbered by first use and
    written canonically. Resolving a resolved text changes nothing."""
    resolved = _resolve_once(text, n_passages)
    # A removal can make neighbours meet ("[1] ([7]) [2]" -> "[1] [2]"), so repeat until
    # the text is stable; later passes number the earlier pass's citations.
    while (again := _resolve_once(resolved.text, len(resolved.order))).text != resolved.text:
        resolved = Resolved(
            again.text,
            [resolved.order[i] for i in again.order],
            list(dict.fromkeys(resolved.phantoms + again.phantoms)),
        )
    return resolved


class MarkerStream:
    """resolve() applied to text arriving in pieces: feed() returns what can be shown now,
    close() the rest. Everything shown is a resolved text, so it never shows a phantom, and
    together they return resolve(whole text).text: only the settled part is resolved, and
    renumbering by first use depends on nothing later. (Nested brackets next to a Markdown
    link, like "[2]([12])", can stop the stream early; show Answer.answer at the end.)"""

    def __init__(self, n_passages: int) -> None:
        self.n_passages = n_passages
        self.raw = ""
        self.shown = ""

    def feed(self, piece: str) -> str:
        """The newly settled text, resolved; a possible marker at the end is held back."""
        self.raw += piece
        tail = _UNSETTLED.search(self.raw[-300:])
        settled = self.raw[: len(self.raw) - (len(tail.group()) if tail else 0)]
        return self._show(resolve(settled, self.n_passages).text)

    def close(self) -> str:
        """Everything not shown yet, once the text is complete."""
        return self._show(resolve(self.raw, self.n_passages).text)

    def _show(self, text: str) -> str:
        if not text.startswith(self.shown):  # text already shown cannot be taken back
            return ""
        new, self.shown = text[len(self.shown) :], text
        return new


def _masked(text: str) -> str:
    """text with markers blanked out, same length, so the sentence splitter sees
    "упала.[1] Погибли" as the boundary it is."""
    return _MARKER.sub(lambda m: " " * len(m.group()), text)


def _raw_sentences(text: str) -> list[list[int]]:
    """Sentence spans of marker-free text: razdel within each line, bullets left out."""
    spans = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start() + _BULLET.match(line.group()).end()
        for sentence in sentenize(text[start : line.end()]):
            if sentence.text:
                spans.append([start + sentence.start, start + sentence.stop])
    return spans


def _attach(text: str, spans: list[list[int]], marker: Marker) -> None:
    """Give a marker lying between sentences to the one before it on its line, else to
    the one after it on its line, else to the one before it, else its own span."""
    before = [s for s in spans if s[1] <= marker.start]
    after = [s for s in spans if s[0] >= marker.end]
    prev, nxt = (before[-1] if before else None), (after[0] if after else None)
    prev_on_line = prev is not None and "\n" not in text[prev[1] : marker.start]
    next_on_line = nxt is not None and "\n" not in text[marker.end : nxt[0]]
    if prev is not None and (prev_on_line or not next_on_line):
        prev[1] = marker.end
    elif nxt is not None:
        nxt[0] = marker.start
    else:
        spans.append([marker.start, marker.end])


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of text, in order. Newlines always end a sentence, a
    list bullet is not part of it, and markers after the full stop ("... text. [2]")
    belong to the sentence they follow."""
    spans = _raw_sentences(_masked(text))
    for marker in parse_markers(text):
        if not any(s <= marker.start and marker.end <= e for s, e in spans):
            _attach(text, spans, marker)
    return sorted((s, e) for s, e in spans)


def numbers_in_order(texts: Sequence[str]) -> list[int]:
    """Every number the texts' markers cite, once each, in order of first use."""
    seen: dict[int, None] = {}
    for text in texts:
        for marker in parse_markers(text):
            seen.update(dict.fromkeys(marker.numbers))
    return list(seen)


def renumber(text: str, new_of: dict[int, int]) -> str:
    """text with each marker's numbers mapped through new_of and written canonically
    ([2][5]); numbers new_of lacks are dropped, and a marker left empty with them."""
    out, pos = "", 0
    for marker in parse_markers(text):
        out += text[pos : marker.start]
        kept = sorted({new_of[n] for n in marker.numbers if n in new_of})
        if kept:
            out, pos = out + "".join(f"[{n}]" for n in kept), marker.end
        else:
            out, pos = _seam(out, text, marker.end)
    return out + text[pos:]


LEAD_SUPPORT = 0.75
"""Share of a lead sentence's content stems that the evidence it cites must hold. A lead
restates evidence in the same language (the translations), so a faithful sentence holds
nearly all its words; what it may add is connective wording and attribution
(ATTRIBUTION_WORDS, the cited sources' names and dates)."""

_ATTRIBUTION_TEXT = """
    according evidence say says said report reports reported write writes wrote state states
    stated claim claims claimed note notes noted argue argues argued add adds added source
    sources article articles author outlet also both while whereas however
    по данным сообщает сообщают пишет пишут заявляет заявил отмечает утверждает считает
    источник источники статья автор также оба тогда как однако
    за даними повідомляє пишуть пише заявляє заявив зазначає стверджує вважає джерело
    джерела стаття автор також обидва тоді як однак"""
ATTRIBUTION_WORDS = frozenset(_ATTRIBUTION_TEXT.split())
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
SAME_NAME = 0.5
"""Trigram overlap (Jaccard) at which two words are one name spelled two ways: a machine
translation writes "Aliiev" where the lead, like the question, writes "Aliyev"."""


def _spelled_like(word: str, held: set[str]) -> bool:
    if len(word) < 5:
        return False
    grams = _trigrams(word)
    return any(len(grams & (g := _trigrams(h))) / len(grams | g) >= SAME_NAME for h in held)


_SOUNDS_ALIKE = str.maketrans("yjй", "iiи")


def _trigrams(word: str) -> set[str]:
    """Trigrams of a word spelled loosely: y/j as i, doubled letters once ("Aliyev" and
    "Aliiev" both give "aliev")."""
    word = re.sub(r"(.)\1+", r"\1", word.translate(_SOUNDS_ALIKE))
    padded = f"^{word}$"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


@dataclass(frozen=True)
class LeadCheck:
    """Whether one lead sentence is held by the evidence it cites, and what is missing."""

    is_held: bool
    coverage: float
    """Share of the sentence's content stems found in the cited evidence (or allowed)."""
    missing_numbers: tuple[str, ...]
    missing_words: tuple[str, ...]


def check_lead_sentence(
    sentence: str, cited: Sequence[str], lang: str, allowed: Sequence[str] = ()
) -> LeadCheck:
    """Check a lead sentence against the texts of the evidence it cites, all in `lang`:
    every number must be there, and at least LEAD_SUPPORT of its content stems, counting
    the stems of `allowed` (the cited sources' names, their dates) and ATTRIBUTION_WORDS
    as held. A sentence citing nothing, or with no content word, is not held."""
    text = strip_markers(sentence)
    held_text = " ".join(cited)
    numbers = tuple(n for n in dict.fromkeys(_NUMBER.findall(text)) if n not in held_text)
    words = set(tokenize(text, lang))
    if not cited or not words:
        return LeadCheck(False, 0.0, numbers, tuple(sorted(words)))
    held = set(tokenize(held_text, lang)) | set(tokenize(" ".join(allowed), lang))
    held |= set(tokenize(" ".join(ATTRIBUTION_WORDS), lang))
    missing = tuple(
        sorted(w for w in words - held if not w.isdigit() and not _spelled_like(w, held))
    )
    counted = [w for w in words if not w.isdigit()]
    coverage = 1 - len(missing) / len(counted) if counted else 1.0
    return LeadCheck(not numbers and coverage >= LEAD_SUPPORT, round(coverage, 3), numbers, missing)


def with_markers(sentence: str, numbers: Sequence[int]) -> str:
    """The sentence with [n] markers for `numbers` before its closing punctuation:
    "Talks resumed." -> "Talks resumed [1][3]."; the sentence alone without numbers."""
    text = sentence.rstrip()
    marks = "".join(f"[{n}]" for n in dict.fromkeys(numbers))
    if not marks:
        return text
    end = len(text.rstrip(".!?…'\"’”» "))
    return f"{text[:end]} {marks}{text[end:]}"
