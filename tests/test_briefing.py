"""Briefings over the sample corpus with the extractive backend: structure, notes that
resolve to exact passages in document order, the disagreement section, and the pure
helpers the model's sections go through."""

from __future__ import annotations

import pytest

from assistant import citations as cites
from assistant.answering.answer import Asker
from assistant.briefing.assemble import executive_summary
from assistant.briefing.draft import draft_briefing
from assistant.briefing.material import briefing_language
from assistant.briefing.sections import cited_sentences, split_heading
from assistant.settings import Settings
from assistant.store import Store
from assistant.types import Briefing, Filters, Progress

DUSHANBE = "Who made concessions at the Dushanbe meeting in October 2025?"


@pytest.fixture(scope="module")
def store(corpus_store_dir, embedder):
    return Store(Settings(store={"dir": corpus_store_dir}), embedder)


def draft(store, topic, **options) -> tuple[list[Progress], Briefing]:
    asker = Asker.create(store.settings, store, "extractive")
    events = list(draft_briefing(asker, topic, **options))
    assert isinstance(events[-1], Briefing)
    return [e for e in events if isinstance(e, Progress)], events[-1]


@pytest.fixture(scope="module")
def dushanbe(store):
    return draft(store, DUSHANBE)


def document_texts(b: Briefing) -> list[str]:
    """Every cited text of the briefing, in document order."""
    texts = list(b.summary) + [s.text for s in b.sections]
    texts += [f"[{c.note}]" for p in b.disagreements for c in p.claims]
    texts += [f"[{e.claim.note}]" for e in b.timeline]
    return texts


def assert_valid_notes(b: Briefing, store: Store) -> None:
    cited = cites.numbers_in_order(document_texts(b))
    assert cited == list(range(1, len(b.notes) + 1))  # numbered in document order, all used
    assert [n.n for n in b.notes] == cited
    for note in b.notes:
        article = store.catalog.article(note.article_id)
        span = article.text[note.start : note.end]
        assert span, note
        assert " ".join(note.quote.rstrip("…").split()) in " ".join(span.split())
        assert note.chunk_id.startswith(note.article_id + ":")
    listed = sorted(n for s in b.sources for n in s.notes)
    assert listed == cited  # every note appears under exactly one source
    assert [s.n for s in b.sources] == list(range(1, len(b.sources) + 1))


def test_extractive_briefing_has_every_part_in_order(dushanbe, store):
    progress, b = dushanbe
    assert b.title and b.created and b.scope
    assert 3 <= len(b.summary) <= 5
    assert 1 <= len(b.sections) <= 4
    assert all(s.heading and s.text and s.points for s in b.sections)
    assert b.timeline and b.sources and b.notes
    assert b.backend == "extractive" and b.model is None
    assert [p.done for p in progress] == sorted(p.done for p in progress)
    assert_valid_notes(b, store)


def test_extractive_sections_quote_the_articles_word_for_word(dushanbe, store):
    _, b = dushanbe
    for section in b.sections:
        for quote in section.text.split("«")[1:]:
            sentence = quote.split("»")[0]
            assert any(sentence in a.text for a in store.catalog.articles()), sentence


def test_dushanbe_disagreement_cites_two_outlets(dushanbe):
    _, b = dushanbe
    assert b.disagreements and b.disagreement_note
    for point in b.disagreements:
        assert len({c.source for c in point.claims}) >= 2
        assert len({c.article_id for c in point.claims}) == len(point.claims)
    sources = {c.source for p in b.disagreements for c in p.claims}
    assert len(sources) >= 2
    assert not any(p.judged for p in b.disagreements)  # no model: never claimed as judged


def test_timeline_is_in_date_order_and_each_event_names_its_date(dushanbe, store):
    _, b = dushanbe
    whens = [e.when for e in b.timeline]
    assert whens == sorted(whens)
    assert "2025-10-09" in whens  # the Dushanbe meeting itself
    for event in b.timeline:
        note = b.notes[event.claim.note - 1]
        assert note.article_id == event.claim.article_id


