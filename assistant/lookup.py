"""Citation lookup: a claim -> which sources support it, contradict it or only mention it.

Passages are retrieved across languages and grouped by article. With a chat model each
source gets a verdict from it; without one, the grouping is by similarity only and says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from assistant.injection import defang
from assistant.llm import ChatModel, LLMError, Message, complete
from assistant.prompts import LOOKUP_SYSTEM, LOOKUP_USER
from assistant.retrieval import retrieve
from assistant.store import Store
from assistant.types import ArticleMeta, Filters, Passage

Verdict = Literal["supports", "contradicts", "mentions"]
_VERDICT = re.compile(r"\b(supports|contradicts|mentions)\b", re.IGNORECASE)
PASSAGES = 10
PER_SOURCE = 2


@dataclass
class SourceFinding:
    """What one article says about the claim: its best passages and the verdict."""

    article_id: str
    meta: ArticleMeta
    passages: list[Passage] = field(default_factory=list)
    verdict: Verdict | None = None  # None: similarity only, no model judged it
    note: str | None = None


def lookup(
    claim: str, store: Store, model: ChatModel | None = None, filters: Filters | None = None
) -> list[SourceFinding]:
    """Sources about the claim, most relevant first, each with a verdict when a model is given."""
    found = retrieve(
        claim, store, filters, k=PASSAGES, max_per_article=PER_SOURCE, claims_only=True
    )
    findings: dict[str, SourceFinding] = {}
    for p in found.passages:
        findings.setdefault(p.article_id, SourceFinding(p.article_id, p.meta)).passages.append(p)
    for finding in findings.values():
        if model is not None:
            finding.verdict, finding.note = judge(model, claim, finding)
    return list(findings.values())


def judge(
    model: ChatModel, claim: str, finding: SourceFinding
) -> tuple[Verdict | None, str | None]:
    """The model's one-word verdict for one source; (None, why) when it gives none."""
    passages = "\n".join(defang(p.chunk.text) for p in finding.passages)
    messages = [
        Message("system", LOOKUP_SYSTEM),
        Message(
            "user",
            LOOKUP_USER.format(claim=claim, source=finding.meta.source_label, passages=passages),
        ),
    ]
    try:
        reply = complete(model, messages, max_tokens=5)
    except LLMError as exc:
        return None, f"no verdict: {exc}"
    match = _VERDICT.search(reply)
    return (
        (match.group(1).lower(), None)
        if match
        else (None, "no verdict: the model's reply was unclear")
    )
