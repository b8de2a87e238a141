"""The citation lookup view: paste a claim, see per source the sentences closest to it, in
the claim's language (machine translation, original on hover), unjudged."""

from __future__ import annotations

import streamlit as st

from assistant.answering.lookup import stream_lookup
from assistant.llm.chat import make_chat_model
from assistant.settings import Settings
from assistant.store import Store
from assistant.text.markdown import inert_markdown
from assistant.types import Citation, Evidence, Filters
from assistant.ui.conversation import citation_url


def render(settings: Settings, store: Store, filters: Filters) -> None:
    st.title("Citation lookup")
    # A form commits the text area with the click: a button outside it would take the
    # first click to commit the text and swallow it.
    with st.form("lookup-form"):
        claim = st.text_area(
            "A claim or a question",
            key="claim",
            placeholder="e.g. Putin apologised to Aliyev in Dushanbe",
        )
        submitted = st.form_submit_button("Look up", type="primary")
    if submitted and not claim.strip():
        st.warning("Write a claim to look up.")
    elif submitted:
        area = st.empty()
        findings = []
        model = make_chat_model(settings)
        with st.spinner("Reading the sources and translating what they say…"):
            for findings in stream_lookup(claim, store, model, filters, settings):
                with area.container():
                    show(findings)
        area.empty()
        st.session_state["lookup"] = (claim, findings)
    if "lookup" in st.session_state:
        show(st.session_state["lookup"][1])


def show(findings) -> None:
    if not findings:
        st.info("No passage of the corpus is about this claim.")
        return
    st.caption(
        "Per source, the sentences closest to the claim. No verdict is shown: no method "
        "of telling support from contradiction was measured right often enough."
    )
    for f in findings:
        when = f.meta.published.isoformat() if f.meta.published else "undated"
        st.subheader(inert_markdown(f"{f.meta.source_label} · {f.note}"), anchor=False)
        st.caption(inert_markdown(f"{f.meta.title} · {when} · {f.meta.lang}"))
        for e in f.evidence:
            original = inert_markdown(f"Original ({e.lang}): {e.text}") if e.translation else None
            st.markdown(_line(e), help=original)


def _line(e: Evidence) -> str:
    link = citation_url(
        Citation(n=0, article_id=e.article_id, title="", chunk_id=e.chunk_id, start=e.start,
                 end=e.end, quote=e.text)
    )  # fmt: skip
    if e.translation is not None and e.translation.translated:
        text = f"“{inert_markdown(e.translation.text)}” *(machine translation)*"
    else:
        text = f"«{inert_markdown(' '.join(e.text.split()))}»"
    return f"{text} [open in the article]({link})"
