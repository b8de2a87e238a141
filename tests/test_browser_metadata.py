"""Metadata is inert wherever it is shown: a title, outlet and author carrying Markdown
images, links and bare URLs (as an HTML <title>, og:site_name or sources.toml can) never
make the browser fetch anything, and never become a link. A listener on 127.0.0.1
records every request that would leave for those URLs."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import corpus_with, streamlit_on_loopback
from tests.test_browser import draft, launch_chromium, look_up

pytestmark = pytest.mark.slow
ARTICLE = (
    "Паромы Каспия в ноябре\n\n"
    "Паромный терминал порта Алят в ноябре принял 37 паромов, сообщила администрация порта. "
    "Грузооборот паромной линии Алят — Курык вырос на 15 процентов за месяц.\n"
)


@pytest.fixture(scope="module")
def listener():
    hits: list[str] = []

    class Record(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            hits.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Record)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, corpus_store_dir, embedder, listener):
    host, _ = listener
    sidecar = (
        "\n[950_markup_meta]\n"
        f'title = "Паромы ![logo](http://{host}/title.png) [click](http://{host}/title-link)"\n'
        f'outlet = "Caspian ![o](http://{host}/outlet.png) http://{host}/bare"\n'
        f'author = "[Author](http://{host}/author) <img src=http://{host}/html.png>"\n'
    )
    extra = {"950_markup_meta.txt": ARTICLE}
    store_dir = corpus_with(tmp_path_factory, corpus_store_dir, embedder, extra, sidecar)
    env = {"ASSISTANT_STORE_DIR": str(store_dir), "ASSISTANT_BACKEND": "extractive"}
    with streamlit_on_loopback(env) as url:
        yield url


def no_live_markup(page, host: str) -> None:
    links = page.locator(f'a[href*="{host}"]').count()
    images = page.locator(f'img[src*="{host}"]').count()
    assert links == 0 and images == 0, (links, images)


def test_metadata_markup_never_fetches_or_links(app_url, listener):
    host, hits = listener
    with launch_chromium() as browser:
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        # chat: the answer cites the article, its sources list names it
        page.goto(app_url)
        box = page.get_by_test_id("stChatInputTextArea")
        box.wait_for(timeout=60_000)
        box.fill("Сколько паромов принял терминал порта Алят в ноябре?")
        box.press("Enter")
        page.get_by_role("link", name="[1]").first.wait_for(timeout=120_000)
        page.get_by_text("Caspian").first.wait_for(timeout=30_000)
        for expander in page.get_by_text("Sources").all():
            expander.click()
        no_live_markup(page, host)
        # the article view: header and caption
        page.goto(f"{app_url}?article=950_markup_meta")
        page.get_by_text("37 паромов").first.wait_for(timeout=60_000)
        assert page.get_by_text("Паромы ![logo](http").count() >= 1  # shown as text
        no_live_markup(page, host)
        # lookup: the source's subheader and caption
        look_up(page, app_url, "Терминал Алят принял 37 паромов в ноябре")
        page.get_by_text("related passages, not judged").first.wait_for(timeout=120_000)
        no_live_markup(page, host)
        # briefing: sources and notes
        draft(page, app_url, "Ferries and the Alat port terminal in November")
        page.get_by_role("heading", name="Sources", exact=True).wait_for(timeout=120_000)
        no_live_markup(page, host)
        page.wait_for_timeout(1000)
    assert hits == [], f"the page fetched {hits}"
