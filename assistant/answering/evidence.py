"""The evidence of an answer: the article sentences it rests on, each with its exact
offsets, chosen from the excerpts retrieval gave (assistant/answering/excerpts.py).

A sentence is evidence when it is a claim (not a heading, byline or endnote), scores close
enough to the question, and says something the sentences before it did not. A question
about the sources takes the best sentences of every article in turn, so each side is
shown; any other question takes the best sentences overall.
"""

from __future__ import annotations

from assistant.text.lexical import tokenize
from assistant.types import Evidence, Excerpt

# Evidence an answer shows. On our question files (bench/evidence.py), the answering
# sentence was among the best 4 for 0.851 of answerable questions, the best 5 for 0.881,
# the best 6 for 0.896; each one more costs a translation (~2 s, shared by the slots).
EVIDENCE_SENTENCES = 5
# Sentences this far below the best one (cosine) are not shown: no answering sentence of
# our files scored lower than that (0.06 cost none either; 0.10 leaves room).
EVIDENCE_MARGIN = 0.10
# Two sentences sharing this share of their content stems say the same thing (overlapping
# chunks, a lead repeated in the body).
SAME_SENTENCE = 0.6


def select_evidence(
    excerpts: list[Excerpt], on_sources: bool, limit: int = EVIDENCE_SENTENCES
) -> list[Evidence]:
    """Up to `limit` evidence sentences, best first (for a question about the sources,
    best of each article first, round-robin), numbered E1.. in that order."""
    candidates = [
        (score, e, a, b)
        for e in excerpts
        for a, b, score in e.sentences
        if e.is_claim(a, b) and e.quote(a, b).strip()
    ]
    if not candidates:  # nothing but headings: the best sentence anyway
        candidates = [
            (s, e, a, b) for e in excerpts for a, b, s in e.sentences if not e.is_instruction(a, b)
        ][:1]
    candidates.sort(key=lambda c: -c[0])
    if not candidates:
        return []
    best = candidates[0][0]
    if on_sources:
        ordered = _round_robin(candidates)
    else:
        ordered = [c for c in candidates if c[0] >= best - EVIDENCE_MARGIN]
    chosen: list[tuple[float, Excerpt, int, int]] = []
    seen: list[set[str]] = []
    for score, e, a, b in ordered:
        words = set(tokenize(e.quote(a, b), e.passage.meta.lang))
        if any(_same(words, other) for other in seen):
            continue
        seen.append(words)
        chosen.append((score, e, a, b))
        if len(chosen) == limit:
            break
    return [_evidence(i, *c) for i, c in enumerate(chosen, 1)]


def _round_robin(candidates: list[tuple[float, Excerpt, int, int]]):
    """Each article's best sentence, then each one's second best, ... (articles in the
    order of their best sentence)."""
    by_article: dict[str, list] = {}
    for c in candidates:
        by_article.setdefault(c[1].passage.article_id, []).append(c)
    rounds = max(len(v) for v in by_article.values())
    return [v[i] for i in range(rounds) for v in by_article.values() if i < len(v)]


def _same(a: set[str], b: set[str]) -> bool:
    return bool(a) and len(a & b) > SAME_SENTENCE * min(len(a), len(b))


def _evidence(i: int, score: float, e: Excerpt, a: int, b: int) -> Evidence:
    meta = e.passage.meta
    return Evidence(
        id=f"E{i}",
        article_id=e.passage.article_id,
        chunk_id=e.passage.chunk.chunk_id,
        start=a,
        end=b,
        text=e.quote(a, b),
        lang=meta.lang,
        source=meta.source_label,
        date=meta.published,
        score=round(score, 4),
    )


# Words that frame a question rather than name what it asks about: analysts ask "what
# did X say about Y", "how many ...", "which source ...". Without them,
# what is left is the subject a passage must speak to.
_FRAME_WORDS = (
    "say said says tell told report reported reports write wrote describe described "
    "source sources article articles outlet outlets mention mentioned happen happened "
    "сказал сказала сказали говорит пишет пишут сообщает сообщают источник источники "
    "статья статьи статье издание сколько какой какая какие каком каких почему кто "
    "сказав каже пише пишуть повідомляє джерело джерела стаття статті скільки який "
    "яка які якому чому хто"
)
QUESTION_FRAME = frozenset(_FRAME_WORDS.split())


def coverage(question: str, language: str, evidence: list[Evidence]) -> float:
    """The share of the question's subject words (stems, without stop words and question
    framing) that one evidence sentence, as a reader of `language` reads it, contains: the
    best sentence's share. A question the articles answer has a sentence that names most
    of what it asks about; one they do not answer is near sentences that share its topic
    but miss the thing asked (the weather, a ticket price, a football score).

    Only sentences in `language` (originals in it, or translations into it) count; 1.0
    when the question has no subject words, 0.0 when no sentence can be read."""
    frame = {t for w in QUESTION_FRAME for t in tokenize(w, language)}
    wanted = set(tokenize(question, language)) - frame
    if not wanted:
        return 1.0
    best = 0.0
    for e in evidence:
        readable = e.lang == language or (e.translation is not None and e.translation.translated)
        if readable:
            words = set(tokenize(e.shown, language))
            best = max(best, len(wanted & words) / len(wanted))
    return round(best, 4)
