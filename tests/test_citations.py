"""Citation markers: parsing, resolving phantoms and renumbering, sentences, markers placed, quotes.

Everything under test is pure, so each behaviour is a table of cases."""

from __future__ import annotations

import random

import pytest

from assistant import citations as cites
from assistant.citations import (
    MAX_NUMBER,
    MarkerStream,
    parse_markers,
    resolve,
    split_sentences,
    strip_markers,
)

# --- parse_markers -------------------------------------------------------------------

PARSE = [
    ("Ракета упала [1].", [("[1]", (1,))], "single"),
    ("Text [1,2].", [("[1,2]", (1, 2))], "comma"),
    ("Text [1, 2].", [("[1, 2]", (1, 2))], "comma-space"),
    ("Text [1; 3].", [("[1; 3]", (1, 3))], "semicolon"),
    ("Текст [1 и 3].", [("[1 и 3]", (1, 3))], "russian-and"),
    ("Text [1 and 3].", [("[1 and 3]", (1, 3))], "english-and"),
    ("Text [1и3].", [], "glued-word-is-not-a-list"),
    ("Text [1][2].", [("[1][2]", (1, 2))], "adjacent"),
    ("Text [1] [2].", [("[1] [2]", (1, 2))], "adjacent-space"),
    ("Text [1], [2].", [("[1], [2]", (1, 2))], "adjacent-comma"),
    ("Text [1-3].", [("[1-3]", (1, 2, 3))], "range"),
    ("Text [1–3].", [("[1–3]", (1, 2, 3))], "range-en-dash"),
    ("Text [3–1].", [("[3–1]", (1, 2, 3))], "range-reversed"),
    ("Text [1, 3-4].", [("[1, 3-4]", (1, 3, 4))], "list-and-range"),
    ("Text [2, 2].", [("[2, 2]", (2, 2))], "duplicate-kept"),
    ("Text [ 1 ].", [("[ 1 ]", (1,))], "inner-spaces"),
    ("Text [0].", [("[0]", (0,))], "zero"),
    ("Text [120].", [("[120]", (120,))], "three-digits"),
    ("Text [98-120].", [("[98-120]", (98, 99, 120))], "absurd-range-capped"),
    ("Текст【1】и［2］.", [("【1】", (1,)), ("［2］", (2,))], "fullwidth"),
    ("«Цитата [2]»", [("[2]", (2,))], "inside-guillemets"),
    ('"Quote [2]"', [("[2]", (2,))], "inside-quotes"),
    ("слово[3].", [("[3]", (3,))], "glued-to-word"),
    ("See [i] and [ii].", [], "roman-endnotes"),
    ("He wrote [sic].", [], "sic"),
    ("In [2025] it rose.", [], "year"),
    ("Range [2014-2015].", [], "year-range"),
    ("See [1](https://example.com).", [], "markdown-link"),
    ("See [text](https://example.com).", [], "markdown-text-link"),
    ("As [1] (Reuters) said.", [("[1]", (1,))], "space-before-parenthesis"),
    ("[1] [2025]", [("[1]", (1,))], "year-not-merged"),
    ("Text [1]\n[2]", [("[1]", (1,)), ("[2]", (2,))], "newline-splits"),
    ("", [], "empty"),
    ("No markers here.", [], "no-markers"),
]


@pytest.mark.parametrize("text, expected", [c[:2] for c in PARSE], ids=[c[2] for c in PARSE])
def test_parse_markers(text, expected):
    markers = parse_markers(text)
    assert [(text[m.start : m.end], m.numbers) for m in markers] == expected


def test_absurd_range_stops_at_the_cap():
    (marker,) = parse_markers("[1-999]")
    assert marker.numbers == (*range(1, MAX_NUMBER + 1), 999)


# --- resolve -------------------------------------------------------------------------

