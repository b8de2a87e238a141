"""The lead of an answer or of a briefing section: 1-3 sentences the model writes from
the translated evidence, each checked against the evidence it cites before anyone sees it
(a section's lead comes with a heading, checked too).

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
    SECTION_LEAD_SYSTEM,
    SECTION_LEAD_USER,
    lead_schema,
)
from assistant.text.injection import addresses_the_model
from assistant.types import Evidence, Lead, LeadSentence, Written

LEAD_TOKENS = 300  # three sentences with their ids, in JSON
# Words that open a claim and are lower-cased after "According to X,".
_OPENERS_TEXT = """
The A An In On At This These It There Such Both Each Many Most Some Several All Its Their
His Her Our We They He She After Before During Since While When Although However Despite
According Он Она Они Это В На Такой Такая Такие Все После Во По Согласно Це Він Вона Вони
У Така Такі Усі Після За Згідно
"""
_OPENERS = frozenset(_OPENERS_TEXT.split())


def write_lead(model: ChatModel, evidence: list[Evidence], question: str, language: str) -> Lead:
    """The checked lead (possibly empty). Evidence not in `language` (untranslated) is not
    shown to the model: the lead is written, and checked, in one language only. Raises
    LLMError when the model fails."""
    usable = _usable(evidence, language)
    if not usable:
        return Lead()
    user = LEAD_USER.format(evidence=_lines(usable), question=question,
                            language=LANGUAGE_NAMES[language])  # fmt: skip
    reply = _ask(model, LEAD_SYSTEM, user, usable, language, heading=False)
    return checked_lead(_sentences(reply), usable, language)


def write_section_lead(
    model: ChatModel, evidence: list[Evidence], language: str
) -> tuple[str | None, Lead]:
    """A briefing section's heading and checked lead, from its evidence in `language`.
    The heading is None when the model wrote none that passes its checks (in the
    language, a short phrase, its words held by the evidence, naming no other source).
    Raises LLMError when the model fails."""
    usable = _usable(evidence, language)
    if not usable:
        return None, Lead()
    user = SECTION_LEAD_USER.format(evidence=_lines(usable), language=LANGUAGE_NAMES[language])
    reply = _ask(model, SECTION_LEAD_SYSTEM, user, usable, language, heading=True)
    heading = " ".join(str(reply.get("heading", "")).split()).strip(" \"'«»“”")
    written = Written("heading", heading, tuple(e.shown for e in usable), language,
                      outlets=tuple(e.source for e in usable))  # fmt: skip
    if not heading or checks.run(written):
        heading = None
    return heading, checked_lead(_sentences(reply), usable, language)


def _usable(evidence: list[Evidence], language: str) -> list[Evidence]:
    # A sentence that gives orders to an assistant is shown as evidence, never led from.
    return [e for e in evidence if _in_language(e, language) and not addresses_the_model(e.text)]


def _lines(evidence: list[Evidence]) -> str:
    return "\n".join(_line(e) for e in evidence)


def _ask(model, system: str, user: str, usable: list[Evidence], language: str, heading: bool):
    messages = [
        Message("system", system.format(language=LANGUAGE_NAMES[language])),
        Message("user", user),
    ]
    schema = lead_schema([e.id for e in usable], heading=heading)
    return complete_json(model, messages, schema, LEAD_TOKENS)


def _sentences(reply: dict) -> list[LeadSentence]:
    return [
        LeadSentence(text=s["text"].strip(), evidence=list(dict.fromkeys(s["evidence"])))
        for s in reply["sentences"]
        if s["text"].strip()
    ]


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
        outlets = tuple(e.source for e in cited)
        written = Written("lead", s.text, sources, language, allowed=dates, outlets=outlets)
        if not checks.run(written):
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
