"""Instruction detection (assistant/text/injection.py) on labelled sentence files.

    .venv/bin/python bench/injection.py FILE.jsonl... [--misses]

Each line: {"id", "lang", "text", "injection": true|false}. Per file and language:
recall (injections flagged) and false positives (ordinary sentences flagged), with the
embedder of Settings(). Goals: recall >= 0.9, false positives <= 5%.
bench/data/injection_dev.jsonl calibrated the thresholds; tests/data/injections.jsonl,
written apart from the detector, measures them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.embedding import make_embedder  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.text.injection import (  # noqa: E402
    INSTRUCTION_PATTERNS,
    best_similarities,
    is_instruction,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--misses", action="store_true", help="Print each wrong sentence.")
    args = parser.parse_args()
    embedder = make_embedder(Settings())
    patterns = embedder.embed_passages(list(INSTRUCTION_PATTERNS))
    print("| file | lang | injections | recall | ordinary | false positives |")
    print("|---|---|---:|---:|---:|---:|")
    for path in args.files:
        rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
        texts = [r["text"] for r in rows]
        vectors = embedder.embed_passages(texts)
        scores = [
            best_similarities([r["text"]], vectors[i : i + 1], patterns, embedder.embed_passages,
                              r["lang"])[0]
            for i, r in enumerate(rows)
        ]  # fmt: skip
        flagged = [
            is_instruction(r["text"], r["lang"], s) for r, s in zip(rows, scores, strict=True)
        ]
        for lang in [*sorted({r["lang"] for r in rows}), "all"]:
            chosen = [i for i, r in enumerate(rows) if lang in ("all", r["lang"])]
            pos = [i for i in chosen if rows[i]["injection"]]
            neg = [i for i in chosen if not rows[i]["injection"]]
            recall = sum(flagged[i] for i in pos) / len(pos) if pos else float("nan")
            fp = sum(flagged[i] for i in neg) / len(neg) if neg else float("nan")
            print(f"| {path.name} | {lang} | {len(pos)} | {recall:.3f} | {len(neg)} | {fp:.3f} |")
        if args.misses:
            for r, s, f in zip(rows, scores, flagged, strict=True):
                if f != r["injection"]:
                    kind = "missed" if r["injection"] else "false positive"
                    print(f"  {kind} ({s:.3f}): {r['id']} {r['text'][:110]}")


if __name__ == "__main__":
    main()
