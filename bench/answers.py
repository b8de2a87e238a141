"""Answer benchmark over a question file: our answers (local model, extractive) beside
llama-index's CitationQueryEngine with the same local model and the same retriever, in
one run, against the store of Settings() (the ingested data/corpus).

    .venv/bin/python bench/answers.py QUESTIONS.jsonl [--backends local,extractive]
        [--limit N] [--max-load 1.2] [--json]

The local llama.cpp server is started if it is not running. Before the timed run the
script waits (polling every 30 s, at most 15 minutes) until the 1-minute load average is
below --max-load, and prints the load it started with. One warm-up question per engine
(WARM_UP, not from the file, not counted) puts the fixed prompt prefixes in the server's
cache. Then every question goes through every engine in turn (the order rotates per
question), so background load hits all engines alike.

Per engine:
- citation precision (answerable questions): share of citations whose cited chunk holds
  an evidence excerpt (whitespace collapsed, lower-cased) or belongs to a gold article.
  For CitationQueryEngine, each distinct [N] (or [Source N]) of its response maps to
  source_nodes[N-1] (its re-split "Source N" nodes); the node's text is searched for
  evidence and its article is that of the chunk it was split from;
- phantoms: numbers in markers of the final answer text that point at no citation;
  "dropped" counts answers carrying the "Dropped … citation(s)" warning;
- language match: the answer's language (markers stripped; for extractive answers the
  framing first line, since the quotes are in the source language) equals the
  question's lang;
- refusals on unanswerable questions, false refusals on answerable ones
  (CitationQueryEngine has no refusal flag: a phrase heuristic, marked as such);
- correctness (answerable): the answer matches every `expect` regex, case-insensitive;
- time to first token and total time, p50 and p95 (linear interpolation), in ms:
  Answer.timings for ours, measured around query() and its token stream for
  CitationQueryEngine (retrieval included in both).

- evidence matches expect: the answer's evidence sentences, in their original language,
  joined, match every `expect` regex; cross-language answers matching expect_native: the
  shown answer matches every `expect_native` regex (questions that have them);
- the lead: answers with one, sentences shown, sentences left out by the check.

Goals: citation precision >= 0.95, 0 phantoms, evidence matches expect >= 0.90,
expect_native >= 0.85, false refusals <= 10%, unanswerable refused >= 80%, first evidence
p50 <= 3 s and whole answer p50 <= 15 s (local). `--backends cqe` adds llama-index's
CitationQueryEngine with the same model and retriever, for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant import checks  # noqa: E402
from assistant import citations as cites  # noqa: E402
from assistant.answering.answer import Asker, ask  # noqa: E402
from assistant.answering.evidence import coverage  # noqa: E402
from assistant.llm.bundled import MODEL_NAME  # noqa: E402
from assistant.llm.server import api_key, health, serve  # noqa: E402
from assistant.retrieval.evaluation import load_questions, normalise  # noqa: E402
from assistant.retrieval.search import HybridRetriever  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.store import Store  # noqa: E402
from assistant.text.languages import detect_language  # noqa: E402
from assistant.types import (  # noqa: E402
    Answer,
    Question,
    RetrievalParams,  # noqa: E402
)
from bench.ingest import machine  # noqa: E402

CQE = "CitationQueryEngine"
PASSAGES = 4  # what our local answers read (assistant.answering.answer.PASSAGES)
GOAL_PRECISION, GOAL_LATENCY_RATIO = 0.95, 0.7
GOAL_FIRST_EVIDENCE_MS, GOAL_TOTAL_MS = 3000.0, 15000.0
WARM_UP = "What do the sources say about relations between Russia and Azerbaijan?"
LOAD_POLL_S, LOAD_WAIT_S = 30, 15 * 60
DROPPED = re.compile(r"^Dropped \d+ citation\(s\)")
# The engine's prompt labels passages "Source N"; a model that cites "[Source 3]" still
# names a source a reader can follow, so it counts as [3].
SOURCE_MARKER = re.compile(r"\[\s*Source\s+(\d{1,3})\s*\]", re.IGNORECASE)
# CitationQueryEngine only "indicates" that no source helps; these phrases count as a refusal.
CQE_REFUSAL = re.compile(
    r"none of the (provided |given )?sources|(do|does|did) not (contain|provide|mention|"
    r"include|say|specify)|no (relevant )?information|not (mentioned|specified|provided)|"
    r"(нет|не содерж\w*|не привод\w*) (информаци|сведени|ответ)|немає (інформаці|відповід)|"
    r"не містить",
    re.IGNORECASE,
)


@dataclass
class Cited:
    """One citation of an answer: the article and text of what it points at."""

    article_id: str | None
    text: str


@dataclass
class Outcome:
    """One engine's answer to one question, reduced to what the metrics need."""

    id: str
    engine: str
    answer: str
    cited: list[Cited] = field(default_factory=list)
    phantoms: int = 0
    dropped: bool | None = None  # None: the engine has no such warning
    language: str = ""
    refused: bool = False
    first_token_ms: float | None = None
    total_ms: float | None = None
    backend: str = ""  # what really answered (a local answer can fall back to extractive)
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    evidence: str = ""  # the evidence sentences in their original language, joined
    first_evidence_ms: float | None = None
    lead: list[str] = field(default_factory=list)  # the lead's sentences as shown
    lead_dropped: int = 0
    best: float = 0.0  # the best evidence sentence's cosine to the question
    coverage: float | None = None  # assistant.answering.evidence.coverage after translation


