"""Briefing benchmark: what a reader gets, measured on the exported Markdown, per topic
and language, with the local model (and the extractive backend beside it).

    .venv/bin/python bench/briefing.py [bench/data/briefing_topics.jsonl] [--langs en,ru,uk]
        [--sections 3] [--backends local,extractive] [--warm en] [--json]

Topics (one JSON object per line: {"lang": ..., "topic": ...}) were written for this
benchmark, not taken from any question file. Everything is measured on the Markdown
export, so the same script measures an older commit too (run it with PYTHONPATH set to
that commit's tree): the briefing's body, from the title to the source list, is

- **in its language**: the share of its letters in lines (quotes included) that
  lingua reads as the briefing's language;
- **uncited**: sentences of the summary, leads and quotes that carry no footnote;
- **unknown outlets**: names the body attributes a claim to ("according to X",
  "X reported", «по данным X») that are neither a catalog source nor named in the
  quoted text;
- **headings**: the section headings, printed for counting by hand;
- **seconds**: wall time. With `--warm en`, English briefings are drafted a second time
  (translations then come from the shared cache): that is the warm time.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # after PYTHONPATH: an older tree given there comes first

from unidecode import unidecode  # noqa: E402

from assistant.answering.answer import Asker  # noqa: E402
from assistant.briefing.draft import draft_briefing  # noqa: E402
from assistant.briefing.export import briefing_markdown  # noqa: E402
from assistant.citations import split_sentences  # noqa: E402
from assistant.prompts import BRIEFING_LABELS  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.store import Store  # noqa: E402
from assistant.text.languages import detect_language  # noqa: E402
from assistant.types import Briefing  # noqa: E402

_FOOTNOTE = re.compile(r"\[\^\d+\]")
_ESCAPE = re.compile(r"\\(.)")
_FRAMES = (  # noqa: E501
    re.compile(r"\b(?:[Aa]ccording to|[Rr]eported by)\s+((?:the\s+)?[A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,4})"),  # noqa: E501
    re.compile(r"((?:[A-Z][\w&.'’-]*\s+){0,3}(?:Herald|Times|News|Post|Agency|Gazette|Journal|Daily|Tribune|Press))\b"),  # noqa: E501
    re.compile(r"(?:[Пп]о данным|[Кк]ак сообщает|[Зз]а даними|[Яя]к повідомляє)\s+(«[^»]+»|[А-ЯЁІЇЄҐA-Z][\w&.'’-]*(?:\s+[А-ЯЁІЇЄҐA-Z][\w&.'’-]*){0,4})"),  # noqa: E501
)  # fmt: skip
_WORD = re.compile(r"[\w'’-]+")
_LABELS = {v for labels in BRIEFING_LABELS.values() for v in labels.values()}


def body_lines(md: str) -> list[str]:
    """The briefing's body: title to the source list, footnote markers kept."""
    body = md.split("\n## Sources")[0].split("\n## Источники")[0].split("\n## Джерела")[0]
    return [_ESCAPE.sub(r"\1", line).strip() for line in body.splitlines() if line.strip()]


def in_language(lines: list[str], language: str) -> float:
    """Share of the body's letters in lines read as `language` (footnotes removed)."""
    total = same = 0
    for line in lines:
        text = _FOOTNOTE.sub("", line).strip("#*-— ")
        letters = sum(c.isalpha() for c in text)
        if not letters:
            continue
        total += letters
        # A line that names no more than a few words (a heading of names) counts by its
        # script: Latin letters for English, Cyrillic for Russian and Ukrainian.
        if len(text.split()) <= 4:
            latin = sum(c.isascii() for c in text if c.isalpha()) > 0.8 * letters
            same += letters if latin == (language == "en") else 0
        else:
            same += letters if detect_language(text, default="?") == language else 0
    return round(same / total, 3) if total else 0.0


def claim_sentences(lines: list[str]) -> list[str]:
    """Sentences that state something: summary bullets, lead paragraphs, quote lines
    (headings, the italic notes, the drafted line and the scope line are labels)."""
    sentences = []
    for line in lines:
        if line.startswith(("#", "*")) or _FOOTNOTE.sub("", line).strip() in _LABELS:
            continue
        if line.startswith("- ") or not line.startswith("-"):
            text = line.removeprefix("- ")
            if text.startswith("**") and "**:" in text:  # "**Source (date)**: quote[^n]"
                sentences.append(text)
            else:
                sentences += _with_their_markers(text)
    return sentences


def _with_their_markers(text: str) -> list[str]:
    """The text's sentences, a footnote that opens a piece moved back to the sentence
    it follows ("«…» [^3]" splits after the closing quote), and a piece that opens with
    "(", a comma or a small letter, or has no letter at all, joined to the one before (a
    title ending in "…" splits; so does a closing quote after the full stop)."""
    pieces = [text[a:b].strip() for a, b in split_sentences(text) if text[a:b].strip()]
    out: list[str] = []
    for piece in pieces:
        markers = re.match(r"^(?:\[\^\d+\]\s*)+", piece)
        if markers and out:
            out[-1] += " " + markers.group(0).strip()
            piece = piece[markers.end() :].strip()
        joins = piece[:1] in "(,;:" or piece[:1].islower() or not any(c.isalnum() for c in piece)
        if piece and out and joins:
            out[-1] += " " + piece
        elif piece:
            out.append(piece)
    return out


