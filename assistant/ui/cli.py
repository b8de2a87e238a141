"""The `assistant` command: ingest, sources (more commands join as features land)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from assistant.settings import Settings
from assistant.types import Filters
from assistant.ui.render import (
    answer_json,
    article_card,
    print_eval_report,
    report_table,
    search_row,
)

app = typer.Typer(
    no_args_is_help=True, add_completion=False, help="Research assistant over a corpus of articles."
)
console = Console()
err = Console(stderr=True)

# Filter options shared by the commands that retrieve (search, ask, brief).
ArticleOption = Annotated[list[str] | None, typer.Option(help="Only this article id (repeatable).")]
OutletOption = Annotated[list[str] | None, typer.Option(help="Only this outlet (repeatable).")]
LanguageOption = Annotated[
    list[str] | None, typer.Option(help="Only articles in this language (repeatable).")
]
FromOption = Annotated[
    datetime | None, typer.Option("--from", formats=["%Y-%m-%d"], help="Published on or after.")
]
ToOption = Annotated[
    datetime | None, typer.Option("--to", formats=["%Y-%m-%d"], help="Published on or before.")
]


def _filters(article, outlet, langs, date_from, date_to) -> Filters:
    """The Filters of the command-line options (None where an option was not given)."""
    return Filters(
        article_ids=article or [],
        outlets=outlet or [],
        langs=langs or [],
        date_from=date_from.date() if date_from else None,
        date_to=date_to.date() if date_to else None,
    )


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
    console.print(f"[bold]{len(rows)} articles[/bold] in {settings.store.dir}")
    for row in rows:
        console.print(article_card(row))


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Question or keywords, in any language.")],
    k: Annotated[int, typer.Option("--k", min=1, help="Passages to return.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    article: ArticleOption = None,
    outlet: OutletOption = None,
    lang: LanguageOption = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
    per_article: Annotated[
        int, typer.Option(help="At most this many passages per article; 0 = no limit.")
    ] = 3,
    mode: Annotated[str, typer.Option(help="hybrid, dense or lexical.")] = "hybrid",
    translate: Annotated[
        bool, typer.Option(help="Translate the query into the corpus language with the LLM.")
    ] = False,
) -> None:
    """Rank passages for a query, across languages, with optional filters."""
    from assistant.retrieval.search import retrieve
    from assistant.store import Store

    if mode not in ("hybrid", "dense", "lexical"):
        err.print(f"Unknown mode '{mode}': use hybrid, dense or lexical.")
        raise typer.Exit(2)
    filters = _filters(article, outlet, lang, date_from, date_to)
    settings = Settings()
    store = Store(settings)
    translator = _translator(settings) if translate else None
    params = settings.retrieval.params(
        filters=filters, k=k, mode=mode, max_per_article=per_article or None
    )
    result = retrieve(query, store, params, translator)
    rows = [search_row(rank, p) for rank, p in enumerate(result.passages, 1)]
    if as_json:
        payload = {"query": query, "language": result.language, "results": rows}
        if result.translation:
            payload["translation"] = result.translation
        if result.named:
            payload["named_source"] = result.named
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    console.print(Text(f"{len(rows)} passages for “{query}” (query language: {result.language})"))
    if result.translation:
        console.print(Text(f"also searched as: {result.translation}"))
    if result.named:
        console.print(Text(f"the query names {result.named}: its passages come first"))
    for row in rows:
        source = row["outlet"] or row["title"]
        when = row["date"] or "undated"
        head = f"{row['rank']}. {row['article_id']} · {source} · {when} · {row['lang']}"
        head += f" · score {row['score']:.3f}"
        console.print(Text(head, style="bold"))
        console.print(Text(row["text"]), "")


def _translator(settings: Settings):
    """The query translator of the configured LLM backend, or None (with a notice)."""
    from assistant.llm.chat import make_chat_model
    from assistant.llm.query_translation import QueryTranslator

    model = make_chat_model(settings)
    if not model.capabilities.writes:
        err.print("No LLM backend is configured; searching without translation.")
        return None
    return QueryTranslator(model)


@app.command()
def ask(
    question: Annotated[
        str, typer.Argument(help="The question, in English, Russian or Ukrainian.")
    ],
    backend: Annotated[
        str | None, typer.Option(help="local, openai or extractive (default: ASSISTANT_BACKEND).")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the whole answer as JSON.")
    ] = False,
    article: ArticleOption = None,
    lang: LanguageOption = None,
) -> None:
    """Answer a question from the corpus, each claim followed by its numbered source; streams."""
    from assistant.answering.answer import Asker, stream_answer
    from assistant.types import Answer

    if backend not in (None, "local", "openai", "extractive"):
        err.print(f"Unknown backend '{backend}': use local, openai or extractive.")
        raise typer.Exit(2)
    settings = Settings()
    asker = Asker.create(settings, model=_ready_model(settings, backend))
    filters = Filters(article_ids=article or [], langs=lang or [])
    final = None
    with err.status("Finding the evidence, translating it, writing the lead…"):
        for event in stream_answer(asker, question, filters=filters):
            if isinstance(event, Answer):
                final = event
    if as_json:
        print(json.dumps(answer_json(final), ensure_ascii=False, indent=2))
        return
    console.out(final.answer, highlight=False)
    console.print()
    for c in final.citations:
        when = c.date.isoformat() if c.date else "undated"
        console.print(
            Text(f"[{c.n}] {c.outlet or c.title} · {when} · {c.article_id} {c.start}-{c.end}")
        )
        console.print(Text(f"    «{c.quote}»", style="dim"))
    for warning in final.warnings:
        err.print(Text(f"note: {warning}", style="yellow"))


@app.command()
def brief(
    topic: Annotated[str, typer.Argument(help="What the briefing is about, in any language.")],
    lang: Annotated[
        str | None,
        typer.Option(help="Language of the briefing: en, ru or uk (default: the topic's)."),
    ] = None,
    sections: Annotated[int, typer.Option(min=1, max=8, help="Sections to plan.")] = 4,
    backend: Annotated[
        str | None, typer.Option(help="local, openai or extractive (default: ASSISTANT_BACKEND).")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Write to FILE.md or FILE.docx instead of printing Markdown."),
    ] = None,
    article: ArticleOption = None,
    outlet: OutletOption = None,
    source_lang: LanguageOption = None,
    date_from: FromOption = None,
    date_to: ToOption = None,
) -> None:
    """Draft a briefing on a topic: summary, sections, events side by side, timeline, sources."""
    from assistant.answering.answer import Asker
    from assistant.briefing.draft import draft_briefing
    from assistant.briefing.export import briefing_markdown, write_briefing
    from assistant.types import Progress as Step

    if backend not in (None, "local", "openai", "extractive"):
        err.print(f"Unknown backend '{backend}': use local, openai or extractive.")
        raise typer.Exit(2)
    if lang not in (None, "en", "ru", "uk"):
        err.print(f"Unknown language '{lang}': use en, ru or uk.")
        raise typer.Exit(2)
    if not topic.strip():
        err.print("The briefing needs a topic.")
        raise typer.Exit(2)
    if out is not None and out.suffix.lower() not in (".md", ".docx"):
        err.print(f"Cannot write '{out}': use a .md or .docx file name.")
        raise typer.Exit(2)
    settings = Settings()
    asker = Asker.create(settings, model=_ready_model(settings, backend))
    filters = _filters(article, outlet, source_lang, date_from, date_to)
    briefing = None
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("Drafting", total=sections + 4)
        for event in draft_briefing(asker, topic, lang, sections, filters):
            if isinstance(event, Step):
                bar.update(task, completed=event.done, total=event.total, description=event.message)
            else:
                briefing = event
    if out is None:
        console.out(briefing_markdown(briefing), highlight=False)
    else:
        write_briefing(briefing, out)
        err.print(f"Wrote {out} ({len(briefing.sections)} sections, {len(briefing.notes)} notes).")
    for warning in briefing.warnings:
        err.print(Text(f"note: {warning}", style="yellow"))


def _ready_model(settings: Settings, backend: str | None):
    """The backend's chat model, started if it is not answering (the local model's first
    start loads it); answers still come, quoted, when it cannot start."""
    from assistant.llm.chat import LLMError, make_chat_model

    model = make_chat_model(settings, backend)
    if not model.status().ready:
        err.print("Starting the model server (first start loads the model)…")
        try:
            model.start(wait=180)
        except LLMError as exc:
            err.print(Text(f"note: {exc}; answering extractively."))
    return model


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port of the web app.")] = 8501,
) -> None:
    """Serve the research workspace at http://127.0.0.1:PORT (starts the local model too)."""
    import subprocess
    import sys

    from assistant.llm.chat import LLMError, make_chat_model

    settings = Settings()
    try:  # the model warms up in the background; the app shows its status
        make_chat_model(settings).start(wait=0)
    except LLMError as exc:
        err.print(Text(f"note: {exc}; answers will be extractive."))
    script = Path(__file__).with_name("app.py")
    root = Path(__file__).resolve().parents[2]  # the checkout: relative paths in Settings
    console.print(f"Serving on http://127.0.0.1:{port}")
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port)]
    raise typer.Exit(_run_until_stopped(subprocess.Popen(command, cwd=root)))


