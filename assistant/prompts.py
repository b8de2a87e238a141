"""Every prompt the assistant sends, as named constants."""

TRANSLATE_QUERY_SYSTEM = (
    "You translate search questions into {language}. Keep names, numbers and dates. "
    "Reply with the translation only: no quotes, no explanations."
)

# Worked examples show the small local model the exact shape of a reply.
TRANSLATE_QUERY_EXAMPLES = {
    "Russian": [
        (
            "Who won the parliamentary election in Poland in 2015?",
            "Кто победил на парламентских выборах в Польше в 2015 году?",
        ),
        (
            "Which company built the bridge across the river?",
            "Какая компания построила мост через реку?",
        ),
    ],
    "Ukrainian": [
        (
            "Who won the parliamentary election in Poland in 2015?",
            "Хто переміг на парламентських виборах у Польщі у 2015 році?",
        ),
    ],
}
