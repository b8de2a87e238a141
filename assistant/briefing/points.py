"""Where sources speak to the same point, side by side; the timeline of dated sentences;
quotes translated into the briefing's language."""

from __future__ import annotations

from assistant.briefing.material import (
    CLAIMS_PER_POINT,
    POINTS,
    TIMELINE_EVENTS,
    Draft,
    Sentence,
    repeats,
)
from assistant.llm.chat import ChatModel, LLMError, complete
from assistant.prompts import (
    LANGUAGE_NAMES,
    LOOKUP_SYSTEM,
    LOOKUP_USER,
    QUOTE_TRANSLATE_EXAMPLES,
    QUOTE_TRANSLATE_SYSTEM,
)
from assistant.text.dates import event_date
from assistant.text.injection import defang
from assistant.types import (
    Disagreement,
    Message,
    SourceClaim,
    TimelineEvent,
)


def _claims(draft: Draft, sentences: list[Sentence]) -> list[SourceClaim]:
    """The best sentence of each source, up to CLAIMS_PER_POINT sources, best first."""
    best: dict[str, Sentence] = {}
    for s in sorted(sentences, key=lambda s: -s.score):
        if draft.quotable(s):
            best.setdefault(s.passage.meta.source_label, s)
    return [_claim(draft, s) for s in list(best.values())[:CLAIMS_PER_POINT]]


def _claim(draft: Draft, s: Sentence) -> SourceClaim:
    meta = s.passage.meta
    return SourceClaim(
        source=meta.source_label,
        article_id=s.passage.article_id,
        date=meta.published,
        lang=meta.lang,
        quote=s.text,
        note=draft.note(s.passage, s.start, s.end, s.text),
    )


def disagreements(draft, model, material, written):
    """Points where two or more sources speak to the same subtopic, each source's own
    sentence side by side. With a model, points it judges contradictory come first and
    alone; without one, they are set side by side and marked as not judged."""
    candidates = [(draft.labels["overall"], [s for ss in material for s in ss])]
    candidates += [
        (section.heading, [s for i in group for s in material[i]]) for section, group in written
    ]
    points, seen = [], set()
    for point, sentences in candidates:
        claims = _claims(draft, sentences)
        signature = frozenset(c.note for c in claims)
        if len(claims) >= 2 and signature not in seen:
            seen.add(signature)
            points.append(Disagreement(point=point, claims=claims))
    if not model.capabilities.verdicts:  # no stance method measured right >= 80%
        return points[:POINTS], draft.labels["unjudged"]
    for p in points:
        p.judged = _contradict(draft, model, p.claims)
    judged = [p for p in points if p.judged]
    if judged:
        return judged[:POINTS], draft.labels["judged"]
    return points[:POINTS], draft.labels["none_judged"]


def _contradict(draft: Draft, model: ChatModel, claims: list[SourceClaim]) -> bool:
    """Does the model judge the first claim and another source's contradictory, asked
    both ways round? (A small model says "contradicts" too readily when asked once.)"""
    first = claims[0]
    return any(
        _verdict(draft, model, first, other) and _verdict(draft, model, other, first)
        for other in claims[1:]
    )


def _verdict(draft: Draft, model: ChatModel, claim: SourceClaim, other: SourceClaim) -> bool:
    messages = [
        Message("system", LOOKUP_SYSTEM),
        Message(
            "user",
            LOOKUP_USER.format(
                claim=defang(claim.quote), source=other.source, passages=defang(other.quote)
            ),
        ),
    ]
    try:
        return "contradict" in complete(model, messages, max_tokens=5).lower()
    except LLMError as exc:
        draft.warnings.append(f"No contradiction verdict ({exc}).")
        return False


def timeline(draft: Draft, material) -> list[TimelineEvent]:
    """Dated sentences of the material, the most relevant ones, in date order."""
    dated = []
    for s in sorted((s for ss in material for s in ss), key=lambda s: -s.score):
        if not draft.quotable(s):
            continue
        when = event_date(s.text, s.passage.meta.published)
        if when is None or any(w == when and repeats(s.text, o.text) for w, o in dated):
            continue
        if any(o.key == s.key for _, o in dated):
            continue
        dated.append((when, s))
        if len(dated) == TIMELINE_EVENTS:
            break
    dated.sort(key=lambda item: item[0])
    return [TimelineEvent(when=w.label, claim=_claim(draft, s)) for w, s in dated]


def translate_claims(draft: Draft, model: ChatModel, claims: list[SourceClaim]) -> None:
    """Give quotes in another language a translation into the briefing's language."""
    for claim in claims:
        if claim.lang != draft.language:
            claim.translation = _translation(draft, model, claim.quote)


def _translation(draft: Draft, model: ChatModel, quote: str) -> str | None:
    if quote in draft.translations:
        return draft.translations[quote]
    language = LANGUAGE_NAMES[draft.language]
    example, reply = QUOTE_TRANSLATE_EXAMPLES[language]
    messages = [
        Message("system", QUOTE_TRANSLATE_SYSTEM.format(language=language)),
        Message("user", example),
        Message("assistant", reply),
        Message("user", defang(quote)),
    ]
    try:
        text = complete(model, messages, max_tokens=160).strip().splitlines()
        translated = text[0].strip() if text else None
    except LLMError as exc:
        draft.warnings.append(f"A quote could not be translated ({exc}).")
        translated = None
    draft.translations[quote] = translated or None
    return draft.translations[quote]