RESOLVE = [
    # text, n_passages, expected text, order (0-based passage of [1], [2], ...), phantoms, id
    ("", 3, "", [], [], "empty"),
    ("No markers.", 3, "No markers.", [], [], "no-markers"),
    ("A [1]. B [2].", 2, "A [1]. B [2].", [0, 1], [], "already-canonical"),
    ("A [2]. B [1].", 2, "A [1]. B [2].", [1, 0], [], "renumber-first-use"),
    ("A [3]. B [1]. C [3].", 3, "A [1]. B [2]. C [1].", [2, 0], [], "reuse-keeps-number"),
    ("A [1,2].", 2, "A [1][2].", [0, 1], [], "comma-canonical"),
    ("A [2, 1].", 2, "A [1][2].", [1, 0], [], "comma-first-use-then-sorted"),
    ("A [1][2].", 2, "A [1][2].", [0, 1], [], "adjacent"),
    ("A [1] [2].", 2, "A [1][2].", [0, 1], [], "adjacent-space-joined"),
    ("A [1], [2].", 2, "A [1][2].", [0, 1], [], "adjacent-comma-joined"),
    ("A [1-3].", 3, "A [1][2][3].", [0, 1, 2], [], "range"),
    ("A [3–1].", 3, "A [1][2][3].", [0, 1, 2], [], "range-reversed"),
    ("A [2-4].", 3, "A [1][2].", [1, 2], [4], "range-past-end"),
    ("A [1, 1].", 2, "A [1].", [0], [], "duplicate-in-marker"),
    ("A [5].", 3, "A.", [], [5], "out-of-range"),
    ("A [0].", 3, "A.", [], [0], "zero"),
    ("A [120].", 3, "A.", [], [120], "above-cap"),
    ("A [1]. B [4].", 3, "A [1]. B.", [0], [4], "phantom-after-real"),
    ("A [2, 9].", 3, "A [1].", [1], [9], "mixed-keeps-real"),
    ("A [7] B [7].", 3, "A B.", [], [7], "phantom-reported-once"),
    ("A [9], B [8].", 3, "A, B.", [], [9, 8], "phantom-before-comma"),
    ("A [9] — B.", 3, "A — B.", [], [9], "phantom-before-dash"),
    ("Он сказал «нет» [9]. Далее [1].", 1, "Он сказал «нет». Далее [1].", [0], [9], "after-quote"),
    ("«Нет [9]», — сказал он [2].", 2, "«Нет», — сказал он [1].", [1], [9], "inside-guillemets"),
    ('"No [9]," he said [2].', 2, '"No," he said [1].', [1], [9], "inside-quotes"),
    ("«Да» [2]; «нет» [1].", 2, "«Да» [1]; «нет» [2].", [1, 0], [], "cyrillic-quotes-real"),
    ("Итак [3]: да.", 2, "Итак: да.", [], [3], "before-colon"),
    ("Да [4]… и всё.", 2, "Да… и всё.", [], [4], "before-ellipsis"),
    ("A ([7]).", 3, "A.", [], [7], "empty-parentheses-removed"),
    ("A (see [7]).", 3, "A (see).", [], [7], "parenthesis-kept"),
    ("[9] Начало.", 3, "Начало.", [], [9], "phantom-opens-text"),
    ("A.\n[9] B.", 3, "A.\nB.", [], [9], "phantom-opens-line"),
    ("A [9]\nB [1].", 3, "A\nB [1].", [0], [9], "phantom-ends-line"),
    ("A[9]B", 3, "A B", [], [9], "phantom-between-words"),
    ("A [1] ([7]) [2].", 2, "A [1][2].", [0, 1], [7], "neighbours-meet-after-removal"),
    ("x [[9]3] y [2].", 3, "x y [1].", [1], [9, 3], "removal-cannot-forge-marker"),
    ("A [1].", 0, "A.", [], [1], "no-passages"),
    ("See [i], [2025], [sic].", 3, "See [i], [2025], [sic].", [], [], "non-citations"),
    ("See [1](http://x) [1].", 1, "See [1](http://x) [1].", [0], [], "markdown-link"),
    ("A【2】и［1］.", 2, "A[1]и[2].", [1, 0], [], "fullwidth"),
]
RESOLVE_IDS = [c[5] for c in RESOLVE]


@pytest.mark.parametrize(
    "text, n_passages, expected, order, phantoms", [c[:5] for c in RESOLVE], ids=RESOLVE_IDS
)
def test_resolve(text, n_passages, expected, order, phantoms):
    resolved = resolve(text, n_passages)
    assert (resolved.text, resolved.order, resolved.phantoms) == (expected, order, phantoms)


@pytest.mark.parametrize("text, n_passages", [c[:2] for c in RESOLVE], ids=RESOLVE_IDS)
def test_resolve_is_idempotent(text, n_passages):
    once = resolve(text, n_passages)
    twice = resolve(once.text, len(once.order))
    assert twice.text == once.text
    assert twice.order == list(range(len(once.order)))
    assert twice.phantoms == []


def test_no_phantom_citation_ever_reaches_the_user():
    """Random marker soup: every marker left is canonical, in range and numbered by use."""
    pieces = [*"[]()123 ,;-–.a\n«»", "[1]", "[7]", "[0]", "[2, 9]", "[1-3]", "[2025]"]
    rng = random.Random(7)
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 20)))
        resolved = resolve(text, rng.randint(0, 3))
        used = []
        for m in parse_markers(resolved.text):
            assert resolved.text[m.start : m.end] == "".join(f"[{n}]" for n in m.numbers)
            used += m.numbers
        assert list(dict.fromkeys(used)) == list(range(1, len(resolved.order) + 1)), text