# -- our answers ---------------------------------------------------------------------------
def our_outcome(question: Question, engine: str, answer: Answer) -> Outcome:
    """An Answer as an Outcome: citations resolved to their chunks, markers checked."""
    chunks = {p.chunk.chunk_id: p.chunk for p in answer.passages}
    cited = [
        Cited(c.article_id, chunks[c.chunk_id].text if c.chunk_id in chunks else "")
        for c in answer.citations
    ]
    numbers = {n for m in cites.parse_markers(answer.answer) for n in m.numbers}
    return Outcome(
        id=question.id,
        engine=engine,
        answer=answer.answer,
        cited=cited,
        phantoms=len(numbers - {c.n for c in answer.citations}),
        dropped=any(DROPPED.match(w) for w in answer.warnings),
        language=answer_language(answer.answer, answer.backend == "extractive" or answer.refused),
        refused=answer.refused,
        first_token_ms=answer.timings.get("first_token_ms"),
        total_ms=answer.timings.get("total_ms"),
        backend=answer.backend,
        warnings=answer.warnings,
        evidence=" ".join(e.text for e in answer.evidence),
        first_evidence_ms=answer.timings.get("first_evidence_ms"),
        lead=[s.text for s in answer.lead.sentences] if answer.lead else [],
        lead_dropped=sum("of the model's lead" in w for w in answer.warnings),
        best=answer.evidence[0].score if answer.evidence else 0.0,
        coverage=coverage(
            answer.standalone_question or answer.question, answer.language, answer.evidence
        ),
    )


def answer_language(text: str, is_extractive: bool) -> str:
    """The language an answer is written in: for quoted answers (extractive, or a refusal
    followed by the closest passages), the framing first line; otherwise the text without
    its markers."""
    if is_extractive:
        text = text.split("\n", 1)[0]
    return detect_language(cites.strip_markers(text), default="?")


def our_engine(settings: Settings, store: Store, backend: str) -> Callable[[Question], Outcome]:
    asker = Asker.create(settings, store=store, backend=backend)
    return lambda q: our_outcome(q, backend, ask(asker, q.question))


