"""File -> raw text, against the real libraries: charset-normalizer, trafilatura, pypdf and
python-docx. Every fixture is built here in tmp_path; nothing binary is committed."""

from __future__ import annotations

import io
import logging
import random
import zipfile

import docx
import pytest

from ingest.loaders import LoadError, decode_text, load_file, parse_bytes, read_file
from tests.conftest import CORPUS

ARTICLES = {
    "ru": CORPUS / "000_c09443d3c3e06269.txt",
    "uk": CORPUS / "002_811401800cfb28a0.txt",
}
MB = 2**20


def article_text(lang: str) -> str:
    return ARTICLES[lang].read_text(encoding="utf-8")


def minimal_pdf(lines: list[str], title: str = "", author: str = "") -> bytes:
    """A valid one-page PDF (standard Helvetica, ASCII text) with a correct xref table."""

    def literal(s: str) -> str:
        return "(" + s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"

    ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
    ops += [f"{literal(line)} Tj T*" for line in lines]
    ops.append("ET")
    content = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        f"<< /Title {literal(title)} /Author {literal(author)} >>".encode("latin-1"),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (len(objects) + 1, len(objects))
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


# --- encoding repair ---------------------------------------------------------------------

ENCODINGS = {
    # name -> (text -> bytes); koi8-r lacks «, –, і, ї, є, ... so those become "?".
    "cp1251": lambda text: text.encode("cp1251", errors="replace"),
    "koi8-r": lambda text: text.encode("koi8-r", errors="replace"),
    "utf-16-le-bom": lambda text: text.encode("utf-16"),  # Python writes the BOM (LE here)
    "utf-16-be-bom": lambda text: b"\xfe\xff" + text.encode("utf-16-be"),
    "utf-8-bom": lambda text: text.encode("utf-8-sig"),
}


def expected_text(text: str, encoding: str) -> str:
    """What a perfect decoder recovers: the re-encoded bytes read back with the right codec."""
    codec = {"utf-16-le-bom": "utf-16", "utf-16-be-bom": "utf-16", "utf-8-bom": "utf-8"}.get(
        encoding, encoding
    )
    return ENCODINGS[encoding](text).decode(codec).removeprefix("\ufeff")


# The Ukrainian sample opens with a date field, which loading lifts into the hints
# (test_a_leading_date_field_is_metadata_not_text).
DATE_FIELD = " date 2025-10-17 "


def as_loaded(text: str) -> str:
    return text.removeprefix(DATE_FIELD)


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("lang", ARTICLES)
def test_decode_text_repairs_the_encoding(lang, encoding):
    data = ENCODINGS[encoding](article_text(lang))
    assert decode_text(data).text == expected_text(article_text(lang), encoding)


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("lang", ARTICLES)
def test_load_file_repairs_the_encoding(tmp_path, lang, encoding):
    path = tmp_path / f"article-{encoding}.txt"
    path.write_bytes(ENCODINGS[encoding](article_text(lang)))
    assert load_file(path, 20 * MB).text == as_loaded(expected_text(article_text(lang), encoding))


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r"])
def test_a_legacy_encoding_is_named_in_the_notes(encoding):
    notes = decode_text(ENCODINGS[encoding](article_text("ru"))).notes
    assert notes == [f"decoded as {encoding.replace('-', '_')}"]


def test_koi8r_fixture_really_lost_characters():
    """Guards the koi8-r case above: the expected text is not simply the original."""
    assert "?" in expected_text(article_text("uk"), "koi8-r")
    assert expected_text(article_text("uk"), "koi8-r") != article_text("uk")


