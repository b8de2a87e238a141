"""Evidence and refusal, without a model: what the answer pipeline picks as evidence for
every question of the given files, and whether it refuses.

    .venv/bin/python bench/evidence.py --calibrate FILE... [--report FILE...] [--translate] [--json]

For each question the answer code runs with the extractive backend (the evidence is the
same with a model: the model only translates it and writes the lead), over the store of
Settings() (the ingested data/corpus). Per file:
- evidence matches expect: answerable questions whose evidence sentences, in their
  original language, joined, match every `expect` regex (case-insensitive);
- false refusals: answerable questions refused; refused: unanswerable questions refused.

The refusal threshold (the best evidence sentence's cosine to the question) is calibrated
on the --calibrate files only: the highest threshold whose false refusals there stay at or
below 10%, which refuses the most unanswerable questions under that limit. The --report
files are scored with that threshold and with Settings().answer.refusal_score, side by side.

With --translate, the local model translates each question's evidence into the question's
language (through the shared translation cache, as answers do), and a second signal is
calibrated the same way: coverage, the share of the question's subject words that its best
evidence sentence holds in the question's language (assistant/evidence.coverage). The
refusal rule then refuses when either signal is below its threshold; the coverage
threshold is the highest one that keeps false refusals on the calibration files within
10% together with the cosine threshold.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answering.answer import Asker, ask  # noqa: E402
from assistant.answering.evidence import coverage  # noqa: E402
from assistant.llm.chat import make_chat_model  # noqa: E402
from assistant.llm.translation import TranslationCache, translate_all  # noqa: E402
from assistant.retrieval.evaluation import load_questions  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.store import Store  # noqa: E402

MAX_FALSE_REFUSALS = 0.10


def evidence_rows(asker: Asker, path: Path, model=None) -> list[dict]:
    """One row per question: its best evidence score, whether the evidence matches and,
    with a model, the coverage of the question by the translated evidence."""
    rows = []
    cache = TranslationCache(asker.settings.translations_path) if model else None
    for q in load_questions(path):
        answer = ask(asker, q.question)
        covered = None
        if model is not None:
            pairs = [(e.text, e.lang) for e in answer.evidence]
            for i, t in translate_all(
                model, pairs, answer.language, cache, asker.settings.llm.slots
            ):
                answer.evidence[i].translation = t
            covered = coverage(q.question, answer.language, answer.evidence)
        joined = " ".join(e.text for e in answer.evidence)
        rows.append(
            {
                "id": q.id,
                "lang": q.lang,
                "unanswerable": q.unanswerable,
                "best": answer.evidence[0].score if answer.evidence else 0.0,
                "coverage": covered,
                "matches": bool(q.expect)
                and all(re.search(x, joined, re.IGNORECASE) for x in q.expect),
                "evidence": [f"{e.article_id}: {e.shown[:160]}" for e in answer.evidence],
            }
        )
        print(f"  {q.id}: best {rows[-1]['best']} coverage {covered}", file=sys.stderr)
    if cache:
        cache.close()
    return rows


def refuses(row: dict, threshold: float, min_coverage: float | None) -> bool:
    low = row["coverage"] is not None and min_coverage is not None
    return row["best"] < threshold or (low and row["coverage"] < min_coverage)


def scores(rows: list[dict], threshold: float, min_coverage: float | None = None) -> dict:
    answerable = [r for r in rows if not r["unanswerable"]]
    unanswerable = [r for r in rows if r["unanswerable"]]
    return {
        "answerable": len(answerable),
        "evidence_matches_expect": _share(r["matches"] for r in answerable),
        "false_refusals": _share(refuses(r, threshold, min_coverage) for r in answerable),
        "unanswerable": len(unanswerable),
        "unanswerable_refused": _share(refuses(r, threshold, min_coverage) for r in unanswerable),
    }


def calibrate(rows: list[dict]) -> float:
    """The highest threshold (of the observed best scores) whose false refusals on rows
    stay at or below MAX_FALSE_REFUSALS."""
    answerable = sorted(r["best"] for r in rows if not r["unanswerable"])
    allowed = int(MAX_FALSE_REFUSALS * len(answerable))  # refused answerable questions
    return round(answerable[allowed] if answerable else 0.0, 4)


def calibrate_pair(rows: list[dict]) -> tuple[float, float]:
    """The (cosine, coverage) thresholds that refuse the most unanswerable questions of
    rows while false refusals stay at or below MAX_FALSE_REFUSALS (ties: lower
    thresholds)."""
    best_pair, best_refused = (0.0, 0.0), -1.0
    cosines = sorted({0.0, *(r["best"] for r in rows)})
    covers = sorted({0.0, *(r["coverage"] for r in rows if r["coverage"] is not None)})
    for t in cosines:
        for c in covers:
            s = scores(rows, t, c)
            if s["false_refusals"] is None or s["false_refusals"] > MAX_FALSE_REFUSALS:
                continue
            refused = s["unanswerable_refused"] or 0.0
            if refused > best_refused:
                best_pair, best_refused = (t, c), refused
    return best_pair


def _share(flags) -> float | None:
    flags = list(flags)
    return round(sum(flags) / len(flags), 3) if flags else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calibrate", nargs="+", type=Path, required=True)
    parser.add_argument("--report", nargs="*", type=Path, default=[])
    parser.add_argument("--json", action="store_true", help="Also print every row.")
    parser.add_argument(
        "--translate", action="store_true", help="Translate evidence (local model); coverage."
    )
    args = parser.parse_args()
    settings = Settings()
    code_threshold = settings.answer.refusal_score
    asker = Asker.create(settings, Store(settings), "extractive")
    model = make_chat_model(settings, "local") if args.translate else None
    rows = {p: evidence_rows(asker, p, model) for p in [*args.calibrate, *args.report]}
    threshold = calibrate([r for p in args.calibrate for r in rows[p]])
    print(f"calibrated threshold: {threshold} (settings: refusal_score = {code_threshold})")
    calibration = {p: "calibration" if p in args.calibrate else "report" for p in rows}
    print_table(rows, calibration, (threshold,), (code_threshold,), full=True)
    if args.translate:
        pair = calibrate_pair([r for p in args.calibrate for r in rows[p]])
        code_pair = (code_threshold, settings.answer.refusal_coverage)
        print(f"\ncalibrated (cosine, coverage): {pair} (settings: {code_pair})")
        print_table(rows, calibration, pair, code_pair, full=False)
    if args.json:
        print(json.dumps({str(p): r for p, r in rows.items()}, ensure_ascii=False, indent=1))


def print_table(rows, roles, calibrated: tuple, code: tuple, full: bool) -> None:
    """Per file: false refusals and unanswerable questions refused, with the calibrated
    thresholds and with the code's (full: also answerable and evidence-matches counts)."""
    head = "| file | role |" + (" answerable | evidence matches expect |" if full else "")
    head += " false refusals (calibrated / code) |"
    head += " unanswerable |" if full else ""
    print(head + " refused (calibrated / code) |")
    print("|---|---|" + "---:|" * (head.count("|") - 2))
    for p, file_rows in rows.items():
        cal, ours = scores(file_rows, *calibrated), scores(file_rows, *code)
        cells = [p.name, roles[p]]
        if full:
            cells += [cal["answerable"], cal["evidence_matches_expect"]]
        cells.append(f"{cal['false_refusals']} / {ours['false_refusals']}")
        if full:
            cells.append(cal["unanswerable"])
        cells.append(f"{cal['unanswerable_refused']} / {ours['unanswerable_refused']}")
        print("| " + " | ".join(str(c) for c in cells) + " |")


if __name__ == "__main__":
    main()