# -- llama-index's CitationQueryEngine -------------------------------------------------------
def citation_engine(settings: Settings, store: Store) -> Callable[[Question], Outcome]:
    """CitationQueryEngine over our retriever (top 4, as our answers) and the local model."""
    from llama_index.core.query_engine import CitationQueryEngine
    from llama_index.llms.openai_like import OpenAILike

    llm = OpenAILike(
        model=MODEL_NAME,
        api_base=settings.local_base_url,
        api_key=api_key(settings),
        is_chat_model=True,
        context_window=settings.llm.context,
        max_tokens=400,
        temperature=0,
        timeout=settings.llm.timeout,
    )
    engine = CitationQueryEngine.from_args(
        index=None,
        retriever=HybridRetriever(store, RetrievalParams(k=PASSAGES)),
        llm=llm,
        streaming=True,
    )
    return lambda q: cqe_outcome(q, engine)


def cqe_outcome(question: Question, engine) -> Outcome:
    """Ask, timing the first streamed token and the end; map each [N] to source_nodes[N-1]."""
    started = time.perf_counter()
    first = None
    pieces: list[str] = []
    try:
        response = engine.query(question.question)
        for piece in response.response_gen:
            if piece and first is None:
                first = _ms(started)
            pieces.append(piece)
    except Exception as exc:  # noqa: BLE001 - a failed question is reported, not fatal
        return Outcome(question.id, CQE, "", error=f"{type(exc).__name__}: {exc}"[:300])
    total = _ms(started)
    text = SOURCE_MARKER.sub(r"[\1]", "".join(pieces))
    nodes = response.source_nodes
    numbers = list(dict.fromkeys(n for m in cites.parse_markers(text) for n in m.numbers))
    real = [n for n in numbers if 1 <= n <= len(nodes)]
    return Outcome(
        id=question.id,
        engine=CQE,
        answer=text,
        cited=[
            Cited(source_article(nodes[n - 1].node), nodes[n - 1].node.get_content()) for n in real
        ],
        phantoms=len(numbers) - len(real),
        language=answer_language(text, is_extractive=False),
        refused=bool(CQE_REFUSAL.search(text)) and not real,
        first_token_ms=first,
        total_ms=total,
        backend=CQE,
    )


def source_article(node) -> str | None:
    """Article of the chunk a "Source N" node was split from (HybridRetriever's nodes
    carry it as plain metadata, which the engine's node copies keep)."""
    return node.metadata.get("article_id")


# -- scoring (pure) -------------------------------------------------------------------------
def is_precise(cited: Cited, question: Question) -> bool:
    """The cited text holds an evidence excerpt, or it comes from a gold article."""
    if cited.article_id is not None and cited.article_id in question.gold_docs:
        return True
    text = normalise(cited.text)
    return any(e in text for e in map(normalise, question.evidence) if e)


def is_correct(answer: str, question: Question) -> bool:
    return all(re.search(p, answer, re.IGNORECASE) for p in question.expect)


def is_native_correct(answer: str, question: Question) -> bool | None:
    """The shown answer matches expect_native (None: the question has none)."""
    if not question.expect_native:
        return None
    return all(re.search(p, answer, re.IGNORECASE) for p in question.expect_native)


def percentiles(values: Sequence[float | None]) -> dict[str, float | None]:
    ms = [v for v in values if v is not None]
    if not ms:
        return {"p50": None, "p95": None}
    return {"p50": float(np.percentile(ms, 50)), "p95": float(np.percentile(ms, 95))}


