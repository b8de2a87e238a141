"""The whole product as `make run` serves it, in a real browser: Streamlit on 127.0.0.1
with the local backend, whose llama.cpp server (the bundled Qwen2.5-Coder-1.5B) the app
finds running; Chromium asks in English about the Russian articles and follows [1]."""

from __future__ import annotations

import pytest

from assistant.llm.server import serve, stop
from assistant.settings import Settings
from tests.conftest import ROOT, free_port, streamlit_on_loopback
from tests.test_browser import browser, shot  # noqa: F401  (the Chromium fixture)

pytestmark = pytest.mark.slow
QUESTION = "Where did Putin and Aliyev meet in October 2025?"


@pytest.fixture(scope="module")
def local_app(tmp_path_factory, corpus_store_dir):
    run_dir = tmp_path_factory.mktemp("run")
    settings = Settings(
        backend="local",
        store={"dir": corpus_store_dir},
        llm={"models_dir": ROOT / "models", "run_dir": run_dir, "port": free_port()},
    )
    assert serve(settings, wait=600).healthy, f"see {run_dir}/llm.log"
    env = {
        "ASSISTANT_STORE_DIR": str(corpus_store_dir),
        "ASSISTANT_BACKEND": "local",
        "ASSISTANT_LLM_PORT": str(settings.llm.port),
        "ASSISTANT_LLM_MODELS_DIR": str(settings.llm.models_dir),
        "ASSISTANT_LLM_RUN_DIR": str(run_dir),
    }
    try:
        with streamlit_on_loopback(env) as url:
            yield url
    finally:
        stop(settings)


def test_the_local_model_answers_in_the_browser_with_a_working_citation(browser, local_app):  # noqa: F811
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.goto(local_app)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("ready", exact=False).first.wait_for(timeout=60_000)
    assert "Backend: local" in sidebar.inner_text()
    box = page.get_by_test_id("stChatInputTextArea")
    box.wait_for(timeout=60_000)
    box.fill(QUESTION)
    box.press("Enter")
    page.get_by_role("link", name="[1]").first.wait_for(timeout=240_000)
    answer = page.get_by_test_id("stChatMessage").last.inner_text()
    assert "[1]" in answer
    shot(page, "chat-local.png")
    href = page.get_by_role("link", name="[1]").first.get_attribute("href")
    page.goto(local_app.rstrip("/") + "/" + href.lstrip("/"))
    page.locator("mark#cited").wait_for(timeout=60_000)
    assert page.locator("mark#cited").inner_text().strip()
    page.context.close()
