"""A stand-in for a paid OpenAI-compatible endpoint: a real HTTP server on 127.0.0.1.

It speaks the chat-completions protocol as OpenAI does (SSE chunks ending in `[DONE]`, or one
JSON reply), records every request for assertions, and can be scripted to fail the ways real
endpoints fail. Tests get it through the `openai_fake` fixture:

    from tests.openai_fake import openai_fake  # noqa: F401  (in tests/conftest.py)
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal, get_args

import pytest

Failure = Literal[
    "http_500",  # OpenAI-style error JSON, status 500
    "http_401",  # OpenAI-style invalid_api_key error, the key masked as OpenAI masks it
    "timeout",  # no answer for HANG_SECONDS (longer than a test's client timeout)
    "stall",  # streams the first token, then goes silent for HANG_SECONDS
    "malformed",  # a broken, non-JSON `data:` line after the first token
    "cut",  # the connection drops after the first token: no end of body, no [DONE]
    "truncated",  # the body ends cleanly after the first token, without finish_reason or [DONE]
    "empty",  # a well-formed stream (or reply) with no content at all
    "busy",  # evaluates the prompt for BUSY_SECONDS before the first token, as llama.cpp
    # does under load: reporting `prompt_progress` meanwhile when the request asks for it
    # (`return_progress`), silent otherwise
]
FAILURES: tuple[str, ...] = get_args(Failure)

HANG_SECONDS = 5.0  # "timeout"/"stall" hang this long (or until the fake closes)
BUSY_SECONDS = 2.0  # "busy" evaluates the prompt this long
PROGRESS_EVERY = 0.25  # seconds between two prompt_progress chunks


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the fake saw it."""

    method: str
    path: str
    headers: dict[str, str]  # keys lower-cased
    body: Any  # parsed JSON, None for GET


@dataclass
class Script:
    """What the fake answers next: a reply split into tokens, or a failure."""

    reply: str = "Hello from the fake."
    failure: Failure | None = None
    respond: Callable[[dict], str] | None = None  # the reply computed from the request body


class OpenAIFake:
    """The running server: `base_url` for the client, `script()` to steer, `requests` to check."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.current = Script()
        self.closing = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _handler_for(self))
        # a short poll keeps shutdown() quick: one test must not wait half a second to end
        serve = functools.partial(self._server.serve_forever, poll_interval=0.02)
        self._thread = threading.Thread(target=serve, daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def script(
        self,
        reply: str = "Hello from the fake.",
        *,
        failure: Failure | None = None,
        respond: Callable[[dict], str] | None = None,
    ) -> None:
        """Answer every following request with `reply` (as tokens), with what `respond`
        makes of the request's JSON body, or with `failure`."""
        if failure is not None and failure not in FAILURES:
            raise ValueError(f"unknown failure mode {failure!r}; one of {FAILURES}")
        self.current = Script(reply=reply, failure=failure, respond=respond)

    def close(self) -> None:
        self.closing.set()  # wakes handlers hanging in "timeout"/"stall"
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


@pytest.fixture
def openai_fake():
    """A fresh OpenAI-compatible server on a free loopback port, stopped after the test."""
    fake = OpenAIFake()
    try:
        yield fake
    finally:
        fake.close()


def split_tokens(text: str) -> list[str]:
    """Word-sized pieces with their leading space, as BPE tokenizers emit them."""
    return re.findall(r"\s*\S+|\s+$", text)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # a dropped client is not news


