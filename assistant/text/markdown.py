"""Text from articles, users and models shown inside Markdown, rendered as itself."""

from __future__ import annotations

import re

# Every character Streamlit's Markdown (GFM, KaTeX) gives a meaning to: emphasis, links
# and images, headings, lists, tables, HTML, strikethrough ~, math $, and the ':' '@' '.'
# that bare URLs, e-mail addresses and www. names need to become live links.
MARKDOWN_SPECIAL = "\\`*_{}[]()#+-.!|<>~$:@"


# Streamlit's Markdown links bare URLs, www. names and e-mail addresses even when their
# punctuation is escaped: a zero-width space (invisible) keeps them apart.
_ZWSP = "\u200b"
_AUTOLINKED = re.compile(r"://|(?i:\bwww)\.|@")


def inert_markdown(text: str) -> str:
    """Text shown inside Markdown, with its markup characters neutralised: it renders as
    itself, never as a link, an image, HTML or math."""
    text = _AUTOLINKED.sub(lambda m: m.group()[:-1] + _ZWSP + m.group()[-1] if m.group() != "://"
                           else ":" + _ZWSP + "//", text)  # fmt: skip
    return "".join("\\" + ch if ch in MARKDOWN_SPECIAL else ch for ch in text)
