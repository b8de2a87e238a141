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
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from assistant import checks
from assistant import citations as cites
from assistant.answering.answer import Asker
from assistant.answering.excerpts import numbered_passages, score_sentences, window
from assistant.briefing.outline import group_passages, key_terms
from assistant.checks import Written
from assistant.embedding import VectorCache, embed_passages_cached
from assistant.llm.chat import EXTRACTIVE, ChatModel, LLMError, complete
from assistant.prompts import (
    BRIEFING_LABELS,
    LANGUAGE_NAMES,
    LOOKUP_SYSTEM,
    LOOKUP_USER,
    QUOTE_TRANSLATE_EXAMPLES,
    QUOTE_TRANSLATE_SYSTEM,
    SECTION_EXAMPLES,
    SECTION_SYSTEM,
    SECTION_USER,
)
from assistant.retrieval.search import retrieve
from assistant.text.dates import event_date
from assistant.text.endnotes import is_endnote
from assistant.text.injection import addressed_to_a_model, defang
from assistant.text.languages import detect_language
from assistant.types import (
    ArticleMeta,
    Briefing,
    BriefingSection,
    BriefingSource,
    Citation,
    Disagreement,
    Excerpt,
    Filters,
    Message,
    Passage,
    Progress,
    SourceClaim,
    TimelineEvent,
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
# A passage header the model echoed ("АРВАК | 2024-04-23 | ru"), not a sentence of its own.
_ECHOED_HEADER = re.compile(r"\|\s*(?:\d{4}-\d{2}-\d{2}|undated)\s*\|\s*[a-z]{2}\b")
_HEADING = re.compile(r"^\W*(?:heading|заголовок)\s*:\s*(.+)$", re.I)


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
    state = _Writing(asker, asker.model, topic, draft, passages, material)
    written = yield from _sections(state, groups, total)
    model = state.model  # EXTRACTIVE once the model failed
    yield Progress("Finding where sources disagree", len(groups) + 1, total)
    points, point_note = _disagreements(draft, model, material, written)
    yield Progress("Building the timeline", len(groups) + 2, total)
    events = _timeline(draft, material)
    if model.capabilities.writes:
        yield Progress("Translating quotes", len(groups) + 3, total)
        claims = [c for p in points for c in p.claims] + [e.claim for e in events]
        _translate_claims(draft, model, claims)
    timings["total_ms"] = _ms(started)
    yield _assemble(
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


@dataclass
class _Writing:
    """What writing the sections needs; model becomes EXTRACTIVE when it fails."""

    asker: Asker
    model: ChatModel
    topic: str
    draft: Draft
    passages: list[Passage]
    material: list[list[Sentence]]


def _sections(state: _Writing, groups: list[list[int]], total: int):
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
                for event in _written_section(state, group, heading):
                    if isinstance(event, str):
                        yield Progress(message, i, total, preview=event)
                    else:
                        section = event
            except LLMError as exc:
                state.draft.warnings.append(
                    f"The model failed ({exc}); sections are quoted instead."
                )
                state.model = EXTRACTIVE  # it is down: do not wait on it for every section
        section = section or _quoted_section(state.draft, state.material, group, heading)
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
    cache = VectorCache(asker.settings.store.dir / "vectors.sqlite")
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


def _best_sentences(draft: Draft, material, group, count: int) -> list[Sentence]:
    """The group's best sentences by topic similarity, skipping endnotes, sentences used
    elsewhere in the briefing and near-repeats (chunks overlap)."""
    ranked = sorted((s for i in group for s in material[i]), key=lambda s: -s.score)
    chosen: list[Sentence] = []
    for s in ranked:
        if s.key in draft.used or not draft.quotable(s):
            continue
        if any(_repeats(s.text, c.text) for c in chosen):
            continue
        chosen.append(s)
        if len(chosen) == count:
            break
    return chosen


def _repeats(a: str, b: str) -> bool:
    words_a, words_b = set(a.lower().split()), set(b.lower().split())
    return len(words_a & words_b) > 0.6 * min(len(words_a), len(words_b))


# -- sections ------------------------------------------------------------------------------


def _quoted_section(draft: Draft, material, group, heading: str) -> BriefingSection:
    """The extractive section: the group's best sentences, quoted, grouped by source."""
    chosen = _best_sentences(draft, material, group, SECTION_SENTENCES)
    by_source: dict[str, list[Sentence]] = {}
    for s in chosen:
        draft.used.add(s.key)
        by_source.setdefault(s.passage.article_id, []).append(s)
    paragraphs = []
    for sentences in by_source.values():
        quotes = " ".join(
            f"«{s.text}» [{draft.note(s.passage, s.start, s.end, s.text)}]" for s in sentences
        )
        paragraphs.append(f"{_according_to(draft, sentences[0].passage.meta)}: {quotes}")
    points = [
        f"{_according_to(draft, s.passage.meta)}: «{s.text}» "
        f"[{draft.note(s.passage, s.start, s.end, s.text)}]"
        for s in chosen
    ]
    return BriefingSection(
        heading=heading, text="\n\n".join(paragraphs), points=points, is_quoted=True
    )


def _according_to(draft: Draft, meta: ArticleMeta) -> str:
    when = f" ({meta.published.isoformat()})" if meta.published else ""
    return draft.labels["according_to"].format(source=meta.source_label) + when


def _excerpts(asker: Asker, passages, material, group) -> list[Excerpt]:
    budget = asker.model.capabilities.context_chars
    chosen = group[:SECTION_PASSAGES]
    per_passage = max(200, budget // len(chosen))
    return [
        window(
            material[i][0].passage, [(s.start, s.end, s.score) for s in material[i]], per_passage
        )
        for i in chosen
        if material[i]
    ]


def section_messages(
    excerpts: list[Excerpt], topic: str, focus: str, language: str
) -> list[Message]:
    """System rules and a worked example (a stable prefix), then the numbered passages."""
    user = SECTION_USER.format(
        passages=numbered_passages(excerpts),
        topic=topic,
        focus=focus,
        language=LANGUAGE_NAMES[language],
    )
    example, reply = SECTION_EXAMPLES[language]
    return [
        Message("system", SECTION_SYSTEM),
        Message("user", example),
        Message("assistant", reply),
        Message("user", user),
    ]


def _written_section(
    state: _Writing, group: list[int], heading: str
) -> Iterator[str | BriefingSection]:
    """The model's section, streamed as the text so far, then the section; nothing final
    when it cites nothing, so the caller quotes instead. LLMError when the model fails."""
    asker, model, draft = state.asker, state.model, state.draft
    excerpts = _excerpts(asker, state.passages, state.material, group)
    if not excerpts:
        return
    raw = ""
    focus = heading.split(":", 1)[-1].strip()
    messages = section_messages(excerpts, state.topic, focus, draft.language)
    for token in model.stream(messages, SECTION_TOKENS):
        raw += token
        yield raw
    written_heading, body = split_heading(raw)
    body, dropped = cited_sentences(body)
    if dropped:
        draft.warnings.append(
            f"Left out {dropped} sentence(s) of the model's section that cited no passage "
            "or named an outlet that is not in the corpus."
        )
    resolved = cites.resolve(body, len(excerpts))
    if resolved.phantoms:
        draft.warnings.append(
            f"Dropped {len(resolved.phantoms)} citation(s) to passages that do not exist."
        )
    if not resolved.order:
        draft.warnings.append("The model's section cited no passage; it is quoted instead.")
        return
    written_in = detect_language(cites.strip_markers(resolved.text))
    if written_in != draft.language:
        draft.warnings.append(
            f"The model wrote a section in another language ({written_in}); it is quoted instead."
        )
        return
    cited = [excerpts[i] for i in resolved.order]
    notes = support_notes(resolved.text, cited, draft.language, asker.store.embedder)
    numbers = {
        j: draft.note(e.passage, e.start, e.end, e.quote(*e.best_sentence))
        for j, e in enumerate(cited, 1)
    }
    draft.warnings += [cites.renumber(w, numbers) for w in notes]  # in the notes' numbers
    for e in cited:
        draft.used.update((e.passage.article_id, a, b) for a, b, _ in e.sentences)
    text = cites.renumber(resolved.text.strip(), numbers)
    yield BriefingSection(heading=written_heading or heading, text=text, points=cited_list(text))


def support_notes(text: str, cited: list[Excerpt], language: str, embedder) -> list[str]:
    """A note for each sentence of a written section and each passage it cites that
    does not support it (the check pipeline's "supported by its passage": lexical overlap
    within a language, e5 similarity across languages)."""
    notes = []
    for start, end in cites.split_sentences(text):
        sentence = text[start:end]
        plain = cites.strip_markers(sentence).strip()
        numbers = dict.fromkeys(n for m in cites.parse_markers(sentence) for n in m.numbers)
        for n in (n for n in numbers if 1 <= n <= len(cited)):
            e, similarity = cited[n - 1], None
            if e.passage.meta.lang != language:
                query, passage = embedder.embed_queries([plain]), embedder.embed_passages([e.text])
                similarity = float(query[0] @ passage[0])
            written = Written("section", plain, (e.text,), language, e.passage.meta.lang,
                              similarity=similarity)  # fmt: skip
            if checks.run(written):
                notes.append(f"Not clearly supported by [{n}]: “{plain[:120]}”")
    return notes


def split_heading(reply: str) -> tuple[str | None, str]:
    """("heading", body) from a reply shaped "Heading: ...\\n<paragraph>"; (None, reply)
    when the first line is no heading."""
    lines = reply.strip().splitlines()
    if not lines:
        return None, ""
    first = lines[0].strip()
    match = _HEADING.match(first)
    if match:
        heading = match.group(1)
    elif first.startswith("#") or (first.startswith("**") and first.endswith("**")):
        heading = first
    else:
        return None, reply.strip()
    heading = cites.strip_markers(heading).strip(" #*\"'«»").strip()
    return (heading[:100] or None), "\n".join(lines[1:]).strip()


def cited_sentences(text: str) -> tuple[str, int]:
    """text without the sentences that cite nothing, copy an outlet of the prompt's worked
    example or echo a passage header, and how many were left out: every sentence of a
    briefing is traceable to a note."""
    kept, dropped = [], 0
    for start, end in cites.split_sentences(text):
        sentence = text[start:end].strip()
        copied = bool(_ECHOED_HEADER.search(sentence))
        if cites.parse_markers(sentence) and not copied:
            kept.append(sentence)
        else:
            dropped += 1
    return " ".join(kept), dropped


def cited_list(text: str) -> list[str]:
    """The sentences of text that cite a note, markers included, in order."""
    sentences = (text[a:b].strip() for a, b in cites.split_sentences(text))
    return [s for s in sentences if cites.parse_markers(s)]


# -- disagreements -----------------------------------------------------------------------


def _claims(draft: Draft, sentences: list[Sentence]) -> list[SourceClaim]:
    """The best sentence of each source, up to CLAIMS_PER_POINT sources, best first."""
    best: dict[str, Sentence] = {}
    for s in sorted(sentences, key=lambda s: -s.score):
        if draft.quotable(s):
            best.setdefault(s.passage.meta.source_label, s)
    return [_claim(draft, s) for s in list(best.values())[:CLAIMS_PER_POINT]]


def _claim(draft: Draft, s: Sentence) -> SourceClaim:
    meta = s.passage.meta
    return SourceClaim(
        source=meta.source_label,
        article_id=s.passage.article_id,
        date=meta.published,
        lang=meta.lang,
        quote=s.text,
        note=draft.note(s.passage, s.start, s.end, s.text),
    )


def _disagreements(draft, model, material, written):
    """Points where two or more sources speak to the same subtopic, each source's own
    sentence side by side. With a model, points it judges contradictory come first and
    alone; without one, they are set side by side and marked as not judged."""
    candidates = [(draft.labels["overall"], [s for ss in material for s in ss])]
    candidates += [
        (section.heading, [s for i in group for s in material[i]]) for section, group in written
    ]
    points, seen = [], set()
    for point, sentences in candidates:
        claims = _claims(draft, sentences)
        signature = frozenset(c.note for c in claims)
        if len(claims) >= 2 and signature not in seen:
            seen.add(signature)
            points.append(Disagreement(point=point, claims=claims))
    if not model.capabilities.verdicts:  # no stance method measured right >= 80%
        return points[:POINTS], draft.labels["unjudged"]
    for p in points:
        p.judged = _contradict(draft, model, p.claims)
    judged = [p for p in points if p.judged]
    if judged:
        return judged[:POINTS], draft.labels["judged"]
    return points[:POINTS], draft.labels["none_judged"]


def _contradict(draft: Draft, model: ChatModel, claims: list[SourceClaim]) -> bool:
    """Does the model judge the first claim and another source's contradictory, asked
    both ways round? (A small model says "contradicts" too readily when asked once.)"""
    first = claims[0]
    return any(
        _verdict(draft, model, first, other) and _verdict(draft, model, other, first)
        for other in claims[1:]
    )


def _verdict(draft: Draft, model: ChatModel, claim: SourceClaim, other: SourceClaim) -> bool:
    messages = [
        Message("system", LOOKUP_SYSTEM),
        Message(
            "user",
            LOOKUP_USER.format(
                claim=defang(claim.quote), source=other.source, passages=defang(other.quote)
            ),
        ),
    ]
    try:
        return "contradict" in complete(model, messages, max_tokens=5).lower()
    except LLMError as exc:
        draft.warnings.append(f"No contradiction verdict ({exc}).")
        return False


# -- timeline --------------------------------------------------------------------------


def _timeline(draft: Draft, material) -> list[TimelineEvent]:
    """Dated sentences of the material, the most relevant ones, in date order."""
    dated = []
    for s in sorted((s for ss in material for s in ss), key=lambda s: -s.score):
        if not draft.quotable(s):
            continue
        when = event_date(s.text, s.passage.meta.published)
        if when is None or any(w == when and _repeats(s.text, o.text) for w, o in dated):
            continue
        if any(o.key == s.key for _, o in dated):
            continue
        dated.append((when, s))
        if len(dated) == TIMELINE_EVENTS:
            break
    dated.sort(key=lambda item: item[0])
    return [TimelineEvent(when=w.label, claim=_claim(draft, s)) for w, s in dated]


# -- translation -------------------------------------------------------------------------


def _translate_claims(draft: Draft, model: ChatModel, claims: list[SourceClaim]) -> None:
    """Give quotes in another language a translation into the briefing's language."""
    for claim in claims:
        if claim.lang != draft.language:
            claim.translation = _translation(draft, model, claim.quote)


def _translation(draft: Draft, model: ChatModel, quote: str) -> str | None:
    if quote in draft.translations:
        return draft.translations[quote]
    language = LANGUAGE_NAMES[draft.language]
    example, reply = QUOTE_TRANSLATE_EXAMPLES[language]
    messages = [
        Message("system", QUOTE_TRANSLATE_SYSTEM.format(language=language)),
        Message("user", example),
        Message("assistant", reply),
        Message("user", defang(quote)),
    ]
    try:
        text = complete(model, messages, max_tokens=160).strip().splitlines()
        translated = text[0].strip() if text else None
    except LLMError as exc:
        draft.warnings.append(f"A quote could not be translated ({exc}).")
        translated = None
    draft.translations[quote] = translated or None
    return draft.translations[quote]


# -- assembly ----------------------------------------------------------------------------


def _assemble(
    topic, draft, written, points, point_note, events, passages, filters, timings, backend, model
) -> Briefing:  # fmt: skip
    """Executive summary from the sections' key points, then every note renumbered in
    document order and the source list built from the notes."""
    summary = executive_summary([s.points for s in written])
    texts = summary + [s.text for s in written]
    texts += [f"[{c.note}]" for p in points for c in p.claims]
    texts += [f"[{e.claim.note}]" for e in events]
    order = cites.numbers_in_order(texts)
    new_of = {old: new for new, old in enumerate(order, 1)}

    def renumbered(text: str) -> str:
        return cites.renumber(text, new_of)

    for p in points:
        for c in p.claims:
            c.note = new_of[c.note]
    for e in events:
        e.claim.note = new_of[e.claim.note]
    notes = [draft.notes[old - 1].model_copy(update={"n": new}) for new, old in enumerate(order, 1)]
    return Briefing(
        topic=topic,
        language=draft.language,
        title=draft.labels["title"].format(topic=topic),
        created=dt.date.today(),
        scope=_scope(passages),
        filters=filters or Filters(),
        summary=[renumbered(s) for s in summary],
        sections=[
            s.model_copy(
                update={"text": renumbered(s.text), "points": [renumbered(p) for p in s.points]}
            )
            for s in written
        ],
        disagreements=points,
        disagreement_note=point_note,
        timeline=events,
        notes=notes,
        sources=_sources(notes, draft.metas),
        backend=backend,
        model=model,
        timings=timings,
        warnings=[renumbered(w) for w in dict.fromkeys(draft.warnings)],
    )


def executive_summary(points: list[list[str]], least: int = 3, most: int = 5) -> list[str]:
    """Each section's first statement, best section first; sections' further statements
    fill in, round by round, when there are fewer sections than `least` bullets."""
    summary: list[str] = []
    for depth in range(max((len(p) for p in points), default=0)):
        if depth and len(summary) >= least:
            break
        summary += [p[depth] for p in points if depth < len(p) and p[depth] not in summary]
    return summary[: max(least, min(most, len(points)))]


def _scope(passages: list[Passage]) -> list[str]:
    labels = {}
    for p in passages:
        when = p.meta.published.isoformat() if p.meta.published else None
        labels.setdefault(p.article_id, f"{p.meta.source_label}" + (f" ({when})" if when else ""))
    return list(labels.values())


def _sources(notes: list[Citation], metas: dict[str, ArticleMeta]) -> list[BriefingSource]:
    sources: dict[str, BriefingSource] = {}
    for note in notes:
        entry = sources.setdefault(
            note.article_id,
            BriefingSource(
                n=len(sources) + 1,
                article_id=note.article_id,
                meta=metas[note.article_id],
                notes=[],
            ),
        )
        entry.notes.append(note.n)
    return list(sources.values())
