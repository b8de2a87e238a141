"""The lexical side: language-aware tokens and a bm25s index over chunks.

Russian and English use Snowball stemmers (PyStemmer), chosen for each word by its
script. Snowball has no Ukrainian, so Ukrainian words are folded onto Russian spelling
(і/ї -> и, є -> е, ґ -> г) and stemmed as Russian: the two share most inflectional
endings, which is enough to match "катастрофи" with "катастрофа" and "Панцир" with
"Панцирь".
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

# Spans inside quotation marks: what someone said, not what the user asks about.
QUOTED = re.compile(r"«[^»]*»|„[^“”]*[“”]|“[^”]*”|\"[^\"]*\"")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)
_LATIN = re.compile(r"[a-z]")
_UK_FOLD = str.maketrans({"і": "и", "ї": "и", "є": "е", "ґ": "г", "'": "", "’": ""})
_STOPWORDS_TEXT = """
и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только
ее мне было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни
быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где
есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж
тогда кто этот того потому этого какой совсем ним здесь этом один почти мой тем чтобы
нее сейчас были куда зачем всех никогда можно при наконец два об другой хоть после над
больше тот через эти нас про всего них какая много разве три эту моя впрочем хорошо свою
этой перед иногда лучше чуть том нельзя такой им более всегда конечно всю между це та й
що як але від до на не за по чи ще вже які який яка який цей ця ці було буде the a an of
to in on and or is are was were be been by for with as at from that this which who whom
what when where why how did does do has have had it its their his her according about will many much
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


@lru_cache(maxsize=4)
def _stemmer(algorithm: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(algorithm)


@lru_cache(maxsize=2)
def morphology(lang: str):
    """pymorphy3's analyser of Russian ("ru") or Ukrainian ("uk"), loaded once."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


def tokenize(text: str, lang: str) -> list[str]:
    """Lower-cased, stop-word-free, stemmed word tokens of text written in lang. Each word
    is stemmed by its script: Latin words as English (the titles in a Russian article's
    endnotes meet an English question's words), the others as Russian (Ukrainian folded)."""
    words = [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS]
    latin, cyrillic = [], []
    for i, w in enumerate(words):
        (latin if _LATIN.match(w) else cyrillic).append(i)
    english = _stemmer("english").stemWords([words[i] for i in latin])
    russian = _stemmer("russian").stemWords(
        [words[i].translate(_UK_FOLD) if lang == "uk" else words[i] for i in cyrillic]
    )
    tokens = list(words)
    for i, token in [*zip(latin, english, strict=True), *zip(cyrillic, russian, strict=True)]:
        tokens[i] = token
    return tokens


def _trigrams(token: str) -> set[str]:
    padded = f"^{token}$"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


_PLAIN = str.maketrans({"ы": "и", "э": "е", "ё": "е", "й": "и", "ь": None, "ъ": None})


def _plain(token: str) -> str:
    """Spelling with the letters transliteration cannot tell apart merged (ы/и, э/е, й/и)."""
    return token.translate(_PLAIN)


def russian_stem(word: str) -> str:
    return _stemmer("russian").stemWord(word)


class LexicalIndex:
    """bm25s over chunk tokens, addressed by chunk id."""

    def __init__(self, chunk_ids: Sequence[str], bm25: bm25s.BM25 | None) -> None:
        self.chunk_ids = list(chunk_ids)
        self._bm25 = bm25
        self._trigrams: dict[str, list[str]] | None = None
        self.position = {cid: i for i, cid in enumerate(self.chunk_ids)}

    @classmethod
    def build(cls, chunk_ids: Sequence[str], token_lists: Sequence[list[str]]) -> LexicalIndex:
        if not chunk_ids:
            return cls([], None)
        bm25 = bm25s.BM25()
        bm25.index(list(token_lists), show_progress=False)
        return cls(chunk_ids, bm25)

    def similar(self, stem: str, threshold: float = 0.5) -> str | None:
        """The indexed token most like stem by character-trigram Jaccard, if any reaches
        the threshold; lets transliterated names meet their spelling in the corpus."""
        if self._bm25 is None:
            return None
        if stem in self._bm25.vocab_dict:
            return stem
        if len(stem) < 4:
            return None
        grams = _trigrams(_plain(stem))
        counts: dict[str, int] = {}
        for gram in grams:
            for token in self._trigram_index().get(gram, ()):
                counts[token] = counts.get(token, 0) + 1
        best, best_score = None, threshold
        for token, shared in counts.items():
            score = shared / (len(grams) + len(_trigrams(_plain(token))) - shared)
            if score >= best_score:
                best, best_score = token, score
        return best

    def _trigram_index(self) -> dict[str, list[str]]:
        if self._trigrams is None:
            self._trigrams = {}
            for token in self._bm25.vocab_dict:
                if len(token) >= 4:
                    for gram in _trigrams(_plain(token)):
                        self._trigrams.setdefault(gram, []).append(token)
        return self._trigrams

    def knows(self, token: str) -> bool:
        """True when the token occurs somewhere in the indexed chunks."""
        return self._bm25 is not None and token in self._bm25.vocab_dict

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every chunk, in chunk_ids order."""
        if self._bm25 is None or not query_tokens:
            return np.zeros(len(self.chunk_ids), dtype=np.float32)
        known = [t for t in query_tokens if t in self._bm25.vocab_dict]
        if not known:
            return np.zeros(len(self.chunk_ids), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)

    def save(self, directory: Path, generation: int) -> None:
        """Write the index to directory, tagged with the catalog generation it reflects."""
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "manifest.json").unlink(missing_ok=True)  # no manifest = no valid index
        if self._bm25 is not None:
            self._bm25.save(str(directory), show_progress=False)
        manifest = {"generation": generation, "chunk_ids": self.chunk_ids}
        tmp = directory / "manifest.json.tmp"
        tmp.write_text(json.dumps(manifest), encoding="utf-8")
        tmp.replace(directory / "manifest.json")  # the manifest is written last, atomically

    @classmethod
    def load(cls, directory: Path, generation: int) -> LexicalIndex | None:
        """The saved index if it reflects this catalog generation, else None."""
        manifest_path = directory / "manifest.json"
        if not manifest_path.exists():
            return None
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("generation") != generation:
            return None
        if not manifest["chunk_ids"]:
            return cls([], None)
        bm25 = bm25s.BM25.load(str(directory), show_progress=False, verbosity=0)
        return cls(manifest["chunk_ids"], bm25)
