"""The finished briefing: executive summary, notes renumbered in document order, the
scope and the source list."""

from __future__ import annotations

import datetime as dt

from assistant import citations as cites
from assistant.types import (
    ArticleMeta,
    Briefing,
    BriefingSource,
    Citation,
    Filters,
    Passage,
)


def assemble(
    topic, draft, written, points, point_note, events, passages, filters, timings, backend, model
) -> Briefing:  # fmt: skip
    """Executive summary from the sections' key points, then every note renumbered in
    document order and the source list built from the notes."""
    summary = executive_summary([s.points for s in written])
    texts = summary + [s.text for s in written]
    texts += [f"[{c.note}]" for p in points for c in p.claims]
    texts += [f"[{e.claim.note}]" for e in events]
    order = cites.numbers_in_order(texts)
    new_of = {old: new for new, old in enumerate(order, 1)}

    def renumbered(text: str) -> str:
        return cites.renumber(text, new_of)

    for p in points:
        for c in p.claims:
            c.note = new_of[c.note]
    for e in events:
        e.claim.note = new_of[e.claim.note]
    notes = [draft.notes[old - 1].model_copy(update={"n": new}) for new, old in enumerate(order, 1)]
    return Briefing(
        topic=topic,
        language=draft.language,
        title=draft.labels["title"].format(topic=topic),
        created=dt.date.today(),
        scope=_scope(passages),
        filters=filters or Filters(),
        summary=[renumbered(s) for s in summary],
        sections=[
            s.model_copy(
                update={"text": renumbered(s.text), "points": [renumbered(p) for p in s.points]}
            )
            for s in written
        ],
        disagreements=points,
        disagreement_note=point_note,
        timeline=events,
        notes=notes,
        sources=_sources(notes, draft.metas),
        backend=backend,
        model=model,
        timings=timings,
        warnings=[renumbered(w) for w in dict.fromkeys(draft.warnings)],
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


def _scope(passages: list[Passage]) -> list[str]:
    labels = {}
    for p in passages:
        when = p.meta.published.isoformat() if p.meta.published else None
        labels.setdefault(p.article_id, f"{p.meta.source_label}" + (f" ({when})" if when else ""))
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
