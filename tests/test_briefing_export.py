"""Briefing exports: the Markdown, and a DOCX that LibreOffice opens (converted to PDF
with `libreoffice --headless`) and python-docx reads back with its headings, citations
and source list. Article text stays inert in both."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import pytest
from docx import Document
from pypdf import PdfReader

from assistant.answering.answer import Asker
from assistant.briefing.draft import draft_briefing
from assistant.briefing.export import briefing_markdown, write_briefing
from assistant.prompts import BRIEFING_LABELS
from assistant.settings import Settings
from assistant.store import Store
from assistant.text.markdown import inert_markdown
from assistant.types import Briefing

TOPIC = "Who made concessions at the Dushanbe meeting in October 2025?"


@pytest.fixture(scope="module")
def briefing(corpus_store_dir, embedder) -> Briefing:
    store = Store(Settings(store={"dir": corpus_store_dir}), embedder)
    *_, b = draft_briefing(Asker.create(store.settings, store, "extractive"), TOPIC, sections=3)
    return b


def test_markdown_carries_every_part_with_footnotes(briefing):
    md = briefing_markdown(briefing)
    labels = BRIEFING_LABELS["en"]
    headings = [line for line in md.splitlines() if line.startswith("#")]
    assert headings[0] == f"# {inert_markdown(briefing.title)}"
    expected = [labels["summary"], *[s.heading for s in briefing.sections], labels["same_events"]]
    expected += [labels["timeline"], labels["sources"]]
    assert [h for h in headings if h.startswith("## ")][: len(expected)] == [
        f"## {inert_markdown(h)}" for h in expected
    ]
    for note in briefing.notes:
        assert f"[^{note.n}]: " in md  # each note defined once
        assert f"[^{note.n}]" in md.split(f"[^{note.n}]: ")[0]  # and cited before
    for source in briefing.sources:
        assert f"{source.n}. **S{source.n}**" in md


def libreoffice_text(path, tmp_path) -> str:
    """The document as LibreOffice reads it: converted to PDF, its text extracted."""
    soffice = shutil.which("libreoffice") or shutil.which("soffice")
    assert soffice, "make test installs LibreOffice (libreoffice-writer-nogui)"
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo-profile",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = PdfReader(tmp_path / f"{path.stem}.pdf")
    return " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)


def test_docx_opens_in_libreoffice_and_reads_back(briefing, tmp_path):
    path = write_briefing(briefing, tmp_path / "briefing.docx")
    text = libreoffice_text(path, tmp_path)
    labels = BRIEFING_LABELS["en"]
    for heading in ("summary", "same_events", "timeline", "sources"):
        heading = labels[heading]
        assert heading in text
    assert "Душанбе" in text  # Cyrillic survives the round trip

    doc = Document(path)
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[: len(briefing.sections) + 1] == [
        labels["summary"], *[s.heading for s in briefing.sections]
    ]  # fmt: skip
    assert labels["notes"] in headings and labels["sources"] in headings
    body = doc.element.body.xml
    for note in briefing.notes:
        assert f'w:anchor="note_{note.n}"' in body  # the text links to the note
        assert f'w:name="note_{note.n}"' in body  # which exists
    for source in briefing.sources:
        assert f'w:name="source_{source.n}"' in body
        assert f'w:anchor="source_{source.n}"' in body  # notes link on to the source list
    entries = [p.text for p in doc.paragraphs if re.match(r"S\d+\. ", p.text)]
    assert len(entries) == len(briefing.sources)
    assert all(s.meta.title in e for s, e in zip(briefing.sources, entries, strict=True))


def test_article_text_stays_inert(briefing):
    planted = briefing.model_copy(deep=True)
    planted.sections[0].lead = ["<script>alert(1)</script> [click](http://x) **bold** [1]"]
    md = briefing_markdown(planted)
    assert "<script>" not in md and "[click](http" not in md
    assert "\\<script\\>" in md and "[^1]" in md


def test_bad_file_names_write_nothing(briefing, tmp_path):
    with pytest.raises(ValueError):
        write_briefing(briefing, tmp_path / "briefing.pdf")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_the_old_file_whole(briefing, tmp_path, monkeypatch):
    target = tmp_path / "briefing.docx"
    write_briefing(briefing, target)
    before = target.read_bytes()
    assert zipfile.is_zipfile(target)

    def broken(_):
        raise OSError("disk full")

    monkeypatch.setattr("assistant.briefing.export.briefing_docx", broken)
    with pytest.raises(OSError):
        write_briefing(briefing, target)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["briefing.docx"]  # no temporary left


def test_both_exports_carry_the_translations_and_the_originals(
    corpus_store_dir, embedder, openai_fake, tmp_path
):
    """A briefing with a model (the fake, on loopback): each quote's translation in the
    body, labelled, and its original with its offsets in the note, in both formats."""
    from tests.test_briefing import _fake_model

    openai_fake.script(respond=_fake_model)
    store = Store(Settings(store={"dir": corpus_store_dir}), embedder)
    settings = store.settings.changed(
        backend="openai", openai_base_url=openai_fake.base_url,
        answer={"translation_cache": tmp_path / "t.sqlite"},
    )  # fmt: skip
    *_, b = draft_briefing(Asker.create(settings, store, "openai"), TOPIC, "en", 2)
    md = briefing_markdown(b)
    docx = libreoffice_text(write_briefing(b, tmp_path / "translated.docx"), tmp_path)
    label = BRIEFING_LABELS["en"]["machine_translation"]
    assert f"({label})" in docx and inert_markdown(f"({label})") in md
    quote = b.sections[0].quotes[0]
    note = b.notes[quote.note - 1]
    assert quote.translation and quote.translation[:40] in docx
    assert inert_markdown(quote.translation) in md
    where = BRIEFING_LABELS["en"]["characters"].format(start=note.start, end=note.end)
    original = " ".join(note.quote.split()[:6])
    assert where in docx and original in docx  # the original, at its offsets, in the note
    assert inert_markdown(where) in md and inert_markdown(note.quote) in md
