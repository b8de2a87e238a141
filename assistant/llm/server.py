"""The managed local LLM server: llama.cpp's native server (prebuilt in the xllamacpp wheel)
on 127.0.0.1, in a process of its own.

One server is shared by the CLI and the app. Its pid, log and API key live in
settings.llm.run_dir; anyone finds it by its port's health check. The server:
- answers only callers that send the key, which is generated once and stored readable by
  its owner only (run_dir/llm.key);
- allows no cross-origin browser request (no page of another origin may read a reply);
- runs `settings.llm.slots` parallel slots with continuous batching, a prompt cache and
  Prometheus metrics.

`python -m assistant.llm.server MODEL.gguf` is the server process itself; `serve()`
starts it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from assistant.llm.bundled import MODEL_NAME, assemble_model
from assistant.settings import Settings
from assistant.types import ServerStatus, Slot

KEY_FILE = "llm.key"
PID_FILE = "llm.pid"
LOG_FILE = "llm.log"
# Prompt states kept in RAM for reuse (the answer rules, the translation prompt). llama.cpp's
# default is 8 GiB; 512 MiB holds a few hundred of our prompts and keeps a laptop's RAM free.
PROMPT_CACHE_MIB = 512
# Prompt tokens the server evaluates per step, across its slots (llama.cpp's default is
# 2048). After each step it streams prompt_progress to the requests that asked for it, so
# a step of 512 (its physical batch, no slower) is heard from every ~8 s at ~66 tok/s: a
# long prompt queued behind three others is not taken for a silent server.
PROMPT_STEP_TOKENS = 512
_STARTING = threading.Lock()  # one start of the server at a time in this process


def api_key(settings: Settings) -> str:
    """The key the managed server demands and its clients send: made once, then reused.

    The file is created with mode 0600 before the key is written into it, so it is never
    readable by others, not even for a moment."""
    path = settings.llm.run_dir / KEY_FILE
    with contextlib.suppress(FileNotFoundError):
        key = path.read_text().strip()
        if key:
            return key
    settings.llm.run_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(32)
    partial = path.with_suffix(".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key)
    os.replace(partial, path)
    return key


def health(settings: Settings, timeout: float = 2.0) -> ServerStatus:
    """Whether the server on the configured port is up and accepts our key; its model and
    slots (each busy or idle)."""
    base = f"http://{settings.llm.host}:{settings.llm.port}"
    pid = _read_pid(settings)
    down = ServerStatus(settings.local_base_url, False, pid, None)
    key = _stored_key(settings)
    try:
        _get(f"{base}/health", None, timeout)
        if key is None:
            return down
        models = _get(f"{base}/v1/models", key, timeout).get("data", [])
        slots = [
            Slot(int(s["id"]), bool(s.get("is_processing")))
            for s in _get(f"{base}/slots", key, timeout)
        ]
    except (OSError, ValueError, KeyError, TypeError):
        return down
    model = models[0]["id"] if models else None
    return ServerStatus(settings.local_base_url, True, pid, model, slots)


def serve(settings: Settings, wait: float = 0.0) -> ServerStatus:
    """Start the server unless one is already healthy; wait up to `wait` s for health."""
    status = health(settings)
    if status.healthy:
        return status
    model = assemble_model(settings.llm.models_dir)
    api_key(settings)  # made before the server reads it
    settings.llm.run_dir.mkdir(parents=True, exist_ok=True)
    log = (settings.llm.run_dir / LOG_FILE).open("ab")
    command = [
        sys.executable, "-m", "assistant.llm.server", str(model),
        "--key-file", str(settings.llm.run_dir / KEY_FILE),
        "--host", settings.llm.host, "--port", str(settings.llm.port),
        "--slots", str(settings.llm.slots), "--threads", str(settings.llm.threads),
        "--context", str(settings.llm.context),
    ]  # fmt: skip
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    log.close()
    (settings.llm.run_dir / PID_FILE).write_text(str(proc.pid))
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"llama.cpp server exited; see {settings.llm.run_dir / LOG_FILE}")
        if (status := health(settings)).healthy:
            return status
        time.sleep(0.3)
    return health(settings)


def ensure_running(settings: Settings, wait: float) -> bool:
    """Start the server if it is not answering (say it died); True once it is healthy.
    Concurrent callers (translations on several slots) wait for one start, not race to
    start several servers on one port."""
    if health(settings).healthy:
        return True
    with _STARTING:
        try:
            return serve(settings, wait=wait).healthy
        except RuntimeError:
            return False


def stop(settings: Settings, timeout: float = 10.0) -> bool:
    """Stop the server this project started; True if one was running."""
    pid = _read_pid(settings)
    if pid is None:
        return False
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.1)
    if _alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    (settings.llm.run_dir / PID_FILE).unlink(missing_ok=True)
    return True


def _get(url: str, key: str | None, timeout: float):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=timeout) as r:
        return json.load(r)


def _stored_key(settings: Settings) -> str | None:
    try:
        return (settings.llm.run_dir / KEY_FILE).read_text().strip() or None
    except OSError:
        return None


def _read_pid(settings: Settings) -> int | None:
    try:
        pid = int((settings.llm.run_dir / PID_FILE).read_text())
    except (OSError, ValueError):
        return None
    return pid if _alive(pid) else None


def _alive(pid: int) -> bool:
    """Whether the process runs (a zombie child of ours, already dead, does not count)."""
    with contextlib.suppress(ChildProcessError):
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# -- the server process ------------------------------------------------------------------


def _run_server(args: argparse.Namespace) -> None:
    """Serve until SIGTERM or SIGINT. Runs in its own process: llama.cpp's server lives in
    the process that creates it, and a crash there must not take the app down."""
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = args.model
    params.model_alias = {MODEL_NAME}
    params.hostnames = [args.host]
    params.port = args.port
    params.api_keys = [Path(args.key_file).read_text().strip()]
    # No web page of another origin may read a reply: the only origin allowed is the
    # server's own, which serves no pages (its web UI is off).
    params.cors_origins = f"http://{args.host}:{args.port}"
    params.cors_origins_explicit = True
    params.cors_credentials = False
    params.ui = False
    params.n_parallel = args.slots
    # All slots share one KV cache, so a single long request may use the whole context
    # while short ones run side by side.
    params.kv_unified = True
    params.n_ctx = args.context * args.slots
    params.cpuparams.n_threads = args.threads
    params.cpuparams_batch.n_threads = args.threads
    params.n_batch = PROMPT_STEP_TOKENS
    params.cache_prompt = True
    params.cache_ram_mib = PROMPT_CACHE_MIB
    params.endpoint_metrics = True
    params.endpoint_slots = True
    stopped = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopped.set())
    server = xllamacpp.Server(params)
    print(f"listening on {server.listening_address}", flush=True)
    stopped.wait()
    os._exit(0)  # llama.cpp's threads do not join; the OS frees the model


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", help="Path of the GGUF file.")
    parser.add_argument("--key-file", required=True, help="File holding the API key.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--slots", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--context", type=int, default=4096, help="Tokens per slot.")
    _run_server(parser.parse_args(argv))


if __name__ == "__main__":
    main()
