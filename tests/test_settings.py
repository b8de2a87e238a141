"""Settings: groups a deployment may tune, read from ASSISTANT_<GROUP>_<FIELD> variables."""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ValidationError

from assistant.settings import RENAMED, Settings


@pytest.fixture
def env(monkeypatch):
    for name in ("ASSISTANT_BACKEND", "OPENAI_BASE_URL", "OPENAI_API_KEY", *RENAMED):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_environment_variables_fill_the_groups(env, tmp_path):
    env.setenv("ASSISTANT_STORE_DIR", str(tmp_path))
    env.setenv("ASSISTANT_LLM_SLOTS", "2")
    env.setenv("ASSISTANT_LLM_FIRST_TOKEN_TIMEOUT", "7.5")
    env.setenv("ASSISTANT_RETRIEVAL_LEXICAL_WEIGHT", "0.25")
    env.setenv("ASSISTANT_ANSWER_REFUSAL_SCORE", "0.7")
    env.setenv("ASSISTANT_EMBED_BASE_URL", "http://127.0.0.1:9/v1")
    env.setenv("OPENAI_BASE_URL", "http://127.0.0.1:8/v1")
    s = Settings()
    assert s.store.dir == tmp_path and s.catalog_path == tmp_path / "catalog.sqlite"
    assert (s.llm.slots, s.llm.first_token_timeout) == (2, 7.5)
    assert s.retrieval.lexical_weight == 0.25 and s.retrieval.candidates == 50
    assert s.answer.refusal_score == 0.7
    assert s.embed.base_url == "http://127.0.0.1:9/v1"
    assert s.chosen_backend == "openai" and s.openai_base_url == "http://127.0.0.1:8/v1"


def test_a_renamed_variable_stops_the_start_with_its_new_name(env):
    env.setenv("ASSISTANT_CHUNK_CHARS", "900")
    with pytest.raises(
        ValidationError, match="ASSISTANT_CHUNK_CHARS is now ASSISTANT_INGEST_CHUNK_CHARS"
    ):
        Settings()


def test_a_value_out_of_range_is_refused(env):
    env.setenv("ASSISTANT_RETRIEVAL_LEXICAL_WEIGHT", "1.5")
    with pytest.raises(ValidationError, match="lexical_weight"):
        Settings()


def _fields(model: type[BaseModel], prefix: str = ""):
    for name, field in model.model_fields.items():
        kind = field.annotation
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            yield from _fields(kind, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", field


def test_every_setting_is_described():
    undescribed = [name for name, field in _fields(Settings) if not field.description]
    assert undescribed == []


def test_changed_merges_into_a_group_and_leaves_the_original(env):
    base = Settings()
    tuned = base.changed(llm={"port": 8799}, backend="extractive")
    assert (tuned.llm.port, tuned.llm.slots, tuned.chosen_backend) == (8799, 4, "extractive")
    assert base.llm.port == 8765 and base.backend is None
