"""A follow-up question made to stand alone ("and what did Baku say?" after a question
about the Dushanbe meeting): rewritten by the model, else by a heuristic."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant import citations as cites
from assistant.llm.chat import ChatModel, LLMError
from assistant.prompts import CONDENSE_SYSTEM, CONDENSE_USER
from assistant.types import ChatTurn, Message

_REFERS_BACK = re.compile(
    r"\b(it|they|them|this|that|these|those|he|she|his|her|their|its|он|она|оно|они|его|её|их|"
    r"этот|эта|это|эти|там|він|вона|воно|вони|його|її|їх|цей|ця|це|ці)\b",
    re.IGNORECASE,
)


def standalone_question(
    model: ChatModel, question: str, history: Sequence[ChatTurn], warnings: list[str]
) -> str:
    """The question rewritten to stand alone: by the model, else by a heuristic that
    prepends the previous question when this one is short or refers back."""
    if not history:
        return question
    if model.capabilities.writes:
        turns = "\n".join(
            f"User: {t.question}\nAssistant: {cites.strip_markers(t.answer)[:300]}"
            for t in history[-3:]
        )
        messages = [
            Message("system", CONDENSE_SYSTEM),
            Message("user", CONDENSE_USER.format(history=turns, question=question)),
        ]
        try:
            rewritten = "".join(model.stream(messages, max_tokens=80)).strip().splitlines()
            if rewritten and rewritten[0].strip():
                return rewritten[0].strip()
        except LLMError as exc:
            warnings.append(f"Could not rewrite the follow-up with the model ({exc}).")
    if len(question.split()) <= 6 or _REFERS_BACK.search(question):
        return f"{history[-1].question} {question}"
    return question
