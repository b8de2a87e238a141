"""Topic -> Briefing, built from the same verified evidence as answers.

1. The topic's passages are retrieved once and grouped by meaning (outline.py); each
   group's best sentences, with their exact offsets, are a section's quotes.
2. Points that two or more sources address are found among the topic's best sentences
   (points.py), and dated sentences make the timeline.
3. With a model, every quoted sentence (and the title of a source known only by its
   title) is translated into the briefing's language at once: the shared translation
   cache first, the rest concurrently on the server's slots (llm/translation.py).
4. Each section's heading and lead are written from its translated quotes, all sections
   at once, and checked (sections.py). The executive summary is those checked leads.
5. Notes are renumbered in document order; every note holds the original sentence and
   its offsets, every quote in the body its translation (assemble.py).

Without a model the quotes stay in their original language, and the briefing says so
once at the top.
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
    SECTION_SENTENCES,
    SENTENCE_FLOOR,
    Draft,
    Sentence,
    best_sentences,
    briefing_language,
)
from assistant.briefing.outline import group_passages
from assistant.briefing.points import common_names, shared_points, timeline
from assistant.briefing.sections import build_section, distinct_headings, write_leads
from assistant.embedding import VectorCache, embed_passages_cached
from assistant.llm.translation import TranslationCache, translate_all
from assistant.retrieval.search import retrieve
from assistant.types import Briefing, Filters, Lead, Passage, Progress

HEADINGS_NOTE = (
    "{n} heading(s) the model wrote failed their checks; they name what the quotes share."
)
DROPPED_NOTE = (
    "Left out {n} sentence(s) of the model's leads that the quotes they cite do not hold."
)


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
    steps = 4
    yield Progress("Retrieving material", 0, steps)
    passages, material, vectors = _gather(asker, topic, filters, draft)
    timings = {"retrieval_ms": _ms(started)}
    if not passages:
        yield _empty(topic, draft, asker, filters, timings)
        return
    groups = []
    for group in group_passages(vectors, sections):
        chosen = best_sentences(draft, material, group, SECTION_SENTENCES)
        draft.used.update(s.key for s in chosen)
        if chosen:
            groups.append(chosen)
    originals = [(s.text, s.passage.meta.lang) for ss in material for s in ss]
    draft.common_names = common_names(originals)
    points = shared_points(draft, material)
    events = timeline(draft, material)
    model = asker.model
    if model.capabilities.writes:
        quoted = [s for g in groups for s in g] + [s for p in points for s in p]
        quoted += [s for _, s in events]
        yield from _translate(asker, draft, quoted, passages, steps)
    timings["translation_ms"] = _ms(started) - timings["retrieval_ms"]
    leads: list[tuple[str | None, Lead]] = [(None, Lead())] * len(groups)
    if model.capabilities.writes:
        yield Progress("Writing headings and leads", 2, steps)
        leads = write_leads(model, draft, groups, asker.settings.llm.slots)
        leads = distinct_headings(leads, topic, draft.language)
        _note_checks(draft, leads)
    yield Progress("Putting the briefing together", 3, steps)
    written = [build_section(draft, g, h, lead) for g, (h, lead) in zip(groups, leads, strict=True)]
    timings["total_ms"] = _ms(started)
    yield assemble(topic, draft, written, points, events, passages, filters, timings, model)


def _translate(asker: Asker, draft: Draft, quoted: list[Sentence], passages, steps: int):
    """Translate every quote (and the titles of sources known by their title alone) not in
    the briefing's language into draft.translations, yielding Progress as they arrive."""
    texts = {s.text: s.passage.meta.lang for s in quoted}
    for meta in (p.meta for p in passages):
        if not (meta.outlet or meta.author):
            texts.setdefault(meta.title, meta.lang)
    pending = [(t, lang) for t, lang in texts.items() if lang != draft.language]
    if not pending:
        return
    yield Progress("Translating quotes", 1, steps)
    cache = TranslationCache(asker.settings.translations_path)
    try:
        arriving = translate_all(
            asker.model, pending, draft.language, cache, asker.settings.llm.slots
        )
        for done, (i, translation) in enumerate(arriving, 1):
            draft.translations[pending[i][0]] = translation
            yield Progress(f"Translating quotes ({done} of {len(pending)})", 1, steps)
    finally:
        cache.close()
    failed = sum(not t.translated for t in draft.translations.values())
    if failed:
        draft.warnings.append(
            f"{failed} quote(s) could not be translated and are shown in the original."
        )
    flagged = sum(1 for t in draft.translations.values() if t.translated and t.flag)
    if flagged:
        draft.warnings.append(
            f"{flagged} machine translation(s) may have dropped a number or a name: "
            "compare them with the originals in the notes."
        )


def _note_checks(draft: Draft, leads) -> None:
    rejected = sum(1 for h, lead in leads if h is None and lead.sentences)
    dropped = sum(len(lead.dropped) for _, lead in leads)
    if rejected:
        draft.warnings.append(HEADINGS_NOTE.format(n=rejected))
    if dropped:
        draft.warnings.append(DROPPED_NOTE.format(n=dropped))


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
    """Each passage's sentences scored against the topic, with their vectors (cached by
    scoring them), and the passages' vectors."""
    embedder = asker.store.embedder
    cache = VectorCache(asker.settings.vectors_path)
    try:
        vector = embedder.embed_queries([query])[0]
        scored = score_sentences(passages, vector, embedder, cache)
        material = [
            [Sentence(p, a, b, s) for a, b, s in sentences]
            for p, sentences in zip(passages, scored, strict=True)
        ]
        flat = [s for ss in material for s in ss]
        if flat:
            sentence_vectors, _ = embed_passages_cached(embedder, cache, [s.raw for s in flat])
            for s, v in zip(flat, sentence_vectors, strict=True):
                s.vector = np.asarray(v)
        vectors, _ = embed_passages_cached(embedder, cache, [p.chunk.text for p in passages])
    finally:
        cache.close()
    return material, np.asarray(vectors)
