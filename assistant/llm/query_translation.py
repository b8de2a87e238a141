"""Query translation through the chat model, for cross-lingual lexical matching."""

from __future__ import annotations

from functools import lru_cache

from assistant.llm.chat import ChatModel, LLMError, Message, complete
from assistant.prompts import LANGUAGE_NAMES, TRANSLATE_QUERY_EXAMPLES, TRANSLATE_QUERY_SYSTEM


class QueryTranslator:
    """Translates questions into a corpus language; remembers what it translated."""

    def __init__(self, model: ChatModel) -> None:
        self.model = model
        self._cached = lru_cache(maxsize=512)(self._translate)

    def __call__(self, query: str, target: str) -> str | None:
        """The query in the target language, or None when the model cannot help."""
        try:
            return self._cached(query, target)
        except LLMError:
            return None

    def _translate(self, query: str, target: str) -> str | None:
        language = LANGUAGE_NAMES.get(target)
        if language is None:
            return None
        messages = [Message("system", TRANSLATE_QUERY_SYSTEM.format(language=language))]
        for question, answer in TRANSLATE_QUERY_EXAMPLES.get(language, []):
            messages += [Message("user", question), Message("assistant", answer)]
        messages.append(Message("user", query))
        reply = complete(self.model, messages, max_tokens=96).splitlines()
        return reply[0].strip() if reply and reply[0].strip() else None
