"""Citation lookup with the local model: its speed, and whether any verdict method is
right often enough to be shown, on a labelled claim file (format: ../shared/README.md).

    .venv/bin/python bench/lookup.py bench/data/claims.jsonl [--limit N]

Per claim, the lookup runs as the app runs it (retrieval, each source's closest sentences,
translated into the claim's language on the model's slots; translations cached on disk,
so the first run pays them). Then, for each source shown, the model is asked for a
one-word verdict (supports / contradicts / neither) on the translated sentences, and the
probabilities of its first token are read (top_logprobs). A source left out counts as
"silent", as the scorer of the claim format does.

Verdict methods scored per (claim, article) over every article of the corpus:
- always silent (the baseline);
- the model's word (argmax of its token probabilities);
- the same, calibrated: a bias added to the log-probability of supports and of
  contradicts, fitted on half the claims and scored on the other half (two folds, by
  claim), so the figure is out of sample.
A method is fit to be shown only at >= 0.8 accuracy (lookup.VERDICT_ACCURACY). The
timing is the lookup as shown to the user, without the extra verdict calls.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answering.lookup import VERDICT_ACCURACY, lookup  # noqa: E402
from assistant.llm.bundled import MODEL_NAME  # noqa: E402
from assistant.llm.chat import make_chat_model  # noqa: E402
from assistant.llm.server import api_key, serve  # noqa: E402
from assistant.prompts import JUDGE_SYSTEM, JUDGE_USER  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.store import Store  # noqa: E402

LABELS = ("supports", "contradicts", "silent")
BIASES = [x / 2 for x in range(-8, 9)]  # grid for the calibration, in nats


def load_claims(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def judge(client, claim: str, sentences: list[str]) -> dict[str, float]:
    """Log-probabilities of supports / contradicts / silent (the word "neither") as the
    model's first token, normalised over the three."""
    reply = client.chat.completions.create(
        model=MODEL_NAME,
        messages=[
            {"role": "system", "content": JUDGE_SYSTEM},
            {
                "role": "user",
                "content": JUDGE_USER.format(
                    claim=claim, sentences="\n".join(f"- {s}" for s in sentences)
                ),
            },
        ],  # fmt: skip
        max_tokens=1,
        temperature=0,
        logprobs=True,
        top_logprobs=20,
    )
    top = reply.choices[0].logprobs.content[0].top_logprobs
    mass = {label: 1e-9 for label in LABELS}
    for t in top:
        word = t.token.strip().lower()
        for label, prefix in (("supports", "sup"), ("contradicts", "con"), ("silent", "nei")):
            if word and prefix.startswith(word[:3]) and len(word) >= 2:
                mass[label] += math.exp(t.logprob)
    total = sum(mass.values())
    return {label: math.log(p / total) for label, p in mass.items()}


def decide(logp: dict[str, float], bias: tuple[float, float]) -> str:
    scored = {
        "supports": logp["supports"] + bias[0],
        "contradicts": logp["contradicts"] + bias[1],
        "silent": logp["silent"],
    }
    return max(scored, key=scored.get)


def accuracy(pairs, bias) -> float:
    """pairs: (label, logp or None for a source not shown)."""
    right = sum((decide(lp, bias) if lp else "silent") == label for label, lp in pairs)
    return right / len(pairs) if pairs else 0.0


def fit(pairs) -> tuple[float, float]:
    return max(itertools.product(BIASES, BIASES), key=lambda b: accuracy(pairs, b))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("claims", type=Path)
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    settings = Settings(backend="local")
    store = Store(settings)
    assert serve(settings, wait=300).healthy
    model = make_chat_model(settings)
    from openai import OpenAI

    client = OpenAI(base_url=settings.local_base_url, api_key=api_key(settings), max_retries=0)
    claims = load_claims(args.claims)[: args.limit]
    articles = sorted({a for c in claims for a in c["stances"]})
    per_claim, seconds = [], []
    for c in claims:
        started = time.perf_counter()
        findings = lookup(c["claim"], store, model, settings=settings)
        seconds.append(time.perf_counter() - started)
        shown = {f.article_id: f for f in findings}
        rows = []
        for article in articles:
            label = c["stances"].get(article, "silent")
            f = shown.get(article)
            logp = judge(client, c["claim"], [e.shown for e in f.evidence]) if f else None
            rows.append((label, logp))
        per_claim.append(rows)
        print(f"{c['id']}: {seconds[-1]:.1f} s, {len(findings)} sources", file=sys.stderr)
    pairs = [p for rows in per_claim for p in rows]
    folds = [per_claim[0::2], per_claim[1::2]]
    out_of_sample = []
    for train, test in ((folds[0], folds[1]), (folds[1], folds[0])):
        bias = fit([p for rows in train for p in rows])
        out_of_sample += [(p, bias) for rows in test for p in rows]
    calibrated = sum(
        ((decide(lp, b) if lp else "silent") == label) for (label, lp), b in out_of_sample
    ) / len(out_of_sample)
    counts = {label: sum(label == p[0] for p in pairs) for label in LABELS}
    report = {
        "claims": len(claims),
        "pairs": len(pairs),
        "labels": counts,
        "always_silent": round(counts["silent"] / len(pairs), 3),
        "model_word": round(accuracy(pairs, (0.0, 0.0)), 3),
        "model_calibrated_out_of_sample": round(calibrated, 3),
        f"fit_to_show (>= {VERDICT_ACCURACY})": calibrated >= VERDICT_ACCURACY,
        "lookup_seconds_p50": round(statistics.median(seconds), 1),
        "lookup_seconds_max": round(max(seconds), 1),
        "model_word_confusion": {
            label: {
                pred: sum(
                    1
                    for lab, lp in pairs
                    if lab == label and (decide(lp, (0.0, 0.0)) if lp else "silent") == pred
                )
                for pred in LABELS
            }
            for label in LABELS
        },  # fmt: skip
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