def test_utf8_loads_without_notes(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(article_text("uk"), encoding="utf-8")
    loaded = load_file(path, 20 * MB)
    assert article_text("uk").startswith(DATE_FIELD)
    assert loaded.text == as_loaded(article_text("uk"))
    assert loaded.notes == [] and loaded.hints == {"date": "2025-10-17"}


def test_a_few_invalid_bytes_are_replaced_and_noted(tmp_path):
    text = article_text("ru")
    cuts = [len(text) // 4, len(text) // 2, 3 * len(text) // 4]
    parts = [text[: cuts[0]], text[cuts[0] : cuts[1]], text[cuts[1] : cuts[2]], text[cuts[2] :]]
    path = tmp_path / "damaged.txt"
    data = b"\xff".join(part.encode() for part in parts[:3]) + b"\x80" + parts[3].encode()
    path.write_bytes(data)
    loaded = load_file(path, 20 * MB)
    assert loaded.text == "\ufffd".join(parts)
    assert loaded.notes == ["3 invalid byte(s) replaced with \ufffd"]


# --- formats ------------------------------------------------------------------------------


def test_txt_and_md_keep_the_text_as_written(tmp_path):
    md = "# Встреча в Душанбе\n\n**Итоги** переговоров: *стороны* договорились.\n\n- пункт один\n"
    (tmp_path / "note.md").write_text(md, encoding="utf-8")
    (tmp_path / "note.txt").write_text("Проста українська нотатка.\n", encoding="utf-8")
    assert load_file(tmp_path / "note.md", MB).text == md
    assert load_file(tmp_path / "note.txt", MB).text == "Проста українська нотатка.\n"


@pytest.mark.parametrize(
    "raw, text, date",
    [
        (" date 2025-10-17 Зустріч лідерів.\n", "Зустріч лідерів.\n", "2025-10-17"),
        ("Date: 23.04.2024\nКомментарий центра.", "Комментарий центра.", "23.04.2024"),
        ("дата 2025-07-03\n\nТекст.", "\nТекст.", "2025-07-03"),
        # not a leading field: the text stays as written
        ("Зустріч date 2025-10-17 лідерів.", "Зустріч date 2025-10-17 лідерів.", None),
        ("Dated 2025-10-17 text.", "Dated 2025-10-17 text.", None),
        ("date 2025-10-17x text.", "date 2025-10-17x text.", None),
    ],
)
def test_a_leading_date_field_is_metadata_not_text(tmp_path, raw, text, date):
    (tmp_path / "a.txt").write_text(raw, encoding="utf-8")
    loaded = load_file(tmp_path / "a.txt", MB)
    assert loaded.text == text
    assert loaded.hints.get("date") == date


PARAGRAPHS = [
    "Встреча президентов в Душанбе была посвящена вопросам региональной безопасности "
    "и экономического сотрудничества между двумя странами.",
    "Эксперты отмечают, что переговоры прошли в конструктивной атмосфере, а стороны "
    "договорились продолжить диалог на уровне министров иностранных дел.",
    "По мнению аналитиков, эта встреча может изменить баланс сил на Южном Кавказе "
    "в ближайшие годы, хотя многое зависит от позиции третьих стран.",
]
NAV = ["Главная страница портала", "Раздел политики и экономики", "Контакты редакции"]
FOOTER = "© 2025 Новостной портал Пример. Все права защищены. Подписывайтесь на рассылку."


def article_page(charset: str = "utf-8") -> str:
    links = "".join(f'<li><a href="/s{i}">{label}</a></li>' for i, label in enumerate(NAV))
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        f'<!DOCTYPE html><html lang="ru"><head><meta charset="{charset}">'
        "<title>Встреча в Душанбе</title></head><body>"
        '<header><div class="logo">Новостной портал Пример</div></header>'
        f"<nav><ul>{links}</ul></nav>"
        f"<main><article><h1>Встреча в Душанбе</h1>{body}</article></main>"
        f"<footer><p>{FOOTER}</p></footer></body></html>"
    )


@pytest.mark.parametrize("charset", ["utf-8", "windows-1251"])
def test_html_keeps_the_article_and_drops_the_boilerplate(tmp_path, charset):
    path = tmp_path / "page.html"
    path.write_bytes(article_page(charset).encode("cp1251" if charset != "utf-8" else "utf-8"))
    loaded = load_file(path, MB)
    for paragraph in PARAGRAPHS:
        assert paragraph in loaded.text
    for chrome in [*NAV, FOOTER, "Новостной портал Пример"]:
        assert chrome not in loaded.text
    assert loaded.hints["title"] == "Встреча в Душанбе"


def test_html_footer_copyright_year_is_not_a_publication_date():
    """trafilatura's extensive date search read "© 2025" as published 2025-01-01."""
    assert "date" not in parse_bytes(article_page().encode(), ".html").hints


def test_html_publication_date_from_metadata_is_kept():
    page = article_page().replace(
        "<title>", '<meta property="article:published_time" content="2024-04-23T10:00"><title>'
    )
    assert parse_bytes(page.encode(), ".html").hints["date"] == "2024-04-23"


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<html><body><div><p>", "HTML without extractable main text"),
        (
            "<html><head><style>p{color:red}</style><script>var x = 1;</script></head>"
            "<body><img src='a.png'></body></html>",
            "HTML without extractable main text",
        ),
    ],
    ids=["unclosed-empty", "scripts-only"],
)
def test_html_without_main_text_is_refused(html, reason):
    with pytest.raises(LoadError, match=reason):
        parse_bytes(html.encode(), ".html")


