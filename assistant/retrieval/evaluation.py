"""Retrieval evaluation over a question file: does the retriever surface the evidence?

Reading the question file and running the retriever are the only I/O here. Everything
after that works on plain ranks and article ids, so the metrics can be checked by hand:

- a retrieved chunk *hits* when it contains any evidence excerpt of the question, both
  compared after collapsing whitespace and lower-casing;
- recall@n is the share of answerable questions with a hit among the first n chunks,
  MRR the mean of 1/rank of the first hit (0 when none was retrieved);
- doc_recall_at_5 is the share of answerable questions with a gold article among the
  articles of the first 5 chunks; doc_coverage_at_5 is, over the multi-source questions,
  the share of all their gold articles found there;
- unanswerable questions are listed apart (with the score of what was retrieved anyway)
  and never enter recall or MRR.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from assistant.types import (
    EvalReport,
    Metrics,
    Miss,
    Passage,
    Question,
    Ranking,
    UnanswerableResult,
)

if TYPE_CHECKING:
    from assistant.store import Store
    from assistant.types import Mode

DEPTH = 10  # chunks retrieved per question at least: recall@10 and MRR look this deep
DOC_DEPTH = 5  # chunks whose articles count for doc_recall_at_5 and doc_coverage_at_5


class QuestionFileError(ValueError):
    """A question file that cannot be read; the message names the file and the line."""


# -- reading a question file -------------------------------------------------------
def load_questions(path: Path | str) -> list[Question]:
    """Every question of a JSON Lines file, in order. Blank lines are skipped.

    Raises QuestionFileError naming the file (and line) when the file cannot be read,
    a line is not a JSON object of the question format, or an id repeats."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        raise QuestionFileError(f"{path}: not UTF-8 text (byte {e.start})") from e
    except OSError as e:
        raise QuestionFileError(f"{path}: cannot read ({e.strerror or e})") from e
    questions: list[Question] = []
    first_line: dict[str, int] = {}
    # split on "\n" only: JSON strings may hold U+2028 or U+0085, which splitlines() breaks on
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        question = parse_question(line, f"{path}:{number}")
        if question.id in first_line:
            raise QuestionFileError(
                f"{path}:{number}: duplicate id {question.id!r} (first on line "
                f"{first_line[question.id]})"
            )
        first_line[question.id] = number
        questions.append(question)
    return questions


def parse_question(line: str, where: str) -> Question:
    """One line of a question file; `where` ('file:line') prefixes any error."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as e:
        raise QuestionFileError(f"{where}: not valid JSON ({e.msg}, column {e.colno})") from e
    if not isinstance(data, dict):
        raise QuestionFileError(f"{where}: expected a JSON object, got {type(data).__name__}")
    try:
        return Question.model_validate(data)
    except ValidationError as e:
        problems = "; ".join(
            f"{'.'.join(map(str, err['loc'])) or 'line'}: {err['msg']}" for err in e.errors()
        )
        raise QuestionFileError(f"{where}: {problems}") from e


# -- pure scoring --------------------------------------------------------------------
def normalise(text: str) -> str:
    """Every run of whitespace collapsed to one space, lower-cased: how evidence compares."""
    return " ".join(text.split()).lower()


def first_hit_rank(chunk_texts: Sequence[str], evidence: Sequence[str]) -> int | None:
    """1-based rank of the first chunk containing any evidence excerpt, else None."""
    excerpts = [e for e in map(normalise, evidence) if e]
    for rank, text in enumerate(chunk_texts, 1):
        chunk = normalise(text)
        if any(e in chunk for e in excerpts):
            return rank
    return None


def rank_passages(question: Question, passages: Sequence[Passage]) -> Ranking:
    """Score one question's retrieved passages (best first)."""
    return Ranking(
        question=question,
        rank=first_hit_rank([p.chunk.text for p in passages], question.evidence),
        article_ids=[p.chunk.article_id for p in passages],
        top_score=passages[0].score if passages else None,
    )


def has_gold_doc(gold_docs: Sequence[str], article_ids: Sequence[str]) -> bool:
    """Whether any gold article is among the retrieved ones."""
    return bool(set(gold_docs) & set(article_ids))


