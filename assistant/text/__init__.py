"""Text facts with no state: languages, sentences, words, transliteration, dates,
endnotes, instructions addressed to a model, and Markdown that renders as plain text.
Every stage may use them; they use nothing of the assistant but its types."""
