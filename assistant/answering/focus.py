"""Whether a question asks about the sources themselves ("do the sources agree…", "how do
outlets describe…", "which source says…"): such a question needs every side, so its
evidence is the best sentences of each article in turn (assistant/answering/evidence.py), and
retrieval takes one passage per article.
"""

from __future__ import annotations

import re

from assistant.text.lexical import QUOTED

PER_ARTICLE_ON_SOURCES = 1  # passages per article for a question about the sources

SOURCES_QUESTION = re.compile(
    r"\b(sources?|outlets|articles|materials|publications|agree[sd]?|disagree\w*|"
    r"differ(s|ed|ently)?|differences?|contradict\w*|opinions)\b"
    r"|источник\w*|стать(ях|ям|ей)\b|материал(ах|ам|ов)\b|публикаци(ях|ям|й)\b|"
    r"согласн\w*|сходятся|расход[ия]т\w*|расхожд\w*|"
    r"противореч\w*|по-разному|разн\w* точк\w* зрения|мнения"
    r"|джерел\w*|статт(ях|ям|ей)\b|матеріал(ах|ам|ів)\b|публікаці(ях|ям|й)\b|"
    r"згодн\w*|погоджу\w*|розходят\w*|розбіжн\w*|"
    r"суперечн\w*|по-різному|різн\w* точк\w* зору|думки",
    re.IGNORECASE,
)


def asks_about_sources(question: str) -> bool:
    """The question asks what the sources say, how they differ, or whether they agree.
    Words inside quotation marks are what someone said, not what the user asks."""
    return bool(SOURCES_QUESTION.search(QUOTED.sub(" ", question)))
