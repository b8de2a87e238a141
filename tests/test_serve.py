"""`assistant serve` as a supervisor runs it: stopping it stops its Streamlit."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time

import pytest

from tests.conftest import BIN, ROOT, free_port, wait_for_http

pytestmark = pytest.mark.slow


def port_is_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_stopping_serve_stops_streamlit_and_frees_the_port(corpus_store_dir, signum):
    port = free_port()
    env = {**os.environ, "ASSISTANT_STORE_DIR": str(corpus_store_dir),
           "ASSISTANT_BACKEND": "extractive"}  # fmt: skip
    serve = subprocess.Popen(
        [str(BIN / "assistant"), "serve", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_http(f"http://127.0.0.1:{port}/_stcore/health", timeout=90)
        serve.send_signal(signum)  # to `assistant serve` alone, as a supervisor sends it
        serve.wait(timeout=30)
        deadline = time.monotonic() + 15
        while not port_is_free(port) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert port_is_free(port), "Streamlit outlived `assistant serve`"
    finally:
        if serve.poll() is None:
            serve.kill()
        subprocess.run(["pkill", "-f", f"--server.port {port}"], check=False)
