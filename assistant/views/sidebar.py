"""The sidebar: backend and model health, corpus statistics, retrieval filters."""

from __future__ import annotations

import streamlit as st

from assistant.llm_server import health
from assistant.settings import Settings
from assistant.store import Store
from assistant.types import Filters


def render(settings: Settings, store: Store) -> Filters:
    """Draw the sidebar; return the filters the user chose."""
    with st.sidebar:
        backend_status(settings)
        metas = store.metas()
        chunks = store.remembered("chunk-count", lambda: len(store.catalog.chunks()))
        st.caption(f"Corpus: {len(metas)} articles, {chunks} passages")
        return filters_form(metas)


def backend_status(settings: Settings) -> None:
    backend = settings.chosen_backend
    if backend == "local":
        status = health(settings)
        state = (
            "ready"
            if status.healthy
            else "starting or stopped — answers are extractive until it is up"
        )
        st.markdown(f"**Backend:** local · `{status.model or 'qwen2.5-coder-1.5b'}` · {state}")
    elif backend == "openai":
        st.markdown(f"**Backend:** OpenAI-compatible · `{settings.llm_model}`")
    else:
        st.markdown("**Backend:** extractive (quotes the passages, no model)")


def filters_form(metas) -> Filters:
    st.subheader("Filters")
    labels = {a: f"{m.source_label} ({a[:3]})" for a, m in sorted(metas.items())}
    chosen = st.multiselect("Articles", list(labels), format_func=labels.get, key="f_articles")
    langs = sorted({m.lang for m in metas.values()})
    chosen_langs = st.multiselect("Languages", langs, key="f_langs")
    outlets = sorted({m.outlet for m in metas.values() if m.outlet})
    chosen_outlets = st.multiselect("Outlets", outlets, key="f_outlets")
    dates = sorted(m.published for m in metas.values() if m.published)
    date_from = date_to = None
    if dates and st.checkbox("Only articles published between", key="f_use_dates"):
        date_from = st.date_input("From", dates[0], key="f_from")
        date_to = st.date_input("To", dates[-1], key="f_to")
    return Filters(
        article_ids=chosen,
        langs=chosen_langs,
        outlets=chosen_outlets,
        date_from=date_from,
        date_to=date_to,
    )
