"""The `assistant` command: ingest, sources (more commands join as features land)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from assistant.settings import Settings
from assistant.types import IngestReport

app = typer.Typer(
    no_args_is_help=True, add_completion=False, help="Research assistant over a corpus of articles."
)
console = Console()
err = Console(stderr=True)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of articles.")],
    sync: Annotated[
        bool, typer.Option("--sync", help="Remove articles whose files are gone.")
    ] = False,
) -> None:
    """Clean, chunk and embed articles into the store. Unchanged files are skipped."""
    from ingest.pipeline import discover, ingest_paths

    missing = [p for p in paths if not p.exists()]
    if missing:
        err.print(f"[red]No such file or folder:[/red] {', '.join(map(str, missing))}")
        raise typer.Exit(2)
    settings = Settings()
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("Ingesting", total=len(discover(paths)))
        report = ingest_paths(
            paths,
            settings,
            sync=sync,
            progress=lambda o: bar.update(
                task, advance=1, description=f"Ingesting {Path(o.path).name}"
            ),
        )
    console.print(report_table(report))
    if report.ingested_nothing:
        err.print("[red]Nothing could be ingested.[/red]")
        raise typer.Exit(1)


def report_table(report: IngestReport) -> Table:
    """One row per file, then totals: articles, chunks, seconds, chunks/s."""
    table = Table(title="Ingest report")
    table.add_column("file", overflow="fold")
    table.add_column("status")
    table.add_column("chunks", justify="right")
    table.add_column("embedded", justify="right")
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
            Text(o.reason or ""),
        )
    live = report.count("added", "updated", "unchanged")
    chunks = sum(o.chunks for o in report.outcomes if o.status in ("added", "updated", "unchanged"))
    rate = report.chunks_embedded / report.seconds if report.seconds else 0.0
    table.caption = (
        f"{live} articles, {chunks} chunks, {report.count('skipped')} skipped, "
        f"{report.count('duplicate')} duplicates, {report.chunks_embedded} embedded, "
        f"{report.seconds:.2f} s, {rate:.1f} chunks/s"
    )
    return table


@app.command()
def sources(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """List the ingested articles with every metadata field."""
    from assistant.catalog import Catalog

    settings = Settings()
    catalog = Catalog(settings.catalog_path)
    articles = catalog.articles()
    counts = {a.article_id: len(catalog.chunks(a.article_id)) for a in articles}
    rows = [
        {
            "article_id": a.article_id,
            "source_path": a.source_path,
            "chunks": counts[a.article_id],
            "chars": len(a.text),
            **a.meta.model_dump(mode="json"),
        }
        for a in articles
    ]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    console.print(f"[bold]{len(rows)} articles[/bold] in {settings.store_dir}")
    for row in rows:
        console.print(article_card(row))


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


if __name__ == "__main__":
    app()
