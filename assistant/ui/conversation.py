"""A conversation as the UI shows and exports it: citation links and Markdown. Pure."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from assistant.text.markdown import inert_markdown
from assistant.types import Answer, Citation

ARTICLE_PAGE = ""  # the app root: the article parameter opens the viewer
_MARKER = re.compile(r"\[(\d+)\]")


def citation_url(citation: Citation) -> str:
    """The article viewer's URL for a citation: shareable, and reloading it shows the
    same highlighted span (it is read from the stored offsets, not searched again)."""
    query = {"article": citation.article_id, "start": citation.start, "end": citation.end}
    return f"{ARTICLE_PAGE}?{urlencode(query)}"


def linked_answer(answer: Answer) -> str:
    """The answer as Markdown, each [n] a link to the cited passage."""
    return linked_text(answer.answer, answer.citations)


def linked_text(text: str, citations: list[Citation]) -> str:
    """Model or article text as Markdown, each [n] a link to citation n's passage
    (markers citing nothing listed are removed)."""
    by_n = {c.n: c for c in citations}

    def link(match: re.Match) -> str:
        c = by_n.get(int(match.group(1)))
        return rf"[\[{c.n}\]]({citation_url(c)})" if c else ""

    return _MARKER.sub(link, _escape_markdown_links(text))


def lead_markdown(answer: Answer) -> str:
    """The answer's lead as Markdown: its text inert, each [n] a link to its evidence."""
    if answer.lead is None:
        return ""
    number = {e.id: n for n, e in enumerate(answer.evidence, 1)}
    by_n = {c.n: c for c in answer.citations}
    parts = []
    for s in answer.lead.sentences:
        links = "".join(
            rf"[\[{n}\]]({citation_url(by_n[n])})"
            for n in (number.get(i) for i in s.evidence)
            if n in by_n
        )
        parts.append(f"{inert_markdown(s.text)} {links}")
    return " ".join(parts)


def evidence_markdown(answer: Answer, n: int, translating: str = "") -> str:
    """Evidence line n as Markdown: its [n] chip linking to the passage, the source and
    date, and the sentence in the answer's language (labelled as machine translation) or
    in the original. Everything from an article is inert."""
    e, c = answer.evidence[n - 1], next(c for c in answer.citations if c.n == n)
    when = e.date.isoformat() if e.date else "undated"
    head = rf"[\[{n}\]]({citation_url(c)}) **{inert_markdown(e.source)}**, {when}: "
    if e.translation is not None and e.translation.translated:
        return f"{head}“{inert_markdown(e.translation.text)}” *(machine translation)*"
    return f"{head}«{inert_markdown(' '.join(e.text.split()))}»{translating}"


def _escape_markdown_links(text: str) -> str:
    """Model text cannot smuggle its own links in: '](' loses its meaning."""
    return text.replace("](", "]\\(")


def conversation_markdown(answers: list[Answer]) -> str:
    """The whole conversation, with each answer's sources, as a Markdown document. Every
    piece of text from a user, an article or a model is inert (a title cannot become an
    image that calls out, nor an answer a link)."""
    md = inert_markdown
    parts = ["# Research conversation", ""]
    for a in answers:
        parts += [f"## {md(a.question)}", "", md(a.answer), ""]
        for c in a.citations:
            when = c.date.isoformat() if c.date else "undated"
            source = md(c.outlet or c.title)
            where = f"{md(c.article_id)}, characters {c.start}–{c.end}"
            parts.append(f"\\[{c.n}\\] {source}, {when} ({where}): «{md(c.quote)}»")
            if c.translated:
                parts.append(f"    machine translation: “{md(c.translation)}”")
        if a.citations:
            parts.append("")
        if a.warnings:
            parts += [f"> note: {md(w)}" for w in a.warnings] + [""]
    return "\n".join(parts)
