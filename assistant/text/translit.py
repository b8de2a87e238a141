"""Latin-script names -> Cyrillic spelling, so an English question's names can meet the
Russian or Ukrainian text lexically ("Shikhlinski" -> "шихлински" ~ "Шыхлински").

The mapping follows how English spells Russian names (reverse of the common
romanisation), which is what English-language questions about these articles use.
Matching against the corpus is fuzzy (see LexicalIndex.similar), so the spelling
only has to come close.
"""

from __future__ import annotations

import re

# Longest sequences first; each maps English spelling to the Cyrillic it usually stands for.
_SPELLINGS = """
shch:щ iye:ие iya:ия iyu:ию sch:ш tch:ч zh:ж kh:х ch:ч sh:ш ts:ц tz:ц ya:я yu:ю yo:е ye:е
ph:ф th:т ck:к oo:у ee:и ou:у ay:ай ey:ей iy:ий oy:ой ce:се ci:си cy:си qu:кв
a:а b:б c:к d:д e:е f:ф g:г h:х i:и j:дж k:к l:л m:м n:н o:о p:п q:к r:р s:с t:т u:у
v:в w:в x:кс y:и z:з
"""
_SEQUENCES = [tuple(pair.split(":")) for pair in _SPELLINGS.split()]
_PATTERN = re.compile("|".join(re.escape(latin) for latin, _ in _SEQUENCES))
_TABLE = dict(_SEQUENCES)
# Names: capitalised Latin words, less the function words that start a sentence.
_NAME = re.compile(r"\b[A-Z][A-Za-z]{2,}\b")
_FUNCTION_WORDS = """
which what who whom whose when where why how did does do is are was were the according
for from with and but after before during since then this that these those there their
its can could would should will has have had not
"""
_NOT_NAMES = frozenset(_FUNCTION_WORDS.split())


def to_cyrillic(word: str) -> str:
    """Cyrillic spelling of a Latin word, lower-cased: 'Aliyev' -> 'алиев'."""
    return _PATTERN.sub(lambda m: _TABLE[m.group(0)], word.lower())


def latin_names(text: str) -> list[str]:
    """Capitalised Latin words that are likely names ('Which' is not);
    "Aliyev's" gives "Aliyev", "Baikal-Amur" gives both parts."""
    words = _NAME.findall(re.sub(r"['’]s\b", "", text))
    return [w for w in words if w.lower() not in _NOT_NAMES]
