"""What a person sees, in a real browser: Debian's Chromium driven by Playwright against
`streamlit run` on 127.0.0.1 (extractive backend: fast and deterministic; the model path
has its own end-to-end tests). Screenshots go to artifacts/ (git-ignored)."""

from __future__ import annotations

import shutil
from contextlib import contextmanager

import pytest

from tests.conftest import ROOT, corpus_with, streamlit_on_loopback

pytestmark = pytest.mark.slow
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "artifacts"
QUESTION = "Какая российская система ПВО, по словам Путина, стала причиной катастрофы самолета?"
# An article with markup in its text (for the XSS test), on a subject of its own: one that
# echoed QUESTION's words would be the closest match and answer it alone.
PLANTED = (
    "Встреча в Душанбе: заметки\n\n"
    "Участники встречи в Душанбе обсуждали тарифы на транзит грузов. "
    '<script>window.__xss = 1</script> <img src=x onerror="window.__xss = 2"> '
    "Так выглядела заметка.\n"
)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, corpus_store_dir, embedder):
    if not shutil.which(CHROMIUM):
        pytest.fail("Debian's chromium is missing: `make test` installs it")
    extra = {"998_planted_html.txt": PLANTED}
    store_dir = corpus_with(tmp_path_factory, corpus_store_dir, embedder, extra)
    env = {"ASSISTANT_STORE_DIR": str(store_dir), "ASSISTANT_BACKEND": "extractive"}
    with streamlit_on_loopback(env) as url:
        yield url


@contextmanager
def launch_chromium():
    """Debian's Chromium, headless, under Playwright (which never downloads a browser)."""
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM):
        pytest.fail("Debian's chromium is missing: `make test` installs it")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def browser():
    with launch_chromium() as browser:
        yield browser


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def ask(page, app_url: str, question: str) -> None:
    page.goto(app_url)
    box = page.get_by_test_id("stChatInputTextArea")
    box.wait_for(timeout=60_000)
    box.fill(question)
    box.press("Enter")
    page.get_by_role("link", name="[1]").first.wait_for(timeout=120_000)


def look_up(page, app_url: str, claim: str) -> None:
    """Open the lookup page, type the claim and press Look up (its first click looks up)."""
    _fill_and_press(page, app_url, "Lookup", LOOKUP_HINT, claim, "Look up", key=None)


def draft(page, app_url: str, topic: str) -> None:
    """Open the briefing page, type the topic and press Draft briefing (its first click
    drafts)."""
    _fill_and_press(page, app_url, "Briefing", BRIEFING_HINT, topic, "Draft briefing", key=None)


LOOKUP_HINT = "e.g. Putin apologised to Aliyev in Dushanbe"
BRIEFING_HINT = "e.g. Who made concessions at the Dushanbe meeting?"


def _fill_and_press(page, app_url, tab, hint, text, button, key: str | None) -> None:
    """Open a tab, type into its box, press `key` there (None: straight to the button,
    which must take the first click) and click the button."""
    page.goto(app_url)
    page.get_by_text(tab, exact=True).click()
    box = page.get_by_placeholder(hint)
    box.wait_for(timeout=60_000)
    box.fill(text)
    if key:
        box.press(key)
    page.get_by_role("button", name=button).click()


def test_ask_see_streamed_answer_with_citations_then_open_the_cited_passage(page, app_url):
    ask(page, app_url, QUESTION)
    assert page.get_by_text("Панцир").first.is_visible()
    shot(page, "chat.png")
    link = page.get_by_role("link", name="[1]").first
    href = link.get_attribute("href")
    assert "article=" in href and "start=" in href and "end=" in href
    if link.get_attribute("target") == "_blank":
        with page.context.expect_page() as opened:
            link.click()
        viewer = opened.value
    else:
        link.click()
        viewer = page
    mark = viewer.locator("mark#cited")
    mark.wait_for(timeout=60_000)
    assert mark.is_visible() and mark.inner_text().strip()
    shot(viewer, "article.png")


def test_planted_html_shows_as_text_and_never_runs(page, app_url):
    page.goto(f"{app_url}?article=998_planted_html&start=0&end=20")
    page.locator("mark#cited").wait_for(timeout=60_000)
    assert page.get_by_text("<script>window.__xss = 1</script>").count() >= 1
    assert page.evaluate("() => window.__xss") is None
    for frame in page.frames:
        assert frame.evaluate("() => window.__xss") is None
    assert page.locator('img[src="x"]').count() == 0
    shot(page, "planted.png")


def test_phone_width(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    ask(page, app_url, QUESTION)
    assert page.get_by_role("link", name="[1]").first.is_visible()
    shot(page, "chat-phone.png")
    context.close()


def test_run_a_lookup(page, app_url):
    look_up(page, app_url, "Россия вновь задаёт правила на Кавказе")
    page.get_by_text("related passages, not judged").nth(1).wait_for(timeout=120_000)
    assert page.get_by_text("open in the article").count() >= 2
    shot(page, "lookup.png")


def test_draft_a_briefing_and_open_a_note(page, app_url):
    draft(page, app_url, "Who made concessions at the Dushanbe meeting in October 2025?")
    same_events = "How the sources describe the same events"
    for name in ("Executive summary", same_events, "Timeline", "Sources"):
        # the page draws progressively: wait for each part rather than glance at it
        page.get_by_role("heading", name=name, exact=True).wait_for(timeout=120_000)
    page.get_by_role("button", name="Word (DOCX)").wait_for(timeout=30_000)
    with page.expect_download() as download:
        page.get_by_role("button", name="Markdown").click()
    assert download.value.suggested_filename.endswith(".md")
    shot(page, "briefing.png")
    href = page.get_by_role("link", name="[1]").first.get_attribute("href")
    page.goto(app_url.rstrip("/") + "/" + href.lstrip("/"))
    page.locator("mark#cited").wait_for(timeout=60_000)
    assert page.locator("mark#cited").inner_text().strip()


def test_upload_an_article_and_sessions_stay_apart(browser, app_url, tmp_path):
    article = tmp_path / "997_uploaded.md"
    article.write_text(
        "Заметка о мосте\n\nНовый мост через Куру открыли 3 марта, сообщил министр транспорта.\n",
        encoding="utf-8",
    )
    first = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    first.goto(app_url)
    first.get_by_text("Add articles").click()
    first.locator('input[type="file"]').set_input_files(str(article))
    first.get_by_role("button", name="Ingest").click()
    first.get_by_role("cell", name="added", exact=True).wait_for(timeout=120_000)
    assert first.get_by_role("cell", name="997_uploaded.md").is_visible()
    assert first.get_by_text("Corpus: 7 articles").is_visible()  # the sidebar counts it at once
    shot(first, "upload.png")
    ask(first, app_url, "Когда открыли новый мост через Куру?")
    second = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    second.goto(app_url)
    second.get_by_test_id("stChatInputTextArea").wait_for(timeout=60_000)
    assert (
        second.get_by_text("Когда открыли новый мост через Куру?").count() == 0
    )  # not her history
    first.context.close()
    second.context.close()
