"""What a briefing is drafted from: the topic's sentences with their scores, and the
draft being put together (its notes, numbered as they are made, and its warnings)."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.answering.answer import Asker
from assistant.llm.chat import ChatModel
from assistant.prompts import (
    BRIEFING_LABELS,
)
from assistant.text.endnotes import is_endnote
from assistant.text.injection import addressed_to_a_model
from assistant.text.languages import detect_language
from assistant.types import (
    ArticleMeta,
    Citation,
    Passage,
)

MATERIAL = 20  # passages retrieved for the whole topic
PER_ARTICLE = 6  # of those from one article: 20 passages reach at least 4 of the 5 articles
SECTION_PASSAGES = 4  # passages one section call reads
SECTION_SENTENCES = 4  # quoted sentences in an extractive section
SECTION_TOKENS = 320  # a heading and ~4 cited sentences; ~12 s at 26 tok/s on 2 cores
POINTS = 3  # disagreement points at most
CLAIMS_PER_POINT = 3  # sources side by side on one point: what a page row holds
TIMELINE_EVENTS = 8  # dated events at most: the sample corpus's topics date 5-10 events
SENTENCE_FLOOR = 0.06  # quoted sentences score within this of the best one (e5 cosine)


@dataclass
class Sentence:
    """One sentence of the material, with its similarity to the topic."""

    passage: Passage
    start: int  # canonical offsets
    end: int
    score: float

    @property
    def text(self) -> str:
        c = self.passage.chunk
        return c.text[self.start - c.start : self.end - c.start].strip()

    @property
    def key(self) -> tuple[str, int, int]:
        return self.passage.article_id, self.start, self.end


@dataclass
class Draft:
    """A briefing as it is put together: notes are numbered in order of creation here,
    and renumbered in document order at the end."""

    language: str
    notes: list[Citation] = field(default_factory=list)
    index: dict[tuple[str, int, int], int] = field(default_factory=dict)
    metas: dict[str, ArticleMeta] = field(default_factory=dict)
    used: set[tuple[str, int, int]] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)
    translations: dict[str, str | None] = field(default_factory=dict)
    floor: float = 0.0  # sentences scoring below this are not quoted

    def quotable(self, s: Sentence) -> bool:
        """On topic enough, a claim (not an endnote, not addressed to an AI assistant) and
        long enough to say something."""
        return (
            s.score >= self.floor
            and not is_endnote(s.text)
            and len(s.text.split()) >= 6
            and not addressed_to_a_model(s.passage.meta, s.start, s.end)
        )

    def note(self, passage: Passage, start: int, end: int, quote: str) -> int:
        """The number of the note citing this span (one note per distinct span)."""
        key = (passage.article_id, start, end)
        if key not in self.index:
            self.metas[passage.article_id] = passage.meta
            chunk, meta = passage.chunk, passage.meta
            self.notes.append(
                Citation(
                    n=len(self.notes) + 1,
                    article_id=chunk.article_id,
                    title=meta.title,
                    outlet=meta.outlet,
                    date=meta.published,
                    chunk_id=chunk.chunk_id,
                    start=start,
                    end=end,
                    quote=_short(quote),
                )
            )
            self.index[key] = len(self.notes)
        return self.index[key]

    @property
    def labels(self) -> dict[str, str]:
        return BRIEFING_LABELS[self.language]


def _short(quote: str, limit: int = 240) -> str:
    quote = " ".join(quote.split())
    return quote if len(quote) <= limit else quote[:limit].rsplit(" ", 1)[0] + "…"


def briefing_language(topic: str, requested: str | None) -> str:
    """The requested language, else the topic's (en, ru or uk), else English."""
    if requested:
        if requested not in BRIEFING_LABELS:
            raise ValueError(f"Unknown briefing language '{requested}': use en, ru or uk.")
        return requested
    detected = detect_language(topic)
    return detected if detected in BRIEFING_LABELS else "en"


@dataclass
class Writing:
    """What writing the sections needs; model becomes EXTRACTIVE when it fails."""

    asker: Asker
    model: ChatModel
    topic: str
    draft: Draft
    passages: list[Passage]
    material: list[list[Sentence]]


def best_sentences(draft: Draft, material, group, count: int) -> list[Sentence]:
    """The group's best sentences by topic similarity, skipping endnotes, sentences used
    elsewhere in the briefing and near-repeats (chunks overlap)."""
    ranked = sorted((s for i in group for s in material[i]), key=lambda s: -s.score)
    chosen: list[Sentence] = []
    for s in ranked:
        if s.key in draft.used or not draft.quotable(s):
            continue
        if any(repeats(s.text, c.text) for c in chosen):
            continue
        chosen.append(s)
        if len(chosen) == count:
            break
    return chosen


def repeats(a: str, b: str) -> bool:
    words_a, words_b = set(a.lower().split()), set(b.lower().split())
    return len(words_a & words_b) > 0.6 * min(len(words_a), len(words_b))


def according_to(draft: Draft, meta: ArticleMeta) -> str:
    when = f" ({meta.published.isoformat()})" if meta.published else ""
    return draft.labels["according_to"].format(source=meta.source_label) + when
