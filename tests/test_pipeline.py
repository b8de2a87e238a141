"""Ingest runs end to end: idempotence, changed files, --sync, and no half articles."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time

import numpy as np
import pytest

from assistant.catalog import Catalog
from assistant.store import Store
from assistant.text.endnotes import is_endnote_list
from ingest.chunking import MIN_SENTENCE_CHARS
from ingest.pipeline import ingest_paths
from tests.conftest import BIN


def vector_ids_by_article(store: Store) -> dict[str, set[str]]:
    ids = store.collection.get(include=[])["ids"]
    grouped: dict[str, set[str]] = {}
    for vector_id in ids:
        grouped.setdefault(vector_id.split(":")[0], set()).add(vector_id)
    return grouped


def test_second_ingest_changes_nothing(warm_settings, corpus_copy, embedder):
    store = Store(warm_settings, embedder)
    first = ingest_paths([corpus_copy], warm_settings, store=store)
    assert first.count("added") == 5
    generation, ids = store.catalog.generation(), vector_ids_by_article(store)

    second = ingest_paths([corpus_copy], warm_settings, store=Store(warm_settings, embedder))
    assert [o.status for o in second.outcomes] == ["unchanged"] * 5
    assert second.chunks_embedded == 0
    assert store.catalog.generation() == generation
    assert vector_ids_by_article(store) == ids


def test_changed_file_replaces_exactly_its_own_chunks(warm_settings, corpus_copy, embedder):
    store = Store(warm_settings, embedder)
    ingest_paths([corpus_copy], warm_settings, store=store)
    before = vector_ids_by_article(store)
    changed = corpus_copy / "003_6a9e746345d741fe.txt"
    changed.write_text(
        changed.read_text(encoding="utf-8")[:3000] + "\n\nНовый абзац в конце.\n", encoding="utf-8"
    )

    report = ingest_paths([corpus_copy], warm_settings, store=store)
    assert {o.article_id: o.status for o in report.outcomes}["003_6a9e746345d741fe"] == "updated"
    assert report.count("unchanged") == 4
    assert report.chunks_embedded <= 3  # only the chunks whose text changed
    after = vector_ids_by_article(store)
    for article_id, ids in before.items():
        if article_id != "003_6a9e746345d741fe":
            assert after[article_id] == ids
    new_chunks = store.catalog.chunks("003_6a9e746345d741fe")
    assert after["003_6a9e746345d741fe"] == store.catalog.vector_ids("003_6a9e746345d741fe")
    assert (
        len(after["003_6a9e746345d741fe"]) == len(new_chunks) < len(before["003_6a9e746345d741fe"])
    )
    assert new_chunks[-1].text.endswith("Новый абзац в конце.")
    assert store.verify() == []
    assert set(store.lexical().chunk_ids) == {c.chunk_id for c in store.catalog.chunks()}


def sentence_rows(store: Store, prefix: str = "") -> int:
    with sqlite3.connect(store.settings.catalog_path) as db:
        return db.execute(
            "SELECT COUNT(*) FROM sentences WHERE chunk_id LIKE ?", (prefix + "%",)
        ).fetchone()[0]


def test_sentences_are_stored_with_exact_offsets_and_their_own_vectors(
    warm_settings, corpus_copy, embedder
):
    store = Store(warm_settings, embedder)
    report = ingest_paths([corpus_copy], warm_settings, store=store)
    texts = {a.article_id: a.text for a in store.catalog.articles()}
    chunks = store.catalog.chunks()
    stored = store.catalog.sentence_vectors([c.chunk_id for c in chunks])
    # Every sample chunk has scored sentences but the one that is all endnotes.
    assert set(stored) == {c.chunk_id for c in chunks if not is_endnote_list(c.text)}
    assert report.count("added") == 5 and sentence_rows(store) == sum(
        len(s.spans) for s in stored.values()
    )
    for c in chunks:
        spans, vectors = stored.get(c.chunk_id, ([], np.zeros((0, 384))))
        assert spans == sorted(spans) and len(spans) == len(vectors)
        for a, b in spans:
            assert c.start <= a < b <= c.end and b - a >= MIN_SENTENCE_CHARS
        assert all(b <= a2 for (_, b), (a2, _) in zip(spans, spans[1:], strict=False))
        assert np.linalg.norm(vectors, axis=1) == pytest.approx(1.0, abs=1e-3)
    sample = chunks[7]
    a, b = stored[sample.chunk_id].spans[1]
    fresh = embedder.embed_passages([texts[sample.article_id][a:b]])[0]
    assert float(fresh @ stored[sample.chunk_id].vectors[1]) == pytest.approx(1.0, abs=1e-3)

    assert store.verify() == []
    with sqlite3.connect(warm_settings.catalog_path) as db:
        db.execute(
            'UPDATE sentences SET "end" = "end" + 100000 WHERE chunk_id = ?', (sample.chunk_id,)
        )
    assert "sentence(s) outside their chunk" in " ".join(store.verify())


def test_an_updated_or_removed_article_leaves_no_sentences_behind(
    warm_settings, corpus_copy, embedder
):
    store = Store(warm_settings, embedder)
    ingest_paths([corpus_copy], warm_settings, store=store)
    before = sentence_rows(store, "003_")
    changed = corpus_copy / "003_6a9e746345d741fe.txt"
    changed.write_text(changed.read_text(encoding="utf-8")[:3000] + "\n", encoding="utf-8")
    (corpus_copy / "004_19fea5466d238c97.txt").unlink()

    ingest_paths([corpus_copy], warm_settings, store=store, sync=True)
    chunk_ids = [c.chunk_id for c in store.catalog.chunks("003_6a9e746345d741fe")]
    assert 0 < sentence_rows(store, "003_") < before
    assert sentence_rows(store, "003_") == sum(
        len(s.spans) for s in store.catalog.sentence_vectors(chunk_ids).values()
    )
    assert sentence_rows(store, "004_") == 0
    assert store.verify() == []


def test_sync_removes_articles_whose_files_are_gone(warm_settings, corpus_copy, embedder):
    store = Store(warm_settings, embedder)
    ingest_paths([corpus_copy], warm_settings, store=store)
    (corpus_copy / "004_19fea5466d238c97.txt").unlink()

    without_sync = ingest_paths([corpus_copy], warm_settings, store=store)
    assert without_sync.count("removed") == 0 and store.catalog.article("004_19fea5466d238c97")

    report = ingest_paths([corpus_copy], warm_settings, store=store, sync=True)
    assert [o.article_id for o in report.outcomes if o.status == "removed"] == [
        "004_19fea5466d238c97"
    ]
    assert store.catalog.article("004_19fea5466d238c97") is None
    assert "004_19fea5466d238c97" not in vector_ids_by_article(store)
    assert not any(i.startswith("004_") for i in store.lexical().chunk_ids)
    assert store.verify() == []


def test_sidecar_change_updates_metadata_without_embedding(warm_settings, corpus_copy, embedder):
    store = Store(warm_settings, embedder)
    ingest_paths([corpus_copy], warm_settings, store=store)
    sidecar = corpus_copy / "sources.toml"
    sidecar.write_text(
        sidecar.read_text(encoding="utf-8")
        + '\n["004_19fea5466d238c97"]\noutlet = "Test outlet"\n',
        encoding="utf-8",
    )

    report = ingest_paths([corpus_copy], warm_settings, store=store)
    assert report.count("updated") == 1 and report.chunks_embedded == 0
    assert store.catalog.article("004_19fea5466d238c97").meta.outlet == "Test outlet"
    hits = store.collection.get(where={"article_id": "004_19fea5466d238c97"}, include=["metadatas"])
    assert {m["outlet"] for m in hits["metadatas"]} == {"Test outlet"}


def test_a_write_interrupted_before_its_commit_leaves_nothing_visible(
    monkeypatch, warm_settings, corpus_copy, embedder
):
    store = Store(warm_settings, embedder)
    real_save = Catalog.save_article

    def crash_on_002(self, article, chunks, vector_ids, sentences=None):
        if article.article_id.startswith("002"):
            raise KeyboardInterrupt  # as if the process died between Chroma and the catalog
        return real_save(self, article, chunks, vector_ids, sentences)

    monkeypatch.setattr(Catalog, "save_article", crash_on_002)
    with pytest.raises(KeyboardInterrupt):
        ingest_paths([corpus_copy], warm_settings, store=store)
    assert store.catalog.article("002_811401800cfb28a0") is None
    assert sentence_rows(store, "002_") == 0
    assert store.verify() == []
    assert store.collection.count() > len(store.catalog.chunks())  # stray vectors, unreferenced

    monkeypatch.setattr(Catalog, "save_article", real_save)
    report = ingest_paths([corpus_copy], warm_settings, store=Store(warm_settings, embedder))
    assert report.count("unchanged") == 2 and report.count("added") == 3  # 000, 001 were done
    assert store.collection.count() == len(store.catalog.chunks())  # swept
    assert store.verify() == []


def committed_articles(catalog_path) -> int:
    try:
        with sqlite3.connect(catalog_path, timeout=1) as db:
            return db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_sigkill_mid_ingest_leaves_a_consistent_store(tmp_path, corpus_copy, embedder):
    """A real ingest process, killed with SIGKILL after its first article (cold cache,
    so the embedder is busy), leaves a consistent store; the next run does the rest."""
    store_dir = tmp_path / "store"
    env = {**os.environ, "ASSISTANT_STORE_DIR": str(store_dir)}
    proc = subprocess.Popen(
        [str(BIN / "assistant"), "ingest", str(corpus_copy)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while committed_articles(store_dir / "catalog.sqlite") < 1 and time.monotonic() < deadline:
        assert proc.poll() is None, "ingest finished before it could be killed"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    from assistant.settings import Settings

    settings = Settings(store={"dir": store_dir})
    store = Store(settings, embedder)
    done = len(store.catalog.articles())
    assert 1 <= done < 5
    assert store.verify() == []
    for article in store.catalog.articles():  # every committed article is whole
        chunks = store.catalog.chunks(article.article_id)
        assert len(
            store.collection.get(ids=sorted(store.catalog.vector_ids(article.article_id)))["ids"]
        ) == len(chunks)

    report = ingest_paths([corpus_copy], settings, store=store)
    assert report.count("unchanged") == done and report.count("added") == 5 - done
    assert store.verify() == []
    assert store.collection.count() == len(store.catalog.chunks())
    assert set(store.lexical().chunk_ids) == {c.chunk_id for c in store.catalog.chunks()}
