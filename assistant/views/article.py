"""The article viewer: metadata and the full canonical text; a cited span, given in the
URL, is highlighted with <mark> and scrolled into view."""

from __future__ import annotations

import streamlit as st

from assistant.highlight import MARK_ID, highlight_html
from assistant.store import Store

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
    current = params.get("article") if params.get("article") in metas else ids[0]
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
    st.header(meta.title)
    facts = [
        meta.outlet,
        meta.author,
        meta.published.isoformat() if meta.published else "undated",
        meta.lang,
        chosen,
    ]
    st.caption(" · ".join(f for f in facts if f))
    span = _span(params, len(article.text)) if chosen == current else None
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


def _span(params, length: int) -> tuple[int, int] | None:
    try:
        start, end = int(params.get("start", "")), int(params.get("end", ""))
    except ValueError:
        return None
    return (start, end) if 0 <= start < end <= length else None