def test_broken_html_with_text_still_loads():
    html = "<html><body><div><p>" + PARAGRAPHS[0] + "<div><span>" + PARAGRAPHS[1]
    text = parse_bytes(html.encode(), ".html").text
    assert PARAGRAPHS[0] in text and PARAGRAPHS[1] in text


PDF_LINES = [
    "The meeting in Dushanbe took place on 9 October 2025.",
    "Both presidents discussed (regional) security and trade.",
]


def test_pdf_text_and_metadata(tmp_path, caplog):
    path = tmp_path / "notes.pdf"
    path.write_bytes(minimal_pdf(PDF_LINES, title="Meeting Notes", author="Jane Doe"))
    with caplog.at_level(logging.WARNING, logger="pypdf"):
        loaded = load_file(path, MB)
    assert not caplog.records, "pypdf had to repair the hand-made PDF"
    assert loaded.text.split("\n")[:2] == PDF_LINES
    assert loaded.hints == {"title": "Meeting Notes", "author": "Jane Doe"}


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.4\n" + b"x" * 200, "unreadable PDF"),
        (minimal_pdf(PDF_LINES)[:150], "unreadable PDF"),
        # A declared xref size beyond the file raised pypdf's LimitReachedError, which
        # escaped the loader and stopped a whole ingest run.
        (minimal_pdf(PDF_LINES).replace(b"xref\n0 7\n", b"xref\n0 9999999\n"), "Declared size"),
    ],
    ids=["garbage", "truncated", "bogus-xref-size"],
)
def test_broken_pdf_is_a_load_error(data, reason):
    with pytest.raises(LoadError, match=reason):
        parse_bytes(data, ".pdf")


def test_pdf_without_text_is_refused():
    with pytest.raises(LoadError, match="no text found"):
        parse_bytes(minimal_pdf([]), ".pdf")


def test_docx_paragraphs_and_core_properties(tmp_path):
    document = docx.Document()
    document.core_properties.title = "Зустріч у Душанбе"
    document.core_properties.author = "Олена Коваленко"
    paragraphs = [
        "Перший абзац про зустріч президентів.",
        "Второй абзац, по-русски: итоги встречи.",
    ]
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    path = tmp_path / "brief.docx"
    document.save(path)
    loaded = load_file(path, MB)
    assert loaded.text == "\n\n".join(paragraphs)
    assert loaded.hints == {"title": "Зустріч у Душанбе", "author": "Олена Коваленко"}


