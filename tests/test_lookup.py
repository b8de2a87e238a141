"""Citation lookup over the sample corpus: per source, the sentences closest to the claim
at their exact offsets, translated into the claim's language by a model on an
OpenAI-protocol server on 127.0.0.1, and never a verdict that no measured method gave."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from assistant.answering.lookup import PER_SOURCE, SOURCES, lookup
from assistant.llm.chat import make_chat_model
from assistant.settings import Settings
from assistant.store import Store
from assistant.types import NOT_JUDGED
from tests.conftest import ROOT
from tests.test_answer import english, fenced_text

CLAIM = "Россия вновь задаёт правила на Кавказе"
CLAIM_EN = "Putin apologised to Aliyev for the downed airliner"


@pytest.fixture
def store(corpus_store_dir, embedder):
    return Store(Settings(store={"dir": corpus_store_dir}), embedder)


def test_each_source_shows_its_closest_sentences_at_exact_offsets(store):
    findings = lookup(CLAIM, store)
    ids = [f.article_id for f in findings]
    assert len(ids) == len(set(ids)) >= 2 and len(ids) <= SOURCES
    for f in findings:
        assert 1 <= len(f.evidence) <= PER_SOURCE
        assert f.verdict is None and f.note == NOT_JUDGED
        article = store.catalog.article(f.article_id)
        for e in f.evidence:
            assert article.text[e.start : e.end] == e.text and e.article_id == f.article_id
            assert e.translation is None  # no model: the original
    assert any("задаёт правила" in e.text for e in findings[0].evidence)


def lookup_with_fake(store, fake, tmp_path):
    """CLAIM_EN looked up with the fake as the model (its translations cached apart)."""
    settings = Settings(
        backend="openai",
        openai_base_url=fake.base_url,
        store={"dir": store.settings.store.dir},
        llm={"timeout": 5},
        answer={"translation_cache": tmp_path / "translations.sqlite"},
    )
    return lookup(CLAIM_EN, store, make_chat_model(settings), settings=settings)


def test_with_a_model_the_sentences_are_translated_into_the_claims_language(
    store, openai_fake, tmp_path
):
    openai_fake.script(respond=lambda body: json.dumps({"translation": english(fenced_text(body))}))
    findings = lookup_with_fake(store, openai_fake, tmp_path)
    foreign = [e for f in findings for e in f.evidence if e.lang != "en"]
    assert foreign and all(e.translation.translated for e in foreign)
    assert all(f.verdict is None and f.note == NOT_JUDGED for f in findings)


def test_a_failing_model_leaves_the_originals_not_a_crash(store, openai_fake, tmp_path):
    openai_fake.script(failure="http_500")
    findings = lookup_with_fake(store, openai_fake, tmp_path)
    evidence = [e for f in findings for e in f.evidence]
    assert evidence and all(not e.translation or not e.translation.translated for e in evidence)


def test_lookup_view_looks_up_on_the_first_click(monkeypatch, corpus_store_dir):
    monkeypatch.setenv("ASSISTANT_STORE_DIR", str(corpus_store_dir))
    monkeypatch.setenv("ASSISTANT_BACKEND", "extractive")
    at = AppTest.from_file(str(ROOT / "assistant" / "ui" / "app.py"), default_timeout=120)
    at.run()
    at.sidebar.radio(key="view").set_value("Lookup").run()
    at.text_area(key="claim").set_value(CLAIM)
    next(b for b in at.button if b.label == "Look up").click().run()
    assert not at.exception
    assert "lookup" in at.session_state
    assert any(NOT_JUDGED in s.value for s in at.subheader)