def test_language_of_the_briefing_follows_the_request(store):
    _, b = draft(store, DUSHANBE, language="ru", sections=2)
    assert b.language == "ru" and b.title.startswith("Справка")
    assert all(s.text.startswith("По данным") for s in b.sections)
    assert briefing_language("Хто пішов на поступки в Душанбе?", None) == "uk"
    with pytest.raises(ValueError):
        briefing_language("topic", "de")


def test_filters_limit_the_sources(store):
    only = "002_811401800cfb28a0"
    _, b = draft(store, DUSHANBE, sections=2, filters=Filters(article_ids=[only]))
    assert {n.article_id for n in b.notes} == {only}
    assert b.filters.article_ids == [only]


def test_bad_requests_are_refused_before_any_work(store):
    asker = Asker.create(store.settings, store, "extractive")
    with pytest.raises(ValueError):
        next(draft_briefing(asker, "   "))
    with pytest.raises(ValueError):
        next(draft_briefing(asker, DUSHANBE, sections=0))


def test_an_empty_store_gives_an_empty_briefing(tmp_path, embedder):
    store = Store(Settings(store={"dir": tmp_path / "empty"}), embedder)
    _, b = draft(store, DUSHANBE)
    assert b.is_empty and b.summary and not b.notes


@pytest.mark.parametrize(
    "reply, heading, body",
    [
        ("Heading: The Dushanbe meeting\nPutin apologised [1].", "The Dushanbe meeting",
         "Putin apologised [1]."),
        ("Заголовок: Встреча в Душанбе\nТекст [1].", "Встреча в Душанбе", "Текст [1]."),
        ("## A contested vote\nText [2].", "A contested vote", "Text [2]."),
        ("**Bold heading**\nText [1].", "Bold heading", "Text [1]."),
        ("Putin apologised [1]. Aliyev did not [2].", None,
         "Putin apologised [1]. Aliyev did not [2]."),
        ("", None, ""),
    ],
)  # fmt: skip
def test_split_heading(reply, heading, body):
    assert split_heading(reply) == (heading, body)


@pytest.mark.parametrize(
    "text, kept, dropped",
    [
        ("Putin apologised [1]. Nobody knows why. Aliyev did not [2].",
         "Putin apologised [1]. Aliyev did not [2].", 1),
        ("Nothing cited here.", "", 1),
        ("Встреча прошла [1]. АРВАК | 2024-04-23 | ru [3]", "Встреча прошла [1].", 1),
        ("По данным «Вестника», прошла [1].", "По данным «Вестника», прошла [1].", 0),
    ],
)  # fmt: skip
def test_cited_sentences_keep_only_traceable_ones(text, kept, dropped):
    assert cited_sentences(text) == (kept, dropped)


@pytest.mark.parametrize(
    "points, summary",
    [
        ([["a1", "a2"], ["b1"], ["c1"], ["d1"]], ["a1", "b1", "c1", "d1"]),
        ([["a1", "a2", "a3", "a4"]], ["a1", "a2", "a3"]),
        ([["a1", "a2"], ["b1", "b2"]], ["a1", "b1", "a2"]),
        ([["a1"], ["b1"], ["c1"], ["d1"], ["e1"], ["f1"]], ["a1", "b1", "c1", "d1", "e1"]),
        ([["a1"], []], ["a1"]),
        ([], []),
    ],
)  # fmt: skip
def test_executive_summary_has_three_to_five_bullets_when_it_can(points, summary):
    assert executive_summary(points) == summary


@pytest.mark.parametrize(
    "args, message",
    [
        (["   "], "needs a topic"),
        (["topic", "--out", "x.pdf"], ".md or .docx"),
        (["topic", "--lang", "de"], "use en, ru or uk"),
        (["topic", "--backend", "gpt"], "use local, openai or extractive"),
    ],
)
def test_the_cli_refuses_bad_requests_in_one_line(args, message, tmp_path):
    import subprocess

    from tests.conftest import BIN

    run = subprocess.run(
        [str(BIN / "assistant"), "brief", *args], capture_output=True, text=True, cwd=tmp_path
    )
    assert run.returncode == 2 and message in run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert list(tmp_path.iterdir()) == []  # nothing written