def unknown_outlets(lines: list[str], notes: str, known: list[str]) -> list[str]:
    """Names the body attributes claims to that no catalog source, no quote in the body
    and no original in the notes gives (compared in Latin letters: ARVAK ~ АРВАК)."""
    text = "\n".join(_FOOTNOTE.sub("", line) for line in lines)
    quoted = re.findall(r"[«“]([^»”]+)[»”]", text)
    words = {_plain(w) for k in [*known, *quoted, notes] for w in _WORD.findall(k)}
    found = []
    for frame in _FRAMES:
        for match in frame.finditer(text):
            name = match.group(1).strip(" «».,")
            if name.lower().startswith("the article") or name.lower().startswith("the "):
                name = name.split(" ", 1)[-1]
            parts = [_plain(w) for w in _WORD.findall(name) if len(w) > 2]
            if parts and not all(p in words for p in parts):
                found.append(name)
    return sorted(set(found))


def _plain(word: str) -> str:
    return unidecode(word).lower()


def headings(md: str) -> list[str]:
    """The section headings (between the executive summary and the next fixed part)."""
    out, inside = [], False
    for line in md.splitlines():
        if not line.startswith("## "):
            continue
        name = _ESCAPE.sub(r"\1", line[3:])
        if name in ("Executive summary", "Главное", "Головне"):
            inside = True
        elif inside and name.startswith(("How the sources", "Where sources", "Как источники",
                                         "В чём источники", "Як джерела", "У чому джерела",
                                         "Timeline", "Хронология", "Хронологія")):  # fmt: skip
            break
        elif inside:
            out.append(name)
    return out


def measure(asker: Asker, topic: str, language: str, sections: int, known: list[str]) -> dict:
    started = time.perf_counter()
    briefing = None
    for event in draft_briefing(asker, topic, language, sections):
        if isinstance(event, Briefing):
            briefing = event
    seconds = round(time.perf_counter() - started, 1)
    result = {"topic": topic, "lang": language, "backend": briefing.backend, "seconds": seconds}
    result |= {"notes": len(briefing.notes), "warnings": briefing.warnings}
    # Shown although their check failed (the drafting before these briefings kept a
    # model's sentence its passage did not clearly support, with a warning).
    result["unchecked_shown"] = sum("Not clearly supported" in w for w in briefing.warnings)
    return result | score(briefing_markdown(briefing), language, known)


def score(md: str, language: str, known: list[str]) -> dict:
    """What the reader gets, from the Markdown alone."""
    lines = body_lines(md)
    sentences = claim_sentences(lines)
    notes = "\n".join(line for line in md.splitlines() if line.startswith("[^"))
    return {
        "in_language": in_language(lines, language),
        "sentences": len(sentences),
        "uncited": [s for s in sentences if not _FOOTNOTE.search(s)],
        "unknown_outlets": unknown_outlets(lines, notes, known),
        "headings": headings(md),
        "markdown": md,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topics", nargs="?", default=str(ROOT / "bench/data/briefing_topics.jsonl"))
    parser.add_argument("--langs", default="en,ru,uk")
    parser.add_argument("--sections", type=int, default=3)
    parser.add_argument("--backends", default="local,extractive")
    parser.add_argument("--warm", default="en", help="languages drafted twice (warm time)")
    parser.add_argument("--rescore", help="score the Markdown of an earlier --json run again")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    settings = Settings()
    store = Store(settings)
    known = [m.source_label for m in store.catalog.metas().values()]
    known += [m.title for m in store.catalog.metas().values()]
    if args.rescore:
        earlier = json.loads(Path(args.rescore).read_text())
        results = [r | score(r["markdown"], r["lang"], known) for r in earlier]
        return report(results, args.json)
    topics = [json.loads(line) for line in Path(args.topics).read_text().splitlines() if line]
    langs = args.langs.split(",")
    results = []
    for backend in args.backends.split(","):
        asker = Asker.create(settings, store, backend)
        for t in (t for t in topics if t["lang"] in langs):
            result = measure(asker, t["topic"], t["lang"], args.sections, known)
            if backend != "extractive" and t["lang"] in args.warm.split(","):
                again = measure(asker, t["topic"], t["lang"], args.sections, known)
                result["warm_seconds"] = again["seconds"]
            print(f"{backend} {t['lang']} {result['seconds']} s {result.get('warm_seconds', '')}"
                  f" {t['topic'][:50]}", file=sys.stderr, flush=True)  # fmt: skip
            results.append(result)
    report(results, args.json)


def report(results: list[dict], as_json: bool) -> None:
    if as_json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    header = "| backend | lang | topic | s | warm s | in language | uncited | unknown | headings |"
    print(header + "\n|---|---|---|---:|---:|---:|---:|---:|---|")
    for r in results:
        cells = [r["backend"], r["lang"], r["topic"][:45], r["seconds"], r.get("warm_seconds", ""),
                 r["in_language"], f"{len(r['uncited'])}/{r['sentences']}",
                 len(r["unknown_outlets"]), " / ".join(r["headings"])]  # fmt: skip
        print("| " + " | ".join(str(c) for c in cells) + " |")


if __name__ == "__main__":
    main()