# Seconds Streamlit gets to stop on SIGTERM before it is killed.
STOP_GRACE_S = 10.0


def _run_until_stopped(child) -> int:
    """Wait for the child; SIGTERM or SIGINT to this process stops it too (SIGTERM, then
    SIGKILL after STOP_GRACE_S), so a supervisor that stops `assistant serve` leaves
    nothing holding the port. The handler only signals: the wait stays in one place
    (Popen.wait is not reentrant)."""
    import signal
    import threading

    stopped: list[int] = []

    def stop(signum, _frame) -> None:
        if not stopped and child.poll() is None:
            child.send_signal(signal.SIGTERM)
            killer = threading.Timer(STOP_GRACE_S, child.kill)
            killer.daemon = True
            killer.start()
        stopped.append(signum)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        code = child.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 128 + stopped[0] if stopped else code


llm_app = typer.Typer(
    no_args_is_help=True, help="The managed local LLM server (llama.cpp, via xllamacpp)."
)
app.add_typer(llm_app, name="llm")


@llm_app.command("serve")
def llm_serve(
    port: Annotated[
        int | None, typer.Option(help="Port (default ASSISTANT_LLM_PORT or 8765).")
    ] = None,
    wait: Annotated[float, typer.Option(help="Seconds to wait until it answers.")] = 120.0,
) -> None:
    """Start the local model server, unless one already answers on the port."""
    from assistant.llm.bundled import ModelError
    from assistant.llm.server import serve

    settings = _with_port(Settings(), port)
    try:
        status = serve(settings, wait=wait)
    except (ModelError, RuntimeError) as exc:
        err.print(Text(str(exc)))
        raise typer.Exit(1) from None
    _report(status)


