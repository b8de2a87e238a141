"""Metadata: extraction from the canonical text, language ID, sidecar overrides."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.text.languages import detect_language
from assistant.types import ArticleMeta
from ingest.clean import canonicalize
from ingest.metadata import (
    apply_sidecar,
    extract_author,
    extract_date,
    extract_meta,
    extract_references,
    extract_title,
    load_sidecar,
)
from tests.conftest import CORPUS


def sample_meta(stem: str):
    raw = next(CORPUS.glob(f"{stem}*.txt")).read_text(encoding="utf-8")
    return extract_meta(canonicalize(raw), raw)


@pytest.mark.parametrize(
    "head, expected",
    [
        ("date 2025-10-17 Зустріч Ільхама Алієва", date(2025, 10, 17)),
        ("Комментарий Центра АРВАК, 23.04.2024", date(2024, 4, 23)),
        ("Опубликовано 3.7.2025 в 10:00", date(2025, 7, 3)),
        ("31.02.2024 и затем 01.03.2024", date(2024, 3, 1)),
        ("Без даты", None),
    ],
)
def test_dates(head, expected):
    assert extract_date(head) == expected


@pytest.mark.parametrize(
    "paragraphs, expected",
    [
        (
            ["Анализ", "Российско-Азербайджанские Отношения в Тисках", "Текст."],
            "Российско-Азербайджанские Отношения в Тисках",
        ),
        (
            ["Что могли обсуждать Путин с Алиевым?", "Текст."],
            "Что могли обсуждать Путин с Алиевым?",
        ),
        (["date 2025-10-17 Зустріч лідерів відбулася. Далі текст."], "Зустріч лідерів відбулася."),
    ],
)
def test_titles(paragraphs, expected):
    assert extract_title(paragraphs) == expected


@pytest.mark.parametrize(
    "paragraphs, expected",
    [
        (["Текст.", "Ergün MAMEDOV", "Биография."], "Ergün Mamedov"),
        (["Автор: Иван Петров", "Текст."], "Иван Петров"),
        (["Просто текст без подписи."], None),
    ],
)
def test_authors(paragraphs, expected):
    assert extract_author(paragraphs) == expected


def test_ukrainian_article_is_never_labelled_russian():
    assert sample_meta("002").lang == "uk"


@pytest.mark.parametrize("stem", ["000", "001", "003", "004"])
def test_russian_articles(stem):
    assert sample_meta(stem).lang == "ru"


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Що, за словами Путіна, буде з усіма причетними до катастрофи літака?", "uk"),
        ("Чому Москва прагне доступу до портів Ірану?", "uk"),
        ("Какая российская система ПВО стала причиной катастрофы самолета?", "ru"),
        ("Which Russian media agency did Azerbaijan suspend?", "en"),
    ],
)
def test_question_languages(text, lang):
    assert detect_language(text) == lang


def test_sample_metadata_from_text():
    arvak = sample_meta("000")
    assert arvak.title == "Что могли обсуждать Путин с Алиевым?"
    assert arvak.published == date(2024, 4, 23)
    assert arvak.outlet == "arvak.am"
    analysis = sample_meta("001")
    assert analysis.title.startswith("Российско-Азербайджанские Отношения")
    assert analysis.author == "Ergün Mamedov"
    assert analysis.published is None  # "Дата обращения" of endnotes is not a publication date
    assert sample_meta("002").published == date(2025, 10, 17)


def test_endnote_urls_become_references():
    refs = sample_meta("001").references
    assert [r.marker for r in refs] == ["i", "ii", "iii", "iv", "v", "vi"]
    assert refs[1].url == "https://tass.ru/politika/26005539"
    assert all(r.url and r.url.startswith("https://") for r in refs)
    assert extract_references(["[1] Без ссылки"])[0].url is None


def test_sidecar_overrides_extraction():
    sidecar = load_sidecar(CORPUS)
    meta = apply_sidecar(sample_meta("000"), sidecar["000_c09443d3c3e06269"])
    assert meta.outlet.startswith("АРВАК")
    assert meta.published == date(2024, 4, 23)
    assert meta.lang == "ru"  # fields the sidecar does not give stay extracted


def test_sidecar_rejects_unknown_fields(tmp_path):
    (tmp_path / "sources.toml").write_text('["a"]\nbias = "pro-Kremlin"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="unknown fields"):
        load_sidecar(tmp_path)


@pytest.mark.parametrize(
    "meta, label",
    [
        (ArticleMeta(title="Т", outlet="АРВАК", author="А. Б.", lang="ru"), "АРВАК"),
        (ArticleMeta(title="Т", author="Ergün Mamedov", lang="ru"), "Ergün Mamedov"),
        # a title names the source only in quotation marks, never as if it were an outlet
        (ArticleMeta(title="Новый этап в отношениях", lang="ru"), "“Новый этап в отношениях”"),
        (ArticleMeta(title="слово " * 20, lang="ru"), "“" + ("слово " * 9).strip() + "…”"),
    ],
)
def test_source_label(meta, label):
    assert meta.source_label == label
