"""Question (+ chat history) -> Answer, streamed: retrieval, excerpts, the model (or the
extractive fallback), then citations resolved to exact passages of the articles."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from assistant import citations as cites
from assistant.answering.evidence import coverage, select_evidence
from assistant.answering.excerpts import build_excerpts
from assistant.answering.focus import PER_ARTICLE_ON_SOURCES, asks_about_sources
from assistant.answering.followups import standalone_question
from assistant.answering.lead import write_lead
from assistant.answering.period import asked_period, silent_on_period, too_old
from assistant.embedding import VectorCache
from assistant.llm.chat import EXTRACTIVE, ChatModel, LLMError, make_chat_model
from assistant.llm.query_translation import QueryTranslator
from assistant.llm.translation import TranslationCache, translate_all
from assistant.prompts import (
    EVIDENCE_HEADING,
    EXTRACTIVE_INTRO,
    LANGUAGE_NAMES,
    MACHINE_TRANSLATION,
    NO_ANSWER_INTRO,
    REFUSALS,
    TRANSLATING,
    UNDATED,
)
from assistant.retrieval.search import retrieve
from assistant.settings import Settings
from assistant.store import Store
from assistant.text.languages import detect_language
from assistant.types import (
    Answer,
    ArticleMeta,
    ChatTurn,
    Citation,
    Delta,
    Evidence,
    Filters,
    Lead,
    LeadSentence,
    Passage,
    Retrieval,
)

NAMED_SOURCE_NOTE = "Read only {source}, the source the question names."
TOO_OLD_NOTE = "Left out {sources}: written before {period}, the period the question asks about."
SILENT_NOTE = "Left out {sources}: unlike the sources read, it dates nothing in {period}."
PASSAGES = 6  # retrieved passages whose sentences compete to be evidence
SPARE_PASSAGES = 2  # retrieved beyond that, in case some only repeat sentences of others
# Characters of sentences around each passage's best ones that compete to be evidence
# (the model reads none of it; the window only bounds the candidates).
EXCERPT_CHARS = 4000
DROPPED_LEAD_NOTE = (
    "Left out {n} sentence(s) of the model's lead that the evidence they cite does not hold."
)


@dataclass
class Asker:
    """Everything an answer needs; defaults come from settings, tests inject their own."""

    settings: Settings
    store: Store
    model: ChatModel

    @classmethod
    def create(
        cls,
        settings: Settings,
        store: Store | None = None,
        backend: str | None = None,
        model: ChatModel | None = None,
    ) -> Asker:
        """The model given, else that of `backend`, else of Settings.chosen_backend."""
        model = model if model is not None else make_chat_model(settings, backend)
        return cls(settings, store or Store(settings), model)


def stream_answer(
    asker: Asker, question: str, history: Sequence[ChatTurn] = (), filters: Filters | None = None
) -> Iterator[Delta | Answer]:
    """Yield the answer as it grows, then the final Answer.

    The evidence is the answer: the article sentences closest to the question, with exact
    offsets (assistant/answering/evidence.py). They show first, in the original, marked as being
    translated; each translation replaces its original as it arrives; the model's checked
    lead comes last (assistant/answering/lead.py). Every Delta carries the whole text so far
    (restart=True)."""
    started = time.perf_counter()
    language = _answer_language(question)
    warnings: list[str] = []
    standalone = standalone_question(asker.model, question, history, warnings)
    # A question in a language the corpus is not written in is also searched translated,
    # by a model whose translations help retrieval (Capabilities.translates_queries).
    translator = (
        QueryTranslator(asker.model) if asker.model.capabilities.translates_queries else None
    )
    # A question about the sources reads each article's best passage; any other question
    # reads the passages that score close to the best one (assistant/answering/focus.py).
    on_sources = asks_about_sources(standalone)
    params = asker.settings.retrieval.params(
        filters=filters, k=PASSAGES + SPARE_PASSAGES, claims_only=True
    )
    if on_sources:
        params = replace(params, max_per_article=PER_ARTICLE_ON_SOURCES)
    found = retrieve(standalone, asker.store, params, translator)
    passages = passages_to_read(found, standalone, on_sources, asker.store, warnings)
    retrieval_ms = _ms(started)
    cache = VectorCache(asker.settings.vectors_path)
    excerpts = build_excerpts(
        passages, found.vector, asker.store.embedder, cache, EXCERPT_CHARS, PASSAGES,
        found.vectors,
    )  # fmt: skip
    cache.close()
    evidence = select_evidence(excerpts, on_sources)
    metas = {x.passage.chunk.chunk_id: x.passage.meta for x in excerpts}
    refused = not evidence or evidence[0].score < asker.settings.answer.refusal_score
    model = asker.model
    pending = model.capabilities.writes and any(e.lang != language for e in evidence)
    yield Delta(answer_text(None, evidence, language, refused, model, pending), restart=True)
    first_evidence_ms = _ms(started)
    lead = None
    if model.capabilities.writes and evidence:
        try:
            yield from _translated(asker, evidence, language, refused, warnings)
            # The evidence, now readable in the question's language, must also name what
            # the question asks about (Settings.answer.refusal_coverage).
            refused = refused or (
                coverage(standalone, language, evidence) < asker.settings.answer.refusal_coverage
            )
            if not refused:
                lead = write_lead(model, evidence, standalone, language)
                if lead.dropped:
                    warnings.append(DROPPED_LEAD_NOTE.format(n=len(lead.dropped)))
        except LLMError as exc:
            warnings.append(f"The model could not answer ({exc}); showing the evidence as found.")
            model = EXTRACTIVE
    text = answer_text(lead, evidence, language, refused, model, False)
    yield Delta(text, restart=True)
    timings = {
        "retrieval_ms": retrieval_ms,
        "first_evidence_ms": first_evidence_ms,
        "first_token_ms": first_evidence_ms,
        "total_ms": _ms(started),
    }
    yield Answer(
        question=question,
        standalone_question=standalone if standalone != question else None,
        language=language,
        answer=text,
        refused=refused,
        citations=[citation(n, e, metas[e.chunk_id]) for n, e in enumerate(evidence, 1)],
        passages=[e.passage for e in excerpts],
        backend=model.backend,
        model=model.name if model.capabilities.writes else None,
        timings=timings,
        warnings=warnings,
        lead=lead if lead and lead.sentences else None,
        evidence=evidence,
    )


def _translated(
    asker: Asker, evidence: list[Evidence], language: str, refused: bool, warnings: list[str]
) -> Iterator[Delta]:
    """Translate the evidence not in `language` in place, yielding the text after each
    translation. Raises LLMError when no translation could be made at all."""
    sentences = [(e.text, e.lang) for e in evidence]
    cache = TranslationCache(asker.settings.translations_path)
    failed = 0
    try:
        for i, translation in translate_all(
            asker.model, sentences, language, cache, asker.settings.llm.slots
        ):
            evidence[i].translation = translation
            if translation.flag:
                warnings.append(f"[{i + 1}] {translation.flag}")
            failed += not translation.translated
            pending = any(e.lang != language and e.translation is None for e in evidence)
            yield Delta(
                answer_text(None, evidence, language, refused, asker.model, pending), restart=True
            )
    finally:
        cache.close()
    if failed and failed == sum(e.lang != language for e in evidence):
        reasons = [e.translation.flag for e in evidence if e.translation and e.translation.flag]
        raise LLMError(f"no sentence could be translated: {reasons[0]}" if reasons else
                       "no sentence could be translated")  # fmt: skip


def answer_text(
    lead: Lead | None,
    evidence: list[Evidence],
    language: str,
    refused: bool,
    model: ChatModel,
    translating: bool,
) -> str:
    """The answer as shown: the lead (each sentence with its [n]), then the evidence, one
    line each: [n] source, date: the sentence in the answer's language (a machine
    translation, labelled) or, while it is being translated or without a model, the
    original."""
    if not evidence:
        return REFUSALS[language]
    lines = []
    if refused:
        lines.append(NO_ANSWER_INTRO[language])
    elif lead and lead.sentences:
        number = {e.id: n for n, e in enumerate(evidence, 1)}
        lines += [" ".join(_marked(s, number) for s in lead.sentences), ""]
        lines.append(EVIDENCE_HEADING[language])
    elif not model.capabilities.writes:
        lines.append(EXTRACTIVE_INTRO[language])
    else:
        lines.append(EVIDENCE_HEADING[language])
    for n, e in enumerate(evidence, 1):
        lines.append(f"[{n}] {_evidence_line(e, language, translating)}")
    return "\n".join(lines)


def _marked(sentence: LeadSentence, number: dict[str, int]) -> str:
    return cites.with_markers(sentence.text, [number[i] for i in sentence.evidence if i in number])


def _evidence_line(e: Evidence, language: str, translating: bool) -> str:
    when = e.date.isoformat() if e.date else UNDATED[language]
    head = f"{e.source}, {when}: "
    quote = " ".join(e.text.split())
    if e.translation is not None and e.translation.translated:
        return f"{head}“{e.translation.text}” ({MACHINE_TRANSLATION[language]})"
    if e.lang != language and translating:
        return f"{head}«{quote}» ({TRANSLATING[language]})"
    return f"{head}«{quote}»"


def passages_to_read(
    found: Retrieval, question: str, on_sources: bool, store: Store, warnings: list[str]
) -> list[Passage]:
    """The retrieved passages whose sentences compete to be evidence: those of the named
    source when the question names one, else all of them (for a question about the
    sources, one per article). Articles that cannot speak to the period the question asks
    about are left out first (assistant/answering/period.py), unless that would leave nothing. Notes
    say what was left out and why.

    Evidence is chosen sentence by sentence across all of them: reading only the best
    article's passages (as when a model read whole passages) left the answering sentence
    out for 11 of 67 answerable questions of our files; reading all six, 8 (bench/evidence.py)."""
    period, dates = asked_period(question), store.article_dates()
    old = too_old(period, dates)
    retrieved = {p.article_id for p in found.passages}
    silent = set() if on_sources else silent_on_period(period, retrieved, dates) - old
    pool = [p for p in found.passages if p.article_id not in old | silent] or found.passages
    read = _reading(pool, found.named, on_sources)
    if len(pool) < len(found.passages):
        would_read = _reading(found.passages, found.named, on_sources)
        for note, left_out in ((TOO_OLD_NOTE, old), (SILENT_NOTE, silent)):
            labels = [p.meta.source_label for p in would_read if p.article_id in left_out]
            if labels:
                labels = list(dict.fromkeys(labels))
                warnings.append(note.format(sources="; ".join(labels), period=period.label))
    if read and not on_sources and read[0].article_id == found.named:
        warnings.append(NAMED_SOURCE_NOTE.format(source=read[0].meta.source_label))
    return read


def _reading(pool: list[Passage], named: str | None, on_sources: bool) -> list[Passage]:
    if on_sources:
        return pool
    return [p for p in pool if p.article_id == named] or pool


def ask(
    asker: Asker, question: str, history: Sequence[ChatTurn] = (), filters: Filters | None = None
) -> Answer:
    """The final Answer (consumes the stream)."""
    final = None
    for event in stream_answer(asker, question, history, filters):
        if isinstance(event, Answer):
            final = event
    assert final is not None
    return final


def _answer_language(question: str) -> str:
    language = detect_language(question)
    return language if language in LANGUAGE_NAMES else "en"


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def citation(n: int, e: Evidence, meta: ArticleMeta) -> Citation:
    """Citation n: the evidence sentence, at its exact offsets, with its translation."""
    translated = e.translation is not None and e.translation.translated
    return Citation(
        n=n,
        article_id=e.article_id,
        title=meta.title,
        outlet=meta.outlet,
        date=e.date,
        chunk_id=e.chunk_id,
        start=e.start,
        end=e.end,
        quote=e.text,
        translation=e.translation.text if translated else None,
        translated=translated,
    )
