"""A Briefing as a document: Markdown (footnotes) and DOCX (numbered endnotes that link
to the source list), with the same content in the same order. The body quotes each
sentence in the briefing's language (labelled machine translation); its note gives the
original sentence and its character offsets in the article. Files are written whole
or not at all: to a temporary file first, then renamed into place."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph

from assistant import citations as cites
from assistant.atomic import write_atomically
from assistant.prompts import BRIEFING_LABELS
from assistant.text.markdown import inert_markdown
from assistant.types import Briefing, BriefingSource, Citation, SourceClaim

# -- what both formats say -----------------------------------------------------------------


def drafted_line(b: Briefing) -> str:
    backend = b.backend + (f", {b.model}" if b.model else "")
    return BRIEFING_LABELS[b.language]["drafted"].format(
        date=b.created.isoformat(), backend=backend
    )


def scope_lines(b: Briefing) -> list[str]:
    labels = BRIEFING_LABELS[b.language]
    lines = [labels["scope_text"].format(n=len(b.scope), sources="; ".join(b.scope))]
    f = b.filters
    parts = [*f.article_ids, *f.outlets, *f.langs]
    if f.date_from or f.date_to:
        parts.append(f"{f.date_from or '…'} – {f.date_to or '…'}")
    if parts:
        lines.append(labels["filters"].format(filters=", ".join(map(str, parts))))
    return lines


def note_source(b: Briefing, note: Citation) -> BriefingSource:
    return next(s for s in b.sources if s.article_id == note.article_id)


def note_text(b: Briefing, note: Citation) -> str:
    """A note as a reader sees it: source, title, date, where, and the quote."""
    labels = BRIEFING_LABELS[b.language]
    source = note_source(b, note)
    when = note.date.isoformat() if note.date else labels["undated"]
    where = labels["characters"].format(start=note.start, end=note.end)
    named = source.meta.outlet or source.meta.author  # else the title alone names it
    lead = f"{named}, “{note.title}”" if named else f"“{note.title}”"
    return f"{lead}, {when}, {where}: «{note.quote}»"


def source_text(b: Briefing, s: BriefingSource) -> str:
    """A source-list entry: title, outlet, author, date, URL when known."""
    labels = BRIEFING_LABELS[b.language]
    meta = s.meta
    parts = [f"“{meta.title}”"]
    parts += [x for x in (meta.outlet, meta.author) if x]
    parts.append(meta.published.isoformat() if meta.published else labels["undated"])
    if meta.url:
        parts.append(meta.url)
    return ", ".join(parts) + f" ({s.article_id}, {meta.lang})"


def claim_source(b: Briefing, claim: SourceClaim) -> str:
    when = claim.date.isoformat() if claim.date else BRIEFING_LABELS[b.language]["undated"]
    return f"{claim.source} ({when})"


def claim_quote(b: Briefing, claim: SourceClaim) -> str:
    """The quote as the body shows it: its translation, labelled machine translation, or
    the original in «»; the original itself is in the note."""
    if claim.translation:
        label = BRIEFING_LABELS[b.language]["machine_translation"]
        return f"“{claim.translation}” ({label})"
    return f"«{claim.quote}»"


# -- Markdown ------------------------------------------------------------------------------


def _md(text: str) -> str:
    """Text from articles or the model, inert in Markdown: no HTML, links or emphasis."""
    return inert_markdown(text)


def _md_cited(text: str) -> str:
    """Escaped text whose [n] markers become Markdown footnote references."""
    out, pos = "", 0
    for marker in cites.parse_markers(text):
        out += _md(text[pos : marker.start]) + "".join(f"[^{n}]" for n in marker.numbers)
        pos = marker.end
    return out + _md(text[pos:])


def briefing_markdown(b: Briefing) -> str:
    """The whole briefing as Markdown; notes are footnotes, sources a numbered list."""
    labels = BRIEFING_LABELS[b.language]
    out = [f"# {_md(b.title)}", "", f"*{_md(drafted_line(b))}*", ""]
    out += [f"**{labels['scope']}.** " + " ".join(_md(x) for x in scope_lines(b)), ""]
    if b.quotes_note:
        out += [f"*{_md(b.quotes_note)}*", ""]
    out += [f"## {labels['summary']}", ""] + [f"- {_md_cited(s)}" for s in b.summary] + [""]
    for section in b.sections:
        out += [f"## {_md(section.heading)}", ""]
        if section.lead:
            out += [_md_cited(" ".join(section.lead)), ""]
        out += [_md_claim(b, c) for c in section.quotes] + [""]
    if b.shared:
        out += [f"## {labels['same_events']}", "", f"*{_md(labels['same_events_note'])}*", ""]
        for point in b.shared:
            out += [f"### {_md(point.point)}", ""]
            out += [_md_claim(b, c) for c in point.claims] + [""]
    out += [f"## {labels['timeline']}", ""]
    out += [f"- **{e.when}** — {_md_claim(b, e.claim)[2:]}" for e in b.timeline] or [
        labels["no_timeline"]
    ]
    out += ["", f"## {labels['sources']}", ""]
    for s in b.sources:
        refs = ", ".join(f"[^{n}]" for n in s.notes)
        out.append(f"{s.n}. **S{s.n}** {_md(source_text(b, s))} — {refs}")
    out.append("")
    if b.warnings:
        out += [f"## {labels['checks']}", ""] + [f"- {_md(w)}" for w in b.warnings] + [""]
    out += [
        f"[^{note.n}]: {_md(note_text(b, note))} (S{note_source(b, note).n})" for note in b.notes
    ]
    return "\n".join(out) + "\n"


def _md_claim(b: Briefing, claim: SourceClaim) -> str:
    return f"- **{_md(claim_source(b, claim))}**: {_md(claim_quote(b, claim))}[^{claim.note}]"


# -- DOCX ----------------------------------------------------------------------------------


def briefing_docx(b: Briefing) -> bytes:
    """The whole briefing as a Word document: headings, cited paragraphs whose [n] are
    superscript links to numbered endnotes, and endnotes that link to the source list."""
    labels = BRIEFING_LABELS[b.language]
    doc = Document()
    doc.styles["Normal"].font.name = "DejaVu Sans"
    doc.core_properties.title = b.title
    doc.add_heading(b.title, level=0)
    doc.add_paragraph().add_run(drafted_line(b)).italic = True
    scope = doc.add_paragraph()
    scope.add_run(labels["scope"] + ". ").bold = True
    scope.add_run(" ".join(scope_lines(b)))
    if b.quotes_note:
        doc.add_paragraph().add_run(b.quotes_note).italic = True
    doc.add_heading(labels["summary"], level=1)
    for bullet in b.summary:
        _cited(doc.add_paragraph(style="List Bullet"), bullet)
    for section in b.sections:
        doc.add_heading(section.heading, level=1)
        if section.lead:
            _cited(doc.add_paragraph(), " ".join(section.lead))
        for claim in section.quotes:
            _claim(doc.add_paragraph(style="List Bullet"), b, claim)
    if b.shared:
        doc.add_heading(labels["same_events"], level=1)
        doc.add_paragraph().add_run(labels["same_events_note"]).italic = True
        for point in b.shared:
            doc.add_heading(point.point, level=2)
            for claim in point.claims:
                _claim(doc.add_paragraph(style="List Bullet"), b, claim)
    doc.add_heading(labels["timeline"], level=1)
    for event in b.timeline:
        paragraph = doc.add_paragraph(style="List Bullet")
        paragraph.add_run(f"{event.when} — ").bold = True
        _claim(paragraph, b, event.claim)
    if not b.timeline:
        doc.add_paragraph(labels["no_timeline"])
    bookmarks = iter(range(1, 100_000))
    _sources(doc, b, bookmarks)
    _notes(doc, b, bookmarks)
    if b.warnings:
        doc.add_heading(labels["checks"], level=1)
        for warning in b.warnings:
            doc.add_paragraph(warning, style="List Bullet")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _claim(paragraph: Paragraph, b: Briefing, claim: SourceClaim) -> None:
    paragraph.add_run(claim_source(b, claim) + ": ").bold = True
    paragraph.add_run(claim_quote(b, claim))
    _note_ref(paragraph, claim.note)


def _cited(paragraph: Paragraph, text: str) -> None:
    """Text whose [n] markers become superscript links to endnote n."""
    pos = 0
    for marker in cites.parse_markers(text):
        if text[pos : marker.start]:
            paragraph.add_run(text[pos : marker.start])
        for n in marker.numbers:
            _note_ref(paragraph, n)
        pos = marker.end
    if text[pos:]:
        paragraph.add_run(text[pos:])


def _note_ref(paragraph: Paragraph, n: int) -> None:
    _link(paragraph, f"[{n}]", f"note_{n}", superscript=True)


def _link(paragraph: Paragraph, text: str, anchor: str, superscript: bool = False) -> None:
    """An internal hyperlink to a bookmark of this document."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    if superscript:
        align = OxmlElement("w:vertAlign")
        align.set(qn("w:val"), "superscript")
        props.append(align)
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "1F5FAD")
    props.append(color)
    run.append(props)
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def _bookmark(paragraph: Paragraph, name: str, ids: Iterator[int]) -> None:
    number = str(next(ids))
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), number)
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), number)
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