def _handler_for(fake: OpenAIFake) -> type[BaseHTTPRequestHandler]:
    return type("ChatCompletions", (_Handler,), {"fake": fake})


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and chunked streaming, as real servers do
    fake: OpenAIFake

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # keep pytest output clean

    def do_GET(self) -> None:
        self._record(body=None)
        if self.path.rstrip("/") == "/v1/models":
            model = {"id": "test-model", "object": "model", "created": _now(), "owned_by": "fake"}
            self._send_json(200, {"object": "list", "data": [model]})
        else:
            self._send_error(404, "Not found", "invalid_request_error", "unknown_url")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length) or b"null")
        self._record(body)
        if self.path.rstrip("/") != "/v1/chat/completions":
            self._send_error(404, "Not found", "invalid_request_error", "unknown_url")
            return
        script = self.fake.current
        if script.respond is not None:
            script = Script(reply=script.respond(body), failure=script.failure)
        with contextlib.suppress(ConnectionError):  # the client gave up first (timeouts)
            self._answer(body, script)

    def _record(self, body: Any) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.fake.requests.append(RecordedRequest(self.command, self.path, headers, body))

    def _answer(self, body: dict, script: Script) -> None:
        model = body.get("model", "test-model")  # replies name the model asked for
        failure = script.failure
        if failure == "http_500":
            message = "The server had an error while processing your request. Sorry about that!"
            self._send_error(500, message, "server_error", None)
        elif failure == "http_401":
            self._send_error(401, _bad_key_message(self.headers), "invalid_request_error",
                             "invalid_api_key")  # fmt: skip
        elif failure == "timeout":
            self.fake.closing.wait(HANG_SECONDS)
            self._send_json(200, _completion(script.reply, model))
        elif body.get("stream"):
            self._stream(script, model, bool(body.get("return_progress")))
        else:
            self._send_json(200, _completion("" if failure == "empty" else script.reply, model))

    def _stream(self, script: Script, model: str, progress: bool = False) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunk = _ChunkMaker(model)
        tokens = [] if script.failure == "empty" else split_tokens(script.reply)
        if script.failure == "busy":
            self._evaluate_prompt(chunk, progress)
        self._event(chunk({"role": "assistant", "content": ""}))
        for i, token in enumerate(tokens):
            if i == 1 and script.failure == "malformed":
                self._write_chunk(b'data: {"id": "chatcmpl-fake", "choices": [{"delta": \n\n')
            if i == 1 and script.failure == "stall":
                self.fake.closing.wait(HANG_SECONDS)
                self.close_connection = True
                return
            if i == 1 and script.failure == "cut":
                self.close_connection = True
                return  # no terminating chunk, no [DONE]: the peer just hangs up
            if i == 1 and script.failure == "truncated":
                self._write_chunk(b"")
                return
            self._event(chunk({"content": token}))
        self._event(chunk({}, finish_reason="stop"))
        self._write_chunk(b"data: [DONE]\n\n")
        self._write_chunk(b"")  # end of the chunked body

    def _evaluate_prompt(self, chunk: _ChunkMaker, progress: bool) -> None:
        """BUSY_SECONDS of prompt evaluation: llama.cpp's prompt_progress chunks (content
        null) every PROGRESS_EVERY s when asked for, else silence."""
        steps = round(BUSY_SECONDS / PROGRESS_EVERY)
        for step in range(steps + 1):
            if progress:
                event = chunk({"role": "assistant", "content": None})
                event["prompt_progress"] = {"total": steps, "cache": 0, "processed": step}
                self._event(event)
            if step < steps and self.fake.closing.wait(PROGRESS_EVERY):
                return

    def _event(self, payload: dict) -> None:
        self._write_chunk(b"data: " + json.dumps(payload).encode() + b"\n\n")

    def _write_chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _send_json(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _send_error(self, status: int, message: str, kind: str, code: str | None) -> None:
        error = {"message": message, "type": kind, "param": None, "code": code}
        self._send_json(status, {"error": error})


class _ChunkMaker:
    """`chat.completion.chunk` objects sharing one id, as one streamed reply does."""

    def __init__(self, model: str) -> None:
        self.id = f"chatcmpl-fake{time.monotonic_ns()}"
        self.created = _now()
        self.model = model

    def __call__(self, delta: dict, finish_reason: str | None = None) -> dict:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
        return {
            "id": self.id,
            "object": "chat.completion.chunk",
            "created": self.created,
            "model": self.model,
            "system_fingerprint": "fp_fake",
            "choices": [choice],
        }


def _completion(reply: str, model: str) -> dict:
    tokens = len(split_tokens(reply))
    return {
        "id": f"chatcmpl-fake{time.monotonic_ns()}",
        "object": "chat.completion",
        "created": _now(),
        "model": model,
        "system_fingerprint": "fp_fake",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": reply, "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": tokens, "total_tokens": 10 + tokens},
    }


def _bad_key_message(headers: Any) -> str:
    """OpenAI's wording; like OpenAI it shows only the key's first and last few characters."""
    key = headers.get("Authorization", "").removeprefix("Bearer ")
    masked = key[:8] + "*" * max(len(key) - 12, 0) + key[-4:] if len(key) > 12 else "***"
    return (
        f"Incorrect API key provided: {masked}. You can find your API key at "
        "https://platform.openai.com/account/api-keys."
    )


def _now() -> int:
    return int(time.time())


@contextlib.contextmanager
def silent_server():
    """A server on 127.0.0.1 that accepts connections, reads, and never answers."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(TimeoutError, OSError):
                conn, _ = listener.accept()
                held.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/v1"
    finally:
        stop.set()
        thread.join(timeout=2)
        for conn in held:
            conn.close()
        listener.close()
