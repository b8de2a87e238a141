"""One section of a briefing: written by the model from its group of passages (every [n]
validated, every sentence checked by the pipeline of assistant/checks.py), or quoted."""

from __future__ import annotations

import re
from collections.abc import Iterator

from assistant import checks
from assistant import citations as cites
from assistant.answering.answer import Asker
from assistant.answering.excerpts import numbered_passages, window
from assistant.briefing.material import (
    SECTION_PASSAGES,
    SECTION_SENTENCES,
    SECTION_TOKENS,
    Draft,
    Sentence,
    Writing,
    according_to,
    best_sentences,
)
from assistant.prompts import (
    LANGUAGE_NAMES,
    SECTION_EXAMPLES,
    SECTION_SYSTEM,
    SECTION_USER,
)
from assistant.text.languages import detect_language
from assistant.types import (
    BriefingSection,
    Excerpt,
    Message,
    Written,
)

# A passage header the model echoed ("АРВАК | 2024-04-23 | ru"), not a sentence of its own.
_ECHOED_HEADER = re.compile(r"\|\s*(?:\d{4}-\d{2}-\d{2}|undated)\s*\|\s*[a-z]{2}\b")
_HEADING = re.compile(r"^\W*(?:heading|заголовок)\s*:\s*(.+)$", re.I)


def quoted_section(draft: Draft, material, group, heading: str) -> BriefingSection:
    """The extractive section: the group's best sentences, quoted, grouped by source."""
    chosen = best_sentences(draft, material, group, SECTION_SENTENCES)
    by_source: dict[str, list[Sentence]] = {}
    for s in chosen:
        draft.used.add(s.key)
        by_source.setdefault(s.passage.article_id, []).append(s)
    paragraphs = []
    for sentences in by_source.values():
        quotes = " ".join(
            f"«{s.text}» [{draft.note(s.passage, s.start, s.end, s.text)}]" for s in sentences
        )
        paragraphs.append(f"{according_to(draft, sentences[0].passage.meta)}: {quotes}")
    points = [
        f"{according_to(draft, s.passage.meta)}: «{s.text}» "
        f"[{draft.note(s.passage, s.start, s.end, s.text)}]"
        for s in chosen
    ]
    return BriefingSection(
        heading=heading, text="\n\n".join(paragraphs), points=points, is_quoted=True
    )


