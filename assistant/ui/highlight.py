"""Article text as safe HTML with cited spans marked. Pure.

Article text is data: every character is HTML-escaped, and the only tags in the result
are the <p> and <mark> this module writes itself.
"""

from __future__ import annotations

import html

MARK_ID = "cited"


def highlight_html(text: str, spans: list[tuple[int, int]]) -> str:
    """Paragraphs of text as <p>, with each (start, end) span wrapped in <mark>; the first
    mark gets id="cited" so the page can scroll to it. Spans are clipped to the text,
    overlapping spans are merged, and a mark never crosses a paragraph break."""
    merged = _merge([(max(0, a), min(len(text), b)) for a, b in spans if b > a])
    paragraphs, start = [], 0
    for end in [i for i in range(len(text)) if text.startswith("\n\n", i)] + [len(text)]:
        paragraphs.append((start, end))
        start = end + 2
    out, first = [], True
    for p_start, p_end in paragraphs:
        if p_start >= p_end:
            continue
        pieces, cursor = [], p_start
        for a, b in merged:
            a, b = max(a, p_start), min(b, p_end)
            if a >= b:
                continue
            pieces.append(html.escape(text[cursor:a]))
            attrs = f' id="{MARK_ID}"' if first else ""
            pieces.append(f"<mark{attrs}>{html.escape(text[a:b])}</mark>")
            cursor, first = b, False
        pieces.append(html.escape(text[cursor:p_end]))
        out.append("<p>" + "".join(pieces).replace("\n", "<br>") + "</p>")
    return "\n".join(out)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def cited_span(
    start: str | None, end: str | None, length: int
) -> tuple[tuple[int, int] | None, str]:
    """The span a citation link asks to mark in an article of `length` characters, from
    the URL's raw start and end: ((start, end), "") when it is valid, else (None, the
    reason to tell the reader). No start and no end is no span and no message."""
    if start is None and end is None:
        return None, ""
    try:
        a, b = int(start or ""), int(end or "")
    except ValueError:
        return (
            None,
            f"The link's passage ({start}–{end}) is not a pair of numbers; nothing is marked.",
        )
    if not 0 <= a < b <= length:
        return None, (
            f"The link's passage (characters {a}–{b}) is not within this article "
            f"(0–{length}); nothing is marked."
        )
    return (a, b), ""
