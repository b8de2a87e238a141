"""The lead of an answer: 1-3 sentences the model writes from the translated evidence, each
checked against the evidence it cites before anyone sees it.

The model writes under a JSON schema whose evidence ids are an enum (prompts.lead_schema),
so every sentence cites evidence that exists. Each sentence then goes through the check
pipeline (assistant/checks.py), in the answer's language against the texts it cites: it
must be in that language, its numbers must be there, and its content words, less
attribution and the cited sources' dates. A sentence that fails is left out; when none
passes there is no lead, and the evidence is the answer.
"""

from __future__ import annotations

from assistant import checks
from assistant.llm.chat import ChatModel, Message, complete_json
from assistant.prompts import (
    ACCORDING,
    AND,
    EVIDENCE_LINE,
    LANGUAGE_NAMES,
    LEAD_SYSTEM,
    LEAD_USER,
    lead_schema,
)
from assistant.text.injection import addresses_the_model
from assistant.types import Evidence, Lead, LeadSentence, Written

LEAD_TOKENS = 300  # three sentences with their ids, in JSON
# Words that open a claim and are lower-cased after "According to X,".
_OPENERS_TEXT = "The A An In On At This These It There Он Она Они Это В На Це Він Вона Вони У"
_OPENERS = frozenset(_OPENERS_TEXT.split())


def write_lead(model: ChatModel, evidence: list[Evidence], question: str, language: str) -> Lead:
    """The checked lead (possibly empty). Evidence not in `language` (untranslated) is not
    shown to the model: the lead is written, and checked, in one language only. Raises
    LLMError when the model fails."""
    # A sentence that gives orders to an assistant is shown as evidence, never led from.
    usable = [e for e in evidence if _in_language(e, language) and not addresses_the_model(e.text)]
    if not usable:
        return Lead()
    messages = [
        Message("system", LEAD_SYSTEM.format(language=LANGUAGE_NAMES[language])),
        Message(
            "user",
            LEAD_USER.format(
                evidence="\n".join(_line(e) for e in usable),
                question=question,
                language=LANGUAGE_NAMES[language],
            ),
        ),
    ]
    reply = complete_json(model, messages, lead_schema([e.id for e in usable]), LEAD_TOKENS)
    return checked_lead(
        [LeadSentence(text=s["text"].strip(), evidence=list(dict.fromkeys(s["evidence"])))
         for s in reply["sentences"] if s["text"].strip()],
        usable,
        language,
    )  # fmt: skip


def checked_lead(sentences: list[LeadSentence], evidence: list[Evidence], language: str) -> Lead:
    """The sentences in `language` that the evidence they cite holds, each attributed to
    the sources of that evidence; the others in `dropped`. The model writes the claim
    only: who says it comes from the evidence ids, so a lead cannot name a source that is
    not cited, nor an outlet that does not exist."""
    by_id = {e.id: e for e in evidence}
    lead = Lead()
    for s in sentences:
        cited = [by_id[i] for i in s.evidence if i in by_id]
        dates = tuple(e.date.isoformat() for e in cited if e.date)
        sources = tuple(e.shown for e in cited)
        if not checks.run(Written("lead", s.text, sources, language, allowed=dates)):
            shown = attributed(s.text, cited, language)
            lead.sentences.append(s.model_copy(update={"text": shown, "claim": s.text}))
        else:
            lead.dropped.append(s.text)
    return lead


def attributed(claim: str, cited: list[Evidence], language: str) -> str:
    """ "According to <the cited evidence's sources>, <claim>" in the lead's language."""
    sources = AND[language].join(dict.fromkeys(e.source for e in cited))
    first, _, rest = claim.partition(" ")
    if first.lower() in " ".join(e.shown for e in cited).split() or first in _OPENERS:
        claim = f"{first.lower()} {rest}".rstrip()
    return ACCORDING[language].format(sources=sources, claim=claim)


def _in_language(e: Evidence, language: str) -> bool:
    if e.translation is not None:
        return e.translation.translated and e.translation.target == language
    return e.lang == language


def _line(e: Evidence) -> str:
    date = e.date.isoformat() if e.date else "undated"
    return EVIDENCE_LINE.format(id=e.id, date=date, text=" ".join(e.shown.split()))
