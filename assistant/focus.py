"""Which retrieved passages an answer reads: the question's focus.

All five sample articles are on one topic, so the passages ranked below the best one are
often about the same events without answering the question. A factual question ("when did
they meet in Dushanbe?") is answered from the article of the best passage, from its
passages that score close to the best one; passages of other articles would be cited as
if they said something they do not, and the answer names its one source. Other articles
that came as close are named to the user (rivals()), who can ask about the sources. A
question about the sources themselves ("do the sources agree…", "how do outlets
describe…", "which source says…") needs every side, so it reads the best passage of each
article instead.
"""

from __future__ import annotations

import re

from assistant.types import Passage

# Fused-score distance from the best passage within which a passage still answers a factual
# question (fused scores are min-max scaled over the candidates, so 1.0 is the whole range).
# Chosen on bench/data/corpus_questions.jsonl, checked on bench/data/heldout_questions.jsonl,
# never on the dev questions: BENCHMARKS.md, "Focused answers" and "One article".
FOCUS_MARGIN = 0.10
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

QUOTED = re.compile(r"«[^»]*»|„[^“”]*[“”]|“[^”]*”|\"[^\"]*\"")


def asks_about_sources(question: str) -> bool:
    """The question asks what the sources say, how they differ, or whether they agree.
    Words inside quotation marks are what someone said, not what the user asks."""
    return bool(SOURCES_QUESTION.search(QUOTED.sub(" ", question)))


def focused(passages: list[Passage], margin: float = FOCUS_MARGIN) -> list[Passage]:
    """The passages (ranked best first) of the best passage's article whose fused score is
    within margin of the best."""
    return [p for p in _close(passages, margin) if p.article_id == passages[0].article_id]


def rivals(passages: list[Passage], margin: float = FOCUS_MARGIN) -> list[Passage]:
    """The best passage of each other article within margin of the best passage."""
    others = [p for p in _close(passages, margin) if p.article_id != passages[0].article_id]
    best_of: dict[str, Passage] = {}
    for p in others:
        best_of.setdefault(p.article_id, p)
    return list(best_of.values())


def _close(passages: list[Passage], margin: float) -> list[Passage]:
    if not passages:
        return []
    best = passages[0].score
    return [p for p in passages if best - p.score <= margin]
