"""Files -> articles in the store. Idempotent: a file whose bytes, sidecar entry and
pipeline version are unchanged is skipped without being read twice or embedded."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

from assistant.embedding import VectorCache, embed_passages_cached, embedder_name
from assistant.settings import Settings
from assistant.store import Store
from assistant.text.dates import article_dates
from assistant.text.injection import INSTRUCTION_PATTERNS, instruction_spans
from assistant.types import Article, Chunk, IngestOutcome, IngestReport, SentenceVectors
from ingest.chunking import chunk_sentences, chunk_text
from ingest.clean import canonicalize
from ingest.loaders import LoadError, parse_bytes, read_file
from ingest.metadata import SIDECAR_NAME, apply_sidecar, extract_meta, load_sidecar

# Bump when cleaning, metadata extraction, chunking or what is embedded changes what an
# article becomes. 3: sentence vectors for sentence-level scoring; 4: endnotes unscored;
# 5: paragraph-aware chunks of up to 1200 characters; 6: lexical tokens stemmed by script;
# 7: a leading date field of a plain-text file is metadata, not text; 8: sentences
# addressed to an AI assistant are found and stored (ArticleMeta.instructions); 9: the
# dates an article gives are stored (ArticleMeta.dates): the store needs no question rules.
PIPELINE_VERSION = "9"

Progress = Callable[[IngestOutcome], None]


def discover(paths: Iterable[Path]) -> list[Path]:
    """Files to ingest: given files, and every non-hidden file under given folders."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.name != SIDECAR_NAME
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            found.append(path)
    return found


def fingerprint(raw_sha256: str, overrides: dict[str, Any], settings: Settings) -> str:
    """What decides whether an article must be rebuilt."""
    basis = [
        raw_sha256,
        PIPELINE_VERSION,
        embedder_name(settings),
        settings.ingest.chunk_chars,
        settings.ingest.chunk_overlap_chars,
        overrides,
    ]
    return hashlib.sha256(json.dumps(basis, sort_keys=True, default=str).encode()).hexdigest()