# pieces as the model streams them, n_passages, what feed() and then close() return, id
STREAM = [
    (
        ["Ракета упала [", "7", "]. Да [2", "]."],
        2,
        ["Ракета упала", "", ". Да", " [1].", ""],
        "hold-partial",
    ),
    (["A [1]", " [2]", "."], 2, ["A", "", " [1][2].", ""], "hold-mergeable"),
    (["A [2]", ", [1]", " B."], 2, ["A", "", " [1][2] B.", ""], "hold-comma-merge"),
    (["See [1]", "(http://x) ok"], 1, ["See", " [1](http://x) ok", ""], "markdown-link"),
    (["In [20", "25] it rose [1", "]"], 1, ["In", " [2025] it rose", "", " [1]"], "year"),
    (["A ", "(", "[9]", ") B"], 1, ["A", "", "", " B", ""], "phantom-in-parentheses"),
    (["«Нет [3]", "», — сказал"], 2, ["«Нет", "», — сказал", ""], "phantom-in-guillemets"),
    (["A [1]\n", "[7] B"], 1, ["A [1]\n", "B", ""], "phantom-opens-line"),
    ([], 1, [""], "nothing"),
]


@pytest.mark.parametrize(
    "pieces, n_passages, expected", [c[:3] for c in STREAM], ids=[c[3] for c in STREAM]
)
def test_marker_stream(pieces, n_passages, expected):
    stream = MarkerStream(n_passages)
    assert [stream.feed(p) for p in pieces] + [stream.close()] == expected


@pytest.mark.parametrize("text, n_passages", [c[:2] for c in RESOLVE], ids=RESOLVE_IDS)
def test_marker_stream_shows_what_resolve_gives(text, n_passages):
    stream = MarkerStream(n_passages)
    shown = "".join(stream.feed(text[i : i + 2]) for i in range(0, len(text), 2))
    assert shown + stream.close() == resolve(text, n_passages).text


def test_strip_markers():
    assert strip_markers("Да [1][2], нет [i] [2025].") == "Да  , нет [i] [2025]."


# --- split_sentences -----------------------------------------------------------------

SENTENCES = [
    ("", [], "empty"),
    ("One sentence", ["One sentence"], "no-full-stop"),
    (
        "Ракета упала [1]. Погибли пять человек [2].",
        ["Ракета упала [1].", "Погибли пять человек [2]."],
        "marker-before-stop",
    ),
    ("Ракета упала. [1] Погибли [2].", ["Ракета упала. [1]", "Погибли [2]."], "marker-after-stop"),
    ("Ракета упала.[1] Погибли.", ["Ракета упала.[1]", "Погибли."], "marker-glued-to-stop"),
    ("Да?[4] Нет! [5] Ну… [6] Всё.", ["Да?[4]", "Нет! [5]", "Ну… [6]", "Всё."], "other-stops"),
    (
        "В 2024 г. было 5,3 тыс. ракет [1]. Т. е. много.",
        ["В 2024 г. было 5,3 тыс. ракет [1].", "Т. е. много."],
        "abbreviations",
    ),
    (
        "U.S. officials said so [3]. Dr. Smith agreed.",
        ["U.S. officials said so [3].", "Dr. Smith agreed."],
        "english-abbreviations",
    ),
    (
        "«Ракета упала» [2]. — Нет, — сказал он [3].",
        ["«Ракета упала» [2].", "— Нет, — сказал он [3]."],
        "guillemets-and-dash",
    ),
    ("Первое\nВторое [1]", ["Первое", "Второе [1]"], "newline-is-boundary"),
    (
        "Итоги:\n- первое [1]\n* второе [2]\n1. третье",
        ["Итоги:", "первое [1]", "второе [2]", "третье"],
        "bullets-left-out",
    ),
    ("- [1] первое", ["[1] первое"], "marker-opens-bullet"),
    ("Ракета упала.\n[1]", ["Ракета упала.\n[1]"], "marker-alone-on-line"),
    ("[1]", ["[1]"], "marker-only"),
]


@pytest.mark.parametrize(
    "text, expected", [c[:2] for c in SENTENCES], ids=[c[2] for c in SENTENCES]
)
def test_split_sentences(text, expected):
    assert [text[s:e] for s, e in split_sentences(text)] == expected


@pytest.mark.parametrize(
    "texts, order",
    [
        (["a [3] b [1]", "c [1][2]"], [3, 1, 2]),
        (["[2-4]", "[1, 2]"], [2, 3, 4, 1]),
        (["no markers", "year [2025] is no marker"], []),
        ([], []),
    ],
)
def test_numbers_in_order(texts, order):
    assert cites.numbers_in_order(texts) == order


