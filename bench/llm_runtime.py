"""The local model's runtime, side by side in one run on one machine: llama.cpp's native
server from the xllamacpp wheel (what the project runs) and llama-cpp-python's server (what
it ran before), both on the bundled GGUF with the same threads and context.

    .venv/bin/python bench/llm_runtime.py --old-python /tmp/oldllm/bin/python [--rounds 2]

The previous server is not a dependency of the project: install it in a throwaway venv for
this comparison only (`python3 -m venv /tmp/oldllm && /tmp/oldllm/bin/pip install
'llama-cpp-python[server]==0.3.36'`, which compiles llama.cpp, ~6 minutes on 2 cores).
On a CPU that advertises AMX (Sapphire Rapids), that native build crashes (SIGSEGV) on the
first prompt of more than one token; build it for AVX-512 without AMX instead:
CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
-DGGML_AVX512=ON -DGGML_AVX512_VNNI=ON -DGGML_AVX512_VBMI=ON -DGGML_AVX512_BF16=ON".
Without --old-python only the current server is measured.

Per server, measured at the client (streaming, temperature 0):
- prompt tok/s: a ~700-token prompt the server has never seen (a fresh nonce at its start
  defeats the prompt cache), prompt tokens / time to the first token;
- generation tok/s: streamed tokens after the first / time after the first token;
- TTFT of a real answer prompt: the exact lead prompts the answer code sent for four
  questions over the ingested sample corpus (recorded from assistant.answering.answer), first seen;
- four real answers (assistant.answering.answer.ask: evidence, its translations on the server's
  slots, the lead) one after another, then all four at once from four threads, each
  time with an empty translation cache; wall time, and how many answers the model
  finished (an answer whose model calls failed, e.g. cut off by another request, falls
  back to the untranslated evidence with a notice).
The servers run one at a time; each gets a warm-up request first. Results go to stdout as
JSON and to bench/runs/<date>-llm-runtime.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.answering.answer import Asker, ask  # noqa: E402
from assistant.llm.bundled import MODEL_NAME, assemble_model  # noqa: E402
from assistant.llm.chat import OpenAICompatibleChat  # noqa: E402
from assistant.llm.server import api_key, serve, stop  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from tests.conftest import free_port  # noqa: E402

QUESTIONS = [  # not from any question file: the bench needs real prompts, not scores
    "Where did Putin and Aliyev meet in October 2025?",
    "What did Putin say caused the crash of the Azerbaijani plane?",
    "Как Азербайджан ответил на задержания в Екатеринбурге?",
    "Чому, на думку автора, Москва пішла на поступки Баку?",
]
FILLER = (
    "The regional economy depends on transit corridors, energy exports and remittances; "
    "analysts disagree on how far each of these can be steered by either capital. "
)


class _Recording:
    """A chat model that passes every call to `model` and keeps the lead prompts."""

    def __init__(self, model) -> None:
        self.model, self.name, self.leads = model, model.name, []

    def stream(self, messages, max_tokens=512, schema=None):
        if schema and "sentences" in schema.get("properties", {}):
            self.leads.append([{"role": m.role, "content": m.content} for m in messages])
        yield from self.model.stream(messages, max_tokens, schema)


def fresh_store(settings: Settings) -> Settings:
    """Settings over a copy of the store without its translation cache."""
    target = ROOT / ".bench" / "llm-runtime" / "store"
    if not target.exists():
        shutil.copytree(settings.store.dir, target)
    (target / "translations.sqlite").unlink(missing_ok=True)
    return settings.changed(store={"dir": target})


def real_answers(settings: Settings, model, at_once: bool) -> tuple[float, int, list]:
    """(wall seconds, answers the model finished, lead prompts) for QUESTIONS."""
    settings = fresh_store(settings)
    recording = _Recording(model)
    asker = Asker.create(settings, backend="local", model=recording)
    started = time.perf_counter()
    if at_once:
        with ThreadPoolExecutor(len(QUESTIONS)) as pool:
            answers = list(pool.map(lambda q: ask(asker, q), QUESTIONS))
    else:
        answers = [ask(asker, q) for q in QUESTIONS]
    wall = time.perf_counter() - started
    finished = sum(not any("could not answer" in w for w in a.warnings) for a in answers)
    return wall, finished, recording.leads


def stream_once(base: str, key: str, messages: list[dict], max_tokens: int) -> dict:
    """One streamed chat completion: time to first token, tokens, total, finished."""
    body = {
        "model": MODEL_NAME, "messages": messages, "max_tokens": max_tokens,
        "temperature": 0, "stream": True,
    }  # fmt: skip
    req = urllib.request.Request(
        f"{base}/v1/chat/completions",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"},
    )
    started = time.perf_counter()
    first = None
    tokens = 0
    finished = False
    try:
        with urllib.request.urlopen(req, timeout=600) as r:
            for line in r:
                line = line.strip()
                if not line.startswith(b"data:") or line == b"data: [DONE]":
                    continue
                choice = (json.loads(line[5:]).get("choices") or [{}])[0]
                if (choice.get("delta") or {}).get("content"):
                    tokens += 1
                    first = first or time.perf_counter()
                finished = finished or choice.get("finish_reason") is not None
    except OSError:
        pass
    end = time.perf_counter()
    return {
        "ttft_s": (first - started) if first else None,
        "tokens": tokens,
        "gen_s": (end - first) if first else None,
        "total_s": end - started,
        "finished": finished,
    }


def prompt_tokens(base: str, key: str, messages: list[dict]) -> int:
    """Prompt tokens of a request, as the server counts them (a 1-token completion)."""
    body = {"model": MODEL_NAME, "messages": messages, "max_tokens": 1, "temperature": 0}
    req = urllib.request.Request(
        f"{base}/v1/chat/completions",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"},
    )
    with urllib.request.urlopen(req, timeout=600) as r:
        return json.load(r)["usage"]["prompt_tokens"]


def measure(base: str, key: str, settings: Settings, rounds: int) -> dict:
    """Every figure of the module docstring, for the server at base."""
    stream_once(base, key, [{"role": "user", "content": "Say hello."}], 8)  # warm-up
    prompt_rates, gen_rates = [], []
    for _ in range(rounds):
        text = f"[{secrets.token_hex(8)}] " + FILLER * 22 + "\nSummarise this in one sentence."
        messages = [{"role": "user", "content": text}]
        n_prompt = prompt_tokens(base, key, [{"role": "user", "content": "x" + text}])
        run = stream_once(base, key, messages, 96)
        prompt_rates.append(n_prompt / run["ttft_s"])
        gen_rates.append((run["tokens"] - 1) / run["gen_s"])
    model = OpenAICompatibleChat(f"{base}/v1", key, MODEL_NAME, timeout=600)
    ask(Asker.create(settings, backend="local", model=model), "Who is Aliyev?")  # warm-up
    one_by_one, finished_alone, leads = real_answers(settings, model, at_once=False)
    at_once, finished_together, _ = real_answers(settings, model, at_once=True)
    ttfts = [stream_once(base, key, lead, 1)["ttft_s"] for lead in leads]
    return {
        "prompt_tok_s": round(statistics.median(prompt_rates), 1),
        "generation_tok_s": round(statistics.median(gen_rates), 1),
        "answer_ttft_s_p50": round(statistics.median(t for t in ttfts if t), 2) if ttfts else None,
        "answers_one_by_one_s": round(one_by_one, 1),
        "answers_at_once_s": round(at_once, 1),
        "finished_one_by_one": finished_alone,
        "finished_at_once": finished_together,
        "answers": len(QUESTIONS),
    }


@contextmanager
def old_server(python: str, model: Path, settings: Settings):
    """llama-cpp-python's server on 127.0.0.1, as the project ran it before (with a key)."""
    port, key = free_port(), secrets.token_urlsafe(16)
    command = [
        python, "-m", "llama_cpp.server", "--model", str(model), "--model_alias", MODEL_NAME,
        "--n_threads", str(settings.llm.threads), "--n_ctx", str(settings.llm.context),
        "--host", "127.0.0.1", "--port", str(port), "--logits_all", "false",
        "--cache", "true", "--cache_size", str(1 << 28), "--api_key", key,
    ]  # fmt: skip
    log = open(settings.llm.run_dir / "old-llm.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base}/v1/models", key)
        yield base, key
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        log.close()


