"""The citation lookup view: paste a claim, see which sources support or contradict it."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from assistant.highlight import highlight_html
from assistant.llm import make_chat_model
from assistant.llm_server import health
from assistant.lookup import lookup
from assistant.settings import Settings
from assistant.store import Store
from assistant.types import Filters

BADGES = {"supports": "🟢 supports", "contradicts": "🔴 contradicts", "mentions": "⚪ mentions"}


def render(settings: Settings, store: Store, filters: Filters) -> None:
    st.title("Citation lookup")
    claim = st.text_area(
        "A claim or a question",
        key="claim",
        placeholder="e.g. Putin apologised to Aliyev in Dushanbe",
    )
    if st.button("Look up", type="primary", disabled=not claim.strip()):
        with st.spinner("Reading the sources…"):
            st.session_state["lookup"] = (claim, lookup(claim, store, _model(settings), filters))
    if "lookup" not in st.session_state:
        return
    claim, findings = st.session_state["lookup"]
    if not findings:
        st.info("No passage of the corpus is about this claim.")
    if findings and findings[0].verdict is None:
        st.caption(
            "No model is available: sources are grouped by similarity only, without verdicts."
        )
    for f in findings:
        verdict = BADGES.get(f.verdict, "similarity only")
        when = f.meta.published.isoformat() if f.meta.published else "undated"
        st.subheader(f"{f.meta.source_label} · {verdict}")
        st.caption(f"{f.meta.title} · {when} · {f.meta.lang}" + (f" · {f.note}" if f.note else ""))
        for p in f.passages:
            st.html(highlight_html(p.chunk.text, [(0, len(p.chunk.text))]))
            query = urlencode({"article": p.article_id, "start": p.chunk.start, "end": p.chunk.end})
            st.markdown(f"[Open in the article](?{query})")


def _model(settings: Settings):
    """The chat model, if one can answer now (the local one only once its server is up)."""
    if settings.chosen_backend == "local" and not health(settings).healthy:
        return None
    return make_chat_model(settings)
