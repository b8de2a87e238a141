"""Language identification (lingua) for articles and questions."""

from __future__ import annotations

from functools import lru_cache

from lingua import Language, LanguageDetectorBuilder

# The languages the assistant tells apart. Ukrainian and Russian share most of their
# alphabet; lingua separates them well, a script check alone would not.
KNOWN = (
    Language.ENGLISH,
    Language.RUSSIAN,
    Language.UKRAINIAN,
    Language.AZERBAIJANI,
    Language.TURKISH,
    Language.ARMENIAN,
    Language.GEORGIAN,
    Language.GERMAN,
    Language.FRENCH,
)


@lru_cache(maxsize=1)
def _detector():
    return LanguageDetectorBuilder.from_languages(*KNOWN).build()


def detect_language(text: str, default: str = "en") -> str:
    """ISO 639-1 code of the text's language (e.g. 'ru', 'uk', 'en'); default if unsure."""
    sample = text[:4000]
    if not any(c.isalpha() for c in sample):
        return default
    found = _detector().detect_language_of(sample)
    return found.iso_code_639_1.name.lower() if found else default