@pytest.mark.parametrize(
    "text, new_of, expected",
    [
        ("a [1] b [2].", {1: 5, 2: 3}, "a [5] b [3]."),
        ("a [2][1].", {1: 1, 2: 2}, "a [1][2]."),
        ("a [1, 3].", {1: 4, 3: 4}, "a [4]."),
        ("a [7].", {1: 1}, "a."),
        ("a [1-2] b", {1: 9, 2: 8}, "a [8][9] b"),
    ],
)
def test_renumber(text, new_of, expected):
    assert cites.renumber(text, new_of) == expected


# --- a lead sentence against the evidence it cites ------------------------------------

EVIDENCE_EN = [
    "Putin and Aliyev met in Dushanbe on 9 October 2025 and agreed to resume talks.",
    "Azerbaijan suspended the Sputnik agency and detained 8 Russian citizens.",
]
LEAD_CHECKS = [
    ("Putin and Aliyev met in Dushanbe on 9 October 2025.", [0], (), True, "restates"),
    (
        "According to ARVAK, Putin and Aliyev met in Dushanbe.",
        [0],
        ("ARVAK",),
        True,
        "attributed to the cited source",
    ),
    (
        "The Azerbaijan Herald reports that Putin met Aliyev.",
        [0],
        ("ARVAK",),
        False,
        "an outlet that is not the source",
    ),
    ("Putin and Aliyev met in Dushanbe on 10 October 2025.", [0], (), False, "a changed number"),
    ("Azerbaijan detained 8 Russian citizens.", [0], (), False, "held, but by other evidence"),
    ("Azerbaijan detained 8 Russian citizens.", [1], (), True, "held by what it cites"),
    (
        "Putin demanded that Baku reverse the flow of oil and gas to Russia.",
        [0, 1],
        (),
        False,
        "made up from nothing",
    ),
    ("Putin and Aliyev met.", [], (), False, "cites nothing"),
    ("The.", [0], (), False, "no content word"),
    ("Putin and Aliyev agreed to resume talks [1].", [0], (), True, "markers are ignored"),
]


@pytest.mark.parametrize(
    "sentence, cited, allowed, held, case", LEAD_CHECKS, ids=[c[-1] for c in LEAD_CHECKS]
)
def test_check_lead_sentence(sentence, cited, allowed, held, case):
    check = cites.check_lead_sentence(sentence, [EVIDENCE_EN[i] for i in cited], "en", allowed)
    assert check.is_held is held, check


def test_a_lead_check_names_what_is_missing():
    check = cites.check_lead_sentence(
        "Putin and Aliyev met in Dushanbe on 10 October 2025.", EVIDENCE_EN[:1], "en"
    )
    assert check.missing_numbers == ("10",)
    check = cites.check_lead_sentence("The Herald says Putin met Aliyev.", EVIDENCE_EN[:1], "en")
    assert "herald" in check.missing_words


def test_a_lead_check_works_in_russian():
    evidence = ["Путин и Алиев встретились в Душанбе 9 октября 2025 года."]
    assert cites.check_lead_sentence("Путин и Алиев встретились в Душанбе.", evidence, "ru").is_held
    made_up = "Путин потребовал развернуть поток нефти в Россию."
    assert not cites.check_lead_sentence(made_up, evidence, "ru").is_held


def test_a_name_spelled_two_ways_is_one_name():
    evidence = ["The meeting between Vladimir Putin and Ilham Aliiev took place in Dushanbe."]
    assert cites.check_lead_sentence("Putin and Aliyev met in Dushanbe.", evidence, "en").is_held
    made_up = "Putin and Herald met in Dushanbe."
    assert not cites.check_lead_sentence(made_up, evidence, "en").is_held


@pytest.mark.parametrize(
    "sentence, numbers, marked",
    [
        ("Talks resumed.", [1, 3], "Talks resumed [1][3]."),
        ("Talks resumed", [2], "Talks resumed [2]"),
        ("Did talks resume?", [1, 1], "Did talks resume [1]?"),
        ("Переговоры возобновились…", [4], "Переговоры возобновились [4]…"),
        ("Talks resumed.", [], "Talks resumed."),
        ("He wrote: 'talks resumed.'", [2], "He wrote: 'talks resumed [2].'"),
        ("Он: «всё так».", [1], "Он: «всё так [1]»."),
    ],
)
def test_with_markers_puts_the_notes_before_the_closing_punctuation(sentence, numbers, marked):
    assert cites.with_markers(sentence, numbers) == marked
