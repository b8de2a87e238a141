"""The sidebar: backend and model health, corpus statistics, retrieval filters."""

from __future__ import annotations

import threading
from pathlib import Path

import streamlit as st

from assistant.llm.chat import make_chat_model
from assistant.settings import Settings
from assistant.store import Store
from assistant.text.markdown import inert_markdown
from assistant.types import Filters
from ingest.loaders import SUPPORTED
from ingest.uploads import ingest_uploads

_INGEST_LOCK = threading.Lock()  # one ingest at a time across sessions


def render(settings: Settings, store: Store) -> Filters:
    """Draw the sidebar; return the filters the user chose."""
    with st.sidebar:
        backend_status(settings)
        metas = store.metas()
        chunks = store.remembered("chunk-count", lambda: len(store.catalog.chunks()))
        st.caption(f"Corpus: {len(metas)} articles, {chunks} passages")
        filters = filters_form(metas)
        upload_form(settings, store)
        return filters


def upload_form(settings: Settings, store: Store) -> None:
    """Add articles: uploaded files are saved under the store and ingested, with progress."""
    with st.expander("Add articles"):
        files = st.file_uploader(
            "Articles",
            type=[s.lstrip(".") for s in SUPPORTED],
            accept_multiple_files=True,
            key="uploads",
        )
        if files and st.button("Ingest", key="ingest"):
            bar = st.progress(0.0, text="Ingesting…")
            done = []

            def advance(outcome) -> None:
                done.append(outcome)
                bar.progress(len(done) / len(files), text=f"Ingested {Path(outcome.path).name}")

            with _INGEST_LOCK:
                uploads = [(f.name, f.getvalue()) for f in files]
                report = ingest_uploads(uploads, settings, store, progress=advance)
            st.session_state["ingest_report"] = report
            st.rerun()  # redraw the corpus statistics and filters with the new articles
        report = st.session_state.get("ingest_report")
        if report:
            rows = [
                {
                    "file": Path(o.path).name,
                    "status": o.status,
                    "chunks": o.chunks,
                    "note": o.reason or "",
                }
                for o in report.outcomes
            ]
            st.table(rows)
            st.caption(f"{report.seconds:.1f} s, {report.chunks_embedded} passages embedded")


def backend_status(settings: Settings) -> None:
    st.markdown(f"**Backend:** {inert_markdown(make_chat_model(settings).status().note)}")


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
