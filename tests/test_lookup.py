"""Citation lookup over the sample corpus: grouping by source, verdicts from a model on
an OpenAI-protocol server on 127.0.0.1, and similarity only without one."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from assistant.llm import make_chat_model
from assistant.lookup import PER_SOURCE, lookup
from assistant.settings import Settings
from assistant.store import Store
from tests.conftest import ROOT

CLAIM = "Россия вновь задаёт правила на Кавказе"


@pytest.fixture
def store(corpus_store_dir, embedder):
    return Store(Settings(store_dir=corpus_store_dir), embedder)


def test_sources_are_grouped_with_their_best_passages(store):
    findings = lookup(CLAIM, store)
    ids = [f.article_id for f in findings]
    assert len(ids) == len(set(ids)) >= 2
    assert all(1 <= len(f.passages) <= PER_SOURCE for f in findings)
    assert all(f.verdict is None for f in findings)  # no model: similarity only
    assert any("задаёт правила" in p.chunk.text for p in findings[0].passages)


@pytest.mark.parametrize(
    "reply, verdict", [("contradicts", "contradicts"), ("Supports.", "supports"), ("hmm", None)]
)
def test_each_source_gets_the_models_verdict(store, openai_fake, reply, verdict):
    openai_fake.script(reply)
    settings = Settings(backend="openai", openai_base_url=openai_fake.base_url, llm_timeout=5)
    findings = lookup(CLAIM, store, make_chat_model(settings))
    assert {f.verdict for f in findings} == {verdict}
    assert len(openai_fake.requests) == len(findings)  # one judgement per source
    prompt = openai_fake.requests[0].body["messages"][-1]["content"]
    assert prompt.startswith(f"Claim: {CLAIM}") and prompt.count("</passages>") == 1
    if verdict is None:
        assert all(f.note and "unclear" in f.note for f in findings)


def test_a_failing_model_leaves_a_note_not_a_crash(store, openai_fake):
    openai_fake.script(failure="http_500")
    settings = Settings(backend="openai", openai_base_url=openai_fake.base_url, llm_timeout=5)
    findings = lookup(CLAIM, store, make_chat_model(settings))
    assert findings and all(f.verdict is None and f.note.startswith("no verdict") for f in findings)


def test_lookup_view(monkeypatch, corpus_store_dir):
    monkeypatch.setenv("ASSISTANT_STORE_DIR", str(corpus_store_dir))
    monkeypatch.setenv("ASSISTANT_BACKEND", "extractive")
    at = AppTest.from_file(str(ROOT / "assistant" / "app.py"), default_timeout=120)
    at.run()
    at.sidebar.radio(key="view").set_value("Lookup").run()
    at.text_area(key="claim").set_value(CLAIM).run()
    next(b for b in at.button if b.label == "Look up").click().run()
    assert not at.exception
    assert any("similarity only" in s.value for s in at.subheader)
    assert any("<mark" in h.value for h in at.get("html"))
