"""The briefing page: a topic in, a drafted briefing out, with progress while quotes are
translated and leads written, every [n] a link to its passage, and Markdown and DOCX downloads."""

from __future__ import annotations

import re

import streamlit as st

from assistant.answering.answer import Asker
from assistant.briefing.draft import draft_briefing
from assistant.briefing.export import (
    briefing_docx,
    briefing_markdown,
    claim_quote,
    claim_source,
    drafted_line,
    note_text,
    scope_lines,
    source_text,
)
from assistant.llm.chat import EXTRACTIVE, ChatModel, make_chat_model
from assistant.prompts import BRIEFING_LABELS
from assistant.settings import Settings
from assistant.store import Store
from assistant.text.markdown import inert_markdown
from assistant.types import Briefing, Filters, Progress, SourceClaim
from assistant.ui.conversation import citation_url, linked_text

LANGUAGES = {"Same as the topic": None, "English": "en", "Русский": "ru", "Українська": "uk"}


def render(settings: Settings, store: Store, filters: Filters) -> None:
    st.title("Briefing")
    # A form commits the topic with the click: a button disabled until the box holds text
    # would take the first click to commit it and swallow it.
    with st.form("briefing-form"):
        topic = st.text_input(
            "Topic",
            key="brief_topic",
            placeholder="e.g. Who made concessions at the Dushanbe meeting?",
        )
        language_column, sections_column = st.columns(2)
        language = language_column.selectbox("Language", list(LANGUAGES), key="brief_lang")
        sections = sections_column.number_input(
            "Sections", min_value=1, max_value=8, value=3, key="brief_sections"
        )
        submitted = st.form_submit_button("Draft briefing", type="primary")
    if submitted and not topic.strip():
        st.warning("Write a topic to draft a briefing on.")
    elif submitted:
        try:
            st.session_state["briefing"] = drafting(
                settings, store, topic, LANGUAGES[language], int(sections), filters
            )
        except Exception as exc:  # the page shows one line, never a traceback
            detail = str(exc).splitlines()[0][:200] if str(exc) else ""
            st.error(f"Could not draft the briefing ({type(exc).__name__}: {detail}).")
    briefing = st.session_state.get("briefing")
    if briefing is not None:
        downloads(briefing)
        show(briefing)


def drafting(settings, store, topic, language, sections, filters) -> Briefing:
    """Draft with a live progress bar and the section being written; return the briefing."""
    asker = Asker.create(settings, store, model=_model(settings))
    bar = st.progress(0.0, text="Retrieving material…")
    result = None
    for event in draft_briefing(asker, topic, language, sections, filters):
        if isinstance(event, Progress):
            bar.progress(min(event.done / event.total, 1.0), text=event.message + "…")
        else:
            result = event
    bar.empty()
    return result


def _model(settings: Settings) -> ChatModel:
    """The configured model; the extractive one while it is not ready (still loading)."""
    model = make_chat_model(settings)
    if not model.status().ready:
        st.caption("The model is not ready yet: this briefing is quoted, not written.")
        return EXTRACTIVE
    return model


def downloads(b: Briefing) -> None:
    name = re.sub(r"[^\w]+", "-", b.topic.lower()).strip("-")[:60] or "briefing"
    md_column, docx_column, _ = st.columns([1, 1, 4])
    md_column.download_button(
        "Markdown", briefing_markdown(b), f"{name}.md", "text/markdown", use_container_width=True
    )
    docx_column.download_button(
        "Word (DOCX)",
        briefing_docx(b),
        f"{name}.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        use_container_width=True,
    )


def show(b: Briefing) -> None:
    labels = BRIEFING_LABELS[b.language]
    st.header(inert_markdown(b.title), anchor=False)
    st.caption(drafted_line(b))
    st.markdown(f"**{labels['scope']}.** " + inert_markdown(" ".join(scope_lines(b))))
    if b.quotes_note:
        st.caption(b.quotes_note)
    st.subheader(labels["summary"], anchor=False)
    st.markdown("\n".join(f"- {_cited(b, s)}" for s in b.summary))
    for section in b.sections:
        st.subheader(inert_markdown(section.heading), anchor=False)
        if section.lead:
            st.markdown(_cited(b, " ".join(section.lead)))
        st.markdown("\n".join(f"- {_claim(b, c)}" for c in section.quotes))
    if b.shared:
        st.subheader(labels["same_events"], anchor=False)
        st.caption(labels["same_events_note"])
        for point in b.shared:
            st.markdown(f"**{inert_markdown(point.point)}**")
            columns = st.columns(len(point.claims))
            for column, claim in zip(columns, point.claims, strict=True):
                column.markdown(_claim(b, claim))
    st.subheader(labels["timeline"], anchor=False)
    st.markdown(
        "\n".join(f"- **{e.when}** — {_claim(b, e.claim)}" for e in b.timeline)
        or labels["no_timeline"]
    )
    st.subheader(labels["sources"], anchor=False)
    for s in b.sources:
        st.markdown(f"**S{s.n}.** {inert_markdown(source_text(b, s))}")
        for n in s.notes:
            note = b.notes[n - 1]
            st.markdown(f"[\\[{n}\\]]({citation_url(note)}) {inert_markdown(note_text(b, note))}")
    if b.warnings:
        with st.expander(f"{labels['checks']} ({len(b.warnings)})"):
            for warning in b.warnings:
                st.caption(f"⚠️ {inert_markdown(warning)}")


def _cited(b: Briefing, text: str) -> str:
    return linked_text(inert_text(text), b.notes)


def inert_text(text: str) -> str:
    """Escape Markdown but keep the [n] markers, which become links."""
    parts = re.split(r"(\[\d+\])", text)
    return "".join(p if re.fullmatch(r"\[\d+\]", p) else inert_markdown(p) for p in parts)


def _claim(b: Briefing, claim: SourceClaim) -> str:
    note = b.notes[claim.note - 1]
    source, quote = claim_source(b, claim), claim_quote(b, claim)
    link = f"[\\[{claim.note}\\]]({citation_url(note)})"
    return f"**{inert_markdown(source)}**: {inert_markdown(quote)} {link}"
