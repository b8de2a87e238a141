"""Question (+ chat history) -> Answer, streamed: retrieval, excerpts, the model (or the
extractive fallback), then citations resolved to exact passages of the articles."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from assistant import citations as cites
from assistant.context import Excerpt, build_excerpts
from assistant.embedding import VectorCache
from assistant.focus import PER_ARTICLE_ON_SOURCES, asks_about_sources, focused, rivals
from assistant.languages import detect_language
from assistant.llm import ChatModel, LLMError, Message, make_chat_model
from assistant.period import asked_period, silent_on_period, too_old
from assistant.prompts import (
    ACCORDING_TO,
    ANSWER_EXAMPLES,
    ANSWER_SYSTEM,
    ANSWER_USER,
    CONDENSE_SYSTEM,
    CONDENSE_USER,
    EXTRACTIVE_INTRO,
    LANGUAGE_NAMES,
    NO_ANSWER_INTRO,
    PASSAGE_HEADER,
    REFUSALS,
)
from assistant.replies import (
    checked,
    cites_or_refuses,
    refuses,
    without_unbacked_disagreement,
    without_unsupported,
)
from assistant.retrieval import MAX_PER_ARTICLE, Retrieval, retrieve
from assistant.settings import Settings
from assistant.store import Store
from assistant.translate import QueryTranslator
from assistant.types import Answer, ChatTurn, Citation, Filters, Passage

NAMED_SOURCE_NOTE = "Read only {source}, the source the question names."
ONE_SOURCE_NOTE = (
    "Answered from {source}, the closest match; {others} came close too. "
    "Ask whether the sources agree to compare them."
)
TOO_OLD_NOTE = "Left out {sources}: written before {period}, the period the question asks about."
SILENT_NOTE = "Left out {sources}: unlike the sources read, it dates nothing in {period}."
REPOINTED_NOTE = (
    "{moved} citation(s) now point at the passage of the same article that holds the "
    "sentence; the model had numbered another passage of that article."
)
PASSAGES = 4  # retrieved passages the model reads
SPARE_PASSAGES = 2  # retrieved beyond that, in case some only repeat sentences of others
EXTRACTIVE_SENTENCES = 4
# What the local model reads: ~90 prompt tokens/s on 2 cores, so every character counts
# toward the first token. A focused answer (one or two passages) reads at most a window of
# LOCAL_PASSAGE_CHARS around each passage's best sentences.
LOCAL_CONTEXT_CHARS = 1100
LOCAL_PASSAGE_CHARS = 550
# A reply that has finished this many sentences without citing a passage or refusing is
# abandoned for the quoted passages. In every reply kept in the benchmark (our and the
# held-out questions), the first [n] came before the end of the second sentence.
UNCITED_SENTENCES = 2


@dataclass
class Delta:
    """A piece of the answer text as it streams (citation markers already final).
    restart: what was shown so far is void (the model failed mid-answer, or its reply was
    corrected once it ended, assistant/replies.py); start over."""

    text: str
    restart: bool = False


@dataclass
class Asker:
    """Everything an answer needs; defaults come from settings, tests inject their own."""

    settings: Settings
    store: Store
    backend: str
    model: ChatModel | None = None

    @classmethod
    def create(
        cls,
        settings: Settings,
        store: Store | None = None,
        backend: str | None = None,
        model: ChatModel | None = None,
    ) -> Asker:
        backend = backend or settings.chosen_backend
        model = model if model is not None else make_chat_model(settings, backend)
        return cls(settings, store or Store(settings), backend, model)


def stream_answer(
    asker: Asker, question: str, history: Sequence[ChatTurn] = (), filters: Filters | None = None
) -> Iterator[Delta | Answer]:
    """Yield Deltas as the answer is written, then the final Answer."""
    started = time.perf_counter()
    language = _answer_language(question)
    warnings: list[str] = []
    standalone = standalone_question(asker, question, history, warnings)
    # With an endpoint, a question in a language the corpus is not written in is also
    # searched translated. The local 1.5B model's translations do not measurably help
    # retrieval (BENCHMARKS.md: XQuAD en->ru, dev) and cost its one server ~2 s a question.
    translator = QueryTranslator(asker.model) if asker.model and asker.backend == "openai" else None
    # A question about the sources reads each article's best passage; any other question
    # reads the passages that score close to the best one (assistant/focus.py).
    on_sources = asks_about_sources(standalone)
    found = retrieve(
        standalone,
        asker.store,
        filters,
        k=PASSAGES + SPARE_PASSAGES,
        max_per_article=PER_ARTICLE_ON_SOURCES if on_sources else MAX_PER_ARTICLE,
        translator=translator,
        claims_only=True,
    )
    passages = passages_to_read(found, standalone, on_sources, asker.store, warnings)
    retrieval_ms = _ms(started)
    cache = VectorCache(asker.settings.store_dir / "vectors.sqlite")
    vector = found.vector  # as searched (moved toward each passage's language: found.vectors)
    budget = asker.settings.answer_context_chars or (
        min(LOCAL_CONTEXT_CHARS, LOCAL_PASSAGE_CHARS * min(PASSAGES, len(passages)))
        if asker.backend == "local"
        else 6000
    )
    excerpts = build_excerpts(
        passages, vector, asker.store.embedder, cache, budget, PASSAGES, found.vectors
    )
    cache.close()
    first_token_ms = None
    raw = ""
    backend, model_name = asker.backend, getattr(asker.model, "name", None)
    shown = refused = False
    if asker.model is not None and excerpts:
        tokens: list[str] = []
        try:
            for delta in _stream_model(asker.model, excerpts, standalone, language, tokens):
                first_token_ms = first_token_ms or _ms(started)
                shown = True
                yield delta
            reply = "".join(tokens)
            refused = refuses(reply)
            if refused:  # the model's verdict, and what it read, quoted, to check it by
                raw = extractive_text(excerpts, language, NO_ANSWER_INTRO[language])
            else:
                passages = [e.passage for e in excerpts]
                raw = checked(reply, passages, language, warnings, standalone)
                raw = _repointed(raw, excerpts, language, warnings)
                read = [(e.text, e.passage.meta.lang) for e in excerpts]
                raw = without_unsupported(raw, read, language, warnings)
                # what is left may cite one source where the reply said they disagree
                raw = without_unbacked_disagreement(raw, [p.article_id for p in passages], warnings)
            if raw and raw != reply:  # replaced: show the replacement instead
                yield Delta(cites.resolve(raw, len(excerpts)).text, restart=True)
        except LLMError as exc:
            warnings.append(f"The model could not answer ({exc}); showing the extractive answer.")
            raw, backend, model_name = "", "extractive", None
    if not raw.strip():
        backend, model_name = "extractive", None
        raw = extractive_text(excerpts, language)
        first_token_ms = first_token_ms or _ms(started)
        yield Delta(cites.resolve(raw, len(excerpts)).text, restart=shown)
    timings = {
        "retrieval_ms": retrieval_ms,
        "first_token_ms": first_token_ms or 0.0,
        "total_ms": _ms(started),
    }
    yield finish(
        question, standalone, language, raw, excerpts, backend, model_name, warnings, timings,
        refused=refused or not excerpts, embedder=asker.store.embedder,
    )  # fmt: skip


def passages_to_read(
    found: Retrieval, question: str, on_sources: bool, store: Store, warnings: list[str]
) -> list[Passage]:
    """What an answer reads of the retrieved passages: for a question about the sources,
    all of them (one per article); otherwise those of one article, the named source or the
    best passage's, close to its best (assistant/focus.py). Articles that cannot speak to
    the period the question asks about are left out first (assistant/period.py), unless
    that would leave nothing. Notes say what was left out and why."""
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
    if on_sources or not read:
        return read
    if read[0].article_id == found.named:
        warnings.append(NAMED_SOURCE_NOTE.format(source=read[0].meta.source_label))
    elif close := rivals(pool):
        others = "; ".join(p.meta.source_label for p in close)
        warnings.append(ONE_SOURCE_NOTE.format(source=read[0].meta.source_label, others=others))
    return read


def _reading(pool: list[Passage], named: str | None, on_sources: bool) -> list[Passage]:
    if on_sources:
        return pool
    return focused([p for p in pool if p.article_id == named] or pool)


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


def _repointed(raw: str, excerpts: list[Excerpt], language: str, warnings: list[str]) -> str:
    read = [(e.text, e.passage.meta.lang, e.passage.article_id) for e in excerpts]
    raw, moved = cites.repointed(raw, read, language)
    if moved:
        warnings.append(REPOINTED_NOTE.format(moved=moved))
    return raw


def _answer_language(question: str) -> str:
    language = detect_language(question)
    return language if language in LANGUAGE_NAMES else "en"


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


# -- the model ---------------------------------------------------------------------------


def answer_messages(excerpts: list[Excerpt], question: str, language: str) -> list[Message]:
    """System rules and a worked example (a stable prefix), then the numbered passages."""
    user = ANSWER_USER.format(
        passages=numbered_passages(excerpts), question=question, language=LANGUAGE_NAMES[language]
    )
    messages = [Message("system", ANSWER_SYSTEM)]
    for example, reply in ANSWER_EXAMPLES:
        messages += [Message("user", example), Message("assistant", reply)]
    return [*messages, Message("user", user)]


def numbered_passages(excerpts: list[Excerpt]) -> str:
    """The excerpts as the model reads them: [n] source | date | language, then the text."""
    blocks = []
    for n, e in enumerate(excerpts, 1):
        meta = e.passage.meta
        date = meta.published.isoformat() if meta.published else "undated"
        header = PASSAGE_HEADER.format(n=n, source=meta.source_label, date=date, lang=meta.lang)
        blocks.append(f"{header}\n{defang(e.text)}")
    return "\n".join(blocks)


# A sentence of an article that addresses the model ("Ignore previous instructions…",
# "You are now…", "Игнорируй все инструкции…"). The rule in the prompt is not enough: the
# 1.5B model obeys such a sentence when it is alone in what it reads.
_ADDRESSES_THE_MODEL = re.compile(
    r"\b(ignore|disregard|forget|override)\b[^.!?\n]{0,40}\b(instructions?|prompts?|rules)\b"
    r"|\byou are now\b|\bsystem prompt\b|\bnew instructions\b|\banswer every question\b"
    r"|\b(игнорир|игнорируй|забуд|ігнору|ігноруй)\w*[^.!?\n]{0,40}"
    r"(инструкци|указани|правил|інструкці|вказів)\w*"
    r"|\bтеперь ты\b|\bтепер ти\b|\bотвечай на (все|каждый) вопрос\w*"
    r"|\bвідповідай на (всі|кожне) питання\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n")
OMITTED = "[…]"


def defang(text: str) -> str:
    """Article text as a model may read it: it cannot close the passage fence or fake a
    passage header, and a sentence that gives the model orders is replaced by […]."""
    text = re.sub(r"</?passages>", "", text, flags=re.IGNORECASE)
    if not _ADDRESSES_THE_MODEL.search(text):
        return text
    pieces, start = [], 0
    for gap in [*_SENTENCE_END.finditer(text), None]:
        end = gap.start() if gap else len(text)
        sentence = text[start:end]
        pieces.append(OMITTED if _ADDRESSES_THE_MODEL.search(sentence) else sentence)
        if gap:
            pieces.append(gap.group())
            start = gap.end()
    return "".join(pieces)


def _stream_model(
    model: ChatModel, excerpts, question: str, language: str, tokens: list[str]
) -> Iterator[Delta]:
    """The model's reply as shown (markers final, phantoms never); raw tokens go to tokens.
    Nothing is shown until the reply cites a passage or refuses: a reply that does neither
    is replaced by the quoted passages (cited_or_nothing), so the user never sees it."""
    stream = cites.MarkerStream(len(excerpts))
    held: list[str] = []
    cited = False
    replies = model.stream(answer_messages(excerpts, question, language), max_tokens=400)
    for token in replies:
        tokens.append(token)
        if text := stream.feed(token):
            held.append(text)
        raw = "".join(tokens)
        cited = cited or cites_or_refuses(raw, len(excerpts))
        if held and cited:
            yield Delta("".join(held))
            held.clear()
        if not cited and len(cites.split_sentences(raw)) > UNCITED_SENTENCES:
            replies.close()  # it will be replaced by the quoted passages: stop waiting
            return
    if text := stream.close():
        held.append(text)
    if held and cited:
        yield Delta("".join(held))


# -- follow-ups --------------------------------------------------------------------------

_REFERS_BACK = re.compile(
    r"\b(it|they|them|this|that|these|those|he|she|his|her|their|its|он|она|оно|они|его|её|их|"
    r"этот|эта|это|эти|там|він|вона|воно|вони|його|її|їх|цей|ця|це|ці)\b",
    re.IGNORECASE,
)


def standalone_question(
    asker: Asker, question: str, history: Sequence[ChatTurn], warnings: list[str]
) -> str:
    """The question rewritten to stand alone: by the model, else by a heuristic that
    prepends the previous question when this one is short or refers back."""
    if not history:
        return question
    if asker.model is not None:
        turns = "\n".join(
            f"User: {t.question}\nAssistant: {_strip_markers(t.answer)[:300]}" for t in history[-3:]
        )
        messages = [
            Message("system", CONDENSE_SYSTEM),
            Message("user", CONDENSE_USER.format(history=turns, question=question)),
        ]
        try:
            rewritten = "".join(asker.model.stream(messages, max_tokens=80)).strip().splitlines()
            if rewritten and rewritten[0].strip():
                return rewritten[0].strip()
        except LLMError as exc:
            warnings.append(f"Could not rewrite the follow-up with the model ({exc}).")
    if len(question.split()) <= 6 or _REFERS_BACK.search(question):
        return f"{history[-1].question} {question}"
    return question


def _strip_markers(text: str) -> str:
    return cites.strip_markers(text)


# -- extractive --------------------------------------------------------------------------


def extractive_text(excerpts: list[Excerpt], language: str, intro: str | None = None) -> str:
    """The most relevant, non-redundant sentences, quoted, each with its [n] and outlet,
    under intro (EXTRACTIVE_INTRO by default)."""
    if not excerpts:
        return REFUSALS[language]
    ranked = sorted(
        ((score, n, a, b) for n, e in enumerate(excerpts, 1) for a, b, score in e.sentences),
        reverse=True,
    )
    # Claims only; the best sentence anyway when an answer would otherwise quote nothing.
    claims = [r for r in ranked if excerpts[r[1] - 1].is_claim(r[2], r[3])] or ranked[:1]
    lines, seen = [intro or EXTRACTIVE_INTRO[language]], []
    for _score, n, a, b in claims:
        e = excerpts[n - 1]
        sentence = e.quote(a, b)
        words = set(sentence.lower().split())
        if any(len(words & other) > 0.6 * len(words) for other in seen):
            continue  # the same sentence again, from an overlapping chunk
        seen.append(words)
        meta = e.passage.meta
        when = f", {meta.published.isoformat()}" if meta.published else ""
        source = ACCORDING_TO[language].format(source=meta.source_label) + when
        lines.append(f"- {source}: «{sentence}» [{n}]")
        if len(lines) > EXTRACTIVE_SENTENCES:
            break
    return "\n".join(lines)


# -- the final answer ----------------------------------------------------------------------


def finish(
    question, standalone, language, raw, excerpts, backend, model_name, warnings, timings,
    refused=False, embedder=None,
) -> Answer:  # fmt: skip
    """Resolve markers (phantoms dropped and reported), map each citation to its passage,
    and check that each cited sentence is supported by what it cites. refused: the answer
    says that the corpus does not answer the question."""
    resolved = cites.resolve(raw, len(excerpts))
    if resolved.phantoms:
        shown = ", ".join(map(str, resolved.phantoms[:5])) + (
            "…" if len(resolved.phantoms) > 5 else ""
        )
        warnings.append(
            f"Dropped {len(resolved.phantoms)} citation(s) to passages that do not exist ({shown})."
        )
    cited = [excerpts[i] for i in resolved.order]
    verdicts = support_verdicts(resolved.text, cited, language, embedder, warnings)
    citations = [
        citation(n, e).model_copy(update={"is_supported": verdicts.get(n, True)})
        for n, e in enumerate(cited, 1)
    ]
    return Answer(
        question=question,
        standalone_question=standalone if standalone != question else None,
        language=language,
        answer=resolved.text,
        refused=refused,
        citations=citations,
        passages=[e.passage for e in excerpts],
        backend=backend,
        model=model_name,
        timings=timings,
        warnings=warnings,
    )


EMBEDDING_SUPPORT = 0.80  # e5 cosine, sentence (query form) vs excerpt, across languages


def support_verdicts(text, cited: list[Excerpt], language, embedder, warnings) -> dict[int, bool]:
    """Per citation: is some sentence citing it supported? Lexical overlap within a
    language; e5 similarity across languages (English answer, Russian passage)."""
    checks = cites.check_sentences(text, [(e.text, e.passage.meta.lang) for e in cited], language)
    verdicts: dict[int, bool] = {}
    for check in checks:
        sentence = cites.strip_markers(text[check.start : check.end]).strip()
        for n, score in zip(check.numbers, check.scores, strict=True):
            if score is None and embedder is not None:
                vectors = (
                    embedder.embed_queries([sentence]),
                    embedder.embed_passages([cited[n - 1].text]),
                )
                score_ok = float(vectors[0][0] @ vectors[1][0]) >= EMBEDDING_SUPPORT
            else:
                score_ok = score is None or score >= cites.SUPPORT_THRESHOLD
            verdicts[n] = verdicts.get(n, False) or score_ok
            if not score_ok:
                warnings.append(f"Not clearly supported by [{n}]: “{sentence[:120]}”")
    return verdicts


def citation(n: int, excerpt: Excerpt) -> Citation:
    """Citation n: the excerpt the model read, with its best sentence as the quote."""
    meta, chunk = excerpt.passage.meta, excerpt.passage.chunk
    quote = excerpt.quote(*excerpt.best_sentence)
    if len(quote) > 200:
        quote = quote[:200].rsplit(" ", 1)[0] + "…"
    return Citation(
        n=n,
        article_id=chunk.article_id,
        title=meta.title,
        outlet=meta.outlet,
        date=meta.published,
        chunk_id=chunk.chunk_id,
        start=excerpt.start,
        end=excerpt.end,
        quote=quote,
    )