@llm_app.command("status")
def llm_status(port: Annotated[int | None, typer.Option(help="Port to check.")] = None) -> None:
    """Whether the local model server answers, with which model, and its slots (busy/idle)."""
    from assistant.llm.server import health

    _report(health(_with_port(Settings(), port)))


@llm_app.command("stop")
def llm_stop(port: Annotated[int | None, typer.Option(help="Port of the server.")] = None) -> None:
    """Stop the local model server this project started."""
    from assistant.llm.server import stop

    stopped = stop(_with_port(Settings(), port))
    console.print("stopped" if stopped else "no server of this project was running")


def _with_port(settings: Settings, port: int | None) -> Settings:
    return settings.changed(llm={"port": port}) if port else settings


def _report(status) -> None:
    """Print the server's status; exit 1 unless it is healthy."""
    _print_status(status)
    if not status.healthy:
        raise typer.Exit(1)


def _print_status(status) -> None:
    state = "[green]healthy[/green]" if status.healthy else "[red]not answering[/red]"
    console.print(f"{state} {status.url}  model={status.model or '-'}  pid={status.pid or '-'}")
    if status.slots:
        busy = sum(s.is_busy for s in status.slots)
        slots = "  ".join(f"{s.id}:{'busy' if s.is_busy else 'idle'}" for s in status.slots)
        console.print(f"slots: {len(status.slots)} ({busy} busy)  {slots}")


@app.command("eval")
def eval_questions(
    questions: Annotated[Path, typer.Argument(help="Question file (JSON Lines, see README).")],
    k: Annotated[
        int, typer.Option("--k", min=1, help="Evidence ranked below k counts as a miss.")
    ] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
    mode: Annotated[
        Literal["hybrid", "dense", "lexical"], typer.Option(help="Which retriever to score.")
    ] = "hybrid",
    translate: Annotated[
        bool, typer.Option(help="Translate each question into the corpus language with the LLM.")
    ] = False,
) -> None:
    """Score retrieval on a question file: evidence recall@1/5/10, MRR, doc recall, misses."""
    from assistant.retrieval.evaluation import (
        QuestionFileError,
        evaluate,
        load_questions,
        rank_questions,
    )
    from assistant.store import Store

    try:
        items = load_questions(questions)
    except QuestionFileError as e:
        err.print(Text(f"Cannot evaluate: {e}", style="red"), soft_wrap=True)
        raise typer.Exit(2) from None
    settings = Settings()
    store = Store(settings)
    if not store.catalog.fingerprints():
        err.print(
            Text(f"The store {settings.store.dir} holds no articles: run `assistant ingest` first.")
        )
    translator = _translator(settings) if translate else None
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("Retrieving", total=len(items))
        rankings = rank_questions(
            items, store, k, mode, progress=lambda q: bar.advance(task), translator=translator
        )
    store.close()
    report = evaluate(rankings, k, mode)
    if as_json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        return
    print_eval_report(console, report)


if __name__ == "__main__":
    app()
