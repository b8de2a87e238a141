"""The store: catalog (SQLite) + vectors (Chroma, embedded or server) + lexical index (bm25s).

Nothing else talks to Chroma. Writes follow one order so that an article's chunks,
vectors and lexical entries land together or not at all:

1. mark the store "pending" and upsert the article's vectors under ids that include
   the article's fingerprint (so they never overwrite the vectors in use);
2. commit the article and its chunks to the catalog in one transaction (the commit point);
3. delete the article's previous vectors, and after the run rebuild the lexical index
   from the catalog, tagged with the catalog's generation.

A crash before 2 leaves only unreferenced vectors, swept by the next write; a crash
after 2 leaves a lexical index of an older generation, rebuilt when next loaded.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlparse

import chromadb
import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.config import Settings as ChromaSettings

from assistant.catalog import Catalog
from assistant.embedding import Embedder, make_embedder
from assistant.settings import Settings
from assistant.text.lexical import LexicalIndex, tokenize
from assistant.types import Article, ArticleMeta, Chunk, EventDate, Filters, SentenceVectors


class AssistantEmbeddingFunction(EmbeddingFunction[Documents]):
    """Our embedder, handed to Chroma so it never falls back to its default (which
    would download a model). Documents use the passage form, queries the query form."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder

    def __call__(self, input: Documents) -> Embeddings:
        return list(self._embedder.embed_passages(list(input)))

    def embed_query(self, input: Documents) -> Embeddings:
        return list(self._embedder.embed_queries(list(input)))

    @staticmethod
    def name() -> str:
        return "research-assistant"

    def get_config(self) -> dict[str, Any]:
        return {"embedder": self._embedder.name}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> AssistantEmbeddingFunction:
        return AssistantEmbeddingFunction(_DetachedEmbedder(config.get("embedder", "?")))

    def default_space(self) -> str:
        return "cosine"


class _DetachedEmbedder:
    """Stands in for an embedder named in a persisted collection config; the store always
    passes the live one, so this is never asked to embed."""

    dim = 0

    def __init__(self, name: str) -> None:
        self.name = name

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        raise RuntimeError(f"open the store with the '{self.name}' embedder to embed")

    embed_passages = embed_queries


def collection_name(embedder_name: str) -> str:
    """Chroma collection for one embedder, so vectors of two embedders never mix."""
    slug = re.sub(r"[^a-zA-Z0-9._-]+", "-", embedder_name).strip("-._")
    return f"chunks-{slug}"[:500]


