"""Briefings over the sample corpus: with the extractive backend (structure, notes that
resolve to exact passages in document order, headings that name what quotes share, the
same events side by side), and with a model on the OpenAI-compatible fake (translated
quotes, checked leads, no made-up outlet, translations asked at once)."""

from __future__ import annotations

import json
import re

import pytest
from unidecode import unidecode

from assistant import citations as cites
from assistant.answering.answer import Asker
from assistant.briefing.assemble import executive_summary
from assistant.briefing.draft import draft_briefing
from assistant.briefing.export import briefing_markdown
from assistant.briefing.material import briefing_language
from assistant.briefing.sections import distinct_headings, marked_sentences
from assistant.prompts import BRIEFING_LABELS
from assistant.settings import Settings
from assistant.store import Store
from assistant.text.entities import cyrillic_names, dictionary_form, in_script, names
from assistant.text.markdown import inert_markdown
from assistant.types import Briefing, Filters, Lead, Progress

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
    texts = list(b.summary)
    for s in b.sections:
        texts += s.lead + [f"[{c.note}]" for c in s.quotes]
    texts += [f"[{c.note}]" for p in b.shared for c in p.claims]
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
    assert all(s.heading and s.quotes and not s.lead for s in b.sections)
    assert b.timeline and b.sources and b.notes
    assert b.backend == "extractive" and b.model is None
    assert b.quotes_note == BRIEFING_LABELS["en"]["originals"]  # said once, at the top
    assert [p.done for p in progress] == sorted(p.done for p in progress)
    assert_valid_notes(b, store)


def test_every_quote_is_the_article_sentence_at_its_offsets(dushanbe, store):
    _, b = dushanbe
    claims = [c for s in b.sections for c in s.quotes] + [c for p in b.shared for c in p.claims]
    for claim in claims + [e.claim for e in b.timeline]:
        note = b.notes[claim.note - 1]
        text = store.catalog.article(note.article_id).text
        assert text[note.start : note.end].strip() == claim.quote == note.quote
        assert claim.translation is None  # no model: originals


def test_headings_name_what_the_quotes_share_never_stems(dushanbe):
    """Without a model, a heading is names its quotes give (in Latin letters for an
    English reader), or the sources that report them."""
    _, b = dushanbe
    for section in b.sections:
        assert not section.heading_written
        given = {in_script(dictionary_form(n, c.lang), "en") for c in section.quotes
                 for n in names(c.quote)}  # fmt: skip
        label = section.heading.split(" (")[0]
        if label.startswith("Reports by"):
            assert all(c.source in label for c in section.quotes[:1])
        else:
            assert set(label.split(", ")) <= given, section.heading


def test_the_dushanbe_meeting_is_one_point_told_by_several_sources(dushanbe):
    _, b = dushanbe
    assert b.shared
    for point in b.shared:
        assert len({c.article_id for c in point.claims}) == len(point.claims) >= 2
    meeting = [p for p in b.shared if "Dushanbe" in p.point]
    assert meeting and all(("Душанбе" in c.quote) for c in meeting[0].claims)


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
    assert b.summary[0].startswith("По данным") and b.quotes_note.startswith("Языковая")
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


# -- with a model: the OpenAI-compatible fake on loopback, scripted by request ---------

HERALD = "The Caspian Herald reports that every port closed."


