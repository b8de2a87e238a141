"""File -> raw text, with encoding repair. Each format goes through a well-kept library."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

SUPPORTED = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")


class LoadError(Exception):
    """The file cannot become an article; the message says why, in one line."""


@dataclass
class LoadedText:
    """Raw text of a file, plus metadata the file format itself carries."""

    text: str
    hints: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def read_file(path: Path, max_bytes: int) -> bytes:
    """The bytes of a file the loaders can take. Raises LoadError with a one-line reason."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise LoadError(f"unsupported file type '{suffix or '(none)'}'")
    size = path.stat().st_size
    if size == 0:
        raise LoadError("empty file")
    if size > max_bytes:
        raise LoadError(f"too large ({size / 2**20:.1f} MB > {max_bytes / 2**20:.0f} MB limit)")
    return path.read_bytes()


def parse_bytes(data: bytes, suffix: str) -> LoadedText:
    """Raw text of a file's bytes, by its (supported) suffix. Raises LoadError."""
    loaded = _LOADERS[suffix.lower()](data)
    if not loaded.text.strip():
        raise LoadError("no text found")
    return loaded


def load_file(path: Path, max_bytes: int) -> LoadedText:
    """Read a supported file into raw text. Raises LoadError with a one-line reason."""
    return parse_bytes(read_file(path, max_bytes), path.suffix)


