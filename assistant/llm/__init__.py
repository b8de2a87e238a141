"""Chat models: the interface every stage talks to, the OpenAI-compatible client, the
managed llama.cpp server and its bundled GGUF, and machine translation of evidence."""
