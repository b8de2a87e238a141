"""Refusal thresholds from answer-benchmark runs: calibrated on some question files,
reported on the others.

    .venv/bin/python bench/refusal.py --calibrate RUN.json... --report RUN.json...

Each RUN.json is the `--json` output of bench/answers.py (its `local` outcomes carry the
best evidence cosine and the coverage of the question by the translated evidence). The
pair of thresholds (Settings.answer.refusal_score and .refusal_coverage) that refuses the
most unanswerable questions of the calibration runs while their false refusals stay at or
below 10% is chosen (bench/evidence.calibrate_pair), then every run is scored with it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.retrieval.evaluation import load_questions  # noqa: E402
from bench.evidence import calibrate_pair, scores  # noqa: E402


def rows(run: Path) -> list[dict]:
    report = json.loads(run.read_text("utf-8"))
    questions = {q.id: q for q in load_questions(ROOT / report["questions_file"])}
    return [
        {"id": o["id"], "unanswerable": questions[o["id"]].unanswerable, "best": o["best"],
         "coverage": o["coverage"], "matches": True}
        for o in report["outcomes"]["local"]
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calibrate", nargs="+", type=Path, required=True)
    parser.add_argument("--report", nargs="*", type=Path, default=[])
    args = parser.parse_args()
    found = {p: rows(p) for p in [*args.calibrate, *args.report]}
    pair = calibrate_pair([r for p in args.calibrate for r in found[p]])
    print(f"calibrated (refusal_score, refusal_coverage): {pair}")
    print("| run | role | answerable | false refusals | unanswerable | refused |")
    print("|---|---|---:|---:|---:|---:|")
    for p, file_rows in found.items():
        role = "calibration" if p in args.calibrate else "report"
        s = scores(file_rows, *pair)
        print(f"| {p.name} | {role} | {s['answerable']} | {s['false_refusals']} | "
              f"{s['unanswerable']} | {s['unanswerable_refused']} |")  # fmt: skip


if __name__ == "__main__":
    main()
