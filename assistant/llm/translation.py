"""Evidence sentences in the reader's language: the model translates one sentence at a time.

- The sentence enters the prompt fenced as data (TRANSLATE_SYSTEM): an instruction planted
  in an article is translated as text, never obeyed.
- The reply is constrained to TRANSLATION_SCHEMA, so it holds the translation and nothing
  else (no "Here is the translation:").
- The translation goes through the check pipeline (assistant/checks.py): it must be a
  translation, in the target language, with the original's digits and names. One that
  fails is retried once, then kept with a flag.
- Translations are cached on disk by (sentence hash, target language, model), so a repeated
  sentence costs nothing; calls run concurrently, one per slot of the model server.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from assistant import checks
from assistant.embedding import text_key
from assistant.llm.chat import ChatModel, LLMError, Message, complete_json
from assistant.prompts import (
    LANGUAGE_NAMES,
    QUOTE_FRAME,
    QUOTE_FRAME_KEPT,
    TRANSLATE_SYSTEM,
    TRANSLATE_USER,
    TRANSLATION_SCHEMA,
)
from assistant.types import Translation, Written

# A translation is ~1.3x its source in tokens; 200 tokens holds the longest evidence
# sentence of the sample corpus (~600 characters) with room to spare.
TRANSLATION_TOKENS = 320
_CLOSING_QUOTES = "»\"”'’"
# A frame the model kept: a lead-in of at most ~10 words ending in a colon, then a quote.
_FRAME_WORD = {"en": r"\b(article|text)\b", "ru": r"стать|текст", "uk": r"статт|текст"}
_LEAD_IN = re.compile(r"^[^:«\"“'‘\n]{1,80}:\s*[«\"“'‘](.+)$", re.DOTALL)


class TranslationCache:
    """Translations in SQLite, keyed by (sentence hash, target language, model). Safe to
    share between threads (one connection, one lock)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._lock = threading.Lock()
        with self._lock, self._db:
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS translations (key TEXT, target TEXT, model TEXT,"
                " text TEXT, flag TEXT, PRIMARY KEY (key, target, model))"
            )

    def get(self, sentence: str, target: str, model: str) -> Translation | None:
        with self._lock:
            row = self._db.execute(
                "SELECT text, flag FROM translations WHERE key=? AND target=? AND model=?",
                (text_key(sentence), target, model),
            ).fetchone()
        if row is None:
            return None
        return Translation(text=row[0], target=target, translated=True, flag=row[1], model=model)

    def put(self, sentence: str, translation: Translation) -> None:
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?)",
                (
                    text_key(sentence),
                    translation.target,
                    translation.model,
                    translation.text,
                    translation.flag,
                ),
            )

    def close(self) -> None:
        self._db.close()


def translate(model: ChatModel, sentence: str, source: str, target: str) -> Translation:
    """One sentence in the target language. Retried once when digits or names are lost,
    then flagged (as is one that is not in the target language: the 1.5B model writes
    Ukrainian half in Russian); raises LLMError when the model cannot answer."""
    failed = None
    for _attempt in range(2):
        text = _ask(model, sentence, source, target)
        findings = checks.run(Written("translation", text, (sentence,), target, source))
        if not findings:
            return Translation(text=text, target=target, translated=True, model=model.name)
        failed = findings[0]
    if failed.check == "is a translation":
        return Translation(text=sentence, target=target, translated=False, flag=failed.reason)
    return Translation(
        text=text, target=target, translated=True, flag=failed.reason, model=model.name
    )


def _ask(model: ChatModel, sentence: str, source: str, target: str) -> str:
    """The model's translation of the sentence, framed as reported speech (QUOTE_FRAME),
    with the frame and its quotation marks taken off again."""
    messages = [
        Message(
            "system",
            TRANSLATE_SYSTEM.format(
                source=LANGUAGE_NAMES.get(source, source), target=LANGUAGE_NAMES[target]
            ),
        ),
        Message("user", TRANSLATE_USER.format(text=fenced(framed(sentence, source)))),
    ]
    reply = complete_json(model, messages, TRANSLATION_SCHEMA, max_tokens=TRANSLATION_TOKENS)
    text = unframed(" ".join(reply["translation"].split()), target)
    if not text:
        raise LLMError("the model returned an empty translation")
    return text


def framed(sentence: str, source: str) -> str:
    return QUOTE_FRAME.get(source, QUOTE_FRAME["en"]).format(text=sentence)


def unframed(translation: str, target: str) -> str:
    """The translation without the frame it went in with: a short lead-in that names the
    article and ends in a colon and an opening quote ("In the article, it is stated:
    '…'"), or a known frame without quotes, and the closing quotation mark."""
    quoted = _LEAD_IN.match(translation)
    if quoted and not re.search(_FRAME_WORD[target], translation[: quoted.start(1)], re.I):
        quoted = None  # a quotation of the sentence's own ("Putin said: «…»")
    kept = quoted or re.match(QUOTE_FRAME_KEPT[target], translation, re.IGNORECASE)
    if not kept:
        return translation
    rest = (quoted.group(1) if quoted else translation[kept.end() :]).strip()
    rest = rest.rstrip()
    if rest[-1:] in _CLOSING_QUOTES:
        rest = rest[:-1].rstrip()
    elif rest[-2:-1] in _CLOSING_QUOTES and rest[-1:] in ".!?":
        rest = rest[:-2].rstrip() + rest[-1]
    return rest or translation


def _not_a_translation(hit: Translation, sentence: str, lang: str) -> bool:
    """A cached reply that the current checks do not take for a translation (one cached
    before a check was added) is made again."""
    findings = checks.run(Written("translation", hit.text, (sentence,), hit.target, lang))
    return any(f.check == "is a translation" for f in findings)


def fenced(text: str) -> str:
    """Article text as it enters a prompt: it cannot close or fake the <text> fence."""
    return re.sub(r"</?\s*text\s*>", "", text, flags=re.IGNORECASE)


def translate_all(
    model: ChatModel,
    sentences: Sequence[tuple[str, str]],
    target: str,
    cache: TranslationCache | None,
    workers: int,
) -> Iterator[tuple[int, Translation]]:
    """(index, Translation) for each (sentence, language) not already in the target
    language, cached ones first, the rest as the model finishes them (`workers` calls at a
    time). A sentence the model cannot translate yields an untranslated Translation with
    the reason as its flag."""
    todo = []
    for i, (sentence, lang) in enumerate(sentences):
        if lang == target:
            continue
        hit = cache.get(sentence, target, model.name) if cache else None
        if hit is not None and not _not_a_translation(hit, sentence, lang):
            yield i, hit
        else:
            todo.append((i, sentence, lang))
    if not todo:
        return
    with ThreadPoolExecutor(max(1, min(workers, len(todo)))) as pool:
        futures = {pool.submit(translate, model, s, lang, target): (i, s) for i, s, lang in todo}
        for future in as_completed(futures):
            i, sentence = futures[future]
            try:
                translation = future.result()
            except LLMError as exc:
                yield (
                    i,
                    Translation(
                        text=sentence,
                        target=target,
                        translated=False,
                        flag=f"not translated: {exc}",
                    ),
                )
                continue
            if cache is not None and translation.translated:
                cache.put(sentence, translation)
            yield i, translation
