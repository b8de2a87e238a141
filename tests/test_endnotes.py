"""Endnotes (an article's sources, not its claims): the pure tests, and that answers,
lookups and briefings never read them while plain search still finds them."""

from __future__ import annotations

import pytest

from assistant.retrieval.search import ENDNOTE_MATCH, claims_first, retrieve
from assistant.store import Store
from assistant.text.endnotes import is_endnote, is_endnote_list
from assistant.text.lexical import tokenize
from assistant.types import Candidate, Chunk, RetrievalParams
from ingest.chunking import chunk_sentences


@pytest.mark.parametrize(
    "line, expected",
    [
        ("[i] Emil Avdaliani, “Putin Seeks to Solve His Azerbaijan Problem”, CEPA", True),
        ("[iv] “Putin calls relations with Azerbaijan ‘allied’”, Aze.Media", True),
        ("[12] TASS, https://tass.ru/politika/26005539", True),
        ("  [ii] TASS", True),
        ("TASS, https://tass.ru, (Дата обращения: 24.12.2025).", True),
        ("Укрінформ, (Дата звернення: 17.10.2025)", True),
        ("Reuters, accessed 3 May 2025", True),
        ("BBC News. Retrieved on 12 March 2024.", True),
        ("Visitors accessed the park through the north gate.", False),
        ("The files were retrieved from the archive.", False),
        ("Встреча прошла в Душанбе 9 октября.", False),
        ("По данным [ii], встреча прошла в Душанбе.", False),  # a note mark inside a claim
        ("[Putin] said nothing.", False),
        ("", False),
    ],
)
def test_is_endnote(line, expected):
    assert is_endnote(line) is expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("[i] Emil Avdaliani, CEPA, https://cepa.org\n[ii] TASS, https://tass.ru\nАвтор", True),
        ("[i] CEPA\n\n[ii] TASS", True),
        ("Встреча прошла в Душанбе.\n[i] TASS", False),  # half is not most
        ("Встреча прошла в Душанбе.", False),
        ("", False),
        ("\n\n", False),
    ],
)
def test_is_endnote_list(text, expected):
    assert is_endnote_list(text) is expected


def test_endnote_sentences_are_not_scored():
    text = "Путин и Алиев встретились в Душанбе.\n[i] Emil Avdaliani, CEPA, https://cepa.org"
    chunk = Chunk(article_id="a", ordinal=0, start=10, end=10 + len(text), text=text)
    spans = chunk_sentences(chunk)
    assert [text[a - 10 : b - 10] for a, b in spans] == ["Путин и Алиев встретились в Душанбе."]


# The English titles in article 001's endnotes pull English questions toward them.
QUESTION = "Putin seeks to solve his Azerbaijan problem"


def test_plain_search_finds_endnotes_and_claims_only_leaves_them_out(corpus_store_dir):
    from assistant.settings import Settings

    store = Store(Settings(store={"dir": corpus_store_dir}))
    endnotes = {c.chunk_id for c in store.catalog.chunks() if is_endnote_list(c.text)}
    assert endnotes  # article 001 ends with its endnotes
    everything = retrieve(QUESTION, store, RetrievalParams(k=10)).passages
    assert endnotes & {p.chunk.chunk_id for p in everything}
    claims = retrieve(QUESTION, store, RetrievalParams(k=10, claims_only=True)).passages
    assert len(claims) == 10
    assert not any(is_endnote_list(p.chunk.text) for p in claims)
    assert not endnotes & {p.chunk.chunk_id for p in claims}
    store.close()


def candidate(text: str, informative: float, ordinal: int) -> Candidate:
    chunk = Chunk(article_id="a", ordinal=ordinal, start=0, end=len(text), text=text)
    return Candidate(chunk=chunk, vector_id=str(ordinal), informative=informative)


ENDNOTES = (
    "[i] “Putin Seeks to Solve His Azerbaijan Problem”, CEPA\n"
    "[ii] TASS, (Дата обращения: 24.12.2025)"
)
CLAIM = "Путин и Алиев провели телефонный разговор."


@pytest.mark.parametrize(
    "ranked, expected, case",
    [
        ([(CLAIM, 0.2), (CLAIM, 0.1)], [0, 1], "claims keep their order"),
        ([(ENDNOTES, 0.3), (CLAIM, 0.2), (CLAIM, 0.0)], [1, 2, 0], "unnamed endnotes go last"),
        ([(ENDNOTES, 0.8), (CLAIM, 0.2)], [0, 1], "a query naming the source keeps it first"),
        ([(CLAIM, 0.0), (ENDNOTES, ENDNOTE_MATCH)], [0, 1], "the threshold is inclusive"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_claims_first(ranked, expected, case):
    candidates = [candidate(text, share, i) for i, (text, share) in enumerate(ranked)]
    assert [c.chunk.ordinal for c in claims_first(candidates)] == expected


def test_an_english_question_about_the_events_finds_claims_before_endnotes(corpus_store_dir):
    """The endnotes' English titles sit close to any English question on these events."""
    from assistant.settings import Settings

    store = Store(Settings(store={"dir": corpus_store_dir}))
    found = retrieve(
        "What did Putin and Aliyev discuss by phone in December 2025?", store, RetrievalParams(k=5)
    )
    assert len(found.passages) == 5
    assert not any(is_endnote_list(p.chunk.text) for p in found.passages)
    store.close()


@pytest.mark.parametrize(
    "text, lang",
    [("Putin Seeks to Solve His Azerbaijan Problem", "ru"), ("Путин решает проблему", "en")],
)
def test_words_are_stemmed_by_their_script(text, lang):
    """Latin words in a Russian article stem as English, Cyrillic words in English text as
    Russian, so both meet a question in either language."""
    other = "en" if lang == "ru" else "ru"
    assert tokenize(text, lang) == tokenize(text, other)
