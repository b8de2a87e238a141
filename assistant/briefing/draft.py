"""Topic -> Briefing, drafted from the corpus with every sentence traceable to a note.

Material is retrieved once for the whole topic and grouped into subtopics (the outline).
Each section is written from its own group: by the model, one bounded call per section,
or, with no model, as quoted sentences grouped by source. Points where sources disagree
set each source's own sentence side by side; dated sentences make the timeline. Every
[n] the model writes is validated as in answers (phantoms dropped, support checked),
then all notes are renumbered in document order and listed with their sources.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import numpy as np

from assistant.answering.answer import Asker
from assistant.answering.excerpts import score_sentences
from assistant.briefing.assemble import assemble
from assistant.briefing.material import (
    MATERIAL,
    PER_ARTICLE,
    SENTENCE_FLOOR,
    Draft,
    Sentence,
    Writing,
    briefing_language,
)
from assistant.briefing.outline import group_passages, key_terms
from assistant.briefing.points import disagreements, timeline, translate_claims
from assistant.briefing.sections import quoted_section, written_section
from assistant.embedding import VectorCache, embed_passages_cached
from assistant.llm.chat import EXTRACTIVE, LLMError
from assistant.retrieval.search import retrieve
from assistant.types import (
    Briefing,
    BriefingSection,
    Filters,
    Passage,
    Progress,
)

# -- the whole briefing ------------------------------------------------------------------


def draft_briefing(
    asker: Asker,
    topic: str,
    language: str | None = None,
    sections: int = 4,
    filters: Filters | None = None,
) -> Iterator[Progress | Briefing]:
    """Yield Progress as the briefing is drafted, then the Briefing."""
    if not topic.strip():
        raise ValueError("The briefing needs a topic.")
    if not 1 <= sections <= 8:
        raise ValueError("A briefing has 1 to 8 sections.")
    started = time.perf_counter()
    draft = Draft(briefing_language(topic, language))
    yield Progress("Retrieving material", 0, sections + 4)
    passages, material, vectors = _gather(asker, topic, filters, draft)
    timings = {"retrieval_ms": _ms(started)}
    if not passages:
        yield _empty(topic, draft, asker, filters, timings)
        return
    groups = group_passages(vectors, sections)
    total = len(groups) + 4
    state = Writing(asker, asker.model, topic, draft, passages, material)
    written = yield from _sections(state, groups, total)
    model = state.model  # EXTRACTIVE once the model failed
    yield Progress("Finding where sources disagree", len(groups) + 1, total)
    points, point_note = disagreements(draft, model, material, written)
    yield Progress("Building the timeline", len(groups) + 2, total)
    events = timeline(draft, material)
    if model.capabilities.writes:
        yield Progress("Translating quotes", len(groups) + 3, total)
        claims = [c for p in points for c in p.claims] + [e.claim for e in events]
        translate_claims(draft, model, claims)
    timings["total_ms"] = _ms(started)
    yield assemble(
        topic, draft, [section for section, _ in written], points, point_note, events,
        passages, filters, timings, model.backend,
        model.name if model.capabilities.writes else None,
    )  # fmt: skip


def _gather(asker: Asker, topic: str, filters: Filters | None, draft: Draft):
    """The topic's passages (endnote lists and passages with no sentence on the topic
    left out), each one's sentences scored against the topic, and their vectors."""
    params = asker.settings.retrieval.params(
        filters=filters, k=MATERIAL, max_per_article=PER_ARTICLE, claims_only=True
    )
    found = retrieve(topic, asker.store, params)
    passages = found.passages
    if not passages:
        return [], [], None
    material, vectors = _material(asker, found.translation or topic, passages)
    draft.floor = max((s.score for ss in material for s in ss), default=0.0) - SENTENCE_FLOOR
    keep = [i for i, ss in enumerate(material) if any(draft.quotable(s) for s in ss)]
    return [passages[i] for i in keep], [material[i] for i in keep], vectors[keep]


def _sections(state: Writing, groups: list[list[int]], total: int):
    """Write one section per group (yielding Progress with the text so far); return the
    sections with their groups. A section the model cannot write is quoted instead."""
    written: list[tuple[BriefingSection, list[int]]] = []
    for i, group in enumerate(groups, 1):
        heading = _subtopic(state.draft, state.passages, groups, group)
        message = f"Writing section {i} of {len(groups)}"
        yield Progress(message, i, total)
        section = None
        if state.model.capabilities.writes:
            try:
                for event in written_section(state, group, heading):
                    if isinstance(event, str):
                        yield Progress(message, i, total, preview=event)
                    else:
                        section = event
            except LLMError as exc:
                state.draft.warnings.append(
                    f"The model failed ({exc}); sections are quoted instead."
                )
                state.model = EXTRACTIVE  # it is down: do not wait on it for every section
        section = section or quoted_section(state.draft, state.material, group, heading)
        if section.text:  # a group whose every sentence was quoted already adds nothing
            written.append((section, group))
    return written


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def _empty(topic, draft, asker, filters, timings) -> Briefing:
    return Briefing(
        topic=topic,
        language=draft.language,
        title=draft.labels["title"].format(topic=topic),
        created=dt.date.today(),
        scope=[],
        filters=filters or Filters(),
        summary=[draft.labels["nothing"]],
        backend=asker.model.backend,
        model=asker.model.name if asker.model.capabilities.writes else None,
        timings=timings,
    )


def _material(
    asker: Asker, query: str, passages: list[Passage]
) -> tuple[list[list[Sentence]], np.ndarray]:
    """Each passage's sentences scored against the topic, and the passages' vectors."""
    embedder = asker.store.embedder
    cache = VectorCache(asker.settings.vectors_path)
    try:
        vector = embedder.embed_queries([query])[0]
        scored = score_sentences(passages, vector, embedder, cache)
        vectors, _ = embed_passages_cached(embedder, cache, [p.chunk.text for p in passages])
    finally:
        cache.close()
    material = [
        [Sentence(p, a, b, s) for a, b, s in sentences]
        for p, sentences in zip(passages, scored, strict=True)
    ]
    return material, np.asarray(vectors)


def _subtopic(draft: Draft, passages, groups, group) -> str:
    texts = [[passages[i].chunk.text for i in g] for g in groups]
    terms = key_terms([passages[i].chunk.text for i in group], texts)
    return (
        draft.labels["subtopic"].format(terms=", ".join(terms))
        if terms
        else draft.labels["overall"]
    )
