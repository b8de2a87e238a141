"""The llama-index adapter: retrieve() behind a BaseRetriever, in a RetrieverQueryEngine
whose LLM is OpenAILike over an OpenAI-compatible endpoint (the fake, on loopback)."""

from __future__ import annotations

from llama_index.core.query_engine import RetrieverQueryEngine
from llama_index.llms.openai_like import OpenAILike

from assistant.retrieval.search import HybridRetriever, retrieve
from assistant.settings import Settings
from assistant.store import Store

QUESTION = "Где встретились Путин и Алиев в октябре 2025 года?"
REPLY = "They met in Dushanbe."


def test_the_retriever_serves_a_query_engine(corpus_store_dir, embedder, openai_fake):
    openai_fake.script(REPLY)
    settings = Settings(store={"dir": corpus_store_dir})
    store = Store(settings, embedder)
    params = settings.retrieval.params(k=3)
    llm = OpenAILike(
        model="test-model",
        api_base=openai_fake.base_url,
        api_key="sk-test",
        is_chat_model=True,
        context_window=4096,
    )
    engine = RetrieverQueryEngine.from_args(HybridRetriever(store, params), llm=llm)
    response = engine.query(QUESTION)
    expected = retrieve(QUESTION, store, params).passages
    texts = {a.article_id: a.text for a in store.catalog.articles()}
    store.close()

    assert str(response) == REPLY
    assert [n.node.node_id for n in response.source_nodes] == [p.chunk.chunk_id for p in expected]
    for node, passage in zip(response.source_nodes, expected, strict=True):
        meta = node.node.metadata
        assert meta["article_id"] == passage.article_id and meta["lang"] == passage.meta.lang
        assert texts[meta["article_id"]][meta["start"] : meta["end"]] == node.node.get_content()
        assert node.score == passage.score
    prompt = " ".join(m["content"] for m in openai_fake.requests[-1].body["messages"])
    assert expected[0].chunk.text[:80] in prompt  # the model read the top passage
    assert f"source: {expected[0].meta.source_label}" in prompt  # it knows whose words
    assert f"start: {expected[0].chunk.start}" not in prompt  # offsets are for citing only