def zip_without_docx_parts() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data",
    [b"not a docx at all", b"PK\x03\x04" + b"\x00" * 64, zip_without_docx_parts()],
    ids=["text", "truncated-zip", "zip-without-parts"],
)
def test_broken_docx_is_a_load_error(data):
    # Non-zip bytes raised zipfile.BadZipFile, which escaped the loader and the pipeline.
    with pytest.raises(LoadError, match="unreadable DOCX"):
        parse_bytes(data, ".docx")


# --- refusals before parsing ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("data.xyz", b"text", "unsupported file type '.xyz'"),
        ("README", b"text", "unsupported file type '(none)'"),
        ("empty.txt", b"", "empty file"),
    ],
)
def test_read_file_refuses(tmp_path, name, content, reason):
    (tmp_path / name).write_bytes(content)
    with pytest.raises(LoadError) as caught:
        read_file(tmp_path / name, MB)
    assert str(caught.value) == reason


def test_read_file_refuses_a_large_file_by_its_size(tmp_path):
    path = tmp_path / "big.txt"
    with path.open("wb") as f:
        f.truncate(3 * MB)  # sparse: the size alone must decide
    with pytest.raises(LoadError, match=r"^too large \(3\.0 MB > 2 MB limit\)$"):
        read_file(path, 2 * MB)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "contains NUL bytes"),
        (bytes(range(1, 32)) * 100, "not readable as text"),
        (b"   \n\n\t  \n", "no text found"),
    ],
    ids=["png", "control-chars", "whitespace"],
)
def test_non_text_is_refused(data, reason):
    with pytest.raises(LoadError, match=reason):
        parse_bytes(data, ".txt")


def test_random_bytes_are_not_text():
    rng = random.Random(0)
    data = bytes(rng.randrange(1, 256) for _ in range(4096))
    with pytest.raises(LoadError, match="not text: no encoding fits the bytes"):
        decode_text(data)


def test_cp1251_text_with_only_a_few_non_ascii_characters():
    text = "Report on the summit: \u00abno concessions\u00bb, said the press office.\n"
    assert decode_text(text.encode("cp1251")).text == text


# Short texts (at most 400 bytes), where detectors guess wrong: each in each code page it
# can be written in, decoded back exactly.
SHORT = {
    "ru": 'Путин признал, что российская ПВО сбила самолёт "Азербайджанских авиалиний". '
    "Встреча прошла 9 октября в Душанбе, Алиев принял извинения.",
    "uk": "Путін визнав, що російська ППО збила літак. Зустріч відбулася 9 жовтня в Душанбе; "
    "Алієв її прийняв, ґрунтовно обміркувавши їхню позицію. Є питання.",
}
SHORT_ENCODINGS = {
    "ru": ["cp1251", "koi8-r", "koi8-u", "mac_cyrillic", "utf-16", "utf-8", "utf-8-sig"],
    "uk": ["cp1251", "koi8-u", "mac_cyrillic", "utf-16", "utf-8", "utf-8-sig"],
}


@pytest.mark.parametrize(
    "lang, encoding", [(lang, e) for lang, codecs in SHORT_ENCODINGS.items() for e in codecs]
)
@pytest.mark.parametrize("length", [60, 150, 400])
def test_short_cyrillic_texts_decode_right(lang, encoding, length):
    text = SHORT[lang]
    while len(text.encode(encoding)) > length:  # whole characters, at most `length` bytes
        text = text[:-1]
    assert decode_text(text.encode(encoding)).text == text


def test_a_short_koi8r_file_is_not_taken_for_a_cjk_encoding():
    data = SHORT["ru"].encode("koi8-r")
    assert len(data) < 400
    loaded = decode_text(data)
    assert loaded.text == SHORT["ru"] and loaded.notes == ["decoded as koi8_r"]


def test_utf16_without_a_bom_is_read():
    assert decode_text(SHORT["uk"].encode("utf-16-le")).text == SHORT["uk"]


def test_western_european_bytes_are_not_taken_for_cyrillic():
    text = "Die Straße für Übergänge wurde geöffnet, sagte der Bürgermeister später."
    assert decode_text(text.encode("cp1252")).text == text
