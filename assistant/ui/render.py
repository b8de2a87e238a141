"""What the CLI shows: rich tables for people, and the JSON shapes of --json output."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from assistant.types import Answer, EvalReport, IngestReport, Passage


def report_table(report: IngestReport) -> Table:
    """One row per file, then totals: articles, chunks, seconds, chunks/s (embedding a
    chunk includes embedding its new sentences)."""
    table = Table(title="Ingest report")
    table.add_column("file", overflow="fold")
    table.add_column("status")
    table.add_column("chunks", justify="right")
    table.add_column("embedded", justify="right")
    table.add_column("sentences embedded", justify="right")
    table.add_column("note", overflow="fold")
    styles = {
        "added": "green",
        "updated": "cyan",
        "skipped": "red",
        "duplicate": "yellow",
        "removed": "magenta",
    }
    for o in report.outcomes:
        status = f"[{styles.get(o.status, 'white')}]{o.status}[/]"
        table.add_row(
            Text(Path(o.path).name),
            status,
            str(o.chunks),
            str(o.embedded),
            str(o.sentences_embedded),
            Text(o.reason or ""),
        )
    live = report.count("added", "updated", "unchanged")
    chunks = sum(o.chunks for o in report.outcomes if o.status in ("added", "updated", "unchanged"))
    rate = report.chunks_embedded / report.seconds if report.seconds else 0.0
    table.caption = (
        f"{live} articles, {chunks} chunks, {report.count('skipped')} skipped, "
        f"{report.count('duplicate')} duplicates, {report.chunks_embedded} chunks and "
        f"{sum(o.sentences_embedded for o in report.outcomes)} sentences embedded, "
        f"{report.seconds:.2f} s, {rate:.1f} chunks/s"
    )
    return table


def search_row(rank: int, passage: Passage) -> dict:
    """One result in the JSON shape of `assistant search --json`."""
    chunk, meta = passage.chunk, passage.meta
    return {
        "rank": rank,
        "score": round(passage.score, 4),
        "article_id": chunk.article_id,
        "title": meta.title,
        "outlet": meta.outlet,
        "date": meta.published.isoformat() if meta.published else None,
        "lang": meta.lang,
        "chunk_id": chunk.chunk_id,
        "start": chunk.start,
        "end": chunk.end,
        "text": chunk.text,
        "found_by": passage.found_by,
    }


def answer_json(answer: Answer) -> dict:
    """The JSON shape of `assistant ask --json`."""
    keys = (
        "n",
        "article_id",
        "title",
        "outlet",
        "date",
        "chunk_id",
        "start",
        "end",
        "quote",
        "translation",
        "translated",
    )
    return {
        "question": answer.question,
        "standalone_question": answer.standalone_question,
        "language": answer.language,
        "answer": answer.answer,
        "refused": answer.refused,
        "citations": [c.model_dump(mode="json", include=set(keys)) for c in answer.citations],
        "passages": [search_row(rank, p) for rank, p in enumerate(answer.passages, 1)],
        "backend": answer.backend,
        "model": answer.model,
        "timings": answer.timings,
        "warnings": answer.warnings,
        "lead": answer.lead.model_dump(mode="json") if answer.lead else None,
        "evidence": [
            {
                **e.model_dump(mode="json", exclude={"translation"}),
                "translation": e.translation.text if e.translation else None,
                "translated": bool(e.translation and e.translation.translated),
                "translation_flag": e.translation.flag if e.translation else None,
            }
            for e in answer.evidence
        ],
    }


def article_card(row: dict) -> Table:
    """Every field of one article, as a two-column grid."""
    grid = Table(title=row["article_id"], title_justify="left", show_header=False, box=None)
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for key, value in row.items():
        if key in ("article_id", "references"):
            continue
        grid.add_row(key, Text("—" if value is None else str(value)))
    for ref in row["references"]:
        grid.add_row(Text(f"[{ref['marker']}]"), Text(ref["url"] or ref["text"]))
    return grid


def print_eval_report(console: Console, report: EvalReport) -> None:
    """The metrics table, then the misses with their ranks, then the unanswerable questions."""
    console.print(eval_metrics_table(report))
    coverage = report.doc_coverage_at_5
    if coverage is not None:
        console.print(f"doc coverage@5 of multi-source questions: {coverage:.3f}")
    if report.misses:
        console.print(eval_misses_table(report))
    else:
        console.print(f"No misses: every answerable question has evidence in the top {report.k}.")
    if report.unanswerable:
        console.print(eval_unanswerable_table(report))


def eval_metrics_table(report: EvalReport) -> Table:
    """Evidence recall, MRR and doc recall: all answerable questions, then per language."""
    table = Table(title=f"Retrieval evaluation ({report.mode})")
    table.add_column("questions")
    for name in ("n", "recall@1", "recall@5", "recall@10", "MRR", "doc recall@5"):
        table.add_column(name, justify="right")
    for label, m in [("all", report.overall), *report.by_lang.items()]:
        rates = (m.recall_at_1, m.recall_at_5, m.recall_at_10, m.mrr, m.doc_recall_at_5)
        table.add_row(
            Text(label), str(m.n), *(f"{r:.3f}" for r in rates), end_section=label == "all"
        )
    table.caption = "unanswerable questions excluded; evidence hits compared case-insensitively"
    return table


def eval_misses_table(report: EvalReport) -> Table:
    """Answerable questions whose evidence was not in the first k chunks; the rank says
    where it was found after all (— if not in the top 10), gold articles show in green."""
    table = Table(title=f"{len(report.misses)} miss(es): evidence not in the top {report.k}")
    table.add_column("id", no_wrap=True)
    table.add_column("lang", no_wrap=True)
    table.add_column("rank", justify="right", no_wrap=True)
    table.add_column("question", overflow="fold", ratio=1)
    table.add_column(f"top-{report.k} articles (gold in green)", no_wrap=True)
    for m in report.misses:
        articles = Text("\n").join(
            Text(a, style="green" if a in m.gold_docs else "") for a in m.article_ids
        )
        rank = "—" if m.rank is None else str(m.rank)
        question = Text(m.question).append(f"\ngold: {', '.join(m.gold_docs)}", style="dim")
        table.add_row(Text(m.id), Text(m.lang), rank, question, articles)
    return table


def eval_unanswerable_table(report: EvalReport) -> Table:
    """What retrieval offered for the questions the corpus does not answer."""
    table = Table(title=f"{len(report.unanswerable)} unanswerable question(s)")
    for name in ("id", "top score", "top article", "question"):
        table.add_column(name, overflow="fold")
    for u in report.unanswerable:
        score = "—" if u.top_score is None else f"{u.top_score:.3f}"
        table.add_row(Text(u.id), score, Text(u.top_article_id or "—"), Text(u.question))
    return table