def score(outcomes: Sequence[Outcome], questions: dict[str, Question]) -> dict:
    """Every metric of one engine over its outcomes."""
    answerable = [o for o in outcomes if not questions[o.id].unanswerable]
    unanswerable = [o for o in outcomes if questions[o.id].unanswerable]
    cited = [(c, questions[o.id]) for o in answerable for c in o.cited]
    precise = sum(is_precise(c, q) for c, q in cited)
    return {
        "questions": len(outcomes),
        "errors": sum(o.error is not None for o in outcomes),
        "fell_back_to_extractive": sum(o.backend == "extractive" for o in outcomes)
        if outcomes and outcomes[0].engine == "local"
        else None,
        "citations": len(cited),
        "citation_precision": precise / len(cited) if cited else None,
        "answers_without_citation": sum(not o.cited for o in answerable),
        "phantoms": sum(o.phantoms for o in outcomes),
        "dropped_warnings": None
        if any(o.dropped is None for o in outcomes)
        else sum(bool(o.dropped) for o in outcomes),
        "language_match": _share(
            sum(o.language == questions[o.id].lang for o in outcomes), len(outcomes)
        ),
        "refusal_rate_unanswerable": _share(
            sum(o.refused for o in unanswerable), len(unanswerable)
        ),
        "unanswerable": len(unanswerable),
        "false_refusals": sum(o.refused for o in answerable),
        "answerable": len(answerable),
        "correct": _share(
            sum(is_correct(o.answer, questions[o.id]) for o in answerable), len(answerable)
        ),
        "evidence_matches_expect": _share(
            sum(is_correct(o.evidence, questions[o.id]) for o in answerable if o.evidence),
            len(answerable),
        ),
        "cross_language": len(
            native := [
                v
                for o in answerable
                if (v := is_native_correct(o.answer, questions[o.id])) is not None
            ]
        ),
        "native_correct": _share(sum(native), len(native)),
        "lead_sentences": sum(len(o.lead) for o in outcomes),
        "answers_with_lead": sum(bool(o.lead) for o in outcomes),
        "lead_sentences_dropped": sum(o.lead_dropped for o in outcomes),
        "first_evidence_ms": percentiles([o.first_evidence_ms for o in outcomes]),
        "first_token_ms": percentiles([o.first_token_ms for o in outcomes]),
        "total_ms": percentiles([o.total_ms for o in outcomes]),
    }


def goals(results: dict) -> list[dict]:
    """The issue's goals that this run measured, each with its value and whether it is met."""
    local, cqe = results.get("local"), results.get(CQE)
    out = []
    for name in ("local", "extractive"):
        if r := results.get(name):
            p = r["citation_precision"]
            if p is not None:  # None: no answerable question in the file, nothing measured
                goal = f"citation precision >= {GOAL_PRECISION} ({name})"
                out.append(_goal(goal, p, p >= GOAL_PRECISION))
            out.append(_goal(f"0 phantom citations ({name})", r["phantoms"], r["phantoms"] == 0))
    for name in ("local", "extractive"):
        r = results.get(name)
        if r and r["evidence_matches_expect"] is not None:
            v = r["evidence_matches_expect"]
            out.append(_goal(f"evidence matches expect >= 0.90 ({name})", v, v >= 0.90))
        if r and r["answerable"]:
            v = r["false_refusals"] / r["answerable"]
            out.append(_goal(f"false refusals <= 10% ({name})", v, v <= 0.10))
        if r and r["refusal_rate_unanswerable"] is not None:
            v = r["refusal_rate_unanswerable"]
            out.append(_goal(f"unanswerable refused >= 80% ({name})", v, v >= 0.80))
    if local:
        if local["native_correct"] is not None:
            v = local["native_correct"]
            out.append(_goal("cross-language answers match expect_native >= 0.85", v, v >= 0.85))
        for name, key, limit in (
            ("first evidence p50 <= 3 s (local)", "first_evidence_ms", GOAL_FIRST_EVIDENCE_MS),
            ("whole answer p50 <= 15 s (local)", "total_ms", GOAL_TOTAL_MS),
        ):
            p50 = local[key]["p50"]
            out.append(_goal(name, p50, p50 is not None and p50 <= limit))
    if local and cqe and cqe["total_ms"]["p50"]:
        ratio = local["total_ms"]["p50"] / cqe["total_ms"]["p50"]
        out.append(
            _goal(
                f"total p50 <= {GOAL_LATENCY_RATIO} x {CQE} (local)",
                ratio,
                ratio <= GOAL_LATENCY_RATIO,
            )
        )
    return out