def _wait(url: str, key: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            req = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"})
            urllib.request.urlopen(req, timeout=2).close()
            return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(url)


def report(results: dict, host: dict) -> str:
    rows = [
        ("prompt evaluation (tok/s)", "prompt_tok_s"),
        ("generation (tok/s)", "generation_tok_s"),
        ("time to first token, real lead prompt, p50 (s)", "answer_ttft_s_p50"),
        ("4 real answers one after another (s)", "answers_one_by_one_s"),
        ("4 real answers at once (s)", "answers_at_once_s"),
        ("answers finished, one after another", "finished_one_by_one"),
        ("answers finished, at once", "finished_at_once"),
    ]
    names = list(results)
    lines = [
        f"# LLM runtime, {host['date']}",
        "",
        f"Command: `{host['command']}` · commit {host['commit']} · {host['cpus']} cores · "
        f"load before {host['load']}",
        "",
        "| measure | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for label, key in rows:
        lines.append(f"| {label} | " + " | ".join(str(results[n][key]) for n in names) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old-python", help="Python of a venv with llama-cpp-python[server].")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    load_before = round(os.getloadavg()[0], 2)
    base_settings = Settings()
    settings = base_settings.changed(
        llm={"run_dir": ROOT / ".bench" / "llm-runtime", "port": free_port()}
    )
    settings.llm.run_dir.mkdir(parents=True, exist_ok=True)
    model = assemble_model(settings.llm.models_dir)
    results = {}
    try:
        assert serve(settings, wait=300).healthy
        results[f"xllamacpp ({settings.llm.slots} slots)"] = measure(
            f"http://127.0.0.1:{settings.llm.port}", api_key(settings), base_settings, args.rounds
        )
    finally:
        stop(settings)
    if args.old_python:
        with old_server(args.old_python, model, settings) as (base, key):
            results["llama-cpp-python 0.3.36"] = measure(base, key, base_settings, args.rounds)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    host = {
        "date": dt.date.today().isoformat(),
        "command": " ".join(["python", *sys.argv]),
        "commit": commit,
        "cpus": os.cpu_count(),
        "load": load_before,
    }
    runs = ROOT / "bench" / "runs"
    runs.mkdir(exist_ok=True)
    (runs / f"{host['date']}-llm-runtime.md").write_text(report(results, host))
    print(json.dumps({"host": host, "results": results}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
