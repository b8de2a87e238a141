"""Sentences of an article that address the model ("Ignore previous instructions…"). They
are data: a model reads them only fenced, or not at all."""

from __future__ import annotations

import re

# A sentence of an article that addresses the model ("Ignore previous instructions…",
# "You are now…", "Игнорируй все инструкции…"). The rule in the prompt is not enough: the
# 1.5B model obeys such a sentence when it is alone in what it reads.
_ADDRESSES_THE_MODEL = re.compile(
    r"\b(ignore|disregard|forget|override)\b[^.!?\n]{0,40}\b(instructions?|prompts?|rules)\b"
    r"|\byou are now\b|\bsystem prompt\b|\bnew instructions\b|\banswer every question\b"
    r"|\b(игнорир|игнорируй|забуд|ігнору|ігноруй)\w*[^.!?\n]{0,40}"
    r"(инструкци|указани|правил|інструкці|вказів)\w*"
    r"|\bтеперь ты\b|\bтепер ти\b|\bотвечай на (все|каждый) вопрос\w*"
    r"|\bвідповідай на (всі|кожне) питання\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n")
OMITTED = "[…]"


def defang(text: str) -> str:
    """Article text as a model may read it: it cannot close the passage fence or fake a
    passage header, and a sentence that gives the model orders is replaced by […]."""
    text = re.sub(r"</?passages>", "", text, flags=re.IGNORECASE)
    if not addresses_the_model(text):
        return text
    pieces, start = [], 0
    for gap in [*_SENTENCE_END.finditer(text), None]:
        end = gap.start() if gap else len(text)
        sentence = text[start:end]
        pieces.append(OMITTED if addresses_the_model(sentence) else sentence)
        if gap:
            pieces.append(gap.group())
            start = gap.end()
    return "".join(pieces)


def addresses_the_model(sentence: str) -> bool:
    """Whether the sentence gives orders to an assistant."""
    return bool(_ADDRESSES_THE_MODEL.search(sentence))
