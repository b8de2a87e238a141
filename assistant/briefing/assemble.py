"""The finished briefing: the executive summary from the sections' checked leads, the
side-by-side points and the timeline quoted, notes renumbered in document order, the
scope and the source list."""

from __future__ import annotations

import datetime as dt

from assistant import citations as cites
from assistant.briefing.material import Draft, Sentence
from assistant.briefing.points import shared_label
from assistant.llm.chat import ChatModel
from assistant.prompts import ACCORDING
from assistant.types import (
    ArticleMeta,
    Briefing,
    BriefingSection,
    BriefingSource,
    Citation,
    EventDate,
    Filters,
    Passage,
    SharedPoint,
    SourceClaim,
    TimelineEvent,
)


def assemble(
    topic: str,
    draft: Draft,
    written: list[BriefingSection],
    points: list[list[Sentence]],
    events: list[tuple[EventDate, Sentence]],
    passages: list[Passage],
    filters: Filters | None,
    timings: dict[str, float],
    model: ChatModel,
) -> Briefing:
    """The executive summary (each section's checked lead, else its best quote), the
    points and timeline, then every note renumbered in document order and the source
    list built from the notes."""
    summary = executive_summary(
        [s.lead or [quote_line(draft, s.quotes[0])] for s in written if s.quotes]
    )
    shared = [
        SharedPoint(point=shared_label(draft, p, point=True), claims=[draft.claim(s) for s in p])
        for p in points
    ]
    timeline = [TimelineEvent(when=w.label, claim=draft.claim(s)) for w, s in events]
    texts = summary + [t for s in written for t in (*s.lead, *_markers(s.quotes))]
    texts += _markers([c for p in shared for c in p.claims] + [e.claim for e in timeline])
    order = cites.numbers_in_order(texts)
    new_of = {old: new for new, old in enumerate(order, 1)}
    claims = _claims(written, shared, timeline)
    for claim in claims:
        claim.note = new_of[claim.note]  # each claim object once: notes are shared, claims not
    notes = [draft.notes[old - 1].model_copy(update={"n": new}) for new, old in enumerate(order, 1)]
    writes = model.capabilities.writes
    if any(c.translation for c in claims):
        quotes_note = draft.labels["translated"]
    elif not writes:
        quotes_note = draft.labels["originals"]
    elif any(c.lang != draft.language for c in claims):
        quotes_note = draft.labels["untranslated"]
    else:
        quotes_note = ""
    return Briefing(
        topic=topic,
        language=draft.language,
        title=draft.labels["title"].format(topic=topic),
        created=dt.date.today(),
        scope=_scope(draft, passages),
        filters=filters or Filters(),
        summary=[cites.renumber(s, new_of) for s in summary],
        quotes_note=quotes_note,
        sections=[
            s.model_copy(update={"lead": [cites.renumber(x, new_of) for x in s.lead]})
            for s in written
        ],
        shared=shared,
        timeline=timeline,
        notes=notes,
        sources=_sources(notes, draft.metas),
        backend=model.backend,
        model=model.name if writes else None,
        timings=timings,
        warnings=[cites.renumber(w, new_of) for w in dict.fromkeys(draft.warnings)],
    )


def quote_line(draft: Draft, claim: SourceClaim) -> str:
    """ "According to <source> (<date>), “<quote as shown>” [n]": a quote as a sentence."""
    when = claim.date.isoformat() if claim.date else draft.labels["undated"]
    quote = f"“{claim.translation}”" if claim.translation else f"«{claim.quote}»"
    text = ACCORDING[draft.language].format(sources=f"{claim.source} ({when})", claim=quote)
    return f"{text} [{claim.note}]"


def _markers(claims: list[SourceClaim]) -> list[str]:
    return [f"[{c.note}]" for c in claims]


def _claims(written, shared, timeline) -> list[SourceClaim]:
    return (
        [c for s in written for c in s.quotes]
        + [c for p in shared for c in p.claims]
        + [e.claim for e in timeline]
    )


def executive_summary(points: list[list[str]], least: int = 3, most: int = 5) -> list[str]:
    """Each section's first statement, best section first; sections' further statements
    fill in, round by round, when there are fewer sections than `least` bullets."""
    summary: list[str] = []
    for depth in range(max((len(p) for p in points), default=0)):
        if depth and len(summary) >= least:
            break
        summary += [p[depth] for p in points if depth < len(p) and p[depth] not in summary]
    return summary[: max(least, min(most, len(points)))]


def _scope(draft: Draft, passages: list[Passage]) -> list[str]:
    labels = {}
    for p in passages:
        when = p.meta.published.isoformat() if p.meta.published else None
        labels.setdefault(p.article_id, draft.source(p.meta) + (f" ({when})" if when else ""))
    return list(labels.values())


def _sources(notes: list[Citation], metas: dict[str, ArticleMeta]) -> list[BriefingSource]:
    sources: dict[str, BriefingSource] = {}
    for note in notes:
        entry = sources.setdefault(
            note.article_id,
            BriefingSource(
                n=len(sources) + 1,
                article_id=note.article_id,
                meta=metas[note.article_id],
                notes=[],
            ),
        )
        entry.notes.append(note.n)
    return list(sources.values())
