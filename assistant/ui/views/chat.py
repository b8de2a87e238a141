"""The chat page: history in session state, streamed answers, clickable citations."""

from __future__ import annotations

import streamlit as st

from assistant.answering.answer import Asker, stream_answer
from assistant.prompts import EVIDENCE_HEADING
from assistant.settings import Settings
from assistant.store import Store
from assistant.text.markdown import inert_markdown as _md
from assistant.types import Answer, ChatTurn, Delta, Filters
from assistant.ui.conversation import (
    citation_url,
    conversation_markdown,
    evidence_markdown,
    lead_markdown,
    linked_answer,
)


def render(settings: Settings, store: Store, filters: Filters) -> None:
    answers: list[Answer] = st.session_state.setdefault("answers", [])
    head, new_chat, download = st.columns([6, 1, 1])
    head.title("Ask the articles")
    if new_chat.button("New chat", use_container_width=True):
        answers.clear()
    for answer in answers:
        show(answer)
    question = st.chat_input("Ask in English, Russian or Ukrainian…")
    if question:
        try:
            answers.append(ask_streaming(settings, store, question, answers, filters))
        except Exception as exc:  # the page shows one line, never a traceback
            detail = str(exc).splitlines()[0][:200] if str(exc) else ""
            st.error(f"Could not answer ({type(exc).__name__}: {detail}).")
    download.download_button(  # drawn last, so it holds the answer just given
        "Download",
        conversation_markdown(answers),
        "conversation.md",
        "text/markdown",
        disabled=not answers,
        use_container_width=True,
    )


def show(answer: Answer) -> None:
    with st.chat_message("user"):
        st.text(answer.question)
    with st.chat_message("assistant"):
        show_answer(answer)


def show_answer(answer: Answer) -> None:
    """The lead, then the evidence list (translation, source, date, [n] chip; the original
    on hover), then the notes and the sources."""
    if not answer.evidence:
        st.markdown(linked_answer(answer))
    else:
        if answer.lead is not None:
            st.markdown(lead_markdown(answer))
            heading = EVIDENCE_HEADING[answer.language]
        else:  # the refusal, or the note that quotes stand untranslated
            heading = answer.answer.split("\n", 1)[0]
        st.markdown(_md(heading))
        for n, e in enumerate(answer.evidence, 1):
            original = _md(f"Original ({e.lang}): {e.text}") if e.translation else None
            st.markdown(evidence_markdown(answer, n), help=original)
    for warning in answer.warnings:
        st.caption(f"⚠️ {_md(warning)}")  # notes quote model and article text
    sources(answer)


def sources(answer: Answer) -> None:
    if not answer.citations:
        return
    with st.expander(f"Sources ({len(answer.citations)})", expanded=False):
        for c in answer.citations:
            meta = next(p.meta for p in answer.passages if p.chunk.chunk_id == c.chunk_id)
            when = c.date.isoformat() if c.date else "undated"
            title = f"[{_md(c.title)}]({citation_url(c)})"
            st.markdown(f"**\\[{c.n}\\]** {title} — {_md(meta.source_label)}, {when}, {meta.lang}")
            st.text(c.quote)
            if c.translated:
                st.caption(f"Machine translation: {_md(c.translation)}")


def ask_streaming(settings: Settings, store: Store, question: str, answers, filters) -> Answer:
    """Stream the answer into the page; return the final Answer."""
    history = [
        ChatTurn(question=a.question, answer=a.answer, citations=a.citations) for a in answers
    ]
    with st.chat_message("user"):
        st.text(question)
    with st.chat_message("assistant"):
        placeholder, text, final = st.empty(), "", None
        with st.spinner("Searching the articles…"):
            for event in stream_answer(asker(settings, store), question, history, filters):
                if isinstance(event, Delta):
                    text = event.text if event.restart else text + event.text
                    placeholder.text(text)
                else:
                    final = event
        with placeholder.container():
            show_answer(final)  # the streamed text, now with its citations as links
    return final


def asker(settings: Settings, store: Store) -> Asker:
    return Asker.create(settings, store)
