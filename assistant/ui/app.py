"""The Streamlit research workspace. Rendering and session state only; the work is done
by assistant.answering.answer, assistant.retrieval.search and the store.

    streamlit run assistant/ui/app.py      (or: assistant serve)

One script, four views: the chat, citation lookup, briefings, and the article viewer,
which a citation link opens with its span in the URL (?article=ID&start=S&end=E), so it
can be shared and reloaded.
"""

from __future__ import annotations

import streamlit as st

from assistant.settings import Settings
from assistant.store import Store
from assistant.ui.views import article, briefing, chat, lookup, sidebar

# Citation links ([n] in answers and briefings) drawn as chips. A constant of ours, the
# only HTML the app writes itself; article text and model output never go through it.
CHIPS = """<style>
a[href*="article="] { display: inline-block; padding: 0 0.4em; margin: 0 0.1em;
  border-radius: 0.7em; background: #e8eefc; color: #1f4fad; font-size: 0.82em;
  line-height: 1.5; text-decoration: none; vertical-align: 0.1em; }
a[href*="article="]:hover { background: #cfdcfa; }
</style>"""

VIEWS = {"Chat": "chat", "Lookup": "lookup", "Briefing": "briefing", "Articles": "article"}


@st.cache_resource
def workspace() -> tuple[Settings, Store]:
    """Settings and the store, shared by every session of this server (read-only use)."""
    settings = Settings()
    return settings, Store(settings)


def main() -> None:
    st.set_page_config(page_title="Research assistant", page_icon="📰", layout="wide")
    st.markdown(CHIPS, unsafe_allow_html=True)
    settings, store = workspace()
    opened = "Articles" if "article" in st.query_params else "Chat"
    view = st.sidebar.radio("View", list(VIEWS), index=list(VIEWS).index(opened), key="view")
    filters = sidebar.render(settings, store)
    if VIEWS[view] == "article":
        article.render(store)
    elif VIEWS[view] == "lookup":
        lookup.render(settings, store, filters)
    elif VIEWS[view] == "briefing":
        briefing.render(settings, store, filters)
    else:
        if "article" in st.query_params:
            st.query_params.clear()
        chat.render(settings, store, filters)


main()