def decode_text(data: bytes) -> LoadedText:
    """Bytes of a text file -> str, repairing legacy Cyrillic encodings and UTF-16."""
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return LoadedText(_checked_text(data.decode(codec, errors="replace")))
    if b"\x00" in data[:8192]:
        if (codec := _utf16_without_bom(data)) is None:
            raise LoadError("binary file (contains NUL bytes)")
        return LoadedText(
            _checked_text(data.decode(codec, errors="replace")), [f"decoded as {codec}"]
        )
    try:
        return LoadedText(_checked_text(data.decode("utf-8")))
    except UnicodeDecodeError:
        pass
    lossy = data.decode("utf-8", errors="replace")
    bad = lossy.count("\ufffd")
    # Damaged UTF-8 still has valid multi-byte characters; a legacy 8-bit encoding
    # (cp1251 with only a few «» in ASCII text) has none, and goes to detection.
    has_utf8 = any(ord(c) > 127 and c != "\ufffd" for c in lossy)
    if has_utf8 and bad <= max(3, len(lossy) // 1000):
        # Mostly UTF-8 with a few broken bytes: keep the text, mark the damage.
        return LoadedText(_checked_text(lossy), notes=[f"{bad} invalid byte(s) replaced with �"])
    if cyrillic := _cyrillic_8bit(data):
        text, codec = cyrillic  # named as charset_normalizer names it below
        return LoadedText(_checked_text(text), notes=[f"decoded as {codec.replace('-', '_')}"])
    best = from_bytes(data, cp_isolation=None).best()
    if best is None:
        raise LoadError("not text: no encoding fits the bytes")
    return LoadedText(_checked_text(str(best)), notes=[f"decoded as {best.encoding}"])


# The 8-bit code pages Russian and Ukrainian text comes in, in order of preference when two
# decode the bytes alike (Russian text reads the same in koi8-r and koi8-u).
CYRILLIC_CODEPAGES = ("cp1251", "koi8-r", "koi8-u", "mac_cyrillic")
_CYRILLIC_LOWER = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ")
_CYRILLIC_UPPER = frozenset(c.upper() for c in _CYRILLIC_LOWER)
_TYPOGRAPHY = frozenset("«»—–…№“”„‘’•·°€\u00a0")
# In the right code page nearly every non-ASCII character of a Russian or Ukrainian text is
# one of its letters or its typography; a wrong one yields case flips, Serbian letters or
# box drawing. Below this share the bytes are not taken for 8-bit Cyrillic; nor are they
# when Cyrillic letters are under half of all letters (German or French in cp1252 would
# read as Latin words with a few Cyrillic letters inside).
CYRILLIC_SHARE = 0.8


def _cyrillic_8bit(data: bytes) -> tuple[str, str] | None:
    """(text, code page) when the bytes read as Russian or Ukrainian in one of
    CYRILLIC_CODEPAGES, else None. Detectors guess short texts wrong (357 bytes of KOI8-R
    came out as shift_jis_2004); here each code page is scored by how Cyrillic the text
    it gives looks: lower-case letters, capitals that start a word (not one inside a
    lower-case word, the mark of a case-flipped KOI8/CP1251 mix-up), and nothing else."""
    best: tuple[float, int, str, str] | None = None
    for rank, codec in enumerate(CYRILLIC_CODEPAGES):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score, letters, high, prev = 0, 0, 0, " "
        for c in text:
            if ord(c) > 127:
                high += 1
                if c in _CYRILLIC_LOWER or (c in _CYRILLIC_UPPER and prev not in _CYRILLIC_LOWER):
                    score, letters = score + 1, letters + 1
                elif c in _CYRILLIC_UPPER:
                    score -= 1
                elif c not in _TYPOGRAPHY:
                    score -= 2
            prev = c
        alphabetic = sum(c.isalpha() for c in text)
        cyrillic = high and letters >= CYRILLIC_SHARE * high and letters >= 0.5 * alphabetic
        if cyrillic and (best is None or (score, -rank) > best[:2]):
            best = (score, -rank, codec, text)
    return (best[3], best[2]) if best else None


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the NUL bytes fall (nearly) all on odd or all on
    even offsets, as the high bytes of Latin and space characters do; else None."""
    sample = data[:8192]
    odd = sum(1 for i in range(1, len(sample), 2) if sample[i] == 0)
    even = sum(1 for i in range(0, len(sample), 2) if sample[i] == 0)
    if len(data) % 2 or odd + even == 0:
        return None
    if odd >= 0.95 * (odd + even):
        return "utf-16-le"
    if even >= 0.95 * (odd + even):
        return "utf-16-be"
    return None


# A plain-text export that opens with a metadata field ("date 2025-10-17 Зустріч…"): the
# field is the file's metadata, not the article's first words.
_LEADING_DATE_FIELD = re.compile(
    r"\A\s*(?:date|published|дата)\s*[:\-–]?\s*"
    r"(\d{4}-\d{2}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4})(?!\S)[ \t]*\n?",
    re.IGNORECASE,
)


def _load_plain(data: bytes) -> LoadedText:
    """A .txt or .md file: its decoded text, a leading date field lifted into the hints."""
    loaded = decode_text(data)
    if match := _LEADING_DATE_FIELD.match(loaded.text):
        loaded.hints["date"] = match.group(1)
        loaded.text = loaded.text[match.end() :]
    return loaded


def _checked_text(text: str) -> str:
    """Reject decoded 'text' that is mostly control or unassigned characters."""
    sample = text[:20000]
    junk = sum(
        1 for c in sample if unicodedata.category(c) in ("Cc", "Cn", "Co") and c not in "\n\r\t\f"
    )
    if sample and junk / len(sample) > 0.02:
        raise LoadError("binary file (not readable as text)")
    return text


def _load_html(data: bytes) -> LoadedText:
    import trafilatura
    from trafilatura.settings import set_date_params

    html = decode_text(data).text
    # No extensive date search: it turns a footer's "© 2025" into a published date of 2025-01-01.
    doc = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        date_extraction_params=set_date_params(extensive=False),
    )
    if doc is None or not (doc.text or "").strip():
        raise LoadError("HTML without extractable main text")
    hints = {
        k: str(getattr(doc, k))
        for k in ("title", "author", "date", "url", "sitename")
        if getattr(doc, k, None)
    }
    return LoadedText(doc.text, hints=hints)


def _load_pdf(data: bytes) -> LoadedText:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata or {}
    except (PyPdfError, ValueError, KeyError) as exc:  # PyPdfError: also LimitReachedError
        raise LoadError(f"unreadable PDF ({exc})") from exc
    hints = {
        k: str(info[f"/{k.title()}"]) for k in ("title", "author") if info.get(f"/{k.title()}")
    }
    return LoadedText("\n\n".join(pages), hints=hints)


def _load_docx(data: bytes) -> LoadedText:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, ValueError, KeyError) as exc:
        raise LoadError(f"unreadable DOCX ({exc})") from exc
    props = document.core_properties
    hints = {k: v for k, v in (("title", props.title), ("author", props.author)) if v}
    return LoadedText("\n\n".join(p.text for p in document.paragraphs), hints=hints)


_LOADERS = {
    ".txt": _load_plain,
    ".md": _load_plain,
    ".html": _load_html,
    ".htm": _load_html,
    ".pdf": _load_pdf,
    ".docx": _load_docx,
}