def _excerpts(asker: Asker, passages, material, group) -> list[Excerpt]:
    budget = asker.model.capabilities.context_chars
    chosen = group[:SECTION_PASSAGES]
    per_passage = max(200, budget // len(chosen))
    return [
        window(
            material[i][0].passage, [(s.start, s.end, s.score) for s in material[i]], per_passage
        )
        for i in chosen
        if material[i]
    ]


def section_messages(
    excerpts: list[Excerpt], topic: str, focus: str, language: str
) -> list[Message]:
    """System rules and a worked example (a stable prefix), then the numbered passages."""
    user = SECTION_USER.format(
        passages=numbered_passages(excerpts),
        topic=topic,
        focus=focus,
        language=LANGUAGE_NAMES[language],
    )
    example, reply = SECTION_EXAMPLES[language]
    return [
        Message("system", SECTION_SYSTEM),
        Message("user", example),
        Message("assistant", reply),
        Message("user", user),
    ]


def written_section(
    state: Writing, group: list[int], heading: str
) -> Iterator[str | BriefingSection]:
    """The model's section, streamed as the text so far, then the section; nothing final
    when it cites nothing, so the caller quotes instead. LLMError when the model fails."""
    asker, model, draft = state.asker, state.model, state.draft
    excerpts = _excerpts(asker, state.passages, state.material, group)
    if not excerpts:
        return
    raw = ""
    focus = heading.split(":", 1)[-1].strip()
    messages = section_messages(excerpts, state.topic, focus, draft.language)
    for token in model.stream(messages, SECTION_TOKENS):
        raw += token
        yield raw
    written_heading, body = split_heading(raw)
    body, dropped = cited_sentences(body)
    if dropped:
        draft.warnings.append(
            f"Left out {dropped} sentence(s) of the model's section that cited no passage "
            "or named an outlet that is not in the corpus."
        )
    resolved = cites.resolve(body, len(excerpts))
    if resolved.phantoms:
        draft.warnings.append(
            f"Dropped {len(resolved.phantoms)} citation(s) to passages that do not exist."
        )
    if not resolved.order:
        draft.warnings.append("The model's section cited no passage; it is quoted instead.")
        return
    written_in = detect_language(cites.strip_markers(resolved.text))
    if written_in != draft.language:
        draft.warnings.append(
            f"The model wrote a section in another language ({written_in}); it is quoted instead."
        )
        return
    cited = [excerpts[i] for i in resolved.order]
    notes = support_notes(resolved.text, cited, draft.language, asker.store.embedder)
    numbers = {
        j: draft.note(e.passage, e.start, e.end, e.quote(*e.best_sentence))
        for j, e in enumerate(cited, 1)
    }
    draft.warnings += [cites.renumber(w, numbers) for w in notes]  # in the notes' numbers
    for e in cited:
        draft.used.update((e.passage.article_id, a, b) for a, b, _ in e.sentences)
    text = cites.renumber(resolved.text.strip(), numbers)
    yield BriefingSection(heading=written_heading or heading, text=text, points=cited_list(text))


def support_notes(text: str, cited: list[Excerpt], language: str, embedder) -> list[str]:
    """A note for each sentence of a written section and each passage it cites that
    does not support it (the check pipeline's "supported by its passage": lexical overlap
    within a language, e5 similarity across languages)."""
    notes = []
    for start, end in cites.split_sentences(text):
        sentence = text[start:end]
        plain = cites.strip_markers(sentence).strip()
        numbers = dict.fromkeys(n for m in cites.parse_markers(sentence) for n in m.numbers)
        for n in (n for n in numbers if 1 <= n <= len(cited)):
            e, similarity = cited[n - 1], None
            if e.passage.meta.lang != language:
                query, passage = embedder.embed_queries([plain]), embedder.embed_passages([e.text])
                similarity = float(query[0] @ passage[0])
            written = Written("section", plain, (e.text,), language, e.passage.meta.lang,
                              similarity=similarity)  # fmt: skip
            if checks.run(written):
                notes.append(f"Not clearly supported by [{n}]: “{plain[:120]}”")
    return notes


def split_heading(reply: str) -> tuple[str | None, str]:
    """("heading", body) from a reply shaped "Heading: ...\\n<paragraph>"; (None, reply)
    when the first line is no heading."""
    lines = reply.strip().splitlines()
    if not lines:
        return None, ""
    first = lines[0].strip()
    match = _HEADING.match(first)
    if match:
        heading = match.group(1)
    elif first.startswith("#") or (first.startswith("**") and first.endswith("**")):
        heading = first
    else:
        return None, reply.strip()
    heading = cites.strip_markers(heading).strip(" #*\"'«»").strip()
    return (heading[:100] or None), "\n".join(lines[1:]).strip()


def cited_sentences(text: str) -> tuple[str, int]:
    """text without the sentences that cite nothing, copy an outlet of the prompt's worked
    example or echo a passage header, and how many were left out: every sentence of a
    briefing is traceable to a note."""
    kept, dropped = [], 0
    for start, end in cites.split_sentences(text):
        sentence = text[start:end].strip()
        copied = bool(_ECHOED_HEADER.search(sentence))
        if cites.parse_markers(sentence) and not copied:
            kept.append(sentence)
        else:
            dropped += 1
    return " ".join(kept), dropped


def cited_list(text: str) -> list[str]:
    """The sentences of text that cite a note, markers included, in order."""
    sentences = (text[a:b].strip() for a, b in cites.split_sentences(text))
    return [s for s in sentences if cites.parse_markers(s)]
