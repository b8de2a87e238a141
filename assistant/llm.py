"""Chat backends behind one small interface.

`local` is the bundled model behind the managed llama.cpp server, `openai` is any
OpenAI-compatible endpoint; both speak the same protocol through the `openai` package.
(`extractive` needs no model and lives with the answer code.)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from assistant.local_model import MODEL_NAME
from assistant.settings import Settings


@dataclass(frozen=True)
class Message:
    role: str  # "system", "user" or "assistant"
    content: str


class ChatModel(Protocol):
    """Streams the reply to a conversation, token by token."""

    name: str

    def stream(self, messages: list[Message], max_tokens: int = 512) -> Iterator[str]: ...


class LLMError(RuntimeError):
    """The model could not answer (down, timed out, malformed reply). Never holds the key."""


class OpenAICompatibleChat:
    """Any server that speaks OpenAI chat completions (llama.cpp, vLLM, Ollama, OpenAI)."""

    def __init__(self, base_url: str, api_key: str, model: str, timeout: float) -> None:
        from openai import OpenAI

        self.name = model
        self._client = OpenAI(base_url=base_url, api_key=api_key, timeout=timeout, max_retries=0)

    def stream(self, messages: list[Message], max_tokens: int = 512) -> Iterator[str]:
        """Tokens of the reply. Raises LLMError when the endpoint is down, times out,
        breaks off, sends something malformed or nothing at all."""
        import httpx
        import openai

        finished = said_something = False
        chunks = None
        try:
            chunks = self._client.chat.completions.create(
                model=self.name,
                messages=[{"role": m.role, "content": m.content} for m in messages],
                max_tokens=max_tokens,
                temperature=0,
                stream=True,
            )
            for chunk in chunks:
                if not chunk.choices:
                    continue
                choice = chunk.choices[0]
                if choice.delta and choice.delta.content:
                    said_something = True
                    yield choice.delta.content
                finished = finished or choice.finish_reason is not None
        except openai.APIError as exc:
            raise LLMError(self._redact(f"{type(exc).__name__}: {_first_line(exc)}")) from None
        except httpx.TimeoutException:
            raise LLMError("the model stopped answering (timed out)") from None
        except httpx.HTTPError as exc:
            raise LLMError(f"the connection to the model broke ({type(exc).__name__})") from None
        except (ValueError, KeyError, AttributeError) as exc:
            raise LLMError(f"malformed reply from the model ({type(exc).__name__})") from None
        finally:
            if chunks is not None:
                chunks.close()  # also when the caller stops reading early: the server stops
        if not finished:
            raise LLMError("the reply was cut off (the stream ended without finishing)")
        if not said_something:
            raise LLMError("the model returned an empty reply")

    def _redact(self, message: str) -> str:
        """The message with the API key masked, whatever the endpoint echoed back."""
        key = self._client.api_key
        return message.replace(key, "***") if key and len(key) > 3 else message


def complete(model: ChatModel, messages: list[Message], max_tokens: int = 256) -> str:
    """The whole reply as one string."""
    return "".join(model.stream(messages, max_tokens=max_tokens)).strip()


def make_chat_model(settings: Settings, backend: str | None = None) -> ChatModel | None:
    """The chat model of the chosen backend; None for extractive (no model)."""
    backend = backend or settings.chosen_backend
    if backend == "extractive":
        return None
    if backend == "openai":
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "none"
        base = settings.openai_base_url or "https://api.openai.com/v1"
        return OpenAICompatibleChat(base, key, settings.llm_model, settings.llm_timeout)
    return OpenAICompatibleChat(settings.local_base_url, "local", MODEL_NAME, settings.llm_timeout)


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
