"""Names in sentences: found, folded to one key across cases and languages, read in the
reader's script, told from common words; and the sources a sentence attributes itself to."""

from __future__ import annotations

import pytest

from assistant.text.entities import (
    dictionary_form,
    in_script,
    is_known_source,
    is_proper_name,
    name_key,
    named_sources,
    names,
)


@pytest.mark.parametrize(
    "text, found",
    [
        ("В Душанбе встреча Владимира Путина и Ильхама Алиева прошла жёстко.",
         ["Душанбе", "Владимира Путина", "Ильхама Алиева"]),
        ("Путин приехал. Алиев тоже.", []),  # sentence openers are not taken for names
        ("Talks in the South Caucasus in October. Russia said so.", ["South Caucasus"]),
        ("Зустріч Ільхама Алієва та Владіміра Путіна в Душанбе.",
         ["Ільхама Алієва", "Владіміра Путіна", "Душанбе"]),
    ],
)  # fmt: skip
def test_names_are_capitalised_words_inside_a_sentence_runs_joined(text, found):
    assert names(text) == found


@pytest.mark.parametrize(
    "a, lang_a, b, lang_b",
    [
        ("Путина", "ru", "Путин", "ru"),
        ("Владимира Путина", "ru", "Путін", "uk"),
        ("Алиева", "ru", "Алієва", "uk"),
        ("Aliyev", "en", "Aliyev", "en"),
    ],
)
def test_one_name_one_key_across_cases_and_languages(a, lang_a, b, lang_b):
    assert name_key(a, lang_a) == name_key(b, lang_b)


@pytest.mark.parametrize(
    "name, lang, reader, shown",
    [
        ("Владимира Путина", "ru", "en", "Vladimir Putin"),
        ("Душанбе", "ru", "en", "Dushanbe"),
        ("Владимира Путина", "ru", "ru", "Владимир Путин"),
        ("Aliyev", "en", "ru", "Aliyev"),
    ],
)
def test_a_name_in_its_dictionary_form_in_the_reader_s_script(name, lang, reader, shown):
    assert in_script(dictionary_form(name, lang), reader) == shown


@pytest.mark.parametrize(
    "name, lang, proper",
    [
        ("Путина", "ru", True), ("Южного Кавказа", "ru", True), ("Ереван", "ru", True),
        ("Україна", "uk", True), ("Росії", "uk", True), ("Сергій Данилов", "uk", True),
        ("Центр", "ru", False), ("Отношение", "ru", False), ("Вибачення", "uk", False),
        ("Trump Route", "en", True),
    ],
)  # fmt: skip
def test_proper_names_are_told_from_capitalised_common_words(name, lang, proper):
    assert is_proper_name(name, lang) is proper


@pytest.mark.parametrize(
    "text, sources",
    [
        ("According to Interfax, talks resumed.", ["Interfax"]),
        ("The Azerbaijan Herald reports that talks resumed.", ["Azerbaijan Herald"]),
        ("ARVAK reported that talks resumed.", ["ARVAK"]),
        ("По данным «Коммерсанта», переговоры возобновились.", ["Коммерсанта"]),
        ("Як повідомляє Інтерфакс, переговори відновилися.", ["Інтерфакс"]),
        ("Putin said talks resumed.", []),  # a person speaking is no outlet
        ("Talks resumed in October.", []),
    ],
)
def test_named_sources_are_who_a_sentence_says_it_reports(text, sources):
    assert named_sources(text) == sources


@pytest.mark.parametrize(
    "name, known, expected",
    [
        ("ARVAK", ["АРВАК (Армянский аналитический центр, arvak.am)"], True),
        ("Azerbaijan Herald", ["АРВАК (arvak.am)", "Putin met Aliyev in Azerbaijan."], False),
        ("Kremlin", ["The Kremlin said talks resumed."], True),
    ],
)
def test_a_source_is_known_when_every_word_of_its_name_is(name, known, expected):
    assert is_known_source(name, known) is expected
