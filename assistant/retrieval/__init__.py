"""From a question to ranked passages: dense and lexical search fused, per-article caps,
named sources, the language shift of cross-language queries, and the retrieval eval."""
