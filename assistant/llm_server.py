"""The managed local LLM server: llama-cpp-python's OpenAI-compatible server on 127.0.0.1.

One server is shared by the CLI and the app: its pid and log live in settings.run_dir,
and anyone finds it by its port's health check.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass

from assistant.local_model import MODEL_NAME, assemble_model
from assistant.settings import Settings


@dataclass
class ServerStatus:
    url: str
    healthy: bool
    pid: int | None
    model: str | None


def health(settings: Settings, timeout: float = 2.0) -> ServerStatus:
    """Whether a server answers /v1/models on the configured port, and which model."""
    url = settings.local_base_url
    pid = _read_pid(settings)
    try:
        with urllib.request.urlopen(f"{url}/models", timeout=timeout) as response:
            models = json.load(response).get("data", [])
        return ServerStatus(url, True, pid, models[0]["id"] if models else None)
    except (OSError, ValueError):
        return ServerStatus(url, False, pid, None)


def serve(settings: Settings, wait: float = 0.0) -> ServerStatus:
    """Start the server unless one is already healthy; wait up to `wait` s for health."""
    status = health(settings)
    if status.healthy:
        return status
    model = assemble_model(settings.models_dir)
    settings.run_dir.mkdir(parents=True, exist_ok=True)
    log = (settings.run_dir / "llm.log").open("ab")
    command = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(model),
        "--model_alias",
        MODEL_NAME,
        "--n_threads",
        str(settings.llm_threads),
        "--n_ctx",
        str(settings.llm_context),
        "--host",
        settings.llm_host,
        "--port",
        str(settings.llm_port),
        # Keep evaluated prompt prefixes (the answer rules and examples, the translation
        # prompt) in RAM, so each request only reads what is new in it. Without
        # logits_all=false every cached state also holds per-token scores (~0.6 MB a
        # token) that the cache does not count against its size: 20 GB in 15 minutes.
        "--logits_all",
        "false",
        "--cache",
        "true",
        "--cache_size",
        str(1 << 28),
    ]
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    (settings.run_dir / "llm.pid").write_text(str(proc.pid))
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"llama.cpp server exited; see {settings.run_dir / 'llm.log'}")
        if (status := health(settings)).healthy:
            return status
        time.sleep(0.5)
    return health(settings)


def stop(settings: Settings) -> bool:
    """Stop the server this project started; True if one was running."""
    pid = _read_pid(settings)
    if pid is None:
        return False
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    (settings.run_dir / "llm.pid").unlink(missing_ok=True)
    return True


def _read_pid(settings: Settings) -> int | None:
    path = settings.run_dir / "llm.pid"
    try:
        pid = int(path.read_text())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None
