"""Cleaning: raw text -> canonical text, on synthetic cases and on the sample articles."""

from __future__ import annotations

import pytest

from ingest.clean import canonicalize, drop_page_furniture, is_boilerplate, join_hard_wraps
from tests.conftest import CORPUS


def sample(stem: str) -> str:
    return canonicalize(next(CORPUS.glob(f"{stem}*.txt")).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Paylaş", True),
        ("Эта статья также доступна на этих языках: Türkçe English", True),
        ("Похожие материалы", True),
        ("Свежие комментарии", True),
        ("По этой ссылке статья откроется без VPN", True),
        ("Türkçe English", True),
        ("Похожие материалы были опубликованы ранее в газете.", False),
        ("Путин поделился мнением.", False),
        ("", False),
    ],
)
def test_boilerplate_lines(line, expected):
    assert is_boilerplate(line) is expected


@pytest.mark.parametrize(
    "lines, kept",
    [
        (["текст", "АРВАК | АРМЯНСКИЙ АНАЛИТИЧЕСКИЙ ЦЕНТР | arvak.am 2", "ещё"], ["текст", "ещё"]),
        (["текст", "17", "ещё"], ["текст", "ещё"]),
        (["Page 1 of 3", "a", "Page 2 of 3", "b", "Page 3 of 3"], ["a", "b"]),
        (["Итоги 2024 года", "текст"], ["Итоги 2024 года", "текст"]),
        (["a | b | c", "текст"], ["a | b | c", "текст"]),
    ],
)
def test_page_furniture(lines, kept):
    assert drop_page_furniture(lines) == kept


@pytest.mark.parametrize(
    "lines, paragraphs",
    [
        (["переговоры с", "", "президентом И. Алиевым."], ["переговоры с президентом И. Алиевым."]),
        (["Конец фразы.", "", "Новый абзац"], ["Конец фразы.", "Новый абзац"]),
        (["в армяно-", "", "азербайджанских"], ["в армяно-азербайджанских"]),
        (
            ["Заголовок, 23.04.2024", "", "", "22.04.2024 текст"],
            ["Заголовок, 23.04.2024", "22.04.2024 текст"],
        ),
        (
            ["страница кончилась на", "", "", "", "середине фразы"],
            ["страница кончилась на середине фразы"],
        ),
    ],
)
def test_join_hard_wraps(lines, paragraphs):
    assert join_hard_wraps(lines) == paragraphs


def test_pdf_article_is_rejoined_and_loses_its_page_banner():
    text = sample("000")
    assert "закрытые переговоры с президентом АзР И. Алиевым, после чего" in text
    assert "arvak.am" not in text and "АРМЯНСКИЙ АНАЛИТИЧЕСКИЙ ЦЕНТР" not in text
    # the page break in the middle of a sentence is joined too
    assert "для компенсации ощутимой" in text
    paragraphs = text.split("\n\n")
    assert paragraphs[0] == "Что могли обсуждать Путин с Алиевым?"
    assert 8 <= len(paragraphs) <= 20
    assert all("\n" not in p for p in paragraphs)


@pytest.mark.parametrize(
    "stem, gone",
    [
        ("001", ["Paylaş", "Похожие материалы", "доступна на этих языках"]),
        ("003", ["без VPN"]),
        ("004", ["Свежие комментарии"]),
    ],
)
def test_site_boilerplate_is_dropped(stem, gone):
    text = sample(stem)
    for phrase in gone:
        assert phrase not in text


def test_endnotes_stay_in_the_article():
    text = sample("001")
    for marker in ["[i]", "[ii]", "[iii]", "[iv]", "[v]", "[vi]"]:
        assert f"\n\n{marker} " in text
    assert "https://tass.ru/politika/26005539" in text


def test_paragraphs_are_kept_and_glued_headings_split():
    text = sample("004")
    assert "\n\nАлиев пытался сохранить лицо Баку\n\nПосле душанбинской встречи" in text
    assert text.count("\n\n") > 15


def test_canonical_text_is_stable():
    raw = next(CORPUS.glob("000*.txt")).read_text(encoding="utf-8")
    assert canonicalize(raw) == canonicalize(raw)
    assert canonicalize(canonicalize(raw)) == canonicalize(raw)


def test_windows_newlines_and_unicode_normalisation():
    # "й" written as "и" + combining breve becomes the single NFC character
    assert canonicalize("Мои\u0306 текст\r\n\r\nмир\rвторой") == "Мой текст\n\nмир\n\nвторой"
