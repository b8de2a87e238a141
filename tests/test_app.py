"""The Streamlit workspace driven by AppTest, on the sample corpus, extractive backend."""

from __future__ import annotations

from html import escape

import pytest
from streamlit.testing.v1 import AppTest

from assistant.settings import Settings
from assistant.store import Store
from assistant.text.markdown import inert_markdown
from tests.conftest import ROOT

APP = str(ROOT / "assistant" / "ui" / "app.py")
QUESTION = "Какая российская система ПВО, по словам Путина, стала причиной катастрофы самолета?"


@pytest.fixture
def app(monkeypatch, corpus_store_dir):
    monkeypatch.setenv("ASSISTANT_STORE_DIR", str(corpus_store_dir))
    monkeypatch.setenv("ASSISTANT_BACKEND", "extractive")
    import streamlit as st

    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    return at


def rendered(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_chat_answers_with_citation_links_and_sources(app):
    app.chat_input[0].set_value(QUESTION).run()
    assert not app.exception
    [answer] = app.session_state["answers"]
    assert answer.citations
    text = rendered(app)
    assert "](?article=" in text  # each [n] is a link to its passage in the article viewer
    assert "Панцир" in text


def test_history_and_follow_up_and_new_chat(app):
    app.chat_input[0].set_value(QUESTION).run()
    app.chat_input[0].set_value("А что будет виновным?").run()
    answers = app.session_state["answers"]
    assert len(answers) == 2
    assert answers[1].standalone_question and QUESTION in answers[1].standalone_question
    next(b for b in app.button if b.label == "New chat").click().run()
    assert app.session_state["answers"] == []


def test_filters_apply_to_retrieval(app):
    app.sidebar.multiselect(key="f_langs").set_value(["uk"]).run()
    app.chat_input[0].set_value(QUESTION).run()
    [answer] = app.session_state["answers"]
    assert answer.passages and {p.meta.lang for p in answer.passages} == {"uk"}


def test_a_citation_url_opens_the_article_with_the_span_marked(monkeypatch, corpus_store_dir, app):
    [answer] = [app.chat_input[0].set_value(QUESTION).run().session_state["answers"][0]]
    c = answer.citations[0]
    viewer = AppTest.from_file(APP, default_timeout=60)
    viewer.query_params["article"] = c.article_id
    viewer.query_params["start"] = str(c.start)
    viewer.query_params["end"] = str(c.end)
    viewer.run()
    assert not viewer.exception
    html = "\n".join(e.value for e in viewer.get("html"))
    assert html.count('id="cited"') == 1  # one place to scroll to
    article = Store(Settings(store={"dir": corpus_store_dir})).catalog.article(c.article_id)
    first_paragraph = article.text[c.start : c.end].split("\n\n")[0]
    assert f'<mark id="cited">{escape(first_paragraph)}</mark>' in html


def test_briefing_page_drafts_links_and_offers_downloads(app):
    app.sidebar.radio(key="view").set_value("Briefing").run()
    app.text_input(key="brief_topic").set_value(
        "Who made concessions at the Dushanbe meeting in October 2025?"
    )
    next(b for b in app.button if b.label == "Draft briefing").click().run()
    assert not app.exception
    briefing = app.session_state["briefing"]
    assert briefing.sections and briefing.notes
    headers = [h.value for h in app.subheader]
    assert "Executive summary" in headers and "How the sources describe the same events" in headers
    assert "Timeline" in headers and "Sources" in headers
    text = rendered(app)
    assert "](?article=" in text  # every [n] links to its passage
    labels = [b.label for b in app.get("download_button")]
    assert labels == ["Markdown", "Word (DOCX)"]
    assert not [e for e in app.get("error")]


def test_lookup_groups_sources_and_shows_no_verdict(app):
    app.sidebar.radio(key="view").set_value("Lookup").run()
    app.text_area(key="claim").set_value("Путин извинился перед Алиевым за сбитый самолёт")
    next(b for b in app.button if b.label == "Look up").click().run()
    assert not app.exception
    claim, findings = app.session_state["lookup"]
    assert len(findings) >= 2
    assert len({f.article_id for f in findings}) == len(findings)  # one group per article
    headers = [h.value for h in app.main.subheader]
    assert all("not judged" in h for h in headers) and len(headers) == len(findings)


def test_answer_notes_show_their_text_as_written(app):
    # The note names the source from its metadata; its brackets and dots stay literal.
    app.chat_input[0].set_value("По данным АРВАК, как меняются отношения Москвы и Баку?").run()
    assert not app.exception
    [answer] = app.session_state["answers"]
    [note] = [w for w in answer.warnings if "АРВАК" in w]
    assert "(" in note
    assert f"⚠️ {inert_markdown(note)}" in [c.value for c in app.caption]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"article": "no_such_article", "start": "1", "end": "5"}, "Article not found"),
        ({"start": "-5", "end": "10"}, "not within this article"),
        ({"start": "10", "end": "99999999"}, "not within this article"),
        ({"start": "x", "end": "y"}, "not a pair of numbers"),
    ],
    ids=["unknown article", "negative", "huge", "non-numeric"],
)
def test_a_bad_link_says_so_and_marks_nothing(monkeypatch, corpus_store_dir, params, message):
    monkeypatch.setenv("ASSISTANT_STORE_DIR", str(corpus_store_dir))
    monkeypatch.setenv("ASSISTANT_BACKEND", "extractive")
    first = sorted(Store(Settings(store={"dir": corpus_store_dir})).metas())[0]
    viewer = AppTest.from_file(APP, default_timeout=60)
    for key, value in {"article": first, **params}.items():
        viewer.query_params[key] = value
    viewer.run()
    assert not viewer.exception
    said = " ".join(e.value for e in [*viewer.error, *viewer.warning])
    assert message in said.replace("\\", "")
    html = "\n".join(e.value for e in viewer.get("html"))
    assert "<mark" not in html
    assert not [c for c in viewer.caption if "Cited passage" in c.value]
