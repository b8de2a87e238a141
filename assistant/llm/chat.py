"""Chat models behind one small interface.

`local` is the bundled model behind the managed llama.cpp server, `openai` is any
OpenAI-compatible endpoint; both speak the same protocol through the `openai` package.
`extractive` is the model that writes nothing: answers are the evidence as found.
Each declares its Capabilities; the pipeline asks those, never the backend's name.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from typing import Protocol

from assistant.llm.bundled import MODEL_NAME
from assistant.settings import Settings
from assistant.types import Capabilities, Message, ModelStatus

# Characters of passages one call of the local model reads: ~370 tokens, so its first
# token comes within seconds on 2 cores (prompt evaluation ~66 tok/s, BENCHMARKS.md runtime).
LOCAL_CONTEXT_CHARS = 1100
# An endpoint reads more in the same time; 6000 characters is ~2000 tokens.
ENDPOINT_CONTEXT_CHARS = 6000


class ChatModel(Protocol):
    """Streams the reply to a conversation, token by token. With a JSON schema, the reply
    is constrained to JSON that conforms to it (the server enforces it while sampling)."""

    name: str
    backend: str  # "local", "openai" or "extractive": reported, never branched on
    capabilities: Capabilities

    def stream(
        self, messages: list[Message], max_tokens: int = 512, schema: dict | None = None
    ) -> Iterator[str]: ...

    def status(self) -> ModelStatus:
        """Can it answer now? (A quick check: the local server's health.)"""
        ...

    def start(self, wait: float) -> ModelStatus:
        """Make it ready, waiting up to `wait` s (with 0 the local model loads in the
        background); a no-op for the others. LLMError when it cannot be started."""
        ...


class LLMError(RuntimeError):
    """The model could not answer (down, timed out, malformed reply). Never holds the key."""


class OpenAICompatibleChat:
    """Any server that speaks OpenAI chat completions (llama.cpp, vLLM, Ollama, OpenAI)."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        model: str,
        timeout: float,
        silence: float | None = None,
        capabilities: Capabilities | None = None,
        progress: bool = False,
    ) -> None:
        """`timeout` bounds connecting and sending; `silence` (default: `timeout`) is the
        longest wait for the first token and then between two (httpx's read timeout), so
        an endpoint that accepts and never answers is given up after `silence` seconds.
        `progress`: ask for llama.cpp's prompt_progress chunks, so a server that is busy
        evaluating a long prompt under load is heard from, and only a silent one times
        out (OpenAI itself rejects the unknown parameter)."""
        import httpx
        from openai import OpenAI

        self.name = model
        self.backend = "openai"
        self.capabilities = capabilities or Capabilities(
            writes=True,
            context_chars=ENDPOINT_CONTEXT_CHARS,
            translates_queries=True,
            verdicts=False,
        )
        self._where = base_url
        self._progress = progress
        self._silence = silence = silence or timeout
        limits = httpx.Timeout(timeout, connect=min(timeout, 10.0), read=silence)
        self._client = OpenAI(base_url=base_url, api_key=api_key, timeout=limits, max_retries=0)

    def stream(
        self, messages: list[Message], max_tokens: int = 512, schema: dict | None = None
    ) -> Iterator[str]:
        """Tokens of the reply. Raises LLMError when the endpoint is down, times out,
        breaks off, sends something malformed or nothing at all."""
        import httpx
        import openai

        finished = said_something = False
        chunks = None
        extra: dict = {"extra_body": {"return_progress": True}} if self._progress else {}
        if schema is not None:
            extra["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": "reply", "schema": schema, "strict": True},
            }
        try:
            chunks = self._client.chat.completions.create(
                model=self.name,
                messages=[{"role": m.role, "content": m.content} for m in messages],
                max_tokens=max_tokens,
                temperature=0,
                stream=True,
                **extra,
            )
            for chunk in chunks:
                if not chunk.choices:
                    continue
                choice = chunk.choices[0]
                if choice.delta and choice.delta.content:
                    said_something = True
                    yield choice.delta.content
                finished = finished or choice.finish_reason is not None
        except (openai.APITimeoutError, httpx.TimeoutException):
            what = "went silent mid-reply" if said_something else "sent no first token"
            raise LLMError(f"the model {what} for {self._silence:g} s (timed out)") from None
        except openai.APIError as exc:
            raise LLMError(self._redact(f"{type(exc).__name__}: {_first_line(exc)}")) from None
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

    def status(self) -> ModelStatus:
        return ModelStatus(True, f"OpenAI-compatible · {self.name} at {self._where}")

    def start(self, wait: float) -> ModelStatus:
        return self.status()

    def _redact(self, message: str) -> str:
        """The message with the API key masked, whatever the endpoint echoed back."""
        key = self._client.api_key
        return message.replace(key, "***") if key and len(key) > 3 else message


class LocalChat(OpenAICompatibleChat):
    """The bundled model behind the managed llama.cpp server. Each request sends the
    server's key; a request that finds the server dead starts it again first, so the
    question after a crash is answered by the model again."""

    def __init__(self, settings: Settings) -> None:
        from assistant.llm.server import api_key

        super().__init__(
            settings.local_base_url,
            api_key(settings),
            MODEL_NAME,
            settings.llm.timeout,
            settings.llm.first_token_timeout,
            Capabilities(
                writes=True,
                context_chars=settings.answer.context_chars or LOCAL_CONTEXT_CHARS,
                # Its translations do not measurably help retrieval (BENCHMARKS.md: XQuAD
                # en->ru, dev) and cost its one server ~2 s a question.
                translates_queries=False,
                # It answered "contradicts" to 8 of 8 clean pairs; no stance method on it
                # reaches 0.8 (bench/lookup.py).
                verdicts=False,
            ),
            progress=True,
        )
        self.backend = "local"
        self._settings = settings

    def status(self) -> ModelStatus:
        from assistant.llm.server import health

        if health(self._settings).healthy:
            return ModelStatus(True, f"local · {self.name} · ready")
        return ModelStatus(
            False, f"local · {self.name} · starting or stopped: answers quote the evidence"
        )

    def start(self, wait: float) -> ModelStatus:
        from assistant.llm.bundled import ModelError
        from assistant.llm.server import serve

        try:
            serve(self._settings, wait=wait)
        except (ModelError, RuntimeError) as exc:
            raise LLMError(f"the local model is unavailable ({_first_line(exc)})") from None
        return self.status()

    def stream(
        self, messages: list[Message], max_tokens: int = 512, schema: dict | None = None
    ) -> Iterator[str]:
        from assistant.llm.bundled import ModelError
        from assistant.llm.server import ensure_running

        try:
            ensure_running(self._settings, wait=self._settings.llm.restart_wait)
        except ModelError as exc:
            raise LLMError(f"the local model is not installed ({_first_line(exc)})") from None
        # At most one request per server slot leaves this process: the others wait here,
        # not in the server's queue, so the first-token timeout measures the model, not
        # the queue of other answers (several sessions of the app share one process).
        with _slot_gate(self._settings.local_base_url, self._settings.llm.slots):
            yield from super().stream(messages, max_tokens, schema)


_GATES: dict[str, threading.BoundedSemaphore] = {}
_GATES_LOCK = threading.Lock()


def _slot_gate(url: str, slots: int) -> threading.BoundedSemaphore:
    """The process-wide gate of the local server at url: one pass per slot."""
    with _GATES_LOCK:
        return _GATES.setdefault(url, threading.BoundedSemaphore(max(1, slots)))


def complete(
    model: ChatModel, messages: list[Message], max_tokens: int = 256, schema: dict | None = None
) -> str:
    """The whole reply as one string."""
    return "".join(model.stream(messages, max_tokens=max_tokens, schema=schema)).strip()


def complete_json(
    model: ChatModel, messages: list[Message], schema: dict, max_tokens: int = 512
) -> dict:
    """The reply as JSON that conforms to `schema`; LLMError if it does not (a server that
    ignores response_format, a reply cut off by max_tokens)."""
    import jsonschema

    reply = complete(model, messages, max_tokens=max_tokens, schema=schema)
    try:
        value = json.loads(reply)
        jsonschema.validate(value, schema)
    except (ValueError, jsonschema.ValidationError) as exc:
        raise LLMError(f"the reply does not match its schema ({_first_line(exc)})") from None
    return value


class ExtractiveModel:
    """The model that writes nothing: answers, lookups and briefings quote the evidence
    as found, in the original language."""

    name = "extractive"
    backend = "extractive"
    capabilities = Capabilities(
        writes=False, context_chars=0, translates_queries=False, verdicts=False
    )

    def stream(
        self, messages: list[Message], max_tokens: int = 512, schema: dict | None = None
    ) -> Iterator[str]:
        raise LLMError("the extractive backend writes nothing")

    def status(self) -> ModelStatus:
        return ModelStatus(True, "extractive · quotes the evidence, no model")

    def start(self, wait: float) -> ModelStatus:
        return self.status()


EXTRACTIVE = ExtractiveModel()


def make_chat_model(settings: Settings, backend: str | None = None) -> ChatModel:
    """The chat model of the chosen backend (Settings.chosen_backend by default)."""
    backend = backend or settings.chosen_backend
    if backend == "extractive":
        return EXTRACTIVE
    if backend == "openai":
        key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "none"
        base = settings.openai_base_url or "https://api.openai.com/v1"
        endpoint = OpenAICompatibleChat(
            base, key, settings.llm.model, settings.llm.timeout, settings.llm.first_token_timeout
        )
        if settings.answer.context_chars:
            endpoint.capabilities = replace(
                endpoint.capabilities, context_chars=settings.answer.context_chars
            )
        return endpoint
    return LocalChat(settings)


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