def open_chroma(settings: Settings) -> chromadb.ClientAPI:
    """Embedded Chroma in the store directory, or the server at settings.store.chroma_url."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.store.chroma_url:
        url = urlparse(settings.store.chroma_url)
        return chromadb.HttpClient(
            host=url.hostname or "127.0.0.1",
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
            settings=chroma_settings,
        )
    settings.chroma_path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_path), settings=chroma_settings)


def chunk_metadata(article: Article, chunk: Chunk) -> dict[str, Any]:
    """What Chroma stores beside a vector: enough to filter inside the store query."""
    meta: dict[str, Any] = {
        "article_id": article.article_id,
        "chunk_id": chunk.chunk_id,
        "ordinal": chunk.ordinal,
        "start": chunk.start,
        "end": chunk.end,
        "lang": article.meta.lang,
        "outlet": article.meta.outlet or "",
    }
    if article.meta.published:
        meta["date"] = int(article.meta.published.strftime("%Y%m%d"))
    return meta


def where_clause(filters: Filters) -> dict[str, Any] | None:
    """Chroma `where` for the filters, so they apply inside the store query."""
    clauses: list[dict[str, Any]] = []
    for key, values in (
        ("article_id", filters.article_ids),
        ("outlet", filters.outlets),
        ("lang", filters.langs),
    ):
        if values:
            clauses.append({key: {"$in": list(values)}})
    if filters.date_from:
        clauses.append({"date": {"$gte": int(filters.date_from.strftime("%Y%m%d"))}})
    if filters.date_to:
        clauses.append({"date": {"$lte": int(filters.date_to.strftime("%Y%m%d"))}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class Store:
    """Catalog + Chroma collection + lexical index of one embedder.

    One Store serves every session of the app at once (threads): what it creates on
    first use (the embedder, the Chroma client, the lexical index, the per-generation
    caches) is created under one lock, so concurrent first questions share one of each
    (two Chroma clients made at once on one path break each other)."""

    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.catalog = Catalog(settings.catalog_path)
        self._embedder = embedder
        self._collection = None
        self._lexical: LexicalIndex | None = None
        self._per_generation: dict[str, tuple[int, Any]] = {}
        self._lock = threading.RLock()

    @property
    def embedder(self) -> Embedder:
        """The embedder, created on first use (a no-op re-ingest never loads it)."""
        with self._lock:
            if self._embedder is None:
                self._embedder = make_embedder(self.settings)
            return self._embedder

    @property
    def collection(self):
        with self._lock:
            if self._collection is None:
                client = open_chroma(self.settings)
                self._collection = client.get_or_create_collection(
                    collection_name(self.embedder.name),
                    embedding_function=AssistantEmbeddingFunction(self.embedder),
                    configuration={"hnsw": {"space": "cosine"}},
                )
            return self._collection

    # -- writes ------------------------------------------------------------------
    def write_article(
        self,
        article: Article,
        chunks: list[Chunk],
        vectors: np.ndarray,
        sentences: list[SentenceVectors] | None = None,
    ) -> None:
        """Make the article, its chunks, their vectors and their sentences' vectors
        current, all or nothing (see module doc)."""
        self.catalog.set_state("pending", "1")
        ids = [f"{c.chunk_id}@{article.fingerprint[:12]}" for c in chunks]
        previous = self.catalog.vector_ids(article.article_id)
        for i in range(0, len(chunks), self._max_batch()):
            part = slice(i, i + self._max_batch())
            self.collection.upsert(
                ids=ids[part],
                embeddings=vectors[part],
                documents=[c.text for c in chunks[part]],
                metadatas=[chunk_metadata(article, c) for c in chunks[part]],
            )
        self.catalog.save_article(article, chunks, ids, sentences)
        self._delete_vectors(previous - set(ids))
        self._lexical = None

    def remove_article(self, article_id: str) -> None:
        previous = self.catalog.vector_ids(article_id)
        self.catalog.remove_article(article_id)
        self._delete_vectors(previous)
        self._lexical = None

    def sweep(self) -> int:
        """Delete vectors no committed chunk refers to (left by an interrupted write)."""
        if self.catalog.get_state("pending", "0") != "1":
            return 0
        stray = set(self.collection.get(include=[])["ids"]) - self.catalog.vector_ids()
        self._delete_vectors(stray)
        self.catalog.set_state("pending", "0")
        return len(stray)

    def _delete_vectors(self, ids: set[str]) -> None:
        ordered = sorted(ids)
        for i in range(0, len(ordered), self._max_batch()):
            self.collection.delete(ids=ordered[i : i + self._max_batch()])

    def _max_batch(self) -> int:
        return 1000  # well under Chroma's per-call limit

    def remembered(self, key: str, compute):
        """compute(), cached until the catalog's generation changes."""
        with self._lock:
            generation = self.catalog.generation()
            cached = self._per_generation.get(key)
            if cached is None or cached[0] != generation:
                cached = (generation, compute())
                self._per_generation[key] = cached
            return cached[1]

    def metas(self) -> dict[str, ArticleMeta]:
        """{article_id: metadata}, cached per catalog generation (read on every query)."""
        return self.remembered("metas", self.catalog.metas)

    def texts(self) -> dict[str, str]:
        """{article_id: canonical text}, cached per catalog generation."""
        return self.remembered(
            "texts", lambda: {a.article_id: a.text for a in self.catalog.articles()}
        )

    def article_dates(self) -> dict[str, list[EventDate]]:
        """{article_id: every date it gives, oldest first (found at ingest)}."""

        return {a: m.dates for a, m in self.metas().items()}

    # -- queries -----------------------------------------------------------------
    def dense_search(self, vector: np.ndarray, filters: Filters, n: int) -> list[tuple[str, float]]:
        """(vector id, cosine) of the n nearest vectors that pass the filters, best first."""
        n = min(n, self.remembered("count", self.collection.count))
        if n <= 0:
            return []
        found = self.collection.query(
            query_embeddings=[vector],
            n_results=n,
            where=where_clause(filters),
            include=["distances"],
        )
        return [(i, 1.0 - d) for i, d in zip(found["ids"][0], found["distances"][0], strict=True)]

    def vectors(self, vector_ids: list[str]) -> dict[str, np.ndarray]:
        """Stored vectors by id (for scoring candidates the dense search did not return)."""
        if not vector_ids:
            return {}
        found = self.collection.get(ids=vector_ids, include=["embeddings"])
        return dict(
            zip(found["ids"], np.asarray(found["embeddings"], dtype=np.float32), strict=True)
        )

    # -- lexical -------------------------------------------------------------------
    def lexical(self) -> LexicalIndex:
        """The lexical index of the current catalog generation (loaded, or rebuilt and saved)."""
        with self._lock:
            generation = self.catalog.generation()
            if self._lexical is None:
                self._lexical = LexicalIndex.load(self.settings.lexical_dir, generation)
            if self._lexical is None:
                self._lexical = self._build_lexical()
                self._lexical.save(self.settings.lexical_dir, generation)
            return self._lexical

    def _build_lexical(self) -> LexicalIndex:
        langs = {a.article_id: a.meta.lang for a in self.catalog.articles()}
        chunks = self.catalog.chunks()
        tokens = [tokenize(c.text, langs[c.article_id]) for c in chunks]
        return LexicalIndex.build([c.chunk_id for c in chunks], tokens)

    # -- checks ----------------------------------------------------------------------
    def verify(self) -> list[str]:
        """Problems that would make the store inconsistent; [] when every committed chunk
        has its vector and its lexical entry and every offset points at its text."""
        problems = []
        in_chroma = set(self.collection.get(include=[])["ids"])
        missing = self.catalog.vector_ids() - in_chroma
        if missing:
            problems.append(f"{len(missing)} committed chunk(s) without a vector")
        # A saved index of an older generation is stale, not wrong: lexical() rebuilds it.
        saved = LexicalIndex.load(self.settings.lexical_dir, self.catalog.generation())
        if saved and set(saved.chunk_ids) != {c.chunk_id for c in self.catalog.chunks()}:
            problems.append("lexical index does not match the catalog")
        misplaced = self.catalog.misplaced_sentences()
        if misplaced:
            problems.append(f"{misplaced} sentence(s) outside their chunk")
        for article in self.catalog.articles():
            for c in self.catalog.chunks(article.article_id):
                if article.text[c.start : c.end] != c.text:
                    problems.append(f"{c.chunk_id}: offsets do not match the canonical text")
        return problems

    def close(self) -> None:
        self.catalog.close()
