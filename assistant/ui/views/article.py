"""The article viewer: metadata and the full canonical text; a cited span, given in the
URL, is highlighted with <mark> and scrolled into view."""

from __future__ import annotations

import streamlit as st

from assistant.store import Store
from assistant.text.markdown import inert_markdown
from assistant.ui.highlight import MARK_ID, cited_span, highlight_html

INSTRUCTIONS_NOTE = (
    "This article has {n} sentence(s) addressed to AI assistants. They are quoted here as "
    "found, never used as evidence and never given to a model as instructions:"
)
SCROLL = f"""<script>
const mark = window.parent.document.getElementById("{MARK_ID}");
if (mark) {{ mark.scrollIntoView({{block: "center"}}); }}
</script>"""


def render(store: Store) -> None:
    metas = store.metas()
    if not metas:
        st.info("No articles yet: ingest some with `assistant ingest PATH`.")
        return
    params = st.query_params
    ids = sorted(metas)
    asked = params.get("article")
    if asked is not None and asked not in metas:
        st.error(f"Article not found: {inert_markdown(asked)}. Choose one below.")
        asked = None
    current = asked or ids[0]
    chosen = st.selectbox(
        "Article",
        ids,
        index=ids.index(current),
        format_func=lambda a: _label(metas[a]),
    )
    if chosen != current:
        st.query_params.clear()
        st.query_params["article"] = chosen
    article = store.catalog.article(chosen)
    meta = article.meta
    st.header(inert_markdown(meta.title))
    facts = [
        meta.outlet,
        meta.author,
        meta.published.isoformat() if meta.published else "undated",
        meta.lang,
        chosen,
    ]
    st.caption(inert_markdown(" · ".join(f for f in facts if f)))
    if meta.instructions:
        quotes = "\n".join(
            f"- «{inert_markdown(article.text[a:b])}» (characters {a}–{b})"
            for a, b in meta.instructions
        )
        st.warning(f"{INSTRUCTIONS_NOTE.format(n=len(meta.instructions))}\n{quotes}", icon="⚠️")
    span, problem = (
        cited_span(params.get("start"), params.get("end"), len(article.text))
        if asked is not None and chosen == current
        else (None, "")
    )
    if problem:
        st.warning(inert_markdown(problem))
    if span:
        st.caption(f"Cited passage: characters {span[0]}–{span[1]}")
    st.html(f'<div class="article">{highlight_html(article.text, [span] if span else [])}</div>')
    if meta.references:
        with st.expander("References"):
            for ref in meta.references:
                st.text(f"[{ref.marker}] {ref.url or ref.text}")
    if span:
        st.iframe(SCROLL, height=1)  # our own constant script, never article text


def _label(meta) -> str:
    named = meta.outlet or meta.author
    return f"{named} — {meta.title}" if named else meta.title
