"""One section of a briefing: a group of evidence sentences with exact offsets, quoted in
the briefing's language, under a heading and a lead the model writes from those quotes.

The model sees the section's quotes as translated (evidence E1..) and writes, under a
JSON schema, a heading and 1-3 sentences citing them (answering/lead.write_section_lead).
Each lead sentence is checked against the quotes it cites, as an answer's lead is, and
attributed to their sources; the heading is checked too. Without a model, when the call
fails, or when the heading fails its checks, the heading names what the quotes share
(points.shared_label): names, dates or sources, never a list of stems.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from assistant import citations as cites
from assistant.answering.lead import write_section_lead
from assistant.briefing.material import Draft, Sentence
from assistant.briefing.points import shared_label
from assistant.llm.chat import ChatModel, LLMError
from assistant.text.lexical import tokenize
from assistant.types import BriefingSection, Evidence, Lead, Translation


def section_evidence(draft: Draft, sentences: list[Sentence]) -> list[Evidence]:
    """The section's sentences as evidence E1.., each with its translation, if any."""
    return [
        Evidence(
            id=f"E{i}",
            article_id=s.passage.article_id,
            chunk_id=s.passage.chunk.chunk_id,
            start=s.start,
            end=s.end,
            text=s.text,
            lang=s.passage.meta.lang,
            source=draft.source(s.passage.meta),
            date=s.passage.meta.published,
            score=round(s.score, 4),
            translation=_translation(draft, s),
        )
        for i, s in enumerate(sentences, 1)
    ]


def _translation(draft: Draft, s: Sentence) -> Translation | None:
    return draft.translations.get(s.text) if draft.translated(s.text) else None


def write_leads(
    model: ChatModel, draft: Draft, groups: list[list[Sentence]], workers: int
) -> list[tuple[str | None, Lead]]:
    """Each group's (heading, lead) from the model, the calls run `workers` at a time;
    (None, empty lead) for a group whose call failed, with a warning."""

    def one(sentences: list[Sentence]) -> tuple[str | None, Lead]:
        try:
            return write_section_lead(model, section_evidence(draft, sentences), draft.language)
        except LLMError as exc:
            draft.warnings.append(f"The model could not write a section's lead ({exc}).")
            return None, Lead()

    with ThreadPoolExecutor(max(1, min(workers, len(groups)))) as pool:
        return list(pool.map(one, groups))


def marked_sentences(text: str, numbers: list[int]) -> list[str]:
    """The lead sentence with its notes; when the model's "sentence" is several, each
    one carries the notes (every sentence shown is cited)."""
    parts = [text[a:b].strip() for a, b in cites.split_sentences(text) if text[a:b].strip()]
    return [cites.with_markers(p, numbers) for p in parts or [text]]


def distinct_headings(
    leads: list[tuple[str | None, Lead]], topic: str, language: str
) -> list[tuple[str | None, Lead]]:
    """The model's headings, less those that set no section apart: one whose words are
    all the topic's (it restates the topic) or an earlier section's (the section is then
    named by what its quotes share)."""
    topic_words = set(tokenize(topic, language))
    seen: list[set[str]] = []
    kept = []
    for heading, lead in leads:
        words = set(tokenize(heading, language)) if heading else set()
        if heading is not None and (words <= topic_words or words in seen):
            heading = None
        seen.append(words)
        kept.append((heading, lead))
    return kept


def build_section(
    draft: Draft, sentences: list[Sentence], heading: str | None, lead: Lead
) -> BriefingSection:
    """The section as shown: the heading (the model's, else what the quotes share), the
    lead's sentences with their notes, and the quotes with theirs."""
    evidence = section_evidence(draft, sentences)
    quotes = [draft.claim(s) for s in sentences]
    number = {e.id: q.note for e, q in zip(evidence, quotes, strict=True)}
    lines = [
        marked
        for s in lead.sentences
        for marked in marked_sentences(s.text, [number[i] for i in s.evidence if i in number])
    ]
    return BriefingSection(
        heading=heading or shared_label(draft, sentences),
        heading_written=heading is not None,
        lead=lines,
        quotes=quotes,
    )