def _goal(name: str, value, met: bool) -> dict:
    return {"goal": name, "value": value, "met": met}


def _share(count: int, total: int) -> float | None:
    return count / total if total else None


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


# -- running ---------------------------------------------------------------------------------
def wait_for_quiet(max_load: float, say: Callable[[str], None]) -> float:
    """Wait until the 1-minute load average is below max_load (or the wait runs out);
    the load average at that moment."""
    deadline = time.monotonic() + LOAD_WAIT_S
    while (load := os.getloadavg()[0]) >= max_load and time.monotonic() < deadline:
        say(f"load average {load:.2f} >= {max_load}; waiting {LOAD_POLL_S} s")
        time.sleep(LOAD_POLL_S)
    return load


def run(
    questions: list[Question], engines: dict[str, Callable[[Question], Outcome]], say
) -> dict[str, list[Outcome]]:
    """Every question through every engine, the engine order rotating per question."""
    names = list(engines)
    outcomes: dict[str, list[Outcome]] = {name: [] for name in names}
    for i, question in enumerate(questions):
        order = names[i % len(names) :] + names[: i % len(names)]
        for name in order:
            outcome = engines[name](question)
            outcomes[name].append(outcome)
            say(
                f"{question.id} {name}: {outcome.total_ms} ms, {len(outcome.cited)} cited"
                + (f", ERROR {outcome.error}" if outcome.error else "")
            )
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("questions", type=Path, help="question file (JSON Lines)")
    parser.add_argument("--backends", default="local,extractive")
    parser.add_argument("--limit", type=int, default=None, help="only the first N questions")
    parser.add_argument(
        "--max-load",
        type=float,
        default=1.2,
        help="wait for a lower load average first (0: no wait)",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    questions = load_questions(args.questions)[: args.limit]
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    settings = Settings()
    store = Store(settings)
    if not store.metas():
        sys.exit("The store is empty: run `.venv/bin/assistant ingest data/corpus` first.")
    engines = {b: our_engine(settings, store, b) for b in backends if b != "cqe"}
    server = None
    if "local" in backends or "cqe" in backends:
        server = "already running" if health(settings).healthy else "started by serve()"
        status = serve(settings, wait=600)
        if not status.healthy:
            sys.exit(
                f"The local model server did not start; see {settings.llm.run_dir / 'llm.log'}"
            )
    if "cqe" in backends:
        engines[CQE] = citation_engine(settings, store)
    warm_up = Question(
        id="warm-up", lang="en", question=WARM_UP, gold_docs=[], evidence=[], expect=[]
    )
    for engine in engines.values():  # not counted
        engine(warm_up)
    load = wait_for_quiet(args.max_load, say) if args.max_load > 0 else os.getloadavg()[0]
    host = {**machine(), "loadavg_1min": round(load, 2)}
    if server:
        host["llm_server"] = f"{settings.local_base_url} ({server})"
    checked_before = checks.fired()  # the warm-up is not counted
    started = time.perf_counter()
    outcomes = run(questions, engines, say)
    host["loadavg_1min_after"] = round(os.getloadavg()[0], 2)
    host["wall_s"] = round(time.perf_counter() - started, 1)
    by_id = {q.id: q for q in questions}
    results = {name: score(found, by_id) for name, found in outcomes.items()}
    report = {
        "questions_file": str(args.questions),
        "machine": host,
        "results": results,
        "goals": goals(results),
        "checks": check_counts(checked_before, checks.fired()),
    }
    if args.json:
        report["outcomes"] = {name: [asdict(o) for o in found] for name, found in outcomes.items()}
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print(markdown(report))


# -- output ----------------------------------------------------------------------------------
ROWS: list[tuple[str, Callable[[dict], str]]] = [
    (
        "questions (answerable / unanswerable)",
        lambda r: f"{r['questions']} ({r['answerable']} / {r['unanswerable']})",
    ),
    ("citations on answerable questions", lambda r: str(r["citations"])),
    ("citation precision", lambda r: _rate(r["citation_precision"])),
    ("answerable answers citing nothing", lambda r: str(r["answers_without_citation"])),
    ("phantom citations in the answer text", lambda r: str(r["phantoms"])),
    ("answers with a “Dropped … citation(s)” warning", lambda r: _num(r["dropped_warnings"])),
    ("language match", lambda r: _rate(r["language_match"])),
    ("refusals on unanswerable", lambda r: _rate(r["refusal_rate_unanswerable"])),
    ("false refusals on answerable", lambda r: str(r["false_refusals"])),
    ("correct (every expect regex)", lambda r: _rate(r["correct"])),
    ("evidence matches expect (original language)", lambda r: _rate(r["evidence_matches_expect"])),
    (
        "cross-language answers matching expect_native",
        lambda r: f"{_rate(r['native_correct'])} (of {r['cross_language']})",
    ),
    (
        "answers with a lead / lead sentences shown",
        lambda r: f"{r['answers_with_lead']} / {r['lead_sentences']}",
    ),
    (
        "lead sentences left out (not held by their evidence)",
        lambda r: str(r["lead_sentences_dropped"]),
    ),
    ("first evidence p50 / p95, ms", lambda r: _pair(r["first_evidence_ms"])),
    ("total p50 / p95, ms", lambda r: _pair(r["total_ms"])),
    ("local answers shown as extractive (fallback)", lambda r: _num(r["fell_back_to_extractive"])),
    ("errors", lambda r: str(r["errors"])),
]


def check_counts(before: dict, after: dict) -> dict:
    """How often each check of the pipeline fired and ran during the run."""
    zero = (0, 0)
    return {
        name: {"fired": fired - before.get(name, zero)[0], "ran": ran - before.get(name, zero)[1]}
        for name, (fired, ran) in after.items()
        if ran - before.get(name, zero)[1]
    }


def markdown(report: dict) -> str:
    m, results = report["machine"], report["results"]
    names = list(results)
    lines = [
        f"{report['questions_file']} · {m['date']} · {m['nproc']} CPUs ({m['cpu']}), "
        f"Python {m['python']}, commit {m['commit']} · load average {m['loadavg_1min']:.2f} "
        f"before the run, {m['loadavg_1min_after']:.2f} after · {m['wall_s']:.0f} s"
        + (f" · model server {m['llm_server']}" if m.get("llm_server") else ""),
        "",
        "| measure | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    for label, cell in ROWS:
        lines.append(f"| {label} | " + " | ".join(cell(results[n]) for n in names) + " |")
    lines += ["", "Goals:", ""]
    for g in report["goals"]:
        value = g["value"]
        if not isinstance(value, float):
            shown = str(value)
        else:  # a time in ms, or a share / ratio
            shown = f"{value:.0f} ms" if value >= 100 else f"{value:.3f}"
        lines.append(f"- {g['goal']}: {shown}: **{'met' if g['met'] else 'not met'}**")
    if report["checks"]:
        lines += ["", "Checks of model output (assistant/checks.py), in pipeline order:", ""]
        lines += ["| check | fired | ran |", "|---|---:|---:|"]
        lines += [f"| {n} | {c['fired']} | {c['ran']} |" for n, c in report["checks"].items()]
    if CQE in results:
        lines.append(
            f"\n({CQE}: refusals by a phrase heuristic; no “Dropped” warning exists there.)"
        )
    return "\n".join(lines)


def _rate(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _num(value: int | None) -> str:
    return "–" if value is None else str(value)


def _pair(p: dict) -> str:
    if p["p50"] is None:
        return "–"
    return f"{p['p50']:.0f} / {p['p95']:.0f}"


if __name__ == "__main__":
    main()
