"""The catalog: articles, their canonical text and their chunks, in SQLite.

The catalog is the commit point of an ingest. An article becomes visible when its row
and all its chunk rows are committed in one transaction; vectors written to Chroma
before that commit stay invisible (retrieval only returns vector ids the catalog
knows) and are swept on the next write.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Literal

import numpy as np

from assistant.types import Article, ArticleMeta, Chunk, SentenceVectors

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    article_id TEXT PRIMARY KEY,
    source_path TEXT NOT NULL,
    raw_sha256 TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    text TEXT NOT NULL,
    meta TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(article_id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    vector_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_by_article ON chunks(article_id, ordinal);
CREATE INDEX IF NOT EXISTS chunks_by_vector ON chunks(vector_id);
CREATE TABLE IF NOT EXISTS sentences (
    chunk_id TEXT NOT NULL REFERENCES chunks(chunk_id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    vector BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS sentences_by_chunk ON sentences(chunk_id);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class Catalog:
    """Articles and chunks; every write is one transaction and bumps the generation."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # One catalog serves every session thread of the app; SQLite serialises access.
        self._db = sqlite3.connect(path, timeout=30, check_same_thread=False)
        self._db.execute("PRAGMA foreign_keys = ON")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.executescript(_SCHEMA)

    # -- reads ---------------------------------------------------------------
    def fingerprints(self) -> dict[str, str]:
        """{article_id: fingerprint} of every committed article."""
        return dict(self._db.execute("SELECT article_id, fingerprint FROM articles"))

    def raw_hashes(self) -> dict[str, str]:
        """{raw_sha256: article_id}, to spot the same file under another name."""
        return {h: a for a, h in self._db.execute("SELECT article_id, raw_sha256 FROM articles")}

    def article(self, article_id: str) -> Article | None:
        row = self._db.execute(
            "SELECT article_id, source_path, raw_sha256, fingerprint, text, meta"
            " FROM articles WHERE article_id=?",
            (article_id,),
        ).fetchone()
        return _article(row) if row else None

    def articles(self) -> list[Article]:
        rows = self._db.execute(
            "SELECT article_id, source_path, raw_sha256, fingerprint, text, meta"
            " FROM articles ORDER BY article_id"
        )
        return [_article(r) for r in rows]

    def chunks(self, article_id: str | None = None) -> list[Chunk]:
        query = 'SELECT article_id, ordinal, start, "end", text FROM chunks'
        args: tuple = ()
        if article_id is not None:
            query, args = query + " WHERE article_id=?", (article_id,)
        rows = self._db.execute(query + " ORDER BY article_id, ordinal", args)
        return [Chunk(article_id=a, ordinal=o, start=s, end=e, text=t) for a, o, s, e, t in rows]

    def find_chunks(
        self, keys: list[str], by: Literal["vector_id", "chunk_id"]
    ) -> dict[str, tuple[Chunk, str]]:
        """{key: (chunk, vector id)} of committed chunks; unknown keys are absent, so
        vectors of an uncommitted write never surface."""
        found: dict[str, tuple[Chunk, str]] = {}
        for i in range(0, len(keys), 500):
            batch = keys[i : i + 500]
            rows = self._db.execute(
                f'SELECT {by}, vector_id, article_id, ordinal, start, "end", text FROM chunks'
                f" WHERE {by} IN ({','.join('?' * len(batch))})",
                batch,
            )
            for key, vector_id, a, o, s, e, t in rows:
                chunk = Chunk(article_id=a, ordinal=o, start=s, end=e, text=t)
                found[key] = (chunk, vector_id)
        return found

    def sentence_vectors(self, chunk_ids: list[str]) -> dict[str, SentenceVectors]:
        """{chunk_id: its scored sentences}; chunks without any are absent."""
        rows: dict[str, tuple[list[tuple[int, int]], list[bytes]]] = {}
        for i in range(0, len(chunk_ids), 500):
            batch = chunk_ids[i : i + 500]
            found = self._db.execute(
                'SELECT chunk_id, start, "end", vector FROM sentences'
                f" WHERE chunk_id IN ({','.join('?' * len(batch))}) ORDER BY rowid",
                batch,
            )
            for chunk_id, start, end, vector in found:
                spans, blobs = rows.setdefault(chunk_id, ([], []))
                spans.append((start, end))
                blobs.append(vector)
        return {
            cid: SentenceVectors(
                spans, np.frombuffer(b"".join(blobs), np.float32).reshape(len(spans), -1)
            )
            for cid, (spans, blobs) in rows.items()
        }

    def misplaced_sentences(self) -> int:
        """Sentences whose offsets fall outside their chunk (0 in a consistent catalog)."""
        return self._db.execute(
            "SELECT COUNT(*) FROM sentences s JOIN chunks c USING (chunk_id)"
            ' WHERE s.start < c.start OR s."end" > c."end" OR s.start >= s."end"'
        ).fetchone()[0]

    def metas(self) -> dict[str, ArticleMeta]:
        """{article_id: metadata} of every committed article."""
        rows = self._db.execute("SELECT article_id, meta FROM articles")
        return {a: ArticleMeta.model_validate(json.loads(m)) for a, m in rows}

    def vector_ids(self, article_id: str | None = None) -> set[str]:
        if article_id is None:
            return {v for (v,) in self._db.execute("SELECT vector_id FROM chunks")}
        rows = self._db.execute("SELECT vector_id FROM chunks WHERE article_id=?", (article_id,))
        return {v for (v,) in rows}

    def generation(self) -> int:
        """Increases with every committed change; derived indexes are tagged with it."""
        return int(self.get_state("generation", "0"))

    def get_state(self, key: str, default: str) -> str:
        row = self._db.execute("SELECT value FROM state WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    # -- writes ----------------------------------------------------------------
    def set_state(self, key: str, value: str) -> None:
        with self._db:
            self._db.execute("INSERT OR REPLACE INTO state VALUES (?, ?)", (key, value))

    def save_article(
        self,
        article: Article,
        chunks: list[Chunk],
        vector_ids: list[str],
        sentences: list[SentenceVectors] | None = None,
    ) -> None:
        """Replace the article, all its chunks and their sentences in one transaction."""
        with self._db:
            self._db.execute("DELETE FROM articles WHERE article_id=?", (article.article_id,))
            self._db.execute(
                "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?)",
                (
                    article.article_id,
                    article.source_path,
                    article.raw_sha256,
                    article.fingerprint,
                    article.text,
                    article.meta.model_dump_json(),
                ),
            )
            self._db.executemany(
                "INSERT INTO chunks VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (c.chunk_id, c.article_id, c.ordinal, c.start, c.end, c.text, v)
                    for c, v in zip(chunks, vector_ids, strict=True)
                ],
            )
            per_chunk = zip(chunks, sentences or [], strict=sentences is not None)
            self._db.executemany(
                "INSERT INTO sentences VALUES (?, ?, ?, ?)",
                [
                    (c.chunk_id, a, b, np.asarray(v, np.float32).tobytes())
                    for c, found in per_chunk
                    for (a, b), v in zip(found.spans, found.vectors, strict=True)
                ],
            )
            self._bump()

    def remove_article(self, article_id: str) -> None:
        with self._db:
            self._db.execute("DELETE FROM articles WHERE article_id=?", (article_id,))
            self._bump()

    def _bump(self) -> None:
        self._db.execute(
            "INSERT INTO state VALUES ('generation', '1') ON CONFLICT(key)"
            " DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    def close(self) -> None:
        self._db.close()


def _article(row: tuple) -> Article:
    article_id, source_path, raw_sha256, fingerprint, text, meta = row
    return Article(
        article_id=article_id,
        source_path=source_path,
        raw_sha256=raw_sha256,
        fingerprint=fingerprint,
        text=text,
        meta=ArticleMeta.model_validate(json.loads(meta)),
    )