def recall_at(ranks: Sequence[int | None], n: int) -> float:
    """Share of ranks that are at most n (None never is); 0.0 for no ranks."""
    return _share(sum(1 for r in ranks if r is not None and r <= n), len(ranks))


def mean_reciprocal_rank(ranks: Sequence[int | None]) -> float:
    """Mean of 1/rank, counting None as 0; 0.0 for no ranks."""
    return sum(1 / r for r in ranks if r is not None) / len(ranks) if ranks else 0.0


def summarise(ranks: Sequence[int | None], doc_hits: Sequence[bool]) -> Metrics:
    """Metrics from each question's first evidence rank and whether a gold doc was in top 5."""
    return Metrics(
        n=len(ranks),
        recall_at_1=recall_at(ranks, 1),
        recall_at_5=recall_at(ranks, 5),
        recall_at_10=recall_at(ranks, 10),
        mrr=mean_reciprocal_rank(ranks),
        doc_recall_at_5=_share(sum(doc_hits), len(doc_hits)),
    )


def doc_coverage(cases: Sequence[tuple[Sequence[str], Sequence[str]]]) -> float | None:
    """Share of all gold articles found, over (gold_docs, retrieved article ids) pairs;
    None when there is no gold article at all."""
    total = sum(len(set(gold)) for gold, _ in cases)
    found = sum(len(set(gold) & set(retrieved)) for gold, retrieved in cases)
    return found / total if total else None


def evaluate(rankings: Sequence[Ranking], k: int, mode: str) -> EvalReport:
    """The report over every question's ranking; unanswerable questions are kept apart."""
    answerable = [r for r in rankings if not r.question.unanswerable]
    langs = sorted({r.question.lang for r in answerable})
    multi = [r for r in answerable if r.question.multi]
    return EvalReport(
        k=k,
        mode=mode,
        overall=_metrics(answerable),
        doc_coverage_at_5=doc_coverage(
            [(r.question.gold_docs, r.article_ids[:DOC_DEPTH]) for r in multi]
        ),
        by_lang={
            lang: _metrics([r for r in answerable if r.question.lang == lang]) for lang in langs
        },
        misses=[_miss(r, k) for r in answerable if r.rank is None or r.rank > k],
        unanswerable=[_unanswerable(r) for r in rankings if r.question.unanswerable],
    )


def _metrics(rankings: Sequence[Ranking]) -> Metrics:
    return summarise(
        [r.rank for r in rankings],
        [has_gold_doc(r.question.gold_docs, r.article_ids[:DOC_DEPTH]) for r in rankings],
    )


def _miss(r: Ranking, k: int) -> Miss:
    q = r.question
    return Miss(
        id=q.id,
        lang=q.lang,
        question=q.question,
        rank=r.rank,
        gold_docs=q.gold_docs,
        article_ids=r.article_ids[:k],
    )


def _unanswerable(r: Ranking) -> UnanswerableResult:
    return UnanswerableResult(
        id=r.question.id,
        question=r.question.question,
        top_score=r.top_score,
        top_article_id=r.article_ids[0] if r.article_ids else None,
    )


def _share(count: int, total: int) -> float:
    return count / total if total else 0.0


# -- running the retriever -------------------------------------------------------------
def rank_questions(
    questions: Sequence[Question],
    store: Store,
    k: int = 5,
    mode: Mode = "hybrid",
    progress: Callable[[Question], None] | None = None,
    translator: Callable[[str, str], str | None] | None = None,
) -> list[Ranking]:
    """Retrieve max(10, k) passages for every question and score them (with a
    translator, questions not in the corpus's language are also searched translated)."""
    # imported here so that the CLI (and the pure scoring) load without llama-index
    from assistant.retrieval.search import retrieve

    rankings = []
    for question in questions:
        params = store.settings.retrieval.params(k=max(DEPTH, k), mode=mode)
        retrieval = retrieve(question.question, store, params, translator)
        rankings.append(rank_passages(question, retrieval.passages))
        if progress:
            progress(question)
    return rankings
