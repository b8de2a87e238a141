"""Question to answer: the evidence sentences (with exact offsets), their translations,
the model's checked lead, the extractive answer, and citation lookup over the same
evidence."""
