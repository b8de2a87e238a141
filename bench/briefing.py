"""Briefing benchmark: the time to draft a 4-section briefing with the local model on
this machine, beside the extractive backend on the same topics, in one run, against the
store of Settings() (the ingested data/corpus).

    .venv/bin/python bench/briefing.py [--sections 4] [--lang en] [--max-load 1.2] [--json]

The topics are written for this benchmark (not taken from any question file). The local
llama.cpp server is started if it is not running; one short warm-up briefing (not
counted) puts the fixed prompt prefixes in its cache. For each topic both backends run in
turn, so background load hits both alike. Per briefing: wall time and the time of each
step (retrieval, sections, disagreements, timeline, translation; from the Progress
events), sections written by the model vs quoted, notes, sources, phantoms dropped and
sentences flagged as not clearly supported.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answering.answer import Asker  # noqa: E402
from assistant.briefing.draft import draft_briefing  # noqa: E402
from assistant.llm.server import health, serve  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.store import Store  # noqa: E402
from assistant.types import Briefing, Progress  # noqa: E402
from bench.answers import wait_for_quiet  # noqa: E402
from bench.ingest import machine  # noqa: E402

TOPICS = [
    "Who made concessions at the Dushanbe meeting in October 2025?",
    "The downing of the Azerbaijani passenger plane and how it changed relations with Russia",
    "Transport corridors and energy: what ties Baku and Moscow together",
]
WARM_UP = "Relations between Russia and Azerbaijan"


def draft(asker: Asker, topic: str, language: str, sections: int) -> dict:
    """One briefing, timed step by step."""
    started = last = time.perf_counter()
    steps: dict[str, float] = {}
    step, briefing = "start", None
    for event in draft_briefing(asker, topic, language, sections):
        if isinstance(event, Progress) and event.preview:
            continue
        now = time.perf_counter()
        steps[step] = steps.get(step, 0.0) + round(now - last, 2)
        last = now
        if isinstance(event, Progress):
            step = event.message.split(" of ")[0].removesuffix(" 1").rstrip("0123456789 ")
        else:
            briefing = event
    return summary(briefing, round(time.perf_counter() - started, 1), steps)


def summary(b: Briefing, seconds: float, steps: dict[str, float]) -> dict:
    quoted = sum(1 for s in b.sections if s.is_quoted)
    return {
        "topic": b.topic,
        "backend": b.backend,
        "seconds": seconds,
        "steps_s": {k: round(v, 1) for k, v in steps.items() if k != "start"},
        "sections": len(b.sections),
        "sections_quoted": quoted,
        "notes": len(b.notes),
        "sources": len(b.sources),
        "disagreement_points": len(b.disagreements),
        "timeline_events": len(b.timeline),
        "phantoms_dropped": sum("Dropped" in w for w in b.warnings),
        "not_clearly_supported": sum("Not clearly supported" in w for w in b.warnings),
        "uncited_sentences_left_out": sum(
            int(w.split()[2]) for w in b.warnings if w.startswith("Left out")
        ),
        "wrong_language_sections": sum("another language" in w for w in b.warnings),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=4)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--max-load", type=float, default=1.2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    settings = Settings(backend="local")
    if not health(settings).healthy:
        say("starting the local model server")
        serve(settings, wait=600)
    store = Store(settings)
    askers = {b: Asker.create(settings, store, b) for b in ("local", "extractive")}
    draft(askers["local"], WARM_UP, args.lang, 1)
    load = wait_for_quiet(args.max_load, say) if args.max_load > 0 else os.getloadavg()[0]
    host = {**machine(), "loadavg_1min": round(load, 2)}
    began = time.perf_counter()
    results = []
    for i, topic in enumerate(TOPICS):
        order = ["local", "extractive"] if i % 2 == 0 else ["extractive", "local"]
        for backend in order:
            result = draft(askers[backend], topic, args.lang, args.sections)
            say(f"{backend}: {result['seconds']} s  {topic[:60]}")
            results.append(result)
    host["wall_s"] = round(time.perf_counter() - began, 1)
    host["loadavg_1min_after"] = round(os.getloadavg()[0], 2)
    if args.json:
        print(json.dumps({"machine": host, "results": results}, ensure_ascii=False, indent=2))
        return
    print(f"machine: {json.dumps(host)}")
    print(
        "| topic | backend | total s | retrieval | sections | disagreements | timeline | "
        "translation | sections quoted | notes | sources | phantoms | flagged |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        s = r["steps_s"]
        print(
            f"| {r['topic'][:40]}… | {r['backend']} | {r['seconds']} | "
            f"{s.get('Retrieving material', 0)} | {s.get('Writing section', 0)} | "
            f"{s.get('Finding where sources disagree', 0)} | {s.get('Building the timeline', 0)} | "
            f"{s.get('Translating quotes', 0)} | {r['sections_quoted']}/{r['sections']} | "
            f"{r['notes']} | {r['sources']} | {r['phantoms_dropped']} | "
            f"{r['not_clearly_supported']} |"
        )


if __name__ == "__main__":
    main()