def text_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Ingestion:
    """One ingest run over a store: knows what is already there, and reports per file."""

    def __init__(self, store: Store, progress: Progress | None = None) -> None:
        self.store = store
        self.settings = store.settings
        self.progress = progress or (lambda outcome: None)
        self.cache = VectorCache(self.settings.vectors_path)
        self.known = store.catalog.fingerprints()
        self.by_text = {text_sha(a.text): a.article_id for a in store.catalog.articles()}
        self.sources = {a.article_id: a.source_path for a in store.catalog.articles()}
        self.sidecars: dict[Path, dict[str, dict[str, Any]]] = {}
        self.claimed: set[str] = set()  # ids taken in this run
        self._patterns: np.ndarray | None = None  # INSTRUCTION_PATTERNS' vectors, when needed

    def run(self, paths: list[Path], sync: bool = False) -> IngestReport:
        started = time.perf_counter()
        if self.store.catalog.get_state("pending", "0") == "1":
            self.store.sweep()
        report = IngestReport()
        for path in discover(paths):
            outcome = self.ingest_file(path)
            report.outcomes.append(outcome)
            self.progress(outcome)
        if sync:
            report.outcomes += self.remove_missing()
        if any(o.status in ("added", "updated", "removed") for o in report.outcomes):
            self.store.lexical()  # rebuild and persist for the new generation
        self.cache.close()
        report.seconds = time.perf_counter() - started
        return report

    def ingest_file(self, path: Path) -> IngestOutcome:
        """Ingest one file; every failure becomes a one-line reason, never an exception."""
        article_id = path.stem
        try:
            outcome = self._ingest(path, article_id)
        except LoadError as exc:
            return IngestOutcome(
                path=str(path), status="skipped", article_id=article_id, reason=str(exc)
            )
        except (OSError, ValueError) as exc:
            return IngestOutcome(
                path=str(path),
                status="skipped",
                article_id=article_id,
                reason=f"{type(exc).__name__}: {exc}",
            )
        if outcome.status in ("added", "updated", "unchanged"):
            self.claimed.add(article_id)
        return outcome

    def _ingest(self, path: Path, article_id: str) -> IngestOutcome:
        outcome = IngestOutcome(path=str(path), status="skipped", article_id=article_id)
        if article_id in self.claimed or self._id_taken(article_id, path):
            return outcome.model_copy(
                update={"reason": f"another file already uses the id '{article_id}'"}
            )
        overrides = self._sidecar(path.parent).get(article_id, {})
        data = read_file(path, self._max_bytes())
        raw_sha = hashlib.sha256(data).hexdigest()
        current = fingerprint(raw_sha, overrides, self.settings)
        if self.known.get(article_id) == current:
            chunks = len(self.store.catalog.chunks(article_id))
            return outcome.model_copy(update={"status": "unchanged", "chunks": chunks})
        loaded = parse_bytes(data, path.suffix)
        text = canonicalize(loaded.text)
        if not text:
            raise LoadError("no text left after cleaning")
        twin = self.by_text.get(text_sha(text))
        if twin and twin != article_id:
            return outcome.model_copy(
                update={"status": "duplicate", "reason": f"same text as {twin}"}
            )
        meta = apply_sidecar(extract_meta(text, loaded.text, loaded.hints), overrides)
        article = Article(
            article_id=article_id,
            source_path=str(path),
            raw_sha256=raw_sha,
            fingerprint=current,
            text=text,
            meta=meta,
        )
        chunks = chunk_text(
            article_id,
            text,
            self.settings.ingest.chunk_chars,
            self.settings.ingest.chunk_overlap_chars,
        )
        vectors, embedded = embed_passages_cached(
            self.store.embedder, self.cache, [c.text for c in chunks], self.settings.embed.batch
        )
        sentences, sentences_embedded = self._sentences(text, chunks)
        article.meta.instructions = self._instructions(text, meta.lang, sentences)
        article.meta.dates = article_dates(text, meta.published)
        self.store.write_article(article, chunks, vectors, sentences)
        self.by_text[text_sha(text)] = article_id
        status = "updated" if article_id in self.known else "added"
        return outcome.model_copy(
            update={
                "status": status,
                "chunks": len(chunks),
                "embedded": embedded,
                "sentences_embedded": sentences_embedded,
                "reason": "; ".join(loaded.notes) or None,
            }
        )

    def _instructions(
        self, text: str, lang: str, sentences: list[SentenceVectors]
    ) -> list[tuple[int, int]]:
        """Spans of the article's sentences addressed to an AI assistant, from their
        vectors (assistant/text/injection.py); overlapping chunks share sentences."""
        spans: dict[tuple[int, int], np.ndarray] = {}
        for found in sentences:
            for span, vector in zip(found.spans, found.vectors, strict=True):
                spans.setdefault(tuple(span), vector)
        if not spans:
            return []

        def embed(texts: list[str]) -> np.ndarray:
            return embed_passages_cached(self.store.embedder, self.cache, texts)[0]

        if self._patterns is None:
            self._patterns = embed(list(INSTRUCTION_PATTERNS))
        keys = sorted(spans)
        return instruction_spans(
            text, keys, np.stack([spans[k] for k in keys]), self._patterns, embed, lang
        )

    def _sentences(self, text: str, chunks: list[Chunk]) -> tuple[list[SentenceVectors], int]:
        """Each chunk's scored sentences with their vectors (overlapping chunks share
        sentences, which the cache embeds once), and how many were newly embedded."""
        spans = [chunk_sentences(c) for c in chunks]
        texts = [text[a:b] for found in spans for a, b in found]
        vectors, embedded = embed_passages_cached(
            self.store.embedder, self.cache, texts, self.settings.embed.batch
        )
        out, row = [], 0
        for found in spans:
            out.append(SentenceVectors([(a, b) for a, b in found], vectors[row : row + len(found)]))
            row += len(found)
        return out, embedded

    def remove_missing(self) -> list[IngestOutcome]:
        """--sync: remove articles whose source file no longer exists."""
        removed = []
        for article_id, source in sorted(self.sources.items()):
            if not Path(source).exists():
                self.store.remove_article(article_id)
                removed.append(
                    IngestOutcome(
                        path=source, status="removed", article_id=article_id, reason="file is gone"
                    )
                )
        return removed

    def _id_taken(self, article_id: str, path: Path) -> bool:
        """True when a different, still existing file was ingested under this id."""
        source = self.sources.get(article_id)
        return (
            source is not None
            and Path(source).resolve() != path.resolve()
            and Path(source).exists()
        )

    def _sidecar(self, directory: Path) -> dict[str, dict[str, Any]]:
        if directory not in self.sidecars:
            self.sidecars[directory] = load_sidecar(directory)
        return self.sidecars[directory]

    def _max_bytes(self) -> int:
        return int(self.settings.ingest.max_file_mb * 2**20)


def ingest_paths(
    paths: list[Path],
    settings: Settings,
    store: Store | None = None,
    sync: bool = False,
    progress: Progress | None = None,
) -> IngestReport:
    """Ingest files and folders into the store described by settings."""
    own = store is None
    store = store or Store(settings)
    try:
        return Ingestion(store, progress).run(paths, sync=sync)
    finally:
        if own:
            store.close()