def _sources(doc, b: Briefing, ids: Iterator[int]) -> None:
    labels = BRIEFING_LABELS[b.language]
    doc.add_heading(labels["sources"], level=1)
    for s in b.sources:
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"S{s.n}. ").bold = True  # notes link here
        paragraph.add_run(source_text(b, s))
        paragraph.add_run(" — ")
        for n in s.notes:
            _note_ref(paragraph, n)
        _bookmark(paragraph, f"source_{s.n}", ids)


def _notes(doc, b: Briefing, ids: Iterator[int]) -> None:
    """Numbered endnotes, each bookmarked (the text's [n] link here) and linking on to
    its entry in the source list."""
    doc.add_heading(BRIEFING_LABELS[b.language]["notes"], level=1)
    for note in b.notes:
        paragraph = doc.add_paragraph()
        paragraph.add_run(f"[{note.n}] ").bold = True
        paragraph.add_run(note_text(b, note) + " ").font.size = Pt(9)
        source = note_source(b, note).n
        _link(paragraph, f"(S{source})", f"source_{source}")
        _bookmark(paragraph, f"note_{note.n}", ids)


# -- files ---------------------------------------------------------------------------------


def write_briefing(b: Briefing, path: Path) -> Path:
    """Write the briefing as Markdown (.md) or DOCX (.docx), whole or not at all."""
    suffix = path.suffix.lower()
    if suffix not in (".md", ".docx"):
        raise ValueError(f"Cannot write '{path.name}': use a .md or .docx file name.")
    data = briefing_docx(b) if suffix == ".docx" else briefing_markdown(b).encode("utf-8")
    return write_atomically(path, data)
