"""Move a question's vector from its own language toward a passage's language.

A multilingual embedder puts an English question and its Russian translation close
together, but not on top of each other: every English vector carries a share of "this is
English". Over a Russian corpus that share only adds noise, and in a corpus written in two
languages it favours the articles in the question's own language. Retrieval therefore
compares each passage with the question moved toward that passage's language.

The language's direction is estimated once per embedder as the difference between the mean
vectors of the same everyday questions in two languages (PARALLEL_QUESTIONS, on subjects
unrelated to any corpus), and part of it is subtracted from the question's vector.

Measured on XQuAD (1190 English questions over Russian paragraphs, hybrid MRR 0.910 ->
0.922), on bench/data/corpus_questions.jsonl, and for Ukrainian questions over the mostly
Russian sample corpus on the blind question files; see BENCHMARKS.md.
"""

from __future__ import annotations

import numpy as np

from assistant.embedding import Embedder

# Share of the language direction removed; chosen on XQuAD (0.3 / 0.5 / 0.7 / 1.0 gave
# en->ru MRR 0.918 / 0.922 / 0.921 / 0.921), never on the dev questions.
SHIFT_WEIGHT = 0.5
LANGUAGES = ("en", "ru", "uk")
# The same everyday questions in English, Russian and Ukrainian.
PARALLEL_QUESTIONS: tuple[tuple[str, str, str], ...] = (
    ("What is the capital of Portugal?", "Какая столица Португалии?", "Яка столиця Португалії?"),
    (
        "Who painted the Mona Lisa?",
        "Кто написал картину «Мона Лиза»?",
        "Хто намалював «Мону Лізу»?",
    ),
    (
        "How long does it take to boil an egg?",
        "Сколько времени нужно, чтобы сварить яйцо?",
        "Скільки часу потрібно, щоб зварити яйце?",
    ),
    (
        "Which animal is the largest on Earth?",
        "Какое животное самое большое на Земле?",
        "Яка тварина найбільша на Землі?",
    ),
    (
        "When was the first football World Cup held?",
        "Когда прошёл первый чемпионат мира по футболу?",
        "Коли відбувся перший чемпіонат світу з футболу?",
    ),
    ("Why is the sky blue?", "Почему небо голубое?", "Чому небо блакитне?"),
    (
        "How many strings does a violin have?",
        "Сколько струн у скрипки?",
        "Скільки струн у скрипки?",
    ),
    (
        "What language is spoken in Brazil?",
        "На каком языке говорят в Бразилии?",
        "Якою мовою розмовляють у Бразилії?",
    ),
    ("Who invented the telephone?", "Кто изобрёл телефон?", "Хто винайшов телефон?"),
    (
        "What is the tallest mountain in Africa?",
        "Какая самая высокая гора в Африке?",
        "Яка найвища гора в Африці?",
    ),
    ("How do bees make honey?", "Как пчёлы делают мёд?", "Як бджоли роблять мед?"),
    (
        "Which river flows through Cairo?",
        "Какая река протекает через Каир?",
        "Яка річка протікає через Каїр?",
    ),
    (
        "What did the company announce on Monday?",
        "Что компания объявила в понедельник?",
        "Що компанія оголосила в понеділок?",
    ),
    (
        "How much does a train ticket to the airport cost?",
        "Сколько стоит билет на поезд до аэропорта?",
        "Скільки коштує квиток на поїзд до аеропорту?",
    ),
    (
        "Who won the chess tournament last year?",
        "Кто выиграл шахматный турнир в прошлом году?",
        "Хто виграв шаховий турнір минулого року?",
    ),
    (
        "Why did the bridge close for repairs?",
        "Почему мост закрыли на ремонт?",
        "Чому міст закрили на ремонт?",
    ),
    (
        "What ingredients are needed for pancakes?",
        "Какие ингредиенты нужны для блинов?",
        "Які інгредієнти потрібні для млинців?",
    ),
    (
        "How many players are on a basketball team?",
        "Сколько игроков в баскетбольной команде?",
        "Скільки гравців у баскетбольній команді?",
    ),
    (
        "Where was the festival held this summer?",
        "Где проходил фестиваль этим летом?",
        "Де проходив фестиваль цього літа?",
    ),
    ("What is the population of Canada?", "Каково население Канады?", "Яке населення Канади?"),
    (
        "Which city hosted the conference?",
        "Какой город принимал конференцию?",
        "Яке місто приймало конференцію?",
    ),
    (
        "What did the minister say about taxes?",
        "Что министр сказал о налогах?",
        "Що міністр сказав про податки?",
    ),
    (
        "How old was the author when she wrote her first book?",
        "Сколько лет было писательнице, когда она написала первую книгу?",
        "Скільки років було письменниці, коли вона написала першу книжку?",
    ),
    ("Why do cats purr?", "Почему кошки мурлычут?", "Чому коти муркочуть?"),
    (
        "When does the museum open on Sundays?",
        "Когда музей открывается по воскресеньям?",
        "Коли музей відчиняється в неділю?",
    ),
    (
        "What caused the flooding in the valley?",
        "Что вызвало наводнение в долине?",
        "Що спричинило повінь у долині?",
    ),
    (
        "Who is the coach of the national hockey team?",
        "Кто тренер национальной сборной по хоккею?",
        "Хто тренер національної збірної з хокею?",
    ),
    (
        "How fast can a cheetah run?",
        "Как быстро может бегать гепард?",
        "Як швидко може бігати гепард?",
    ),
    (
        "What was agreed at the meeting between the two mayors?",
        "О чём договорились на встрече два мэра?",
        "Про що домовилися на зустрічі два мери?",
    ),
    (
        "Which instrument did the composer play?",
        "На каком инструменте играл композитор?",
        "На якому інструменті грав композитор?",
    ),
    (
        "What is the main export of New Zealand?",
        "Что является главным экспортом Новой Зеландии?",
        "Що є головним експортом Нової Зеландії?",
    ),
    (
        "How many calories are in an apple?",
        "Сколько калорий в яблоке?",
        "Скільки калорій в яблуці?",
    ),
    ("Why was the flight delayed?", "Почему рейс задержали?", "Чому рейс затримали?"),
    (
        "Who designed the new stadium?",
        "Кто спроектировал новый стадион?",
        "Хто спроєктував новий стадіон?",
    ),
    (
        "What happened to the shop after the fire?",
        "Что случилось с магазином после пожара?",
        "Що сталося з магазином після пожежі?",
    ),
    (
        "Which school did the singer attend?",
        "В какой школе училась певица?",
        "У якій школі навчалася співачка?",
    ),
    ("How is cheese made?", "Как делают сыр?", "Як роблять сир?"),
    (
        "When will the new metro line open?",
        "Когда откроется новая линия метро?",
        "Коли відкриється нова лінія метро?",
    ),
    (
        "What do critics think of the film?",
        "Что критики думают о фильме?",
        "Що критики думають про фільм?",
    ),
    (
        "How many islands make up Japan?",
        "Из скольких островов состоит Япония?",
        "Зі скількох островів складається Японія?",
    ),
)

_means: dict[tuple[str, str], np.ndarray] = {}


def language_mean(embedder: Embedder, language: str) -> np.ndarray:
    """Mean query vector of the parallel questions in one language (once per embedder)."""
    key = (embedder.name, language)
    if key not in _means:
        column = LANGUAGES.index(language)
        texts = [row[column] for row in PARALLEL_QUESTIONS]
        _means[key] = embedder.embed_queries(texts).mean(axis=0)
    return _means[key]


def shift_query(
    vector: np.ndarray,
    embedder: Embedder,
    source: str,
    target: str,
    weight: float = SHIFT_WEIGHT,
) -> np.ndarray:
    """The query vector moved by weight x (mean of source - mean of target), as a unit
    vector. Unchanged when the languages are equal or either one has no parallel questions."""
    if source == target or source not in LANGUAGES or target not in LANGUAGES:
        return vector
    moved = vector - weight * (language_mean(embedder, source) - language_mean(embedder, target))
    return (moved / np.linalg.norm(moved)).astype(np.float32)