def _fake_model(body: dict) -> str:
    """Translations: an English sentence keeping the original's digits and names (in
    Latin letters), as the checks require. Section leads: a heading of the first quote's
    names and digits, the first quote restated (held) and a sentence naming a made-up outlet
    (to be left out)."""
    schema = body["response_format"]["json_schema"]["schema"]["properties"]
    user = body["messages"][-1]["content"]
    if "translation" in schema:
        text = user.split("«", 1)[1].rsplit("»", 1)[0]
        kept = re.findall(r"\d+", text) + [unidecode(n) for n in cyrillic_names(text)]
        english = "It says that the officials met and talked about the plan with " + " ".join(kept)
        padding = " and the other details" * (len(text.split()) // 4)  # as long as a translation
        return json.dumps({"translation": english.strip() + padding + "."})
    first = re.search(r"^E1 \([^)]*\): (.+)$", user, re.M).group(1)
    return json.dumps({
        "heading": "The plan with " + " ".join(first.split(" with ")[1].split()[:4]).strip(",.:;"),
        "sentences": [{"text": first, "evidence": ["E1"]}, {"text": HERALD, "evidence": ["E1"]}],
    })  # fmt: skip


@pytest.fixture
def written(store, openai_fake, tmp_path):
    openai_fake.script(respond=_fake_model)
    settings = store.settings.changed(
        backend="openai", openai_base_url=openai_fake.base_url,
        answer={"translation_cache": tmp_path / "t.sqlite"},
    )  # fmt: skip
    asker = Asker.create(settings, store, "openai")
    *_, b = draft_briefing(asker, DUSHANBE, "en", 3)
    return b, openai_fake


def test_with_a_model_quotes_are_translated_and_leads_checked(written, store):
    b, fake = written
    assert b.backend == "openai" and b.quotes_note == BRIEFING_LABELS["en"]["translated"]
    quotes = [c for s in b.sections for c in s.quotes] + [c for p in b.shared for c in p.claims]
    assert quotes and all(c.translation and c.translation.startswith("It says") for c in quotes)
    for section in b.sections:
        assert section.heading_written and len(section.heading.split()) <= 8
        assert len(section.lead) == 1  # the made-up outlet's sentence is left out
        assert section.lead[0].startswith("According to ") and cites.parse_markers(section.lead[0])
    assert b.summary == [s.lead[0] for s in b.sections][: len(b.summary)]
    assert any("Left out 3 sentence(s)" in w for w in b.warnings)
    assert_valid_notes(b, store)
    text = briefing_markdown(b)
    assert "Caspian Herald" not in text, text[text.find("Caspian") - 300 :][:400]
    assert inert_markdown("(machine translation)") in text
    for note in b.notes:  # the original, with its offsets, in the footnote
        assert inert_markdown(note.quote) in text and f"{note.start}–{note.end}" in text


def test_all_of_a_briefing_s_translations_are_asked_at_once_then_cached(written, store):
    b, fake = written
    kinds = ["translation" if "translation" in str(r.body["response_format"]) else "lead"
             for r in fake.requests if r.body]  # fmt: skip
    leads = kinds.index("lead")
    assert set(kinds[:leads]) == {"translation"} and set(kinds[leads:]) == {"lead"}
    assert kinds.count("lead") == len(b.sections)


def test_when_the_model_fails_the_quotes_stay_original_and_the_briefing_says_so(
    store, openai_fake, tmp_path
):
    openai_fake.script(failure="http_500")
    settings = store.settings.changed(
        backend="openai", openai_base_url=openai_fake.base_url,
        answer={"translation_cache": tmp_path / "t.sqlite"},
    )  # fmt: skip
    *_, b = draft_briefing(Asker.create(settings, store, "openai"), DUSHANBE, "en", 2)
    assert b.quotes_note == BRIEFING_LABELS["en"]["untranslated"]
    assert b.sections and all(not s.heading_written and not s.lead for s in b.sections)
    assert all(c.translation is None for s in b.sections for c in s.quotes)
    assert any("could not be translated" in w for w in b.warnings)
    assert_valid_notes(b, store)


@pytest.mark.parametrize(
    "headings, kept",
    [
        (["Putin's apology in Dushanbe", "Rail corridors to Iran"],
         ["Putin's apology in Dushanbe", "Rail corridors to Iran"]),
        (["Concessions at the Dushanbe meeting", "Rail corridors"], [None, "Rail corridors"]),
        (["Rail corridors to Iran", "Rail corridors to Iran"], ["Rail corridors to Iran", None]),
        ([None, "Rail corridors"], [None, "Rail corridors"]),
    ],
)  # fmt: skip
def test_headings_that_restate_the_topic_or_repeat_give_way(headings, kept):
    leads = [(h, Lead()) for h in headings]
    assert [h for h, _ in distinct_headings(leads, DUSHANBE, "en")] == kept


@pytest.mark.parametrize(
    "text, numbers, shown",
    [
        ("Putin apologised.", [1], ["Putin apologised [1]."]),
        ("Putin apologised. Aliyev accepted.", [1, 2],
         ["Putin apologised [1][2].", "Aliyev accepted [1][2]."]),
        ("He wrote: 'talks resumed.'", [3], ["He wrote: 'talks resumed [3].'"]),
    ],
)  # fmt: skip
def test_every_sentence_of_a_lead_sentence_carries_its_notes(text, numbers, shown):
    assert marked_sentences(text, numbers) == shown
