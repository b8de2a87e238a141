"""The app under load and over time, with the local model, in real Chromium.

    .venv/bin/python bench/load.py load [--sessions 4] [--questions 3]
    .venv/bin/python bench/load.py soak [--questions 100] [--every 10]

Both start `assistant serve` on a free port over the store of Settings() (the ingested
sample corpus) with the local backend, and drive the chat as a person does: type a
question, press Enter, wait until the answer is final: the script run has ended and the
answer is on the page (an answer without citations has no "Sources (n)" expander, so
that cannot be the mark).

- load: N browser sessions ask M questions each, all sessions at once. Per answer: seconds
  from Enter to the final answer (p50, p95), and how many fell back to quotes (the notice
  "The model could not answer (…)"), with the reason each notice gives.
- soak: one session asks Q questions in a row. Every K questions: the resident memory of
  the app (Streamlit) and of the model server, and the errors so far (an error box, or
  no final answer within the timeout). Goal: growth <= 10% after the first K, 0 errors.

Questions come from bench/data/corpus_questions.jsonl (ours), in order, cycling.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.llm.server import health  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from bench.ingest import machine  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update"]  # fmt: skip
ANSWER_TIMEOUT_MS = 600_000
FALLBACK = re.compile(r"The model could not answer \(([^)]*)\)")


def questions() -> list[str]:
    path = ROOT / "bench" / "data" / "corpus_questions.jsonl"
    return [json.loads(line)["question"] for line in path.read_text("utf-8").splitlines()]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int | None) -> float | None:
    """Resident memory of a process and its children, in MiB (from /proc)."""
    if pid is None:
        return None
    total = 0
    for p in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return round(total / 1024, 1)


def _children(pid: int) -> list[int]:
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    out = [int(k) for k in kids]
    for k in list(out):
        out += _children(k)
    return out


def start_app(port: int) -> subprocess.Popen:
    env = {**os.environ, "ASSISTANT_BACKEND": "local"}
    log = (ROOT / ".run" / "load-app.log").open("w")  # the app's own errors, if any
    app = subprocess.Popen(
        [str(Path(sys.executable).parent / "assistant"), "serve", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    import urllib.request

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
            return app
        except OSError:
            time.sleep(1)
    app.kill()
    raise SystemExit("the app did not start")


async def ask(page, question: str, k: int) -> tuple[float, str | None, bool]:
    """Ask the k-th question of this session; (seconds, fallback reason, error)."""
    box = page.get_by_test_id("stChatInputTextArea")
    await box.wait_for(timeout=120_000)
    await box.fill(question)
    started = time.perf_counter()
    await box.press("Enter")
    try:  # final: the script run has ended and this question's answer is on the page
        await page.wait_for_function(
            """n => document.querySelector('[data-testid="stApp"]')
                        ?.getAttribute('data-test-script-state') === 'notRunning'
                 && document.querySelectorAll('[data-testid="stChatMessage"]').length >= n""",
            arg=2 * (k + 1),
            timeout=ANSWER_TIMEOUT_MS,
            polling=500,
        )
    except Exception as exc:  # noqa: BLE001 (a timeout or a closed page: an error either way)
        print(f"  no final answer: {str(exc).splitlines()[0][:200]}", file=sys.stderr, flush=True)
        return time.perf_counter() - started, None, True
    seconds = time.perf_counter() - started
    chat = page.get_by_test_id("stChatMessage")
    last = await chat.nth(await chat.count() - 1).inner_text()
    reason = FALLBACK.search(last)
    # a traceback, or the chat's one-line error box (drawn for this run only); the text
    # is matched with its case, as "The model could not answer (" is a fallback, not one
    boxes = page.get_by_test_id("stException").or_(
        page.get_by_test_id("stAlert").filter(has_text=re.compile(r"^Could not answer \("))
    )
    error = await boxes.count() > 0
    if error:
        print(f"  error: {(await boxes.first.inner_text())[:300]}", file=sys.stderr, flush=True)
    return seconds, reason.group(1) if reason else None, error


async def session(browser, url: str, asked: list[str]) -> list[tuple[float, str | None, bool]]:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await page.goto(url)
    out = [await ask(page, q, k) for k, q in enumerate(asked)]
    await context.close()
    return out


def percentile(values: list[float], q: float) -> float:
    import numpy as np

    return round(float(np.percentile(values, q)), 1) if values else float("nan")


async def load(url: str, sessions: int, per_session: int) -> None:
    from playwright.async_api import async_playwright

    pool = questions()
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        started = time.perf_counter()
        results = await asyncio.gather(*[
            session(browser, url, [pool[(s * per_session + k) % len(pool)]
                                   for k in range(per_session)])
            for s in range(sessions)
        ])  # fmt: skip
        wall = time.perf_counter() - started
        await browser.close()
    flat = [r for found in results for r in found]
    seconds = [s for s, _, error in flat if not error]
    reasons = [r for _, r, _ in flat if r]
    print(f"sessions {sessions} x questions {per_session}, wall {wall:.0f} s")
    print("| answers | final | p50 s | p95 s | fell back to quotes | errors |")
    print("|---:|---:|---:|---:|---:|---:|")
    print(f"| {len(flat)} | {len(seconds)} | {percentile(seconds, 50)} | "
          f"{percentile(seconds, 95)} | {len(reasons)} | {sum(e for *_, e in flat)} |")  # fmt: skip
    for r in reasons:
        print(f"- fell back: {r}")


async def soak(url: str, app_pid: int, total: int, every: int) -> None:
    from playwright.async_api import async_playwright

    pool = questions()
    settings = Settings()
    llm_pid = health(settings).pid
    rows, errors = [], 0
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = await browser.new_context(viewport={"width": 1280, "height": 900})
        page = await context.new_page()
        await page.goto(url)
        for k in range(total):
            if k and k % 30 == 0:  # a new chat keeps one page from growing without end
                await page.get_by_role("button", name="New chat").click()
                await page.wait_for_timeout(1500)
            seconds, _reason, error = await ask(page, pool[k % len(pool)], k % 30)
            errors += error
            if (k + 1) % every == 0:
                rows.append((k + 1, rss_mb(app_pid), rss_mb(llm_pid), errors, round(seconds, 1)))
                print(f"  {rows[-1]}", file=sys.stderr, flush=True)
        await browser.close()
    print("| questions | app RSS MiB | model server RSS MiB | errors so far | last answer s |")
    print("|---:|---:|---:|---:|---:|")
    for row in rows:
        print("| " + " | ".join(str(x) for x in row) + " |")
    if len(rows) > 1:
        base, last = rows[0], rows[-1]
        for name, i in (("app", 1), ("model server", 2)):
            if base[i] and last[i]:
                print(f"- {name}: growth after the first {every}: "
                      f"{(last[i] - base[i]) / base[i]:+.1%}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["load", "soak"])
    parser.add_argument("--sessions", type=int, default=4)
    parser.add_argument("--questions", type=int, default=None)
    parser.add_argument("--every", type=int, default=10)
    args = parser.parse_args()
    # Stopped (SIGTERM), the bench still stops the app it started (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    port = free_port()
    app = start_app(port)
    url = f"http://127.0.0.1:{port}/"
    print(f"machine: {machine()}")
    try:
        if args.mode == "load":
            asyncio.run(load(url, args.sessions, args.questions or 3))
        else:
            asyncio.run(soak(url, app.pid, args.questions or 100, args.every))
    finally:
        app.send_signal(signal.SIGTERM)
        app.wait(timeout=30)


if __name__ == "__main__":
    main()
